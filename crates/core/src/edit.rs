//! Edits: typed commands, planned into deltas, applied to the model, inverted for undo.
//!
//! A [`Command`] is one user action and one undo step. [`plan`] checks it against the model
//! and turns it into [`Delta`]s: for each entity touched, its state before and after (with its
//! place in its list). Deltas are all that the rest of the system needs: [`apply`] changes the
//! in-memory model, the store writes the same deltas as rows in one transaction, and undo
//! applies [`invert`]ed deltas. So there is one mechanism for edits, persistence and undo.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::graph::Flow;
use crate::model::*;
use crate::validate::{self, Index, Report};

/// One user action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
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
    /// Several commands as one undo step (a paste, a calibration from measured data).
    Batch {
        label: String,
        commands: Vec<Command>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StagePosition {
    pub id: String,
    pub position: Position,
}

/// An item and its place in its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Placed<T> {
    pub index: u32,
    pub item: T,
}

/// The state of one entity before and after an edit. `None` before: created; `None` after:
/// deleted. Stream deltas carry the stream's own fields only (no stages or edges).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum Delta {
    Settings {
        before: Box<Settings>,
        after: Box<Settings>,
    },
    Stream {
        before: Option<Placed<Stream>>,
        after: Option<Placed<Stream>>,
    },
    Stage {
        stream: String,
        before: Option<Placed<Stage>>,
        after: Option<Placed<Stage>>,
    },
    Edge {
        stream: String,
        before: Option<Placed<Edge>>,
        after: Option<Placed<Edge>>,
    },
    Pbc {
        before: Option<Placed<Pbc>>,
        after: Option<Placed<Pbc>>,
    },
    Assignment {
        before: Option<Placed<Assignment>>,
        after: Option<Placed<Assignment>>,
    },
    Integration {
        before: Option<Placed<Integration>>,
        after: Option<Placed<Integration>>,
    },
    Scenario {
        before: Option<Placed<Scenario>>,
        after: Option<Placed<Scenario>>,
    },
    Initiative {
        before: Option<Placed<Initiative>>,
        after: Option<Placed<Initiative>>,
    },
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
            Command::Batch { label, .. } => label.clone(),
        }
    }
}

/// The deltas that undo `deltas`.
pub fn invert(deltas: &[Delta]) -> Vec<Delta> {
    deltas
        .iter()
        .rev()
        .map(|d| match d.clone() {
            Delta::Settings { before, after } => Delta::Settings {
                before: after,
                after: before,
            },
            Delta::Stream { before, after } => Delta::Stream {
                before: after,
                after: before,
            },
            Delta::Stage {
                stream,
                before,
                after,
            } => Delta::Stage {
                stream,
                before: after,
                after: before,
            },
            Delta::Edge {
                stream,
                before,
                after,
            } => Delta::Edge {
                stream,
                before: after,
                after: before,
            },
            Delta::Pbc { before, after } => Delta::Pbc {
                before: after,
                after: before,
            },
            Delta::Assignment { before, after } => Delta::Assignment {
                before: after,
                after: before,
            },
            Delta::Integration { before, after } => Delta::Integration {
                before: after,
                after: before,
            },
            Delta::Scenario { before, after } => Delta::Scenario {
                before: after,
                after: before,
            },
            Delta::Initiative { before, after } => Delta::Initiative {
                before: after,
                after: before,
            },
        })
        .collect()
}

// ---- applying ---------------------------------------------------------------------------

trait Keyed {
    fn same(&self, other: &Self) -> bool;
}

impl Keyed for Stream {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}
impl Keyed for Stage {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}
impl Keyed for Edge {
    fn same(&self, o: &Self) -> bool {
        self == o
    }
}
impl Keyed for Pbc {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}
impl Keyed for Assignment {
    fn same(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Keyed for Integration {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}
impl Keyed for Scenario {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}
impl Keyed for Initiative {
    fn same(&self, o: &Self) -> bool {
        self.id == o.id
    }
}

/// Removes `before` (which must be there) and inserts `after` at its index. Returns what was
/// removed.
fn put<T: Keyed + Clone>(
    list: &mut Vec<T>,
    before: &Option<Placed<T>>,
    after: &Option<Placed<T>>,
    what: &str,
) -> Result<Option<T>> {
    let mut removed = None;
    if let Some(b) = before {
        let pos = list.iter().position(|x| x.same(&b.item)).ok_or_else(|| {
            Error::NotFound(format!(
                "{what} to change (the model and its edit history disagree)"
            ))
        })?;
        removed = Some(list.remove(pos));
    } else if let Some(a) = after
        && list.iter().any(|x| x.same(&a.item))
    {
        return Err(Error::Conflict(format!("{what} exists already")));
    }
    if let Some(a) = after {
        let at = (a.index as usize).min(list.len());
        list.insert(at, a.item.clone());
    }
    Ok(removed)
}

fn stream_mut<'a>(model: &'a mut Model, id: &str) -> Result<&'a mut Stream> {
    model
        .streams
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::NotFound(format!("stream {id:?}")))
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
    match d {
        Delta::Settings { after, .. } => model.set_settings((**after).clone()),
        Delta::Stream { before, after } => {
            // Keep the stages and edges of a stream whose own fields change.
            let removed = put(&mut model.streams, before, after, "stream")?;
            if let (Some(old), Some(a)) = (removed, after) {
                let at = (a.index as usize).min(model.streams.len() - 1);
                model.streams[at].stages = old.stages;
                model.streams[at].edges = old.edges;
            }
        }
        Delta::Stage {
            stream,
            before,
            after,
        } => {
            put(
                &mut stream_mut(model, stream)?.stages,
                before,
                after,
                "stage",
            )?;
        }
        Delta::Edge {
            stream,
            before,
            after,
        } => {
            put(&mut stream_mut(model, stream)?.edges, before, after, "edge")?;
        }
        Delta::Pbc { before, after } => {
            put(&mut model.pbcs, before, after, "PBC")?;
        }
        Delta::Assignment { before, after } => {
            put(&mut model.assignments, before, after, "assignment")?;
        }
        Delta::Integration { before, after } => {
            put(&mut model.integrations, before, after, "integration")?;
        }
        Delta::Scenario { before, after } => {
            put(&mut model.scenarios, before, after, "scenario")?;
        }
        Delta::Initiative { before, after } => {
            put(&mut model.initiatives, before, after, "initiative")?;
        }
    }
    Ok(())
}

