//! What the import report and the mapping table list: where every row went, and each raw
//! status and type of a stream with its counts and mapping, statuses in workflow order.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::{Checked, Fate};
use super::{Count, ImportReport};
use crate::formats::Export;
use crate::history::History;
use crate::mapping::{FlowState, ItemKind, Mapping, propose};
use crate::repair::RowCounts;

/// A raw status of a stream with its counts and mapping: a row of the app's mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusCount {
    pub status: String,
    /// Events that enter the status.
    pub events: u64,
    /// Items whose latest event put them there.
    pub items_now: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub state: Option<FlowState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<String>,
}

/// A raw item type of a stream with its count and mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypeCount {
    pub item_type: String,
    pub items: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<ItemKind>,
}

const NO_CHANGE: &str = "rows that change no status";

/// Where each row of an export went (see [`RowCounts`]).
pub(crate) fn rows(export: &Export, checked: &Checked) -> RowCounts {
    let n = export.row_item.len();
    let (mut events, mut dropped) = (vec![0u32; n], vec![0u32; n]);
    for (i, &r) in export.event_row.iter().enumerate() {
        events[r as usize] += 1;
        dropped[r as usize] += u32::from(checked.dropped[i]);
    }
    let dup_rows: std::collections::HashSet<u32> =
        export.duplicate_rows.iter().map(|d| d.0).collect();
    let mut c = RowCounts {
        read: n as u64,
        ..RowCounts::default()
    };
    let mut why = vec![0u64; export.skip_reasons.len() + 1];
    for r in 0..n {
        let skip = |why: &mut Vec<u64>| {
            let k = export.row_skip[r].map_or(why.len() - 1, usize::from);
            why[k] += 1;
        };
        match export.row_item[r] {
            _ if dup_rows.contains(&(r as u32)) => c.duplicates += 1,
            _ if events[r] > 0 && dropped[r] == events[r] => c.duplicates += 1,
            Some(item) if events[r] > 0 => match checked.fate[item as usize] {
                Fate::Clean => c.used += 1,
                Fate::Repaired => c.repaired += 1,
                Fate::Quarantined => c.quarantined += 1,
            },
            Some(_) => skip(&mut why),
            None if export.row_skip[r].is_some() => skip(&mut why),
            None => c.used += 1,
        }
    }
    let names = export
        .skip_reasons
        .iter()
        .map(String::as_str)
        .chain([NO_CHANGE]);
    for (name, count) in names.zip(why) {
        c.skipped += count;
        if count > 0 {
            c.skipped_why.push(Count {
                name: name.to_owned(),
                count,
            });
        }
    }
    c
}

/// The unmapped statuses and types of the stream's whole log, and the `[states]` block to
/// paste for the statuses.
pub(crate) fn unmapped(r: &mut ImportReport, h: &History, mapping: &Mapping, workflow: &[String]) {
    let mut statuses = status_counts(h, mapping);
    if !workflow.is_empty() {
        let pos = |s: &StatusCount| {
            workflow
                .iter()
                .position(|w| *w == s.status)
                .unwrap_or(usize::MAX)
        };
        statuses.sort_by_key(|s| {
            (
                s.state.is_none(),
                if s.state.is_none() { pos(s) } else { 0 },
            )
        });
    }
    r.unmapped_statuses = statuses
        .into_iter()
        .filter(|s| s.state.is_none())
        .map(|s| Count {
            name: s.status,
            count: s.events,
        })
        .collect();
    r.states_block = states_block(&r.unmapped_statuses);
    r.unmapped_types = type_counts(h, mapping)
        .into_iter()
        .filter(|t| t.kind.is_none())
        .map(|t| Count {
            name: t.item_type,
            count: t.items,
        })
        .collect();
}

/// A `[states]` block for `statuses`, each line proposed from the name (to be checked); a
/// status with no proposal is a comment to fill in.
pub fn states_block(statuses: &[Count]) -> Option<String> {
    if statuses.is_empty() {
        return None;
    }
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out =
        String::from("[states]  # in workflow order; proposed from the names: check every line\n");
    for c in statuses {
        let events = format!("{} event{}", c.count, if c.count == 1 { "" } else { "s" });
        match propose(&c.name) {
            Some(s) => out.push_str(&format!(
                "{} = {}  # {events}\n",
                quote(&c.name),
                quote(s.as_str())
            )),
            None => out.push_str(&format!(
                "# {} = \"\"  # {events}: new, waiting, active, done or canceled?\n",
                quote(&c.name)
            )),
        }
    }
    Some(out)
}

