//! A scenario's list of changes holds at most one change per thing changed: a new change
//! merges with the one already there.

use crate::model::Change;

/// What a change is about: a stage's figures, a stream's, one PBC at one stage, a swap, a
/// PBC's run cost, a named investment, an integration. Two changes with one target merge.
fn target(c: &Change) -> (&'static str, [&str; 3]) {
    match c {
        Change::SetStage { stream, stage, .. } => ("stage", [stream, stage, ""]),
        Change::SetStream { stream, .. } => ("stream", [stream, "", ""]),
        Change::AssignPbc {
            pbc, stream, stage, ..
        }
        | Change::UnassignPbc { pbc, stream, stage } => ("assignment", [pbc, stream, stage]),
        Change::SwapPbc { from, stream, .. } => {
            ("swap", [from, stream.as_deref().unwrap_or_default(), ""])
        }
        Change::SetPbcRunCost { pbc, .. } => ("run cost", [pbc, "", ""]),
        Change::Investment { name, .. } => ("investment", [name, "", ""]),
        Change::SetIntegration { integration, .. } => ("integration", [integration, "", ""]),
    }
}

/// Adds `change` to a scenario's list, merging it with the change for the same thing:
/// figures given by the new change replace those of the old one and the others stay; for one
/// PBC at one stage the last word wins, so assigning cancels a removal and removing cancels
/// an addition.
pub fn merge_change(changes: &mut Vec<Change>, change: Change) {
    let Some(i) = changes.iter().position(|c| target(c) == target(&change)) else {
        changes.push(change);
        return;
    };
    match (&mut changes[i], change) {
        (
            Change::SetStage {
                process_time,
                wait_time,
                pca,
                capacity,
                ..
            },
            Change::SetStage {
                process_time: p,
                wait_time: w,
                pca: q,
                capacity: k,
                ..
            },
        ) => {
            set(process_time, p);
            set(wait_time, w);
            set(pca, q);
            set(capacity, k);
        }
        (
            Change::SetStream {
                demand_per_week,
                cost_of_delay_per_week,
                ..
            },
            Change::SetStream {
                demand_per_week: d,
                cost_of_delay_per_week: k,
                ..
            },
        ) => {
            set(demand_per_week, d);
            set(cost_of_delay_per_week, k);
        }
        (
            Change::SetIntegration {
                style,
                latency,
                interval,
                calls_per_item,
                ..
            },
            Change::SetIntegration {
                style: s,
                latency: l,
                interval: t,
                calls_per_item: k,
                ..
            },
        ) => {
            set(style, s);
            set(latency, l);
            set(interval, t);
            set(calls_per_item, k);
        }
        (Change::AssignPbc { .. }, Change::UnassignPbc { .. }) => {
            changes.remove(i);
        }
        (slot, new) => *slot = new,
    }
}

fn set<T: Copy>(slot: &mut Option<T>, v: Option<T>) {
    if v.is_some() {
        *slot = v;
    }
}
