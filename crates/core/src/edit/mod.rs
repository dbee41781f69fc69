//! Edits: typed commands, planned into deltas, applied to the model, inverted for undo.
//!
//! A [`Command`] is one user action and one undo step. [`plan`] checks it against the model
//! and turns it into [`Delta`]s: for each entity touched, its state before and after (with its
//! place in its list). Deltas are all that the rest of the system needs: [`apply`] changes the
//! in-memory model, the store writes the same deltas as rows in one transaction, and undo
//! applies [`invert`]ed deltas. So there is one mechanism for edits, persistence and undo, and
//! it works on every kind of item through its [`Entity`] description.

mod changes;
mod convert;
mod plan;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::each_delta;
use crate::entity::Entity;
use crate::error::{Error, Result};
use crate::model::*;

pub use changes::merge_change;
pub use plan::{fresh_id, plan};

/// One user action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    SetSettings {
        settings: Settings,
    },
    /// Adds a stream (with any stages and edges it carries). An empty id is generated from
    /// the name.
    AddStream {
        stream: Stream,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        index: Option<u32>,
    },
    /// Changes a stream's own fields; its stages and edges are left as they are.
    UpdateStream {
        stream: Stream,
    },
    DeleteStream {
        id: String,
    },
    MoveStream {
        id: String,
        index: u32,
    },
    /// Adds a stage. In a stream drawn as a line (no edges) it joins the line at `index`
    /// (the end by default); in a stream with edges, `connect_from` links it after that stage.
    AddStage {
        stream: String,
        stage: Stage,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        index: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        connect_from: Option<String>,
    },
    UpdateStage {
        stream: String,
        stage: Stage,
    },
    /// Deletes a stage with its PBC assignments; in a stream with edges, its predecessors are
    /// linked to its successors so the flow stays whole.
    DeleteStage {
        stream: String,
        id: String,
    },
    MoveStage {
        stream: String,
        id: String,
        index: u32,
    },
    /// Moves several stages on the canvas at once (one undo step for a layout).
    SetPositions {
        stream: String,
        positions: Vec<StagePosition>,
    },
    /// Links two stages. The first link in a stream drawn as a line makes the line explicit.
    Connect {
        stream: String,
        from: String,
        to: String,
    },
    Disconnect {
        stream: String,
        from: String,
        to: String,
    },
    AddPbc {
        pbc: Pbc,
    },
    UpdatePbc {
        pbc: Pbc,
    },
    /// Deletes a PBC with its assignments, integrations and the scenario changes naming it.
    DeletePbc {
        id: String,
    },
    Assign {
        assignment: Assignment,
    },
    UpdateAssignment {
        assignment: Assignment,
    },
    Unassign {
        pbc: String,
        stream: String,
        stage: String,
    },
    /// Moves a PBC chip from one stage to another, keeping its times.
    MoveAssignment {
        pbc: String,
        stream: String,
        from_stage: String,
        to_stream: String,
        to_stage: String,
    },
    AddIntegration {
        integration: Integration,
    },
    UpdateIntegration {
        integration: Integration,
    },
    DeleteIntegration {
        id: String,
    },
    AddScenario {
        scenario: Scenario,
    },
    /// Replaces a scenario's name, description and changes.
    UpdateScenario {
        scenario: Scenario,
    },
    DeleteScenario {
        id: String,
    },
    AddInitiative {
        initiative: Initiative,
    },
    UpdateInitiative {
        initiative: Initiative,
    },
    DeleteInitiative {
        id: String,
    },
    /// Adds a change to a scenario, merged with the change already there for the same thing:
    /// a second `set_stage` on a stage updates the first; assigning a PBC the scenario had
    /// removed cancels the removal.
    UpsertChange {
        scenario: String,
        change: Change,
    },
    /// Removes the scenario's change at `index`.
    RemoveChange {
        scenario: String,
        index: u32,
    },
    /// Changes the model's time unit and converts every duration in it through the work
    /// calendar (stage, PBC and integration times, simulation distributions, scenario
    /// changes), so the figures mean what they meant. To keep the numbers and change only the
    /// unit, set the settings instead.
    ConvertTimeUnit {
        time_unit: TimeUnit,
    },
    /// Sets how a stream's measured statuses read (its telemetry mapping); an empty mapping
    /// removes it.
    SetMapping {
        stream: String,
        mapping: Mapping,
    },
    /// Several commands as one undo step (a paste, a calibration from measured data).
    Batch {
        label: String,
        commands: Vec<Command>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StagePosition {
    pub id: String,
    pub position: Position,
}

/// An item and its place in its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed<T> {
    pub index: u32,
    pub item: T,
}

