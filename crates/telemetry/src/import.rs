//! Importing an export into the model file: parse, check, write in one transaction.
//!
//! The events of each item are put in time order and must chain: each event leaves the status
//! the one before entered. Rows that repeat each other, an item created twice, or a move from
//! a status the item was not in are refused with the line (or item) at fault. Events already
//! stored are recognised by their key (item, time, from, to) and left alone, so a re-import
//! changes nothing and a newer export adds only what is new. Everything is written in one
//! transaction: bad input, a failure or a cancel leaves the file as it was.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use tributary_store::Document;
use ts_rs::TS;

use crate::error::{Error, Location, Result, sql};
use crate::event::{EventRow, Parsed};
use crate::formats::{self, Context, Control, Format, Phase};
use crate::mapping::{self, FlowState, ItemKind, Mapping};
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

/// An event already in the file, for the checks of a new import.
struct StoredEvent {
    at: i64,
    from: String,
    to: String,
    import: i64,
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

fn stored_events(
    conn: &Connection,
    file: &Path,
    stream: &str,
) -> Result<HashMap<String, Vec<StoredEvent>>> {
    let mut stmt = conn
        .prepare(
            "SELECT i.item_id, e.ts, e.from_state, e.to_state, e.import_id
             FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
             WHERE i.stream_id = ?1 ORDER BY e.item, e.ts, e.seq",
        )
        .map_err(sql(file))?;
    let rows = stmt
        .query_map([stream], |r| {
            Ok((
                r.get::<_, String>(0)?,
                StoredEvent {
                    at: r.get(1)?,
                    from: r.get(2)?,
                    to: r.get(3)?,
                    import: r.get(4)?,
                },
            ))
        })
        .map_err(sql(file))?;
    let mut out: HashMap<String, Vec<StoredEvent>> = HashMap::new();
    for r in rows {
        let (id, e) = r.map_err(sql(file))?;
        out.entry(id).or_default().push(e);
    }
    Ok(out)
}

/// Checks that a model stream exists.
pub(crate) fn require_stream<'m>(
    doc: &'m Document,
    stream: &str,
) -> Result<&'m tributary_core::Stream> {
    doc.model().stream(stream).ok_or_else(|| Error::NoStream {
        path: doc.path().to_owned(),
        stream: stream.to_owned(),
        available: doc.model().streams.iter().map(|s| s.id.clone()).collect(),
    })
}

