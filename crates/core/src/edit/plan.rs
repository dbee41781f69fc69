//! Planning: a command checked against the model and turned into deltas. The plain adds,
//! updates, moves and deletes are generic over [`Entity`]; what a command does beyond them
//! (cascades, keeping a flow whole) is spelled out per command.

use std::collections::HashSet;

use super::{Command, Delta, apply};
use crate::entity::{Entity, Identified, Key};
use crate::error::{Error, Result};
use crate::graph::Flow;
use crate::model::*;
use crate::validate::{self, Index, Report};

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
        Command::AddStream { stream, index } => add_stream(model, stream, *index),
        Command::UpdateStream { stream } => update_stream(model, stream),
        Command::DeleteStream { id } => delete_stream(model, id),
        Command::MoveStream { id, index } => {
            let (i, old) = find::<Stream>(model, None, [id, "", ""])?;
            let to = (*index as usize).min(model.streams.len() - 1);
            let header = old.header();
            Ok(vec![Delta::of(
                None,
                Some((i, &header)),
                Some((to, &header)),
            )])
        }
        Command::AddStage {
            stream,
            stage,
            index,
            connect_from,
        } => add_stage(model, stream, stage, *index, connect_from.as_deref()),
        Command::UpdateStage { stream, stage } => update(model, Some(stream), stage),
        Command::DeleteStage { stream, id } => delete_stage(model, stream, id),
        Command::MoveStage { stream, id, index } => {
            moved::<Stage>(model, Some(stream), [id, "", ""], *index)
        }
        Command::SetPositions { stream, positions } => set_positions(model, stream, positions),
        Command::Connect { stream, from, to } => connect(model, stream, from, to),
        Command::Disconnect { stream, from, to } => {
            Ok(vec![removed::<Edge>(model, Some(stream), [from, to, ""])?])
        }
        Command::AddPbc { pbc } => add(model, None, pbc, None),
        Command::UpdatePbc { pbc } => update(model, None, pbc),
        Command::DeletePbc { id } => delete_pbc(model, id),
        Command::Assign { assignment } => assign(model, assignment),
        Command::UpdateAssignment { assignment } => update(model, None, assignment),
        Command::Unassign { pbc, stream, stage } => Ok(vec![removed::<Assignment>(
            model,
            None,
            [pbc, stream, stage],
        )?]),
        Command::MoveAssignment {
            pbc,
            stream,
            from_stage,
            to_stream,
            to_stage,
        } => move_assignment(model, [pbc, stream, from_stage], to_stream, to_stage),
        Command::AddIntegration { integration } => add(model, None, integration, None),
        Command::UpdateIntegration { integration } => update(model, None, integration),
        Command::DeleteIntegration { id } => delete_integration(model, id),
        Command::AddScenario { scenario } => add(model, None, scenario, None),
        Command::UpdateScenario { scenario } => update(model, None, scenario),
        Command::DeleteScenario { id } => delete_scenario(model, id),
        Command::AddInitiative { initiative } => add(model, None, initiative, None),
        Command::UpdateInitiative { initiative } => update(model, None, initiative),
        Command::DeleteInitiative { id } => {
            Ok(vec![removed::<Initiative>(model, None, [id, "", ""])?])
        }
        Command::UpsertChange { scenario, change } => upsert_change(model, scenario, change),
        Command::RemoveChange { scenario, index } => remove_change(model, scenario, *index),
        Command::SetMapping { stream, mapping } => set_mapping(model, stream, mapping),
        Command::ConvertTimeUnit { time_unit } => Ok(super::convert::plan(model, *time_unit)),
        Command::Batch { commands, .. } => batch(model, commands),
    }
}

/// Each command is planned against the model as the ones before it left it.
fn batch(model: &Model, commands: &[Command]) -> Result<Vec<Delta>> {
    let mut scratch = model.clone();
    let mut out = Vec::new();
    for c in commands {
        let deltas = plan(&scratch, c)?;
        apply(&mut scratch, &deltas)?;
        out.extend(deltas);
    }
    Ok(out)
}

// ---- generic steps ------------------------------------------------------------------------

fn check(f: impl FnOnce(&mut Report)) -> Result<()> {
    let mut r = Report::default();
    f(&mut r);
    r.into_result().map(|_| ())
}

/// The list of `T` (the model's, or a stream's), or the stream that does not exist.
fn list<'m, T: Entity>(model: &'m Model, stream: Option<&str>) -> Result<&'m Vec<T>> {
    T::list(model, stream)
        .ok_or_else(|| Error::NotFound(format!("stream {:?}", stream.unwrap_or_default())))
}

