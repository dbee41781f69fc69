//! Importing an export: read it, check it against what the model file holds, and report. The
//! store writes the prepared import in one transaction; the api wires the two together.
//!
//! Each item's events are put in time order and must chain ([`check`]): an item that does not
//! is repaired by a documented rule or quarantined, and the report lists every one at once
//! (`strict` refuses the whole file instead, as imports did before). Events already stored
//! are recognised by their key (item, time, from, to) and left alone, so a re-import changes
//! nothing and a newer export adds only what is new. Everything is written in one
//! transaction: bad input, a failure or a cancel leaves the file as it was.

mod check;
mod preview;
mod report;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
pub use tributary_core::telemetry::ImportRecord;
use tributary_core::telemetry::{History, ImportBatch, ImportCounts, NewImport, StoredEvent};
use ts_rs::TS;

use crate::error::{Error, Location, Result};
use crate::event::Parsed;
use crate::formats::{self, Context, Control, Export, Format, Page, Select};
use crate::mapping::Mapping;
use crate::repair::{Quarantine, Repair, RowCounts};
use crate::time::Zone;
use check::{Checked, Fate};
pub use preview::{Preview, preview, preview_export, preview_with};
pub use report::{StatusCount, TypeCount, status_counts, type_counts, workflow_order};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The stream of the model the data belongs to.
    pub stream: String,
    pub format: Format,
    /// The name the import is recorded under (the input file's name when `None`).
    pub source: Option<String>,
    /// When the import happens, RFC 3339. Passed in: the engine reads no clock.
    pub imported_at: String,
    /// Replaces the stream's mapping, in the same transaction.
    pub mapping: Option<Mapping>,
    /// Keep names of people (assignee, actor, commit author). Off unless the user asks.
    pub personal: bool,
    /// IANA time zone for times without an offset (UTC when `None`).
    pub time_zone: Option<String>,
    /// Refuse the whole file when any item needs a repair or is quarantined.
    pub strict: bool,
    /// What to read of exports that hold more (stage columns, workflows, branch, event).
    pub select: Select,
}

impl ImportOptions {
    pub fn new(stream: &str, format: Format, imported_at: &str) -> ImportOptions {
        ImportOptions {
            stream: stream.to_owned(),
            format,
            source: None,
            imported_at: imported_at.to_owned(),
            mapping: None,
            personal: false,
            time_zone: None,
            strict: false,
            select: Select::default(),
        }
    }
}

/// A raw status or type and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Count {
    pub name: String,
    pub count: u64,
}

/// What an import did, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Something was new and is stored.
    Stored,
    /// Everything the file holds is stored already.
    AlreadyImported,
    /// The file holds nothing to import (only pending pipelines, other fields, quarantined
    /// items, ...): `rows` says where each row went.
    NothingToImport,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    /// The id of the recorded import; `None` when the file held nothing new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub import_id: Option<i64>,
    pub outcome: Outcome,
    pub stream: String,
    pub format: Format,
    pub source: String,
    /// Where every row read went: read = used + repaired + quarantined + duplicates + skipped.
    pub rows: RowCounts,
    pub items: u64,
    pub items_added: u64,
    pub items_updated: u64,
    pub events: u64,
    pub events_added: u64,
    /// Events of the file that were stored already.
    pub events_existing: u64,
    /// Events dropped as duplicates, or of quarantined items.
    pub events_left_out: u64,
    pub deployments_added: u64,
    pub changes_added: u64,
    pub incidents_added: u64,
    /// Incidents stored as open that the file shows resolved.
    pub incidents_resolved: u64,
    /// Items read through a repair rule, each with the rule and what it did.
    pub repaired: Vec<Repair>,
    /// Items left out of this import, each with where and why.
    pub quarantined: Vec<Quarantine>,
    /// The file is one page of a larger result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub page: Option<Page>,
    pub mapping_changed: bool,
    /// Statuses of the stream's whole log that the mapping does not name, in workflow order,
    /// with how many events enter them. Never guessed: map them.
    pub unmapped_statuses: Vec<Count>,
    /// A `[states]` block for the unmapped statuses, to paste into the mapping file: each line
    /// proposed from the status's name, to be checked (lines with no proposal are comments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub states_block: Option<String>,
    /// Item types of the stream that the mapping does not name, with how many items.
    pub unmapped_types: Vec<Count>,
    /// What this format cannot measure.
    pub limitations: Vec<String>,
    /// What was read but left out, and why.
    pub notes: Vec<String>,
    pub personal_data: bool,
}

fn zone_of(name: Option<&str>) -> Result<Zone> {
    match name {
        None => Ok(Zone::default()),
        Some(n) => Zone::named(n).map_err(Error::Invalid),
    }
}