/// Imports `input` into the stream's telemetry, in one transaction.
pub fn import(
    doc: &mut Document,
    input: &Path,
    opts: &ImportOptions,
    control: Control<'_>,
) -> Result<ImportReport> {
    let file = doc.path().to_owned();
    let stream = require_stream(doc, &opts.stream)?.clone();
    if opts.imported_at.parse::<jiff::Timestamp>().is_err() {
        return Err(Error::Invalid(format!(
            "imported_at {:?} is not an RFC 3339 time",
            opts.imported_at
        )));
    }
    if let Some(m) = &opts.mapping {
        m.check_stages(&stream).map_err(Error::Invalid)?;
    }
    let stored_mapping = mapping::load(doc.connection(), &file, &opts.stream)?;
    let effective = opts
        .mapping
        .clone()
        .unwrap_or_else(|| stored_mapping.clone());
    let cx = Context {
        path: input,
        zone: zone_of(opts.time_zone.as_deref())?,
        personal: opts.personal,
        mapping: &effective,
        control,
    };
    let mut parsed = formats::parse_file(opts.format, &cx)?;
    let stored = if parsed.events.is_empty() {
        HashMap::new()
    } else {
        stored_events(doc.connection(), &file, &opts.stream)?
    };
    let ordered = check(&mut parsed, &stored, &cx)?;
    check_deliveries(&parsed, &cx)?;
    let source = opts.source.clone().unwrap_or_else(|| {
        input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    let mapping_changed = opts.mapping.as_ref().is_some_and(|m| *m != stored_mapping);

    let mut report = ImportReport {
        import_id: None,
        stream: opts.stream.clone(),
        format: opts.format,
        source: source.clone(),
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

    let note = if parsed.limitations.is_empty() {
        None
    } else {
        Some(parsed.limitations.join("\n"))
    };
    let import_id = doc.write(|tx| -> Result<Option<i64>> {
        let err = sql(&file);
        tx.execute(
            "INSERT INTO telemetry_imports (stream_id, source, format, imported_at, rows_read,
                items_added, events_added, events_existing, deliveries_added, personal_data, note)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, ?6, ?7)",
            params![
                opts.stream,
                source,
                opts.format.as_str(),
                opts.imported_at,
                parsed.rows as i64,
                opts.personal as i64,
                note
            ],
        )
        .map_err(&err)?;
        let id = tx.last_insert_rowid();
        let total = parsed.events.len() as u64
            + parsed.deployments.len() as u64
            + parsed.changes.len() as u64
            + parsed.incidents.len() as u64;
        let mut written = 0u64;
        let mut tick = |n: u64| -> Result<()> {
            control.check()?;
            let before = written;
            written += n;
            if before == 0 || written / 50_000 != before / 50_000 || written == total {
                control.report(Phase::Writing, written, total);
            }
            Ok(())
        };

        // Items.
        let mut rowid = vec![0i64; parsed.items.len()];
        {
            let mut find = tx
                .prepare(
                    "SELECT id, item_type, title, link, assignee FROM telemetry_items WHERE stream_id = ?1 AND item_id = ?2",
                )
                .map_err(&err)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO telemetry_items (stream_id, item_id, item_type, title, link, assignee) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&err)?;
            let mut update = tx
                .prepare(
                    "UPDATE telemetry_items SET item_type = ?2, title = ?3, link = ?4, assignee = ?5 WHERE id = ?1",
                )
                .map_err(&err)?;
            for (n, it) in parsed.items.iter().enumerate() {
                type Row = (i64, String, Option<String>, Option<String>, Option<String>);
                let found: Option<Row> = find
                    .query_row(params![opts.stream, it.id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()
                    .map_err(&err)?;
                match found {
                    Some((rid, ty, title, link, who)) => {
                        rowid[n] = rid;
                        let title2 = it.title.clone().or(title.clone());
                        let link2 = it.link.clone().or(link.clone());
                        let who2 = it.assignee.clone().or(who.clone());
                        if ty != it.item_type || title2 != title || link2 != link || who2 != who {
                            update
                                .execute(params![rid, it.item_type, title2, link2, who2])
                                .map_err(&err)?;
                            report.items_updated += 1;
                        }
                    }
                    None => {
                        insert
                            .execute(params![
                                opts.stream,
                                it.id,
                                it.item_type,
                                it.title,
                                it.link,
                                it.assignee
                            ])
                            .map_err(&err)?;
                        rowid[n] = tx.last_insert_rowid();
                        report.items_added += 1;
                    }
                }
            }
        }

        // Events, in each item's order.
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR IGNORE INTO telemetry_events (item, ts, from_state, to_state, blocked, seq, import_id, actor)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
            let stored_count = |n: usize| {
                stored
                    .get(parsed.items[n].id.as_str())
                    .map_or(0, |v| v.len())
            };
            for (n, idx) in ordered.iter().enumerate() {
                let base = stored_count(n);
                for (k, &i) in idx.iter().enumerate() {
                    let e = &parsed.events[i];
                    let added = insert
                        .execute(params![
                            rowid[n],
                            e.at,
                            e.from,
                            e.to,
                            e.blocked.map(i64::from),
                            (base + k) as i64,
                            id,
                            e.actor
                        ])
                        .map_err(&err)?;
                    report.events_added += added as u64;
                }
                tick(idx.len() as u64)?;
            }
            report.events_existing = report.events - report.events_added;
        }

        // Deliveries.
        {
            let mut dep = tx
                .prepare(
                    "INSERT OR IGNORE INTO telemetry_deployments (stream_id, id, deployed_at, environment, succeeded, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&err)?;
            for d in &parsed.deployments {
                report.deployments_added += dep
                    .execute(params![opts.stream, d.id, d.at, d.environment, d.succeeded as i64, id])
                    .map_err(&err)? as u64;
                tick(1)?;
            }
            let mut ch = tx
                .prepare(
                    "INSERT OR IGNORE INTO telemetry_changes (stream_id, id, committed_at, deployed_at, deployment_id, author, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&err)?;
            for c in &parsed.changes {
                report.changes_added += ch
                    .execute(params![
                        opts.stream,
                        c.id,
                        c.committed_at,
                        c.deployed_at,
                        c.deployment_id,
                        c.author,
                        id
                    ])
                    .map_err(&err)? as u64;
                tick(1)?;
            }
            let mut inc = tx
                .prepare(
                    "INSERT OR IGNORE INTO telemetry_incidents (stream_id, id, opened_at, resolved_at, deployment_id, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&err)?;
            let mut resolve = tx
                .prepare(
                    "UPDATE telemetry_incidents SET resolved_at = ?3,
                        deployment_id = COALESCE(deployment_id, ?4)
                     WHERE stream_id = ?1 AND id = ?2 AND resolved_at IS NULL",
                )
                .map_err(&err)?;
            for i in &parsed.incidents {
                let added = inc
                    .execute(params![opts.stream, i.id, i.opened_at, i.resolved_at, i.deployment_id, id])
                    .map_err(&err)?;
                report.incidents_added += added as u64;
                if added == 0 && i.resolved_at.is_some() {
                    report.incidents_resolved += resolve
                        .execute(params![opts.stream, i.id, i.resolved_at, i.deployment_id])
                        .map_err(&err)? as u64;
                }
                tick(1)?;
            }
        }

        control.check()?;
        if mapping_changed && let Some(m) = &opts.mapping {
            mapping::save(tx, &file, &opts.stream, m)?;
        }

        let deliveries = report.deployments_added + report.changes_added + report.incidents_added;
        let changed = report.items_added
            + report.items_updated
            + report.events_added
            + deliveries
            + report.incidents_resolved
            > 0;
        if !changed {
            // Nothing new: not even the record of an import is kept.
            tx.execute("DELETE FROM telemetry_imports WHERE id = ?1", [id])
                .map_err(&err)?;
            return Ok(None);
        }
        tx.execute(
            "UPDATE telemetry_imports SET items_added = ?2, events_added = ?3, events_existing = ?4,
                deliveries_added = ?5 WHERE id = ?1",
            params![
                id,
                report.items_added as i64,
                report.events_added as i64,
                report.events_existing as i64,
                deliveries as i64
            ],
        )
        .map_err(&err)?;
        Ok(Some(id))
    })?;
    report.import_id = import_id;
    if parsed.is_work_items() || mapping_changed {
        let (statuses, types) = (
            status_counts(doc, &opts.stream)?,
            type_counts(doc, &opts.stream)?,
        );
        report.unmapped_statuses = statuses
            .into_iter()
            .filter(|s| s.state.is_none())
            .map(|s| Count {
                name: s.status,
                count: s.events,
            })
            .collect();
        report.unmapped_types = types
            .into_iter()
            .filter(|t| t.kind.is_none())
            .map(|t| Count {
                name: t.item_type,
                count: t.items,
            })
            .collect();
    }
    Ok(report)
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

/// Every raw status of the stream's stored log, in the mapping's order and then by first
/// appearance, with its counts and mapping: the rows of the app's mapping table.
pub fn status_counts(doc: &Document, stream: &str) -> Result<Vec<StatusCount>> {
    let file = doc.path();
    let conn = doc.connection();
    let m = mapping::load(conn, file, stream)?;
    let mut stmt = conn
        .prepare(
            "SELECT s, SUM(entering), MIN(first) FROM (
                SELECT e.to_state AS s, (e.from_state <> e.to_state) AS entering, e.ts AS first
                FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item WHERE i.stream_id = ?1
                UNION ALL
                SELECT e.from_state, 0, e.ts
                FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
                WHERE i.stream_id = ?1 AND e.from_state <> ''
             ) GROUP BY s ORDER BY MIN(first), s",
        )
        .map_err(sql(file))?;
    let rows = stmt
        .query_map([stream], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .map_err(sql(file))?;
    let mut out = Vec::new();
    for r in rows {
        let (status, events) = r.map_err(sql(file))?;
        out.push(StatusCount {
            state: m.state_of(&status),
            stage: m.stage_of(&status).map(str::to_owned),
            status,
            events: events.max(0) as u64,
            items_now: 0,
        });
    }
    // Items now: the latest event of each item.
    let mut latest = conn
        .prepare(
            "SELECT e.item, e.to_state FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
             WHERE i.stream_id = ?1 ORDER BY e.item, e.ts, e.seq",
        )
        .map_err(sql(file))?;
    let rows = latest
        .query_map([stream], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(sql(file))?;
    let mut last: Option<(i64, String)> = None;
    let mut now: HashMap<String, u64> = HashMap::new();
    for r in rows {
        let (item, to) = r.map_err(sql(file))?;
        if let Some((prev, s)) = last.take()
            && prev != item
        {
            *now.entry(s).or_default() += 1;
        }
        last = Some((item, to));
    }
    if let Some((_, s)) = last {
        *now.entry(s).or_default() += 1;
    }
    for s in &mut out {
        s.items_now = now.get(&s.status).copied().unwrap_or(0);
    }
    // The mapping's order first (the workflow), then the rest as they appeared.
    let pos = |s: &StatusCount| {
        m.states
            .iter()
            .position(|x| x.status == s.status)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|s| pos(s));
    Ok(out)
}

/// Every raw item type of the stream with its count and mapping.
pub fn type_counts(doc: &Document, stream: &str) -> Result<Vec<TypeCount>> {
    let file = doc.path();
    let conn = doc.connection();
    let m = mapping::load(conn, file, stream)?;
    let mut stmt = conn
        .prepare(
            "SELECT item_type, COUNT(*) FROM telemetry_items WHERE stream_id = ?1
             GROUP BY item_type ORDER BY COUNT(*) DESC, item_type",
        )
        .map_err(sql(file))?;
    let rows = stmt
        .query_map([stream], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .map_err(sql(file))?;
    let mut out = Vec::new();
    for r in rows {
        let (t, n) = r.map_err(sql(file))?;
        out.push(TypeCount {
            kind: m.kind_of(&t),
            item_type: t,
            items: n.max(0) as u64,
        });
    }
    Ok(out)
}

/// Replaces a stream's mapping (the app's mapping table, `tributary telemetry map`).
pub fn set_mapping(doc: &mut Document, stream: &str, m: &Mapping) -> Result<()> {
    let s = require_stream(doc, stream)?.clone();
    m.check_stages(&s).map_err(Error::Invalid)?;
    let file = doc.path().to_owned();
    doc.write(|tx| mapping::save(tx, &file, stream, m))
}

/// The stream's stored mapping.
pub fn get_mapping(doc: &Document, stream: &str) -> Result<Mapping> {
    mapping::load(doc.connection(), doc.path(), stream)
}

/// One recorded import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportRecord {
    pub id: i64,
    pub stream: String,
    pub source: String,
    pub format: String,
    pub imported_at: String,
    pub rows: u64,
    pub items_added: u64,
    pub events_added: u64,
    pub deliveries_added: u64,
    pub personal_data: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// The imports recorded in the file (of one stream, or all), oldest first.
pub fn imports(doc: &Document, stream: Option<&str>) -> Result<Vec<ImportRecord>> {
    let file = doc.path();
    let mut stmt = doc
        .connection()
        .prepare(
            "SELECT id, stream_id, source, format, imported_at, rows_read, items_added, events_added,
                    deliveries_added, personal_data, note
             FROM telemetry_imports WHERE ?1 IS NULL OR stream_id = ?1 ORDER BY id",
        )
        .map_err(sql(file))?;
    let rows = stmt
        .query_map([stream], |r| {
            Ok(ImportRecord {
                id: r.get(0)?,
                stream: r.get(1)?,
                source: r.get(2)?,
                format: r.get(3)?,
                imported_at: r.get(4)?,
                rows: r.get::<_, i64>(5)?.max(0) as u64,
                items_added: r.get::<_, i64>(6)?.max(0) as u64,
                events_added: r.get::<_, i64>(7)?.max(0) as u64,
                deliveries_added: r.get::<_, i64>(8)?.max(0) as u64,
                personal_data: r.get::<_, i64>(9)? != 0,
                note: r.get(10)?,
            })
        })
        .map_err(sql(file))?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql(file))
}