/// The item `key` names, with its index.
fn find<'m, T: Entity>(
    model: &'m Model,
    stream: Option<&str>,
    key: Key<'_>,
) -> Result<(usize, &'m T)> {
    list::<T>(model, stream)?
        .iter()
        .enumerate()
        .find(|(_, x)| x.key() == key)
        .ok_or_else(|| Error::NotFound(T::describe(key, stream)))
}

fn path<T: Entity>(index: usize) -> String {
    format!("{}[{index}]", T::LIST)
}

fn article(kind: &str) -> &'static str {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// Makes an id for an item that has none, unique in its list.
fn with_id<T: Identified>(list: &[T], item: &T) -> T {
    let mut x = item.clone();
    if x.id().is_empty() {
        *x.id_mut() = fresh_id(&x.id_source(), T::FALLBACK, list.iter().map(|i| i.id()));
    }
    x
}

fn refuse_taken<T: Identified>(list: &[T], x: &T, stream: Option<&str>) -> Result<()> {
    if list.iter().any(|i| i.id() == x.id()) {
        let place = stream.map_or(String::new(), |s| format!(" in stream {s:?}"));
        return Err(Error::Conflict(format!(
            "{} {} with id {:?} already exists{place}",
            article(T::KIND),
            T::KIND,
            x.id()
        )));
    }
    Ok(())
}

/// Adds an item at `index` of its list (the end by default), making its id if it has none.
fn add<T: Identified>(
    model: &Model,
    stream: Option<&str>,
    item: &T,
    index: Option<u32>,
) -> Result<Vec<Delta>> {
    let items = list::<T>(model, stream)?;
    let x = with_id(items, item);
    refuse_taken(items, &x, stream)?;
    let at = index.map_or(items.len(), |i| (i as usize).min(items.len()));
    check(|r| x.check(r, &path::<T>(at), &Index::direct(model), stream))?;
    Ok(vec![Delta::of(stream, None, Some((at, &x)))])
}

/// Replaces an item in place.
fn update<T: Entity>(model: &Model, stream: Option<&str>, item: &T) -> Result<Vec<Delta>> {
    let (i, old) = find::<T>(model, stream, item.key())?;
    check(|r| item.check(r, &path::<T>(i), &Index::direct(model), stream))?;
    Ok(vec![Delta::of(stream, Some((i, old)), Some((i, item)))])
}

/// Moves an item to `index` of its list (the last place at most).
fn moved<T: Entity>(
    model: &Model,
    stream: Option<&str>,
    key: Key<'_>,
    index: u32,
) -> Result<Vec<Delta>> {
    let len = list::<T>(model, stream)?.len();
    let (i, old) = find::<T>(model, stream, key)?;
    let to = (index as usize).min(len - 1);
    Ok(vec![Delta::of(stream, Some((i, old)), Some((to, old)))])
}

fn removed<T: Entity>(model: &Model, stream: Option<&str>, key: Key<'_>) -> Result<Delta> {
    let (i, old) = find::<T>(model, stream, key)?;
    Ok(Delta::of(stream, Some((i, old)), None))
}

/// Deltas deleting every item of a list for which `hits` is true, last first so that the
/// indices of the others hold.
fn remove_where<T: Entity>(
    list: &[T],
    stream: Option<&str>,
    hits: impl Fn(&T) -> bool,
) -> Vec<Delta> {
    list.iter()
        .enumerate()
        .filter(|(_, x)| hits(x))
        .rev()
        .map(|(i, x)| Delta::of(stream, Some((i, x)), None))
        .collect()
}

