//! Whoever holds the model open for the room: the desktop app, or `tributary room serve`.
//! The room reads the model and sends edits through the host, which orders them (one writer).

use std::sync::Mutex;

use tributary_api::engine::edit::Command;
use tributary_api::{ApiError, ErrorCode, ModelView, Result, Session};

/// What the room needs of the open model. Calls block (the model file is SQLite): the room
/// makes them off its network threads.
pub trait Host: Send + Sync + 'static {
    /// The model as it is now, with its numbers.
    fn view(&self) -> Result<ModelView>;
    /// Applies one edit; returns the number of the undo step it made.
    fn execute(&self, command: &Command) -> Result<i64>;
    /// Takes back undo step `step` alone, as a new step labelled `label`.
    fn revert(&self, step: i64, label: &str) -> Result<i64>;
}

/// A host over a session of its own (`tributary room serve FILE`).
pub struct SessionHost {
    session: Mutex<Session>,
}

impl SessionHost {
    pub fn new(session: Session) -> SessionHost {
        SessionHost {
            session: Mutex::new(session),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let mut s = self
            .session
            .lock()
            .map_err(|_| ApiError::new(ErrorCode::Internal, "the model's lock was poisoned"))?;
        f(&mut s)
    }

    /// The session back, to close it.
    pub fn into_session(self) -> Option<Session> {
        self.session.into_inner().ok()
    }
}

impl Host for SessionHost {
    fn view(&self) -> Result<ModelView> {
        self.with(|s| s.view())
    }

    fn execute(&self, command: &Command) -> Result<i64> {
        self.with(|s| s.execute_step(command))
    }

    fn revert(&self, step: i64, label: &str) -> Result<i64> {
        self.with(|s| s.revert(step, label))
    }
}