// ---- planning ---------------------------------------------------------------------------

fn placed<T: Clone>(index: usize, item: &T) -> Option<Placed<T>> {
    Some(Placed {
        index: index as u32,
        item: item.clone(),
    })
}

fn find<'a, T>(list: &'a [T], what: &str, f: impl Fn(&T) -> bool) -> Result<(usize, &'a T)> {
    list.iter()
        .enumerate()
        .find(|(_, x)| f(x))
        .ok_or_else(|| Error::NotFound(what.to_owned()))
}

fn check(f: impl FnOnce(&mut Report)) -> Result<()> {
    let mut r = Report::default();
    f(&mut r);
    r.into_result().map(|_| ())
}

/// A readable id from a name, unique among `taken`: "Credit scoring" -> "credit-scoring".
pub fn fresh_id<'a>(name: &str, fallback: &str, taken: impl Iterator<Item = &'a str>) -> String {
    let taken: HashSet<&str> = taken.collect();
    let mut base = String::new();
    for ch in name.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            base.push(ch);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    let base = base.trim_end_matches('-');
    let base = if base.is_empty() { fallback } else { base };
    let base: String = base.chars().take(48).collect();
    if !taken.contains(base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.contains(c.as_str()))
        .unwrap_or(base)
}

/// Checks a command against the model and turns it into deltas.
pub fn plan(model: &Model, cmd: &Command) -> Result<Vec<Delta>> {
    match cmd {
        Command::SetSettings { settings } => {
            check(|r| validate::check_settings(r, settings))?;
            Ok(vec![Delta::Settings {
                before: Box::new(model.settings()),
                after: Box::new(settings.clone()),
            }])
        }
        Command::AddStream { stream, index } => plan_add_stream(model, stream, *index),
        Command::UpdateStream { stream } => {
            let (i, old) = find(&model.streams, &format!("stream {:?}", stream.id), |s| {
                s.id == stream.id
            })?;
            let mut header = stream.header();
            header.stages = Vec::new();
            check(|r| {
                let mut probe = header.clone();
                probe.stages = old.stages.clone();
                probe.edges = old.edges.clone();
                validate::check_stream(r, &format!("streams[{i}]"), &probe)
            })?;
            Ok(vec![Delta::Stream {
                before: placed(i, &old.header()),
                after: placed(i, &header),
            }])
        }
        Command::DeleteStream { id } => plan_delete_stream(model, id),
        Command::MoveStream { id, index } => {
            let (i, old) = find(&model.streams, &format!("stream {id:?}"), |s| s.id == *id)?;
            let to = (*index as usize).min(model.streams.len() - 1);
            Ok(vec![Delta::Stream {
                before: placed(i, &old.header()),
                after: placed(to, &old.header()),
            }])
        }
        Command::AddStage {
            stream,
            stage,
            index,
            connect_from,
        } => plan_add_stage(model, stream, stage, *index, connect_from.as_deref()),
        Command::UpdateStage { stream, stage } => {
            let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
                s.id == *stream
            })?;
            let (i, old) = find(
                &s.stages,
                &format!("stage {:?} in stream {stream:?}", stage.id),
                |x| x.id == stage.id,
            )?;
            check(|r| validate::check_stage(r, &format!("stages[{i}]"), stream, stage))?;
            Ok(vec![Delta::Stage {
                stream: stream.clone(),
                before: placed(i, old),
                after: placed(i, stage),
            }])
        }
        Command::DeleteStage { stream, id } => plan_delete_stage(model, stream, id),
        Command::MoveStage { stream, id, index } => {
            let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
                s.id == *stream
            })?;
            let (i, old) = find(
                &s.stages,
                &format!("stage {id:?} in stream {stream:?}"),
                |x| x.id == *id,
            )?;
            let to = (*index as usize).min(s.stages.len() - 1);
            Ok(vec![Delta::Stage {
                stream: stream.clone(),
                before: placed(i, old),
                after: placed(to, old),
            }])
        }
        Command::SetPositions { stream, positions } => {
            let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
                s.id == *stream
            })?;
            let mut out = Vec::new();
            for p in positions {
                if !(p.position.x.is_finite() && p.position.y.is_finite()) {
                    return Err(Error::Conflict(format!(
                        "position of stage {:?} is not a pair of numbers",
                        p.id
                    )));
                }
                let (i, old) = find(
                    &s.stages,
                    &format!("stage {:?} in stream {stream:?}", p.id),
                    |x| x.id == p.id,
                )?;
                let mut new = old.clone();
                new.position = Some(p.position);
                out.push(Delta::Stage {
                    stream: stream.clone(),
                    before: placed(i, old),
                    after: placed(i, &new),
                });
            }
            Ok(out)
        }
        Command::Connect { stream, from, to } => plan_connect(model, stream, from, to),
        Command::Disconnect { stream, from, to } => {
            let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
                s.id == *stream
            })?;
            let (i, e) = find(
                &s.edges,
                &format!("edge {from:?} -> {to:?} in stream {stream:?}"),
                |e| e.from == *from && e.to == *to,
            )?;
            Ok(vec![Delta::Edge {
                stream: stream.clone(),
                before: placed(i, e),
                after: None,
            }])
        }
        Command::AddPbc { pbc } => {
            let mut pbc = pbc.clone();
            if pbc.id.is_empty() {
                pbc.id = fresh_id(&pbc.name, "pbc", model.pbcs.iter().map(|p| p.id.as_str()));
            }
            if model.pbc(&pbc.id).is_some() {
                return Err(Error::Conflict(format!(
                    "a PBC with id {:?} already exists",
                    pbc.id
                )));
            }
            let i = model.pbcs.len();
            check(|r| validate::check_pbc(r, &format!("pbcs[{i}]"), &pbc))?;
            Ok(vec![Delta::Pbc {
                before: None,
                after: placed(i, &pbc),
            }])
        }
        Command::UpdatePbc { pbc } => {
            let (i, old) = find(&model.pbcs, &format!("PBC {:?}", pbc.id), |p| {
                p.id == pbc.id
            })?;
            check(|r| validate::check_pbc(r, &format!("pbcs[{i}]"), pbc))?;
            Ok(vec![Delta::Pbc {
                before: placed(i, old),
                after: placed(i, pbc),
            }])
        }
        Command::DeletePbc { id } => plan_delete_pbc(model, id),
        Command::Assign { assignment } => {
            let a = assignment;
            if model.assignments.iter().any(|x| x.key() == a.key()) {
                return Err(Error::Conflict(format!(
                    "PBC {:?} already serves stage {:?} of stream {:?}",
                    a.pbc, a.stage, a.stream
                )));
            }
            let i = model.assignments.len();
            check(|r| {
                validate::check_assignment(
                    r,
                    &format!("assignments[{i}]"),
                    a,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Assignment {
                before: None,
                after: placed(i, a),
            }])
        }
        Command::UpdateAssignment { assignment } => {
            let a = assignment;
            let (i, old) = find(
                &model.assignments,
                &format!(
                    "assignment of PBC {:?} to stage {:?} of stream {:?}",
                    a.pbc, a.stage, a.stream
                ),
                |x| x.key() == a.key(),
            )?;
            check(|r| {
                validate::check_assignment(
                    r,
                    &format!("assignments[{i}]"),
                    a,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Assignment {
                before: placed(i, old),
                after: placed(i, a),
            }])
        }
        Command::Unassign { pbc, stream, stage } => {
            let (i, old) = find(
                &model.assignments,
                &format!("assignment of PBC {pbc:?} to stage {stage:?} of stream {stream:?}"),
                |x| x.key() == (pbc.as_str(), stream.as_str(), stage.as_str()),
            )?;
            Ok(vec![Delta::Assignment {
                before: placed(i, old),
                after: None,
            }])
        }
        Command::MoveAssignment {
            pbc,
            stream,
            from_stage,
            to_stream,
            to_stage,
        } => {
            let (i, old) = find(
                &model.assignments,
                &format!("assignment of PBC {pbc:?} to stage {from_stage:?} of stream {stream:?}"),
                |x| x.key() == (pbc.as_str(), stream.as_str(), from_stage.as_str()),
            )?;
            if model
                .assignments
                .iter()
                .any(|x| x.key() == (pbc.as_str(), to_stream.as_str(), to_stage.as_str()))
            {
                return Err(Error::Conflict(format!(
                    "PBC {pbc:?} already serves stage {to_stage:?} of stream {to_stream:?}"
                )));
            }
            let mut moved = old.clone();
            moved.stream = to_stream.clone();
            moved.stage = to_stage.clone();
            check(|r| validate::check_assignment(r, "assignment", &moved, &Index::direct(model)))?;
            Ok(vec![
                Delta::Assignment {
                    before: placed(i, old),
                    after: None,
                },
                Delta::Assignment {
                    before: None,
                    after: placed(i, &moved),
                },
            ])
        }
        Command::AddIntegration { integration } => {
            let mut x = integration.clone();
            if x.id.is_empty() {
                x.id = fresh_id(
                    &format!("{}-{}", x.from, x.to),
                    "integration",
                    model.integrations.iter().map(|i| i.id.as_str()),
                );
            }
            if model.integrations.iter().any(|i| i.id == x.id) {
                return Err(Error::Conflict(format!(
                    "an integration with id {:?} already exists",
                    x.id
                )));
            }
            let i = model.integrations.len();
            check(|r| {
                validate::check_integration(
                    r,
                    &format!("integrations[{i}]"),
                    &x,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Integration {
                before: None,
                after: placed(i, &x),
            }])
        }
        Command::UpdateIntegration { integration } => {
            let (i, old) = find(
                &model.integrations,
                &format!("integration {:?}", integration.id),
                |x| x.id == integration.id,
            )?;
            check(|r| {
                validate::check_integration(
                    r,
                    &format!("integrations[{i}]"),
                    integration,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Integration {
                before: placed(i, old),
                after: placed(i, integration),
            }])
        }
        Command::DeleteIntegration { id } => {
            let (i, old) = find(&model.integrations, &format!("integration {id:?}"), |x| {
                x.id == *id
            })?;
            Ok(vec![Delta::Integration {
                before: placed(i, old),
                after: None,
            }])
        }
        Command::AddScenario { scenario } => {
            let mut s = scenario.clone();
            if s.id.is_empty() {
                s.id = fresh_id(
                    &s.name,
                    "scenario",
                    model.scenarios.iter().map(|x| x.id.as_str()),
                );
            }
            if model.scenario(&s.id).is_some() {
                return Err(Error::Conflict(format!(
                    "a scenario with id {:?} already exists",
                    s.id
                )));
            }
            let i = model.scenarios.len();
            check(|r| {
                validate::check_scenario(r, &format!("scenarios[{i}]"), &s, &Index::direct(model))
            })?;
            Ok(vec![Delta::Scenario {
                before: None,
                after: placed(i, &s),
            }])
        }
        Command::UpdateScenario { scenario } => {
            let (i, old) = find(
                &model.scenarios,
                &format!("scenario {:?}", scenario.id),
                |x| x.id == scenario.id,
            )?;
            check(|r| {
                validate::check_scenario(
                    r,
                    &format!("scenarios[{i}]"),
                    scenario,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Scenario {
                before: placed(i, old),
                after: placed(i, scenario),
            }])
        }
        Command::DeleteScenario { id } => {
            let (i, old) = find(&model.scenarios, &format!("scenario {id:?}"), |x| {
                x.id == *id
            })?;
            Ok(vec![Delta::Scenario {
                before: placed(i, old),
                after: None,
            }])
        }
        Command::AddInitiative { initiative } => {
            let mut x = initiative.clone();
            if x.id.is_empty() {
                x.id = fresh_id(
                    &x.name,
                    "initiative",
                    model.initiatives.iter().map(|i| i.id.as_str()),
                );
            }
            if model.initiatives.iter().any(|i| i.id == x.id) {
                return Err(Error::Conflict(format!(
                    "an initiative with id {:?} already exists",
                    x.id
                )));
            }
            let i = model.initiatives.len();
            check(|r| {
                validate::check_initiative(
                    r,
                    &format!("initiatives[{i}]"),
                    &x,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Initiative {
                before: None,
                after: placed(i, &x),
            }])
        }
        Command::UpdateInitiative { initiative } => {
            let (i, old) = find(
                &model.initiatives,
                &format!("initiative {:?}", initiative.id),
                |x| x.id == initiative.id,
            )?;
            check(|r| {
                validate::check_initiative(
                    r,
                    &format!("initiatives[{i}]"),
                    initiative,
                    &Index::direct(model),
                )
            })?;
            Ok(vec![Delta::Initiative {
                before: placed(i, old),
                after: placed(i, initiative),
            }])
        }
        Command::DeleteInitiative { id } => {
            let (i, old) = find(&model.initiatives, &format!("initiative {id:?}"), |x| {
                x.id == *id
            })?;
            Ok(vec![Delta::Initiative {
                before: placed(i, old),
                after: None,
            }])
        }
        Command::UpsertChange { scenario, change } => {
            let (i, old) = find(&model.scenarios, &format!("scenario {scenario:?}"), |x| {
                x.id == *scenario
            })?;
            let mut new = old.clone();
            merge_change(&mut new.changes, change.clone());
            check(|r| {
                validate::check_scenario(r, &format!("scenarios[{i}]"), &new, &Index::direct(model))
            })?;
            Ok(vec![Delta::Scenario {
                before: placed(i, old),
                after: placed(i, &new),
            }])
        }
        Command::RemoveChange { scenario, index } => {
            let (i, old) = find(&model.scenarios, &format!("scenario {scenario:?}"), |x| {
                x.id == *scenario
            })?;
            if *index as usize >= old.changes.len() {
                return Err(Error::NotFound(format!(
                    "change {} of scenario {scenario:?} (it has {})",
                    index + 1,
                    old.changes.len()
                )));
            }
            let mut new = old.clone();
            new.changes.remove(*index as usize);
            Ok(vec![Delta::Scenario {
                before: placed(i, old),
                after: placed(i, &new),
            }])
        }
        Command::Batch { commands, .. } => {
            // Each command is planned against the model as the ones before it left it.
            let mut scratch = model.clone();
            let mut out = Vec::new();
            for c in commands {
                let deltas = plan(&scratch, c)?;
                apply(&mut scratch, &deltas)?;
                out.extend(deltas);
            }
            Ok(out)
        }
    }
}

/// Adds `change` to a scenario's list, merging it with the change for the same thing.
pub fn merge_change(changes: &mut Vec<Change>, change: Change) {
    fn set<T: Copy>(slot: &mut Option<T>, v: Option<T>) {
        if v.is_some() {
            *slot = v;
        }
    }
    match change {
        Change::SetStage {
            stream,
            stage,
            process_time,
            wait_time,
            pca,
            capacity,
        } => {
            for c in changes.iter_mut() {
                if let Change::SetStage {
                    stream: s,
                    stage: st,
                    process_time: p,
                    wait_time: w,
                    pca: q,
                    capacity: k,
                } = c
                    && *s == stream
                    && *st == stage
                {
                    set(p, process_time);
                    set(w, wait_time);
                    set(q, pca);
                    set(k, capacity);
                    return;
                }
            }
            changes.push(Change::SetStage {
                stream,
                stage,
                process_time,
                wait_time,
                pca,
                capacity,
            });
        }
        Change::SetStream {
            stream,
            demand_per_week,
            cost_of_delay_per_week,
        } => {
            for c in changes.iter_mut() {
                if let Change::SetStream {
                    stream: s,
                    demand_per_week: d,
                    cost_of_delay_per_week: k,
                } = c
                    && *s == stream
                {
                    set(d, demand_per_week);
                    set(k, cost_of_delay_per_week);
                    return;
                }
            }
            changes.push(Change::SetStream {
                stream,
                demand_per_week,
                cost_of_delay_per_week,
            });
        }
        Change::AssignPbc {
            ref pbc,
            ref stream,
            ref stage,
            ..
        }
        | Change::UnassignPbc {
            ref pbc,
            ref stream,
            ref stage,
        } => {
            // The last word on one PBC at one stage wins: assigning cancels a removal and
            // removing cancels an addition.
            let key = (pbc.clone(), stream.clone(), stage.clone());
            let same = |c: &Change| match c {
                Change::AssignPbc {
                    pbc, stream, stage, ..
                }
                | Change::UnassignPbc { pbc, stream, stage } => {
                    (pbc, stream, stage) == (&key.0, &key.1, &key.2)
                }
                _ => false,
            };
            let had = changes.iter().position(same);
            let cancels = matches!(
                (had.map(|i| &changes[i]), &change),
                (Some(Change::AssignPbc { .. }), Change::UnassignPbc { .. })
                    | (Some(Change::UnassignPbc { .. }), Change::AssignPbc { .. })
            );
            match had {
                Some(i) if cancels && matches!(change, Change::UnassignPbc { .. }) => {
                    changes.remove(i);
                }
                Some(i) => changes[i] = change,
                None => changes.push(change),
            }
        }
        Change::SwapPbc {
            ref from,
            ref stream,
            ..
        } => {
            match changes.iter().position(|c| {
                matches!(c, Change::SwapPbc { from: f, stream: s, .. } if f == from && s == stream)
            }) {
                Some(i) => changes[i] = change,
                None => changes.push(change),
            }
        }
        Change::SetPbcRunCost { ref pbc, .. } => {
            match changes
                .iter()
                .position(|c| matches!(c, Change::SetPbcRunCost { pbc: p, .. } if p == pbc))
            {
                Some(i) => changes[i] = change,
                None => changes.push(change),
            }
        }
        Change::Investment { ref name, .. } => {
            match changes
                .iter()
                .position(|c| matches!(c, Change::Investment { name: n, .. } if n == name))
            {
                Some(i) => changes[i] = change,
                None => changes.push(change),
            }
        }
    }
}

fn plan_add_stream(model: &Model, stream: &Stream, index: Option<u32>) -> Result<Vec<Delta>> {
    let mut s = stream.clone();
    if s.id.is_empty() {
        s.id = fresh_id(
            &s.name,
            "stream",
            model.streams.iter().map(|x| x.id.as_str()),
        );
    }
    if model.stream(&s.id).is_some() {
        return Err(Error::Conflict(format!(
            "a stream with id {:?} already exists",
            s.id
        )));
    }
    let at = index.map_or(model.streams.len(), |i| {
        (i as usize).min(model.streams.len())
    });
    check(|r| validate::check_stream(r, &format!("streams[{at}]"), &s))?;
    let mut out = vec![Delta::Stream {
        before: None,
        after: placed(at, &s.header()),
    }];
    for (i, st) in s.stages.iter().enumerate() {
        out.push(Delta::Stage {
            stream: s.id.clone(),
            before: None,
            after: placed(i, st),
        });
    }
    for (i, e) in s.edges.iter().enumerate() {
        out.push(Delta::Edge {
            stream: s.id.clone(),
            before: None,
            after: placed(i, e),
        });
    }
    Ok(out)
}

/// Deltas that drop every scenario change for which `hits` is true.
fn prune_scenarios(model: &Model, hits: impl Fn(&Change) -> bool) -> Vec<Delta> {
    model
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| s.changes.iter().any(&hits))
        .map(|(i, s)| {
            let mut kept = s.clone();
            kept.changes.retain(|c| !hits(c));
            Delta::Scenario {
                before: placed(i, s),
                after: placed(i, &kept),
            }
        })
        .collect()
}

/// Deltas deleting the assignments for which `hits` is true, last first so indices hold.
fn drop_assignments(model: &Model, hits: impl Fn(&Assignment) -> bool) -> Vec<Delta> {
    model
        .assignments
        .iter()
        .enumerate()
        .filter(|(_, a)| hits(a))
        .rev()
        .map(|(i, a)| Delta::Assignment {
            before: placed(i, a),
            after: None,
        })
        .collect()
}

fn plan_delete_stream(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let (si, s) = find(&model.streams, &format!("stream {id:?}"), |s| s.id == id)?;
    let mut out = drop_assignments(model, |a| a.stream == id);
    out.extend(prune_scenarios(model, |c| change_stream(c) == Some(id)));
    for (i, x) in model.initiatives.iter().enumerate() {
        if x.stream.as_deref() == Some(id) {
            let mut y = x.clone();
            y.stream = None;
            out.push(Delta::Initiative {
                before: placed(i, x),
                after: placed(i, &y),
            });
        }
    }
    for (i, e) in s.edges.iter().enumerate().rev() {
        out.push(Delta::Edge {
            stream: id.to_owned(),
            before: placed(i, e),
            after: None,
        });
    }
    for (i, st) in s.stages.iter().enumerate().rev() {
        out.push(Delta::Stage {
            stream: id.to_owned(),
            before: placed(i, st),
            after: None,
        });
    }
    out.push(Delta::Stream {
        before: placed(si, &s.header()),
        after: None,
    });
    Ok(out)
}

/// The stream a scenario change acts on, where it names one.
fn change_stream(c: &Change) -> Option<&str> {
    match c {
        Change::SwapPbc { stream, .. } => stream.as_deref(),
        Change::AssignPbc { stream, .. }
        | Change::UnassignPbc { stream, .. }
        | Change::SetStage { stream, .. }
        | Change::SetStream { stream, .. } => Some(stream),
        Change::SetPbcRunCost { .. } | Change::Investment { .. } => None,
    }
}

fn change_stage(c: &Change) -> Option<(&str, &str)> {
    match c {
        Change::AssignPbc { stream, stage, .. }
        | Change::UnassignPbc { stream, stage, .. }
        | Change::SetStage { stream, stage, .. } => Some((stream, stage)),
        _ => None,
    }
}

fn change_pbcs(c: &Change) -> Vec<&str> {
    match c {
        Change::SwapPbc { from, to, .. } => vec![from, to],
        Change::AssignPbc { pbc, .. }
        | Change::UnassignPbc { pbc, .. }
        | Change::SetPbcRunCost { pbc, .. } => vec![pbc],
        _ => vec![],
    }
}

fn plan_add_stage(
    model: &Model,
    stream: &str,
    stage: &Stage,
    index: Option<u32>,
    connect_from: Option<&str>,
) -> Result<Vec<Delta>> {
    let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
        s.id == stream
    })?;
    let mut st = stage.clone();
    if st.id.is_empty() {
        st.id = fresh_id(&st.name, "stage", s.stages.iter().map(|x| x.id.as_str()));
    }
    if s.stage(&st.id).is_some() {
        return Err(Error::Conflict(format!(
            "a stage with id {:?} already exists in stream {stream:?}",
            st.id
        )));
    }
    let at = index.map_or(s.stages.len(), |i| (i as usize).min(s.stages.len()));
    check(|r| validate::check_stage(r, &format!("stages[{at}]"), stream, &st))?;
    let mut out = vec![Delta::Stage {
        stream: stream.to_owned(),
        before: None,
        after: placed(at, &st),
    }];
    if let Some(from) = connect_from
        && !s.edges.is_empty()
    {
        if s.stage(from).is_none() {
            return Err(Error::NotFound(format!(
                "stage {from:?} in stream {stream:?}"
            )));
        }
        out.push(Delta::Edge {
            stream: stream.to_owned(),
            before: None,
            after: placed(
                s.edges.len(),
                &Edge {
                    from: from.to_owned(),
                    to: st.id.clone(),
                },
            ),
        });
    }
    Ok(out)
}

fn plan_delete_stage(model: &Model, stream: &str, id: &str) -> Result<Vec<Delta>> {
    let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
        s.id == stream
    })?;
    let (i, st) = find(
        &s.stages,
        &format!("stage {id:?} in stream {stream:?}"),
        |x| x.id == id,
    )?;
    let mut out = drop_assignments(model, |a| a.stream == stream && a.stage == id);
    out.extend(prune_scenarios(model, |c| {
        change_stage(c) == Some((stream, id))
    }));
    if !s.edges.is_empty() {
        let preds: Vec<&str> = s
            .edges
            .iter()
            .filter(|e| e.to == id)
            .map(|e| e.from.as_str())
            .collect();
        let succs: Vec<&str> = s
            .edges
            .iter()
            .filter(|e| e.from == id)
            .map(|e| e.to.as_str())
            .collect();
        let mut kept: Vec<Edge> = s
            .edges
            .iter()
            .filter(|e| e.from != id && e.to != id)
            .cloned()
            .collect();
        for (k, e) in s.edges.iter().enumerate().rev() {
            if e.from == id || e.to == id {
                out.push(Delta::Edge {
                    stream: stream.to_owned(),
                    before: placed(k, e),
                    after: None,
                });
            }
        }
        // Bridge the gap so the flow stays whole.
        for p in &preds {
            for q in &succs {
                let e = Edge {
                    from: (*p).to_owned(),
                    to: (*q).to_owned(),
                };
                if !kept.contains(&e) {
                    out.push(Delta::Edge {
                        stream: stream.to_owned(),
                        before: None,
                        after: placed(kept.len(), &e),
                    });
                    kept.push(e);
                }
            }
        }
    }
    out.push(Delta::Stage {
        stream: stream.to_owned(),
        before: placed(i, st),
        after: None,
    });
    Ok(out)
}