fn context<'a>(
    input: &'a Path,
    opts: &'a ImportOptions,
    mapping: &'a Mapping,
    control: Control<'a>,
) -> Result<Context<'a>> {
    if opts.imported_at.parse::<jiff::Timestamp>().is_err() {
        return Err(Error::Invalid(format!(
            "imported_at {:?} is not an RFC 3339 time",
            opts.imported_at
        )));
    }
    Ok(Context {
        path: input,
        zone: zone_of(opts.time_zone.as_deref())?,
        personal: opts.personal,
        mapping,
        control,
        select: &opts.select,
    })
}

/// Reads an export, under the stream's mapping (or the one this import sets).
pub fn read(
    input: &Path,
    opts: &ImportOptions,
    mapping: &Mapping,
    control: Control<'_>,
) -> Result<Export> {
    formats::parse_file(opts.format, &context(input, opts, mapping, control)?)
}

/// Reads an export held in memory (fetched pages); `name` stands for the file in messages.
pub fn read_bytes(
    bytes: &[u8],
    name: &Path,
    opts: &ImportOptions,
    mapping: &Mapping,
    control: Control<'_>,
) -> Result<Export> {
    formats::parse_bytes(opts.format, bytes, &context(name, opts, mapping, control)?)
}

/// The neutral log of an export alone, as a parser reads it (no check, no repair).
pub fn parse(
    input: &Path,
    opts: &ImportOptions,
    mapping: &Mapping,
    control: Control<'_>,
) -> Result<Parsed> {
    Ok(read(input, opts, mapping, control)?.parsed)
}

/// An import checked against the events the file holds already, ready to be stored.
pub struct Prepared {
    pub import: NewImport,
    parsed: Parsed,
    order: Vec<Vec<usize>>,
    stored: Vec<usize>,
    workflow: Vec<String>,
    report: ImportReport,
}

/// Checks an export against the stream's stored events (`stored`, by item id; only needed
/// when the export has events): each item's events must chain (or are repaired, or the item
/// quarantined), rows are accounted for. With `opts.strict` any repair or quarantine refuses
/// the whole file, listing every problem.
pub fn prepare(
    input: &Path,
    opts: &ImportOptions,
    mut export: Export,
    stored: &HashMap<String, Vec<StoredEvent>>,
    mapping_changed: bool,
    control: Control<'_>,
) -> Result<Prepared> {
    let checked = check::check(&mut export, stored, control)?;
    if opts.strict {
        strict(input, &export, &checked)?;
    }
    let rows = report::rows(&export, &checked);
    let source = source_name(input, opts);
    let left_out = checked.dropped.iter().filter(|d| **d).count() as u64
        + checked.quarantined.iter().map(|q| q.events).sum::<u64>();
    let events = export.events.len() as u64;
    let existing = checked.existing;
    let Checked {
        order,
        fate,
        repairs,
        quarantined,
        ..
    } = checked;
    let workflow = std::mem::take(&mut export.workflow);
    let page = export.page.take();
    let (parsed, order) = without_quarantined(export.parsed, order, &fate);
    let stored_counts = parsed
        .items
        .iter()
        .map(|it| stored.get(it.id.as_str()).map_or(0, Vec::len))
        .collect();
    let import = NewImport {
        stream: opts.stream.clone(),
        source: source.clone(),
        format: opts.format.as_str().to_owned(),
        imported_at: opts.imported_at.clone(),
        rows: parsed.rows,
        personal: opts.personal,
        note: note(&parsed, &repairs, &quarantined),
    };
    let counts = Counts {
        events,
        existing,
        left_out,
    };
    let report = first_report(
        opts,
        source,
        rows,
        &parsed,
        counts,
        (repairs, quarantined, page),
        mapping_changed,
    );
    Ok(Prepared {
        import,
        parsed,
        order,
        stored: stored_counts,
        workflow,
        report,
    })
}

/// What the import is recorded under: the caller's name for it, else the file's name.
fn source_name(input: &Path, opts: &ImportOptions) -> String {
    opts.source.clone().unwrap_or_else(|| {
        input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    })
}

/// The events an export holds, those stored already and those it leaves out.
struct Counts {
    events: u64,
    existing: u64,
    left_out: u64,
}

/// The report of a prepared import, before storing fills in what was added.
fn first_report(
    opts: &ImportOptions,
    source: String,
    rows: RowCounts,
    parsed: &Parsed,
    c: Counts,
    (repairs, quarantined, page): (Vec<Repair>, Vec<Quarantine>, Option<Page>),
    mapping_changed: bool,
) -> ImportReport {
    ImportReport {
        import_id: None,
        outcome: Outcome::NothingToImport,
        stream: opts.stream.clone(),
        format: opts.format,
        source,
        rows,
        items: parsed.items.len() as u64,
        items_added: 0,
        items_updated: 0,
        events: c.events,
        events_added: 0,
        events_existing: c.existing,
        events_left_out: c.left_out,
        deployments_added: 0,
        changes_added: 0,
        incidents_added: 0,
        incidents_resolved: 0,
        repaired: repairs,
        quarantined,
        page,
        mapping_changed,
        unmapped_statuses: Vec::new(),
        states_block: None,
        unmapped_types: Vec::new(),
        limitations: parsed.limitations.clone(),
        notes: parsed.notes.clone(),
        personal_data: opts.personal,
    }
}

