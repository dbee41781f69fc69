//! The model as the room shows it: numbered replies (the whole workspace, or a patch against
//! the version before), each serialised once and sent to everyone, and the recent ones kept so
//! that a participant who drops off and comes back catches up with patches, not the whole.

use std::collections::VecDeque;
use std::sync::Arc;

use tributary_api::room::ServerMsg;
use tributary_api::{ApiError, ErrorCode, ModelView, Outbox, Reply, Result, Session, Workspace};

use crate::host::Host;

/// Patches kept for catching up; further behind, the whole workspace is sent.
const KEPT: usize = 64;

#[derive(Default)]
pub struct Feed {
    outbox: Outbox,
    /// `model` messages of the patches since the last whole workspace: (base, message).
    patches: VecDeque<(u64, Arc<str>)>,
    /// The whole workspace at the current version, as a message (made when first asked).
    whole: Option<(u64, Arc<str>)>,
    version: u64,
    /// The model last read, with its numbers.
    pub view: Option<Arc<ModelView>>,
    /// The scenario the room is shown (the facilitator's).
    pub scenario: Option<String>,
}

impl Feed {
    /// Reads the model again and returns the message that brings everyone up to date.
    pub fn refresh(&mut self, host: &dyn Host) -> Result<Arc<str>> {
        let view = host.view()?;
        self.view = Some(Arc::new(view.clone()));
        let ws = room_workspace(view, self.scenario.as_deref())?;
        let reply = self.outbox.update(&ws)?;
        let msg = message(&reply)?;
        match &reply {
            Reply::Full { version, .. } => {
                self.patches.clear();
                self.whole = Some((*version, msg.clone()));
                self.version = *version;
            }
            Reply::Patch { base, version, .. } => {
                self.patches.push_back((*base, msg.clone()));
                if self.patches.len() > KEPT {
                    self.patches.pop_front();
                }
                self.whole = None;
                self.version = *version;
            }
        }
        Ok(msg)
    }

    /// What someone who has version `have` (or nothing) needs to be up to date: the patches
    /// since, in order, where all are kept; else the whole workspace.
    pub fn catch_up(&mut self, have: Option<u64>) -> Result<Vec<Arc<str>>> {
        if have == Some(self.version) {
            return Ok(Vec::new());
        }
        if let Some(v) = have
            && let Some(i) = self.patches.iter().position(|(base, _)| *base == v)
        {
            return Ok(self
                .patches
                .iter()
                .skip(i)
                .map(|(_, m)| m.clone())
                .collect());
        }
        Ok(vec![self.whole()?])
    }

    fn whole(&mut self) -> Result<Arc<str>> {
        if let Some((v, m)) = &self.whole
            && *v == self.version
        {
            return Ok(m.clone());
        }
        let reply = self.outbox.current().ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "the room has not read the model yet")
        })?;
        let msg = message(&reply)?;
        self.whole = Some((self.version, msg.clone()));
        Ok(msg)
    }
}

/// The workspace as a participant sees it: no file paths, no recent files, no undo of the
/// facilitator's (each person undoes their own).
pub fn room_workspace(view: ModelView, scenario: Option<&str>) -> Result<Workspace> {
    let mut snapshot = Session::snapshot_of(view, scenario)?;
    snapshot.view.path = snapshot.view.file_name.clone();
    snapshot.view.undo = None;
    snapshot.view.redo = None;
    Ok(Workspace {
        snapshot,
        untitled: false,
        edited: false,
        read_only: false,
        recent: Vec::new(),
        notice: None,
    })
}

/// A server message as the JSON text sent.
pub fn text(msg: &ServerMsg) -> Result<Arc<str>> {
    serde_json::to_string(msg)
        .map(Arc::from)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

fn message(reply: &Reply) -> Result<Arc<str>> {
    text(&ServerMsg::Model {
        reply: reply.clone(),
    })
}
