//! Errors of the simulator. Each names the stream and stage concerned and what is wrong, so
//! a user can act on it.

use tributary_core::{Problem, Severity};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The model breaks the engine's rules (inverted distribution parameters, unknown
    /// references, a cycle), or a stream or scenario asked for does not exist.
    #[error(transparent)]
    Model(#[from] tributary_core::Error),
    /// The model is valid but cannot be simulated meaningfully: a queue that grows without
    /// bound, a rework loop that (almost) never exits, a stream without demand. Holds every
    /// finding of the pre-run checks, warnings included.
    #[error("{}", checks_message(.0))]
    Check(Vec<Problem>),
    /// The options ask for something the simulator cannot do (no items, too many runs, ...).
    #[error("simulation options: {0}")]
    Options(String),
    /// The caller stopped the run through [`crate::Control::cancel`].
    #[error("the simulation was cancelled")]
    Cancelled,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn checks_message(problems: &[Problem]) -> String {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    match errors.as_slice() {
        [] => "the simulation checks found no error".to_owned(),
        [one] => format!("cannot simulate: {}", one.message),
        many => {
            let mut out = format!("cannot simulate: {} problems:", many.len());
            for p in many {
                out.push_str("\n  ");
                out.push_str(&p.message);
            }
            out
        }
    }
}

impl Error {
    /// The findings behind a [`Error::Check`] or an invalid model, for a UI to list.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Check(p) => p,
            Error::Model(tributary_core::Error::Invalid(p)) => p,
            _ => &[],
        }
    }
}