/// What the record of the import keeps: the format's limitations, and how many items were
/// repaired or quarantined.
fn note(parsed: &Parsed, repairs: &[Repair], quarantined: &[Quarantine]) -> Option<String> {
    let mut lines = parsed.limitations.clone();
    if !repairs.is_empty() {
        let mut rules: Vec<&str> = repairs.iter().map(|r| r.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        lines.push(format!(
            "{} repair(s) of items that did not read as clean chains ({})",
            repairs.len(),
            rules.join(", ")
        ));
    }
    if !quarantined.is_empty() {
        lines.push(format!(
            "{} item(s) quarantined: left out of this import",
            quarantined.len()
        ));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// `--strict`: every repair and quarantine is an error; the first is named with its place,
/// the others listed after it.
fn strict(input: &Path, export: &Export, checked: &Checked) -> Result<()> {
    let mut problems: Vec<(Location, String)> = export
        .duplicate_rows
        .iter()
        .map(|(_, l, m)| (l.clone(), m.clone()))
        .collect();
    problems.extend(checked.problems.iter().cloned());
    let Some((location, first)) = problems.first().cloned() else {
        return Ok(());
    };
    let mut message = first;
    if problems.len() > 1 {
        const SHOWN: usize = 20;
        message.push_str(&format!(
            "\n{} more problem(s) (--strict refuses the file; without it they are repaired or quarantined):",
            problems.len() - 1
        ));
        for (l, m) in problems.iter().skip(1).take(SHOWN) {
            message.push_str(&format!("\n  {l}: {m}"));
        }
        if problems.len() > SHOWN + 1 {
            message.push_str(&format!("\n  ... and {} more", problems.len() - SHOWN - 1));
        }
    }
    Err(Error::Input {
        path: input.to_owned(),
        location,
        message,
    })
}

/// The log without quarantined items (and the order lists renumbered), so that the store
/// writes nothing of them; unchanged when nothing is quarantined.
fn without_quarantined(
    parsed: Parsed,
    order: Vec<Vec<usize>>,
    fate: &[Fate],
) -> (Parsed, Vec<Vec<usize>>) {
    if !fate.contains(&Fate::Quarantined) {
        return (parsed, order);
    }
    let mut out = Parsed::default();
    out.rows = parsed.rows;
    out.limitations = parsed.limitations.clone();
    out.notes = parsed.notes.clone();
    out.deployments = parsed.deployments.clone();
    out.changes = parsed.changes.clone();
    out.incidents = parsed.incidents.clone();
    let mut new_order = Vec::new();
    for (n, it) in parsed.items.iter().enumerate() {
        if fate[n] == Fate::Quarantined {
            continue;
        }
        let item = out.item(&it.id, &it.item_type);
        out.items[item as usize] = it.clone();
        let mut idx = Vec::with_capacity(order[n].len());
        for &i in &order[n] {
            let mut e = parsed.events[i].clone();
            e.item = item;
            idx.push(out.events.len());
            out.events.push(e);
        }
        new_order.push(idx);
    }
    (out, new_order)
}

impl Prepared {
    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// The report as it stands before storing (what a preview shows).
    pub fn report(&self) -> &ImportReport {
        &self.report
    }

    /// What the store writes.
    pub fn batch(&self) -> ImportBatch<'_> {
        ImportBatch {
            import: &self.import,
            parsed: &self.parsed,
            order: &self.order,
            stored: &self.stored,
        }
    }

    /// Whether the report needs the stream's whole log to list what is unmapped.
    pub fn needs_history(&self) -> bool {
        self.parsed.is_work_items() || self.report.mapping_changed
    }

    /// The report, once stored: what was added, and what the stream's whole log (`history`,
    /// read after the import) leaves unmapped under `mapping`.
    pub fn finish(
        self,
        counts: ImportCounts,
        history: Option<&History>,
        mapping: &Mapping,
    ) -> ImportReport {
        let mut r = self.report;
        r.import_id = counts.import_id;
        r.items_added = counts.items_added;
        r.items_updated = counts.items_updated;
        r.events_added = counts.events_added;
        r.deployments_added = counts.deployments_added;
        r.changes_added = counts.changes_added;
        r.incidents_added = counts.incidents_added;
        r.incidents_resolved = counts.incidents_resolved;
        let usable = self.order.iter().any(|o| !o.is_empty())
            || r.events_existing > 0
            || !self.parsed.deployments.is_empty()
            || !self.parsed.changes.is_empty()
            || !self.parsed.incidents.is_empty();
        r.outcome = match (counts.import_id, usable) {
            (Some(_), _) => Outcome::Stored,
            (None, true) => Outcome::AlreadyImported,
            (None, false) => Outcome::NothingToImport,
        };
        if let Some(h) = history {
            report::unmapped(&mut r, h, mapping, &self.workflow);
        }
        r
    }
}