/// The state of one item before and after an edit. `None` before: created; `None` after:
/// deleted. Stream edits carry the stream's own fields only (no stages or edges).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edit<T> {
    /// The stream a stage or an edge belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    pub before: Option<Placed<T>>,
    pub after: Option<Placed<T>>,
}

impl<T: Clone> Edit<T> {
    /// The edit that undoes this one.
    pub fn inverted(&self) -> Edit<T> {
        Edit {
            stream: self.stream.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// What one edit does to the model: the settings, or one item of one list. The store keeps
/// these in the file's undo history, so their JSON form is part of the file format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum Delta {
    Settings {
        before: Box<Settings>,
        after: Box<Settings>,
    },
    Stream(Edit<Stream>),
    Stage(Edit<Stage>),
    Edge(Edit<Edge>),
    Pbc(Edit<Pbc>),
    Assignment(Edit<Assignment>),
    Integration(Edit<Integration>),
    Scenario(Edit<Scenario>),
    Initiative(Edit<Initiative>),
    Mapping(Edit<StreamMapping>),
}

impl Delta {
    /// The delta of one item of kind `T`; `stream` for stages and edges.
    pub fn of<T: Entity>(
        stream: Option<&str>,
        before: Option<(usize, &T)>,
        after: Option<(usize, &T)>,
    ) -> Delta {
        let placed = |(index, item): (usize, &T)| Placed {
            index: index as u32,
            item: item.clone(),
        };
        T::into_delta(Edit {
            stream: stream.map(str::to_owned),
            before: before.map(placed),
            after: after.map(placed),
        })
    }

    fn inverted(&self) -> Delta {
        each_delta!(self,
            settings(before, after) => Delta::Settings {
                before: after.clone(),
                after: before.clone(),
            },
            e => Entity::into_delta(e.inverted())
        )
    }
}

impl Command {
    /// What the undo menu says: "Undo Add stage".
    pub fn label(&self) -> String {
        match self {
            Command::SetSettings { .. } => "Edit model settings".into(),
            Command::AddStream { stream, .. } => format!("Add stream {}", stream.name),
            Command::UpdateStream { stream } => format!("Edit stream {}", stream.name),
            Command::DeleteStream { .. } => "Delete stream".into(),
            Command::MoveStream { .. } => "Reorder streams".into(),
            Command::AddStage { stage, .. } => format!("Add stage {}", stage.name),
            Command::UpdateStage { stage, .. } => format!("Edit stage {}", stage.name),
            Command::DeleteStage { .. } => "Delete stage".into(),
            Command::MoveStage { .. } => "Reorder stages".into(),
            Command::SetPositions { .. } => "Move stages".into(),
            Command::Connect { .. } => "Connect stages".into(),
            Command::Disconnect { .. } => "Disconnect stages".into(),
            Command::AddPbc { pbc } => format!("Add PBC {}", pbc.name),
            Command::UpdatePbc { pbc } => format!("Edit PBC {}", pbc.name),
            Command::DeletePbc { .. } => "Delete PBC".into(),
            Command::Assign { .. } => "Assign PBC".into(),
            Command::UpdateAssignment { .. } => "Edit PBC time".into(),
            Command::Unassign { .. } => "Remove PBC from stage".into(),
            Command::MoveAssignment { .. } => "Move PBC".into(),
            Command::AddIntegration { .. } => "Add integration".into(),
            Command::UpdateIntegration { .. } => "Edit integration".into(),
            Command::DeleteIntegration { .. } => "Delete integration".into(),
            Command::AddScenario { scenario } => format!("Add scenario {}", scenario.name),
            Command::UpdateScenario { scenario } => format!("Edit scenario {}", scenario.name),
            Command::DeleteScenario { .. } => "Delete scenario".into(),
            Command::AddInitiative { initiative } => {
                format!("Add initiative {}", initiative.name)
            }
            Command::UpdateInitiative { initiative } => {
                format!("Edit initiative {}", initiative.name)
            }
            Command::DeleteInitiative { .. } => "Delete initiative".into(),
            Command::UpsertChange { .. } => "Change scenario".into(),
            Command::RemoveChange { .. } => "Remove scenario change".into(),
            Command::SetMapping { .. } => "Map measured statuses".into(),
            Command::ConvertTimeUnit { time_unit } => {
                format!("Convert times to {}", time_unit.as_str())
            }
            Command::Batch { label, .. } => label.clone(),
        }
    }
}

/// The deltas that undo `deltas`.
pub fn invert(deltas: &[Delta]) -> Vec<Delta> {
    deltas.iter().rev().map(Delta::inverted).collect()
}

/// Applies deltas in order. On error the model may be partly changed; callers apply to a
/// model they can restore (the store rolls back by applying the inverse of what succeeded).
pub fn apply(model: &mut Model, deltas: &[Delta]) -> Result<()> {
    for d in deltas {
        apply_one(model, d)?;
    }
    Ok(())
}

pub fn apply_one(model: &mut Model, d: &Delta) -> Result<()> {
    each_delta!(d,
        settings(_, after) => {
            model.set_settings((**after).clone());
            Ok(())
        },
        e => put(model, e)
    )
}

/// Whether `deltas` (an inverse, to revert an old step) find every item as they expect it:
/// each item they change or remove is exactly as its `before` says, and nothing they add is
/// there. A `Conflict` names the first that was changed since; a step that changed what a later
/// one changed again cannot be taken back alone.
pub fn check_unchanged(model: &Model, deltas: &[Delta]) -> Result<()> {
    for d in deltas {
        each_delta!(d,
            settings(before, _after) => {
                if model.settings() != **before {
                    return Err(changed_since("the model's settings"));
                }
            },
            e => unchanged(model, e)?
        )
    }
    Ok(())
}

fn changed_since(what: &str) -> Error {
    Error::Conflict(format!(
        "{what} changed since, so this edit cannot be undone on its own"
    ))
}

fn unchanged<T: Entity>(model: &Model, e: &Edit<T>) -> Result<()> {
    let list = T::list(model, e.stream.as_deref()).map_or(&[][..], Vec::as_slice);
    let probe = e.before.as_ref().or(e.after.as_ref());
    let Some(probe) = probe else { return Ok(()) };
    let current = list.iter().find(|x| x.same(&probe.item));
    let what = || format!("{} {:?}", T::KIND, probe.item.key()[0]);
    match (&e.before, current) {
        (Some(b), Some(c)) => {
            // compare as the delta carries it: a stream's header without its stages
            let mut expected = b.item.clone();
            expected.keep_from(c.clone());
            if expected != *c {
                return Err(changed_since(&what()));
            }
        }
        (Some(_), None) => return Err(changed_since(&what())),
        (None, Some(_)) => return Err(changed_since(&what())),
        (None, None) => {}
    }
    Ok(())
}

/// Removes the item `before` names (which must be there) and inserts `after` at its index.
fn put<T: Entity>(model: &mut Model, e: &Edit<T>) -> Result<()> {
    let stream = e.stream.as_deref();
    let list = T::list_mut(model, stream)
        .ok_or_else(|| Error::NotFound(format!("stream {:?}", stream.unwrap_or_default())))?;
    let mut removed = None;
    if let Some(b) = &e.before {
        let pos = list.iter().position(|x| x.same(&b.item)).ok_or_else(|| {
            Error::NotFound(format!(
                "{} to change (the model and its edit history disagree)",
                T::KIND
            ))
        })?;
        removed = Some(list.remove(pos));
    } else if let Some(a) = &e.after
        && list.iter().any(|x| x.same(&a.item))
    {
        return Err(Error::Conflict(format!("{} exists already", T::KIND)));
    }
    if let Some(a) = &e.after {
        let mut item = a.item.clone();
        if let Some(old) = removed {
            item.keep_from(old);
        }
        let at = (a.index as usize).min(list.len());
        list.insert(at, item);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