fn plan_connect(model: &Model, stream: &str, from: &str, to: &str) -> Result<Vec<Delta>> {
    let (_, s) = find(&model.streams, &format!("stream {stream:?}"), |s| {
        s.id == stream
    })?;
    for id in [from, to] {
        if s.stage(id).is_none() {
            return Err(Error::NotFound(format!(
                "stage {id:?} in stream {stream:?}"
            )));
        }
    }
    let new = Edge {
        from: from.to_owned(),
        to: to.to_owned(),
    };
    let mut edges = s.edges.clone();
    let mut out = Vec::new();
    if edges.is_empty() {
        // The stream was an implicit line: make the line explicit first, so that adding a
        // branch does not silently cut the rest of the flow apart.
        for w in s.stages.windows(2) {
            let e = Edge {
                from: w[0].id.clone(),
                to: w[1].id.clone(),
            };
            out.push(Delta::Edge {
                stream: stream.to_owned(),
                before: None,
                after: placed(edges.len(), &e),
            });
            edges.push(e);
        }
    }
    if edges.contains(&new) {
        if out.is_empty() {
            return Err(Error::Conflict(format!(
                "stage {from:?} already flows into {to:?}"
            )));
        }
        return Ok(out);
    }
    edges.push(new.clone());
    let mut probe = s.clone();
    probe.edges = edges;
    Flow::of(&probe)?;
    out.push(Delta::Edge {
        stream: stream.to_owned(),
        before: None,
        after: placed(probe.edges.len() - 1, &new),
    });
    Ok(out)
}

