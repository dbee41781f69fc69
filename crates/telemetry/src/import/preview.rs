//! What the app's import dialog and `tributary telemetry preview` show before anything is
//! written: the first raw rows and events, every status and type with its counts under the
//! current mapping (in workflow order), the mapping proposed for what is unmapped, and what
//! the import would repair, quarantine or skip.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::report::{StatusCount, TypeCount, status_counts};
use super::{Count, ImportOptions, check, report};
use crate::error::Result;
use crate::event::EventRow;
use crate::formats::{self, Control, Export, Format, Page};
use crate::history;
use crate::mapping::{Mapping, propose};
use crate::repair::{Quarantine, Repair, RowCounts};
use crate::time::format_instant;

/// What the app's import dialog shows before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Preview {
    pub format: Format,
    /// The first rows of a CSV file as they are (header first); empty for JSON.
    pub raw: Vec<Vec<String>>,
    /// The first events of the neutral log the file turns into.
    pub events: Vec<EventRow>,
    pub rows: u64,
    /// Where every row would go.
    pub row_counts: RowCounts,
    pub items: u64,
    pub events_total: u64,
    pub deployments: u64,
    pub changes: u64,
    pub incidents: u64,
    /// Every status of the file with its counts and its mapping (unmapped: no state), the
    /// mapping's order first, then in workflow order.
    pub statuses: Vec<StatusCount>,
    pub types: Vec<TypeCount>,
    /// The `[states]` block proposed for the file: the mapping's lines, then each unmapped
    /// status proposed from its name (to be checked), or as a comment to fill in.
    pub proposed_mapping: String,
    pub repaired: Vec<Repair>,
    pub quarantined: Vec<Quarantine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub page: Option<Page>,
    pub limitations: Vec<String>,
    pub notes: Vec<String>,
}

/// Reads and checks an export without storing it, for the import dialog: the first `rows`
/// rows and events, and every status and type with its count under `mapping`.
pub fn preview(
    input: &Path,
    format: Format,
    mapping: &Mapping,
    time_zone: Option<&str>,
    rows: usize,
    control: Control<'_>,
) -> Result<Preview> {
    let mut opts = ImportOptions::new("", format, "1970-01-01T00:00:00Z");
    opts.time_zone = time_zone.map(str::to_owned);
    preview_with(input, &opts, mapping, rows, control)
}

/// [`preview`] with every option of an import (stage columns, workflows, time zone).
pub fn preview_with(
    input: &Path,
    opts: &ImportOptions,
    mapping: &Mapping,
    rows: usize,
    control: Control<'_>,
) -> Result<Preview> {
    let export = super::read(input, opts, mapping, control)?;
    let raw = if opts.format.is_csv() {
        formats::raw_preview(input, rows)?
    } else {
        Vec::new()
    };
    let mut p = preview_export(opts.format, export, mapping, rows, control)?;
    p.raw = raw;
    Ok(p)
}

/// The preview of an export already read (a file, or fetched pages).
pub fn preview_export(
    format: Format,
    mut export: Export,
    mapping: &Mapping,
    rows: usize,
    control: Control<'_>,
) -> Result<Preview> {
    let checked = check::check(&mut export, &HashMap::new(), control)?;
    let row_counts = report::rows(&export, &checked);
    let events = checked
        .order
        .iter()
        .flat_map(|item| item.iter())
        .take(rows)
        .map(|&i| {
            let e = &export.events[i];
            let it = &export.items[e.item as usize];
            EventRow {
                item_id: it.id.clone(),
                item_type: it.item_type.clone(),
                timestamp: format_instant(e.at),
                from_state: e.from.clone(),
                to_state: e.to.clone(),
                blocked: e.blocked,
            }
        })
        .collect();
    let h = history::of_parsed("", &export.parsed);
    let mut statuses = status_counts(&h, mapping);
    if !export.workflow.is_empty() {
        let pos = |s: &StatusCount| {
            export
                .workflow
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
    let p = &export.parsed;
    Ok(Preview {
        format,
        raw: Vec::new(),
        events,
        rows: p.rows,
        row_counts,
        items: p.items.len() as u64,
        events_total: p.events.len() as u64,
        deployments: p.deployments.len() as u64,
        changes: p.changes.len() as u64,
        incidents: p.incidents.len() as u64,
        proposed_mapping: proposed(&statuses),
        statuses,
        types: types_in_order(&export, mapping),
        repaired: checked.repairs,
        quarantined: checked.quarantined,
        page: export.page.take(),
        limitations: p.limitations.clone(),
        notes: p.notes.clone(),
    })
}

/// The item types of the export in order of first appearance, with their counts.
fn types_in_order(export: &Export, mapping: &Mapping) -> Vec<TypeCount> {
    let mut types: Vec<TypeCount> = Vec::new();
    for it in &export.items {
        match types.iter_mut().find(|t| t.item_type == it.item_type) {
            Some(t) => t.items += 1,
            None => types.push(TypeCount {
                item_type: it.item_type.clone(),
                items: 1,
                kind: mapping.kind_of(&it.item_type),
            }),
        }
    }
    types
}

/// The `[states]` block of a preview: mapped statuses as mapped, then the proposals.
fn proposed(statuses: &[StatusCount]) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out = String::from("[states]  # in workflow order\n");
    for s in statuses.iter().filter(|s| s.state.is_some()) {
        if let Some(st) = s.state {
            out.push_str(&format!("{} = {}\n", quote(&s.status), quote(st.as_str())));
        }
    }
    let unmapped: Vec<Count> = statuses
        .iter()
        .filter(|s| s.state.is_none())
        .map(|s| Count {
            name: s.status.clone(),
            count: s.events,
        })
        .collect();
    if let Some(block) = report::states_block(&unmapped) {
        let body = block.split_once('\n').map_or("", |(_, b)| b);
        if !unmapped.is_empty() && unmapped.iter().any(|c| propose(&c.name).is_some()) {
            out.push_str("# proposed from the names: check every line\n");
        }
        out.push_str(body);
    }
    out
}