/// Every raw status of a stream's log, in the mapping's order and then in workflow order
/// ([`workflow_order`]), with its counts and mapping: the rows of the app's mapping table.
pub fn status_counts(h: &History, m: &Mapping) -> Vec<StatusCount> {
    // per status index: (events entering it, items whose latest event is it)
    let mut seen: Vec<(u64, u64)> = vec![(0, 0); h.statuses.len()];
    for it in &h.items {
        for e in &it.events {
            seen[e.to as usize].0 += u64::from(e.from != Some(e.to));
        }
        if let Some(last) = it.events.last() {
            seen[last.to as usize].1 += 1;
        }
    }
    let mut out: Vec<StatusCount> = workflow_order(h)
        .into_iter()
        .map(|i| StatusCount {
            status: h.statuses[i].clone(),
            events: seen[i].0,
            items_now: seen[i].1,
            state: m.state_of(&h.statuses[i]),
            stage: m.stage_of(&h.statuses[i]).map(str::to_owned),
        })
        .collect();
    let pos = |s: &StatusCount| {
        m.states
            .iter()
            .position(|x| x.status == s.status)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|s| pos(s));
    out
}

/// The statuses of a log (indices into `h.statuses`) in the order items go through them: a
/// status comes before another when more items entered it first than the other way round;
/// among statuses free to come next, the one seen earliest (then by name) comes first, and a
/// loop of rework is broken at the status with the fewest that must come before it.
pub fn workflow_order(h: &History) -> Vec<usize> {
    const MAX_STATUSES: usize = 300;
    const MAX_PATH: usize = 32;
    let n = h.statuses.len();
    let mut first_seen = vec![i64::MAX; n];
    for it in &h.items {
        for e in &it.events {
            first_seen[e.to as usize] = first_seen[e.to as usize].min(e.at);
            if let Some(f) = e.from {
                first_seen[f as usize] = first_seen[f as usize].min(e.at);
            }
        }
    }
    let by_seen = |a: &usize, b: &usize| {
        first_seen[*a]
            .cmp(&first_seen[*b])
            .then(h.statuses[*a].cmp(&h.statuses[*b]))
    };
    let mut order: Vec<usize> = (0..n).collect();
    if n > MAX_STATUSES {
        order.sort_by(by_seen);
        return order;
    }
    let mut before = vec![0u32; n * n];
    let mut path: Vec<usize> = Vec::new();
    for it in &h.items {
        path.clear();
        let first = it.events.first().and_then(|e| e.from);
        for s in first.into_iter().chain(it.events.iter().map(|e| e.to)) {
            let s = s as usize;
            if path.len() < MAX_PATH && !path.contains(&s) {
                for &p in &path {
                    before[p * n + s] += 1;
                }
                path.push(s);
            }
        }
    }
    let precedes = |a: usize, b: usize| before[a * n + b] > before[b * n + a];
    let mut left: Vec<usize> = (0..n).collect();
    left.sort_by(by_seen);
    let mut out = Vec::with_capacity(n);
    while !left.is_empty() {
        let waiting =
            |s: usize, left: &[usize]| left.iter().filter(|&&o| o != s && precedes(o, s)).count();
        let k = (0..left.len())
            .min_by_key(|&k| (waiting(left[k], &left), k))
            .unwrap_or(0);
        out.push(left.remove(k));
    }
    out
}

/// Every raw item type of a stream's log with its count and mapping, most items first.
pub fn type_counts(h: &History, m: &Mapping) -> Vec<TypeCount> {
    let mut items = vec![0u64; h.types.len()];
    for it in &h.items {
        items[it.item_type as usize] += 1;
    }
    let mut out: Vec<TypeCount> = h
        .types
        .iter()
        .zip(items)
        .map(|(t, n)| TypeCount {
            item_type: t.clone(),
            items: n,
            kind: m.kind_of(t),
        })
        .collect();
    out.sort_by(|a, b| b.items.cmp(&a.items).then(a.item_type.cmp(&b.item_type)));
    out
}