fn plan_delete_pbc(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let (i, p) = find(&model.pbcs, &format!("PBC {id:?}"), |p| p.id == id)?;
    let mut out = drop_assignments(model, |a| a.pbc == id);
    for (k, x) in model.integrations.iter().enumerate().rev() {
        if x.from == id || x.to == id {
            out.push(Delta::Integration {
                before: placed(k, x),
                after: None,
            });
        }
    }
    out.extend(prune_scenarios(model, |c| change_pbcs(c).contains(&id)));
    out.push(Delta::Pbc {
        before: placed(i, p),
        after: None,
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::from_json;

    fn model() -> Model {
        from_json(
            r#"{"format":"tributary/1","name":"m","streams":[{"id":"s","name":"S",
            "demand_per_week":10,"cost_of_delay_per_week":100,"stages":[
              {"id":"a","name":"A","process_time":1,"wait_time":2},
              {"id":"b","name":"B","process_time":1,"wait_time":2},
              {"id":"c","name":"C","process_time":1,"wait_time":2}]}],
            "pbcs":[{"id":"p","name":"P"},{"id":"q","name":"Q"}],
            "assignments":[{"pbc":"p","stream":"s","stage":"b","wait_time":5}],
            "integrations":[{"id":"i","from":"p","to":"q","style":"events"}],
            "scenarios":[{"id":"x","name":"X","changes":[
              {"kind":"swap_pbc","from":"p","to":"q"},
              {"kind":"set_stage","stream":"s","stage":"b","wait_time":0},
              {"kind":"investment","name":"build","amount":10}]}]}"#,
        )
        .unwrap()
    }

    /// Applies a command, checks the result is valid, undoes it, and checks the model is back.
    fn round_trip(cmd: Command) -> Model {
        let original = model();
        let mut m = original.clone();
        let deltas = plan(&m, &cmd).unwrap();
        apply(&mut m, &deltas).unwrap();
        crate::validate::ensure_valid(&m).unwrap();
        let after = m.clone();
        apply(&mut m, &invert(&deltas)).unwrap();
        assert_eq!(m, original, "undo of {cmd:?}");
        apply(&mut m, &deltas).unwrap();
        assert_eq!(m, after, "redo of {cmd:?}");
        after
    }

    fn stage(id: &str) -> Stage {
        Stage {
            id: id.into(),
            name: format!("Stage {id}"),
            process_time: 1.0,
            wait_time: 1.0,
            pca: 1.0,
            capacity: None,
            team: None,
            position: None,
            uncertainty: None,
        }
    }

    #[test]
    fn add_stage_at_an_index_and_undo() {
        let m = round_trip(Command::AddStage {
            stream: "s".into(),
            stage: stage("n"),
            index: Some(1),
            connect_from: None,
        });
        let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "n", "b", "c"]);
    }

    #[test]
    fn an_empty_id_is_made_from_the_name() {
        let mut st = stage("");
        st.name = "Credit Scoring & KYC".into();
        let m = round_trip(Command::AddStage {
            stream: "s".into(),
            stage: st,
            index: None,
            connect_from: None,
        });
        assert_eq!(m.streams[0].stages[3].id, "credit-scoring-kyc");
    }

    #[test]
    fn delete_stage_takes_its_assignments_and_scenario_changes_along() {
        let m = round_trip(Command::DeleteStage {
            stream: "s".into(),
            id: "b".into(),
        });
        assert!(m.assignments.is_empty());
        assert_eq!(m.scenarios[0].changes.len(), 2);
    }

    #[test]
    fn delete_pbc_takes_assignments_integrations_and_changes_along() {
        let m = round_trip(Command::DeletePbc { id: "p".into() });
        assert!(m.assignments.is_empty());
        assert!(m.integrations.is_empty());
        assert_eq!(m.scenarios[0].changes.len(), 2);
    }

    #[test]
    fn delete_stream_and_undo_restores_everything() {
        let m = round_trip(Command::DeleteStream { id: "s".into() });
        assert!(m.streams.is_empty());
        assert!(m.assignments.is_empty());
        // the set_stage on stream s goes; the swap and the investment name no stream
        assert_eq!(m.scenarios[0].changes.len(), 2);
    }

    #[test]
    fn the_first_connection_makes_the_line_explicit() {
        let m = round_trip(Command::Connect {
            stream: "s".into(),
            from: "a".into(),
            to: "c".into(),
        });
        let edges: Vec<(String, String)> = m.streams[0]
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        assert_eq!(
            edges,
            vec![
                ("a".into(), "b".into()),
                ("b".into(), "c".into()),
                ("a".into(), "c".into())
            ]
        );
    }

    #[test]
    fn a_connection_that_closes_a_loop_is_refused() {
        let m = model();
        let err = plan(
            &m,
            &Command::Connect {
                stream: "s".into(),
                from: "c".into(),
                to: "a".into(),
            },
        )
        .unwrap_err();
        assert!(matches!(err, Error::Cycle { .. }), "{err}");
    }

    #[test]
    fn deleting_a_middle_stage_bridges_the_flow() {
        let mut m = model();
        // connecting a -> b makes the line a -> b -> c explicit
        let d = plan(
            &m,
            &Command::Connect {
                stream: "s".into(),
                from: "a".into(),
                to: "b".into(),
            },
        )
        .unwrap();
        apply(&mut m, &d).unwrap();
        assert_eq!(m.streams[0].edges.len(), 2);
        let d = plan(
            &m,
            &Command::DeleteStage {
                stream: "s".into(),
                id: "b".into(),
            },
        )
        .unwrap();
        apply(&mut m, &d).unwrap();
        assert_eq!(
            m.streams[0].edges,
            vec![Edge {
                from: "a".into(),
                to: "c".into()
            }]
        );
    }

    #[test]
    fn invalid_values_are_refused_before_anything_changes() {
        let m = model();
        let mut st = stage("b");
        st.wait_time = -1.0;
        let err = plan(
            &m,
            &Command::UpdateStage {
                stream: "s".into(),
                stage: st,
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("wait_time is -1"), "{err}");
    }

    #[test]
    fn update_stream_keeps_stages_and_moves_keep_data() {
        let mut s = model().streams[0].header();
        s.name = "Renamed".into();
        let m = round_trip(Command::UpdateStream { stream: s });
        assert_eq!(m.streams[0].name, "Renamed");
        assert_eq!(m.streams[0].stages.len(), 3);
        let m = round_trip(Command::MoveStage {
            stream: "s".into(),
            id: "a".into(),
            index: 2,
        });
        let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["b", "c", "a"]);
    }

    #[test]
    fn move_assignment_keeps_its_times() {
        let m = round_trip(Command::MoveAssignment {
            pbc: "p".into(),
            stream: "s".into(),
            from_stage: "b".into(),
            to_stream: "s".into(),
            to_stage: "c".into(),
        });
        assert_eq!(m.assignments[0].stage, "c");
        assert_eq!(m.assignments[0].wait_time, 5.0);
    }

    #[test]
    fn a_batch_is_one_step_and_plans_in_order() {
        let mut b = stage("");
        b.name = "New".into();
        let m = round_trip(Command::Batch {
            label: "Calibrate".into(),
            commands: vec![
                Command::AddStage {
                    stream: "s".into(),
                    stage: b,
                    index: None,
                    connect_from: None,
                },
                // refers to the stage the first command made
                Command::DeleteStage {
                    stream: "s".into(),
                    id: "new".into(),
                },
                Command::DeleteStage {
                    stream: "s".into(),
                    id: "a".into(),
                },
            ],
        });
        let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["b", "c"]);
    }

    #[test]
    fn scenario_changes_merge_per_thing() {
        let set = |w: Option<f64>, p: Option<f64>| Change::SetStage {
            stream: "s".into(),
            stage: "b".into(),
            process_time: p,
            wait_time: w,
            pca: None,
            capacity: None,
        };
        let m = round_trip(Command::UpsertChange {
            scenario: "x".into(),
            change: set(None, Some(0.5)),
        });
        // merged into the existing set_stage on b: its wait stays 0, process becomes 0.5
        assert_eq!(m.scenarios[0].changes.len(), 3);
        assert_eq!(m.scenarios[0].changes[1], set(Some(0.0), Some(0.5)));

        let mut changes = vec![];
        let assign = Change::AssignPbc {
            pbc: "q".into(),
            stream: "s".into(),
            stage: "a".into(),
            process_time: 0.0,
            wait_time: 1.0,
        };
        let unassign = Change::UnassignPbc {
            pbc: "q".into(),
            stream: "s".into(),
            stage: "a".into(),
        };
        merge_change(&mut changes, assign.clone());
        merge_change(&mut changes, unassign.clone());
        assert!(
            changes.is_empty(),
            "removing what the scenario added cancels it"
        );
        merge_change(&mut changes, unassign.clone());
        merge_change(&mut changes, assign.clone());
        assert_eq!(changes, vec![assign]);
    }

    #[test]
    fn remove_change_checks_the_index() {
        let m = round_trip(Command::RemoveChange {
            scenario: "x".into(),
            index: 0,
        });
        assert_eq!(m.scenarios[0].changes.len(), 2);
        let err = plan(
            &model(),
            &Command::RemoveChange {
                scenario: "x".into(),
                index: 9,
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("it has 3"), "{err}");
    }

    #[test]
    fn fresh_ids_are_unique() {
        let taken = ["intake", "intake-2"];
        assert_eq!(fresh_id("Intake", "stage", taken.into_iter()), "intake-3");
        assert_eq!(fresh_id("  ", "stage", taken.into_iter()), "stage");
    }
}
