//! Importing an export: parse, check against what the model file holds, and report. The
//! store writes the prepared import in one transaction; the api wires the two together.
//!
//! The events of each item are put in time order and must chain: each event leaves the status
//! the one before entered. Rows that repeat each other, an item created twice, or a move from
//! a status the item was not in are refused with the line (or item) at fault. Events already
//! stored are recognised by their key (item, time, from, to) and left alone, so a re-import
//! changes nothing and a newer export adds only what is new. Everything is written in one
//! transaction: bad input, a failure or a cancel leaves the file as it was.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
pub use tributary_core::telemetry::ImportRecord;
use tributary_core::telemetry::{History, ImportBatch, ImportCounts, NewImport, StoredEvent};
use ts_rs::TS;

use crate::error::{Error, Location, Result};
use crate::event::{EventRow, Parsed};
use crate::formats::{self, Context, Control, Format, Phase};
use crate::mapping::{FlowState, ItemKind, Mapping};
use crate::time::{Zone, format_instant};

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
        }
    }
}

/// A raw status or type and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Count {
    pub name: String,
    pub count: u64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    /// The id of the recorded import; `None` when the file held nothing new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub import_id: Option<i64>,
    pub stream: String,
    pub format: Format,
    pub source: String,
    /// Records read (CSV rows, JSON entries).
    pub rows: u64,
    pub items: u64,
    pub items_added: u64,
    pub items_updated: u64,
    pub events: u64,
    pub events_added: u64,
    /// Events of the file that were stored already.
    pub events_existing: u64,
    pub deployments_added: u64,
    pub changes_added: u64,
    pub incidents_added: u64,
    /// Incidents stored as open that the file shows resolved.
    pub incidents_resolved: u64,
    pub mapping_changed: bool,
    /// Statuses of the stream's whole log that the mapping does not name, with how many
    /// events enter them. Never guessed: map them.
    pub unmapped_statuses: Vec<Count>,
    /// Item types of the stream that the mapping does not name, with how many items.
    pub unmapped_types: Vec<Count>,
    /// What this format cannot measure.
    pub limitations: Vec<String>,
    /// What was read but left out, and why.
    pub notes: Vec<String>,
    pub personal_data: bool,
}

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

/// What the app's import dialog shows before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Preview {
    pub format: Format,
    /// The first rows of a CSV file as they are (header first); empty for JSON.
    pub raw: Vec<Vec<String>>,
    /// The first events of the neutral log the file turns into.
    pub events: Vec<EventRow>,
    pub rows: u64,
    pub items: u64,
    pub events_total: u64,
    pub deployments: u64,
    pub changes: u64,
    pub incidents: u64,
    /// Every status of the file with its counts and its mapping (unmapped: no state).
    pub statuses: Vec<StatusCount>,
    pub types: Vec<TypeCount>,
    pub limitations: Vec<String>,
    pub notes: Vec<String>,
}

fn zone_of(name: Option<&str>) -> Result<Zone> {
    match name {
        None => Ok(Zone::default()),
        Some(n) => Zone::named(n).map_err(Error::Invalid),
    }
}