/// Deltas changing, in place, every item for which `change` returns a new version.
fn change_where<T: Entity>(list: &[T], change: impl Fn(&T) -> Option<T>) -> Vec<Delta> {
    list.iter()
        .enumerate()
        .filter_map(|(i, x)| change(x).map(|y| Delta::of(None, Some((i, x)), Some((i, &y)))))
        .collect()
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

// ---- streams ------------------------------------------------------------------------------

fn add_stream(model: &Model, stream: &Stream, index: Option<u32>) -> Result<Vec<Delta>> {
    let s = with_id(&model.streams, stream);
    refuse_taken(&model.streams, &s, None)?;
    let at = index.map_or(model.streams.len(), |i| {
        (i as usize).min(model.streams.len())
    });
    check(|r| validate::check_stream(r, &path::<Stream>(at), &s))?;
    let id = Some(s.id.as_str());
    let mut out = vec![Delta::of(None, None, Some((at, &s.header())))];
    out.extend(
        s.stages
            .iter()
            .enumerate()
            .map(|(i, st)| Delta::of(id, None, Some((i, st)))),
    );
    out.extend(
        s.edges
            .iter()
            .enumerate()
            .map(|(i, e)| Delta::of(id, None, Some((i, e)))),
    );
    Ok(out)
}

/// A stream's own fields change; the check sees them with the stream's stages and edges.
fn update_stream(model: &Model, stream: &Stream) -> Result<Vec<Delta>> {
    let (i, old) = find::<Stream>(model, None, stream.key())?;
    let header = stream.header();
    let mut probe = header.clone();
    probe.keep_from(old.clone());
    check(|r| validate::check_stream(r, &path::<Stream>(i), &probe))?;
    Ok(vec![Delta::of(
        None,
        Some((i, &old.header())),
        Some((i, &header)),
    )])
}

/// Deletes a stream with its assignments, mapping, the scenario changes on it and the link of
/// any initiative to it; integrations attached to it are detached.
fn delete_stream(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let (si, s) = find::<Stream>(model, None, [id, "", ""])?;
    let mut out = remove_where(&model.assignments, None, |a| a.stream == id);
    out.extend(prune_scenarios(model, |c| change_stream(c) == Some(id)));
    out.extend(change_where(&model.initiatives, |x| {
        (x.stream.as_deref() == Some(id)).then(|| Initiative {
            stream: None,
            ..x.clone()
        })
    }));
    out.extend(remove_where(&model.mappings, None, |m| m.stream == id));
    out.extend(detach_integrations(model, |at| {
        (at.stream == id).then_some(None)
    }));
    out.extend(remove_where(&s.edges, Some(id), |_| true));
    out.extend(remove_where(&s.stages, Some(id), |_| true));
    out.push(Delta::of(None, Some((si, &s.header())), None));
    Ok(out)
}

// ---- stages and edges ---------------------------------------------------------------------

fn add_stage(
    model: &Model,
    stream: &str,
    stage: &Stage,
    index: Option<u32>,
    connect_from: Option<&str>,
) -> Result<Vec<Delta>> {
    let (_, s) = find::<Stream>(model, None, [stream, "", ""])?;
    let st = with_id(&s.stages, stage);
    let mut out = add(model, Some(stream), &st, index)?;
    if let Some(from) = connect_from
        && !s.edges.is_empty()
    {
        find::<Stage>(model, Some(stream), [from, "", ""])?;
        let e = Edge {
            from: from.to_owned(),
            to: st.id.clone(),
        };
        out.push(Delta::of(Some(stream), None, Some((s.edges.len(), &e))));
    }
    Ok(out)
}

fn set_positions(
    model: &Model,
    stream: &str,
    positions: &[super::StagePosition],
) -> Result<Vec<Delta>> {
    find::<Stream>(model, None, [stream, "", ""])?;
    let mut out = Vec::new();
    for p in positions {
        if !(p.position.x.is_finite() && p.position.y.is_finite()) {
            return Err(Error::Conflict(format!(
                "position of stage {:?} is not a pair of numbers",
                p.id
            )));
        }
        let (i, old) = find::<Stage>(model, Some(stream), [&p.id, "", ""])?;
        let new = Stage {
            position: Some(p.position),
            ..old.clone()
        };
        out.push(Delta::of(Some(stream), Some((i, old)), Some((i, &new))));
    }
    Ok(out)
}

/// Deletes a stage with its assignments, the scenario changes and mapped statuses naming it;
/// integrations attached to it are detached; in a stream with edges, its predecessors are linked to its successors.
fn delete_stage(model: &Model, stream: &str, id: &str) -> Result<Vec<Delta>> {
    let (_, s) = find::<Stream>(model, None, [stream, "", ""])?;
    let (i, st) = find::<Stage>(model, Some(stream), [id, "", ""])?;
    let mut out = remove_where(&model.assignments, None, |a| {
        a.stream == stream && a.stage == id
    });
    out.extend(prune_scenarios(model, |c| {
        change_stage(c) == Some((stream, id))
    }));
    out.extend(change_where(&model.mappings, |m| {
        let stages = &m.mapping.stages;
        (m.stream == stream && stages.iter().any(|x| x.stage == id)).then(|| {
            let mut kept = m.clone();
            kept.mapping.stages.retain(|x| x.stage != id);
            kept
        })
    }));
    out.extend(detach_integrations(model, |at| {
        if at.stream != stream {
            None
        } else if at.stage == id {
            Some(None)
        } else {
            (at.after.as_deref() == Some(id)).then(|| {
                Some(IntegrationAt {
                    after: None,
                    ..at.clone()
                })
            })
        }
    }));
    if !s.edges.is_empty() {
        out.extend(bridge(s, id));
    }
    out.push(Delta::of(Some(stream), Some((i, st)), None));
    Ok(out)
}

/// The edges of stage `id` removed, and each predecessor linked to each successor so that
/// the flow stays whole.
fn bridge(s: &Stream, id: &str) -> Vec<Delta> {
    let stream = Some(s.id.as_str());
    let preds = s.edges.iter().filter(|e| e.to == id).map(|e| &e.from);
    let succs: Vec<&String> = s
        .edges
        .iter()
        .filter(|e| e.from == id)
        .map(|e| &e.to)
        .collect();
    let mut kept: Vec<Edge> = s
        .edges
        .iter()
        .filter(|e| e.from != id && e.to != id)
        .cloned()
        .collect();
    let mut out = remove_where(&s.edges, stream, |e| e.from == id || e.to == id);
    for p in preds {
        for q in &succs {
            let e = Edge {
                from: p.clone(),
                to: (*q).clone(),
            };
            if !kept.contains(&e) {
                out.push(Delta::of(stream, None, Some((kept.len(), &e))));
                kept.push(e);
            }
        }
    }
    out
}

fn connect(model: &Model, stream: &str, from: &str, to: &str) -> Result<Vec<Delta>> {
    let (_, s) = find::<Stream>(model, None, [stream, "", ""])?;
    for id in [from, to] {
        find::<Stage>(model, Some(stream), [id, "", ""])?;
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
            out.push(Delta::of(Some(stream), None, Some((edges.len(), &e))));
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
    out.push(Delta::of(
        Some(stream),
        None,
        Some((probe.edges.len() - 1, &new)),
    ));
    Ok(out)
}

// ---- PBCs and assignments -----------------------------------------------------------------

fn refuse_assigned(model: &Model, key: Key<'_>) -> Result<()> {
    if model.assignments.iter().any(|x| x.key() == key) {
        let [pbc, stream, stage] = key;
        return Err(Error::Conflict(format!(
            "PBC {pbc:?} already serves stage {stage:?} of stream {stream:?}"
        )));
    }
    Ok(())
}

fn assign(model: &Model, a: &Assignment) -> Result<Vec<Delta>> {
    refuse_assigned(model, a.key())?;
    let i = model.assignments.len();
    check(|r| a.check(r, &path::<Assignment>(i), &Index::direct(model), None))?;
    Ok(vec![Delta::of(None, None, Some((i, a)))])
}

/// Moves a PBC chip to another stage, keeping its times and its place in the list.
fn move_assignment(
    model: &Model,
    from: Key<'_>,
    to_stream: &str,
    to_stage: &str,
) -> Result<Vec<Delta>> {
    let (i, old) = find::<Assignment>(model, None, from)?;
    refuse_assigned(model, [&old.pbc, to_stream, to_stage])?;
    let moved = Assignment {
        stream: to_stream.to_owned(),
        stage: to_stage.to_owned(),
        ..old.clone()
    };
    check(|r| moved.check(r, "assignment", &Index::direct(model), None))?;
    Ok(vec![
        Delta::of(None, Some((i, old)), None),
        Delta::of(None, None, Some((i, &moved))),
    ])
}

/// Deletes a PBC with its assignments, integrations and the scenario changes naming it.
fn delete_pbc(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let (i, p) = find::<Pbc>(model, None, [id, "", ""])?;
    let mut out = remove_where(&model.assignments, None, |a| a.pbc == id);
    let gone = |x: &Integration| x.from == id || x.to == id;
    out.extend(remove_where(&model.integrations, None, gone));
    out.extend(prune_scenarios(model, |c| {
        change_pbcs(c).contains(&id)
            || change_integration(c)
                .and_then(|x| model.integration(x))
                .is_some_and(gone)
    }));
    out.push(Delta::of(None, Some((i, p)), None));
    Ok(out)
}

/// Deletes an integration with the scenario changes made to it.
fn delete_integration(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let mut out = prune_scenarios(model, |c| change_integration(c) == Some(id));
    out.push(removed::<Integration>(model, None, [id, "", ""])?);
    Ok(out)
}

/// Integrations attached where `detach` says no longer exists, with `at` as it becomes.
fn detach_integrations(
    model: &Model,
    detach: impl Fn(&IntegrationAt) -> Option<Option<IntegrationAt>>,
) -> Vec<Delta> {
    change_where(&model.integrations, |x| {
        let at = detach(x.at.as_ref()?)?;
        Some(Integration { at, ..x.clone() })
    })
}

// ---- scenarios and mappings ---------------------------------------------------------------

/// Deletes a scenario; initiatives that took their cost of delay from it keep the figure
/// they had, typed.
fn delete_scenario(model: &Model, id: &str) -> Result<Vec<Delta>> {
    let mut out = Vec::new();
    if model
        .initiatives
        .iter()
        .any(|x| x.scenario.as_deref() == Some(id))
    {
        let kept = crate::cod::linked(model)?;
        out.extend(change_where(&model.initiatives, |x| {
            (x.scenario.as_deref() == Some(id)).then(|| {
                let now = kept.iter().find(|k| k.id == x.id);
                Initiative {
                    scenario: None,
                    cost_of_delay_per_week: now
                        .map_or(x.cost_of_delay_per_week, |k| k.cost_of_delay_per_week),
                    ..x.clone()
                }
            })
        }));
    }
    out.push(removed::<Scenario>(model, None, [id, "", ""])?);
    Ok(out)
}

fn upsert_change(model: &Model, scenario: &str, change: &Change) -> Result<Vec<Delta>> {
    let (_, old) = find::<Scenario>(model, None, [scenario, "", ""])?;
    let mut new = old.clone();
    super::merge_change(&mut new.changes, change.clone());
    update(model, None, &new)
}

fn remove_change(model: &Model, scenario: &str, index: u32) -> Result<Vec<Delta>> {
    let (i, old) = find::<Scenario>(model, None, [scenario, "", ""])?;
    if index as usize >= old.changes.len() {
        return Err(Error::NotFound(format!(
            "change {} of scenario {scenario:?} (it has {})",
            index + 1,
            old.changes.len()
        )));
    }
    let mut new = old.clone();
    new.changes.remove(index as usize);
    Ok(vec![Delta::of(None, Some((i, old)), Some((i, &new)))])
}

/// Deltas that drop every scenario change for which `hits` is true.
fn prune_scenarios(model: &Model, hits: impl Fn(&Change) -> bool) -> Vec<Delta> {
    change_where(&model.scenarios, |s| {
        s.changes.iter().any(&hits).then(|| {
            let mut kept = s.clone();
            kept.changes.retain(|c| !hits(c));
            kept
        })
    })
}

/// Sets, replaces or (when empty) removes a stream's telemetry mapping.
fn set_mapping(model: &Model, stream: &str, mapping: &Mapping) -> Result<Vec<Delta>> {
    find::<Stream>(model, None, [stream, "", ""])?;
    let new = StreamMapping {
        stream: stream.to_owned(),
        mapping: mapping.clone(),
    };
    let old = model.mappings.iter().position(|m| m.stream == stream);
    match (old, mapping.is_empty()) {
        (None, true) => Ok(Vec::new()),
        (Some(_), true) => Ok(vec![removed::<StreamMapping>(model, None, new.key())?]),
        (Some(_), false) => update(model, None, &new),
        (None, false) => {
            let i = model.mappings.len();
            check(|r| new.check(r, &path::<StreamMapping>(i), &Index::direct(model), None))?;
            Ok(vec![Delta::of(None, None, Some((i, &new)))])
        }
    }
}

/// The stream a scenario change acts on, where it names one.
fn change_stream(c: &Change) -> Option<&str> {
    match c {
        Change::SwapPbc { stream, .. } => stream.as_deref(),
        Change::AssignPbc { stream, .. }
        | Change::UnassignPbc { stream, .. }
        | Change::SetStage { stream, .. }
        | Change::SetStream { stream, .. } => Some(stream),
        Change::SetPbcRunCost { .. }
        | Change::Investment { .. }
        | Change::SetIntegration { .. } => None,
    }
}

fn change_integration(c: &Change) -> Option<&str> {
    match c {
        Change::SetIntegration { integration, .. } => Some(integration),
        _ => None,
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