/// Reads and checks an export without storing it, for the import dialog: the first rows,
/// the first events, and every status and type with its count under `mapping`.
pub fn preview(
    input: &Path,
    format: Format,
    mapping: &Mapping,
    time_zone: Option<&str>,
    rows: usize,
    control: Control<'_>,
) -> Result<Preview> {
    let cx = Context {
        path: input,
        zone: zone_of(time_zone)?,
        personal: false,
        mapping,
        control,
    };
    let mut parsed = formats::parse_file(format, &cx)?;
    let ordered = check(&mut parsed, &HashMap::new(), &cx)?;
    let raw = if format.is_csv() {
        formats::raw_preview(input, rows)?
    } else {
        Vec::new()
    };
    let events = ordered
        .iter()
        .flat_map(|item| item.iter())
        .take(rows)
        .map(|&i| {
            let e = &parsed.events[i];
            let it = &parsed.items[e.item as usize];
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
    let mut statuses: Vec<StatusCount> = Vec::new();
    let mut now: HashMap<&str, u64> = HashMap::new();
    for item in &ordered {
        if let Some(&last) = item.last() {
            *now.entry(parsed.events[last].to.as_str()).or_default() += 1;
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for item in &ordered {
        for &i in item {
            let e = &parsed.events[i];
            for (s, entering) in [(e.from.as_str(), false), (e.to.as_str(), e.from != e.to)] {
                if s.is_empty() {
                    continue;
                }
                let k = *seen.entry(s).or_insert_with(|| {
                    statuses.push(StatusCount {
                        status: s.to_owned(),
                        events: 0,
                        items_now: now.get(s).copied().unwrap_or(0),
                        state: mapping.state_of(s),
                        stage: mapping.stage_of(s).map(str::to_owned),
                    });
                    statuses.len() - 1
                });
                if entering {
                    statuses[k].events += 1;
                }
            }
        }
    }
    let mut types: Vec<TypeCount> = Vec::new();
    for it in &parsed.items {
        match types.iter_mut().find(|t| t.item_type == it.item_type) {
            Some(t) => t.items += 1,
            None => types.push(TypeCount {
                item_type: it.item_type.clone(),
                items: 1,
                kind: mapping.kind_of(&it.item_type),
            }),
        }
    }
    Ok(Preview {
        format,
        raw,
        events,
        rows: parsed.rows,
        items: parsed.items.len() as u64,
        events_total: parsed.events.len() as u64,
        deployments: parsed.deployments.len() as u64,
        changes: parsed.changes.len() as u64,
        incidents: parsed.incidents.len() as u64,
        statuses,
        types,
        limitations: parsed.limitations,
        notes: parsed.notes,
    })
}

/// Puts each item's events in time order and checks that they chain. Drops events already
/// stored (`stored`, by item id). Returns, per item, the indices of its new events in order.
fn check(
    parsed: &mut Parsed,
    stored: &HashMap<String, Vec<StoredEvent>>,
    cx: &Context<'_>,
) -> Result<Vec<Vec<usize>>> {
    let mut per_item: Vec<Vec<usize>> = vec![Vec::new(); parsed.items.len()];
    for (i, e) in parsed.events.iter().enumerate() {
        per_item[e.item as usize].push(i);
    }
    let total = per_item.len() as u64;
    let mut out = Vec::with_capacity(per_item.len());
    for (n, mut idx) in per_item.into_iter().enumerate() {
        if n % 10_000 == 0 {
            cx.control.check()?;
            cx.control.report(Phase::Checking, n as u64, total);
        }
        let events = &parsed.events;
        idx.sort_by_key(|&i| events[i].at);
        // The same event twice in one file is a duplicate row.
        for w in idx.windows(2) {
            let (a, b) = (&events[w[0]], &events[w[1]]);
            if a.at == b.at && a.from == b.from && a.to == b.to {
                return Err(cx.err(
                    b.location.clone(),
                    format!(
                        "item {:?}: this repeats the event of {} ({} -> {} at {})",
                        parsed.items[a.item as usize].id,
                        a.location,
                        show(&a.from),
                        a.to,
                        format_instant(a.at)
                    ),
                ));
            }
        }
        let id = &parsed.items[n].id;
        let old = stored.get(id.as_str());
        // Drop what is stored already; merge the rest with the stored events in time order.
        let new: Vec<usize> = idx
            .into_iter()
            .filter(|&i| {
                let e = &events[i];
                !old.is_some_and(|o| {
                    o.iter()
                        .any(|s| s.at == e.at && s.from == e.from && s.to == e.to)
                })
            })
            .collect();
        // (time, from, to, location); stored events first among equal times.
        let mut chain: Vec<(i64, &str, &str, Location)> = Vec::new();
        if let Some(o) = old {
            chain.extend(o.iter().map(|s| {
                (
                    s.at,
                    s.from.as_str(),
                    s.to.as_str(),
                    Location::Stored { import: s.import },
                )
            }));
        }
        let stored_len = chain.len();
        chain.extend(new.iter().map(|&i| {
            (
                events[i].at,
                events[i].from.as_str(),
                events[i].to.as_str(),
                events[i].location.clone(),
            )
        }));
        if stored_len > 0 && !new.is_empty() {
            chain.sort_by_key(|c| c.0);
        }
        for w in chain.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if b.1.is_empty() {
                return Err(cx.err(
                    b.3.clone(),
                    format!(
                        "item {id:?} is created again at {} after an event at {} ({}); events out of order or two items with one id?",
                        format_instant(b.0),
                        format_instant(a.0),
                        a.3
                    ),
                ));
            }
            if b.1 != a.2 {
                return Err(cx.err(
                    b.3.clone(),
                    format!(
                        "item {id:?} moves from {:?} to {:?} at {}, but the event before it ({}, at {}) left it in {:?}; are events out of order or missing?",
                        b.1,
                        b.2,
                        format_instant(b.0),
                        a.3,
                        format_instant(a.0),
                        a.2
                    ),
                ));
            }
        }
        out.push(new);
    }
    Ok(out)
}

fn show(s: &str) -> &str {
    if s.is_empty() { "(created)" } else { s }
}

/// Reads an export, under the stream's mapping (or the one this import sets).
pub fn parse(
    input: &Path,
    opts: &ImportOptions,
    mapping: &Mapping,
    control: Control<'_>,
) -> Result<Parsed> {
    if opts.imported_at.parse::<jiff::Timestamp>().is_err() {
        return Err(Error::Invalid(format!(
            "imported_at {:?} is not an RFC 3339 time",
            opts.imported_at
        )));
    }
    let cx = Context {
        path: input,
        zone: zone_of(opts.time_zone.as_deref())?,
        personal: opts.personal,
        mapping,
        control,
    };
    formats::parse_file(opts.format, &cx)
}

/// An import checked against the events the file holds already, ready to be stored.
pub struct Prepared {
    pub import: NewImport,
    parsed: Parsed,
    order: Vec<Vec<usize>>,
    stored: Vec<usize>,
    report: ImportReport,
}

/// Checks a parsed export against the stream's stored events (`stored`, by item id; only
/// needed when the export has events): each item's events must chain, rows must not repeat,
/// deliveries must be listed once.
pub fn prepare(
    input: &Path,
    opts: &ImportOptions,
    mut parsed: Parsed,
    stored: &HashMap<String, Vec<StoredEvent>>,
    mapping_changed: bool,
    control: Control<'_>,
) -> Result<Prepared> {
    let mapping = Mapping::default();
    let cx = Context {
        path: input,
        zone: Zone::default(),
        personal: opts.personal,
        mapping: &mapping,
        control,
    };
    let order = check(&mut parsed, stored, &cx)?;
    check_deliveries(&parsed, &cx)?;
    let source = opts.source.clone().unwrap_or_else(|| {
        input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    let stored_counts = parsed
        .items
        .iter()
        .map(|it| stored.get(it.id.as_str()).map_or(0, Vec::len))
        .collect();
    let import = NewImport {
        stream: opts.stream.clone(),
        source,
        format: opts.format.as_str().to_owned(),
        imported_at: opts.imported_at.clone(),
        rows: parsed.rows,
        personal: opts.personal,
        note: (!parsed.limitations.is_empty()).then(|| parsed.limitations.join("\n")),
    };
    let report = ImportReport {
        import_id: None,
        stream: opts.stream.clone(),
        format: opts.format,
        source: import.source.clone(),
        rows: parsed.rows,
        items: parsed.items.len() as u64,
        items_added: 0,
        items_updated: 0,
        events: parsed.events.len() as u64,
        events_added: 0,
        events_existing: 0,
        deployments_added: 0,
        changes_added: 0,
        incidents_added: 0,
        incidents_resolved: 0,
        mapping_changed,
        unmapped_statuses: Vec::new(),
        unmapped_types: Vec::new(),
        limitations: parsed.limitations.clone(),
        notes: parsed.notes.clone(),
        personal_data: opts.personal,
    };
    Ok(Prepared {
        import,
        parsed,
        order,
        stored: stored_counts,
        report,
    })
}

impl Prepared {
    pub fn parsed(&self) -> &Parsed {
        &self.parsed
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
        r.events_existing = r.events - counts.events_added;
        r.deployments_added = counts.deployments_added;
        r.changes_added = counts.changes_added;
        r.incidents_added = counts.incidents_added;
        r.incidents_resolved = counts.incidents_resolved;
        if let Some(h) = history {
            r.unmapped_statuses = status_counts(h, mapping)
                .into_iter()
                .filter(|s| s.state.is_none())
                .map(|s| Count {
                    name: s.status,
                    count: s.events,
                })
                .collect();
            r.unmapped_types = type_counts(h, mapping)
                .into_iter()
                .filter(|t| t.kind.is_none())
                .map(|t| Count {
                    name: t.item_type,
                    count: t.items,
                })
                .collect();
        }
        r
    }
}

/// Refuses a delivery file that lists one deployment, change or incident twice.
fn check_deliveries(parsed: &Parsed, cx: &Context<'_>) -> Result<()> {
    fn dup<'a>(
        cx: &Context<'_>,
        what: &str,
        keys: impl Iterator<Item = (String, &'a Location)>,
    ) -> Result<()> {
        let mut seen: HashMap<String, &Location> = HashMap::new();
        for (k, loc) in keys {
            if let Some(first) = seen.insert(k.clone(), loc) {
                return Err(cx.err(loc.clone(), format!("{what} {k:?} repeats {first}")));
            }
        }
        Ok(())
    }
    dup(
        cx,
        "deployment",
        parsed
            .deployments
            .iter()
            .map(|d| (d.id.clone(), &d.location)),
    )?;
    dup(
        cx,
        "change",
        parsed.changes.iter().map(|c| {
            (
                format!("{} deployed {}", c.id, format_instant(c.deployed_at)),
                &c.location,
            )
        }),
    )?;
    dup(
        cx,
        "incident",
        parsed.incidents.iter().map(|i| (i.id.clone(), &i.location)),
    )
}

/// Every raw status of a stream's log, in the mapping's order and then by first appearance
/// (ties by name), with its counts and mapping: the rows of the app's mapping table.
pub fn status_counts(h: &History, m: &Mapping) -> Vec<StatusCount> {
    // per status index: (events entering it, first time seen, items whose latest event is it)
    let mut seen: Vec<(u64, i64, u64)> = vec![(0, i64::MAX, 0); h.statuses.len()];
    for it in &h.items {
        for e in &it.events {
            let to = &mut seen[e.to as usize];
            to.0 += u64::from(e.from != Some(e.to));
            to.1 = to.1.min(e.at);
            if let Some(f) = e.from {
                seen[f as usize].1 = seen[f as usize].1.min(e.at);
            }
        }
        if let Some(last) = it.events.last() {
            seen[last.to as usize].2 += 1;
        }
    }
    let mut order: Vec<usize> = (0..h.statuses.len()).collect();
    order.sort_by(|&a, &b| {
        seen[a]
            .1
            .cmp(&seen[b].1)
            .then(h.statuses[a].cmp(&h.statuses[b]))
    });
    let mut out: Vec<StatusCount> = order
        .into_iter()
        .map(|i| StatusCount {
            status: h.statuses[i].clone(),
            events: seen[i].0,
            items_now: seen[i].2,
            state: m.state_of(&h.statuses[i]),
            stage: m.stage_of(&h.statuses[i]).map(str::to_owned),
        })
        .collect();
    // The mapping's order first (the workflow), then the rest as they appeared.
    let pos = |s: &StatusCount| {
        m.states
            .iter()
            .position(|x| x.status == s.status)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|s| pos(s));
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
