//! The telemetry kept beside the model (migration 004): a stream's work-item event log, its
//! deliveries, and the record of each import. Read into the engine's plain data
//! (`tributary_core::telemetry`) and written from it; the telemetry crate computes, this
//! module only stores. An import is one transaction: a failure or a cancel stores nothing.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use tributary_core::telemetry::*;

use crate::error::{Error, Result};
use crate::schema::classify;
use crate::{Document, Mode};

/// Called as rows are written with (written, total); returning false cancels the import.
pub type Tick<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

impl Document {
    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |e| classify(&self.path, e)
    }

    /// A stream's stored work-item history, each item's events in time order.
    pub fn item_history(&self, stream: &str) -> Result<History> {
        let err = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.item, i.item_id, i.item_type, i.title, e.ts, e.from_state, e.to_state, e.blocked
                 FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
                 WHERE i.stream_id = ?1 ORDER BY e.item, e.ts, e.seq",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([stream]).map_err(&err)?;
        let (mut statuses, mut types) = (Interner::default(), Interner::default());
        let mut items: Vec<Item> = Vec::new();
        let mut current: Option<i64> = None;
        while let Some(r) = rows.next().map_err(&err)? {
            let key: i64 = r.get(0).map_err(&err)?;
            if current != Some(key) {
                current = Some(key);
                let ty: String = r.get(2).map_err(&err)?;
                items.push(Item {
                    id: r.get(1).map_err(&err)?,
                    item_type: types.get(&ty),
                    title: r.get(3).map_err(&err)?,
                    events: Vec::new(),
                });
            }
            let from: String = r.get(5).map_err(&err)?;
            let to: String = r.get(6).map_err(&err)?;
            let blocked: Option<i64> = r.get(7).map_err(&err)?;
            let ev = Ev {
                at: r.get(4).map_err(&err)?,
                from: (!from.is_empty()).then(|| statuses.get(&from)),
                to: statuses.get(&to),
                blocked: blocked.map(|b| b != 0),
            };
            if let Some(last) = items.last_mut() {
                last.events.push(ev);
            }
        }
        Ok(History {
            stream: stream.to_owned(),
            statuses: statuses.names,
            types: types.names,
            items,
        })
    }

    /// The stored events of a stream's items, by item id, in time order.
    pub fn stored_events(&self, stream: &str) -> Result<HashMap<String, Vec<StoredEvent>>> {
        let err = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.item_id, e.ts, e.from_state, e.to_state, e.import_id
                 FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
                 WHERE i.stream_id = ?1 ORDER BY e.item, e.ts, e.seq",
            )
            .map_err(&err)?;
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
            .map_err(&err)?;
        let mut out: HashMap<String, Vec<StoredEvent>> = HashMap::new();
        for r in rows {
            let (id, e) = r.map_err(&err)?;
            out.entry(id).or_default().push(e);
        }
        Ok(out)
    }

    /// The distinct raw statuses and item types of a stream's stored log (to check a mapping's
    /// keys against), each sorted.
    pub fn telemetry_names(&self, stream: &str) -> Result<(Vec<String>, Vec<String>)> {
        let err = self.sql();
        let names = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql).map_err(&err)?;
            let rows = stmt.query_map([stream], |r| r.get::<_, String>(0));
            rows.and_then(Iterator::collect).map_err(&err)
        };
        let statuses = names(
            "SELECT e.to_state FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
             WHERE i.stream_id = ?1
             UNION SELECT e.from_state FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
             WHERE i.stream_id = ?1 AND e.from_state <> '' ORDER BY 1",
        )?;
        let types = names(
            "SELECT DISTINCT item_type FROM telemetry_items WHERE stream_id = ?1 ORDER BY 1",
        )?;
        Ok((statuses, types))
    }

    /// The delivery data of one stream, or of all streams.
    pub fn deliveries(&self, stream: Option<&str>) -> Result<Deliveries> {
        let err = self.sql();
        let query = |sql: &str| self.conn.prepare(sql).map_err(&err);
        let mut d = Deliveries::default();
        let mut stmt = query(
            "SELECT stream_id, id, deployed_at, environment, succeeded FROM telemetry_deployments
             WHERE ?1 IS NULL OR stream_id = ?1 ORDER BY deployed_at",
        )?;
        let rows = stmt.query_map([stream], |r| {
            Ok(DeploymentRow {
                stream: r.get(0)?,
                id: r.get(1)?,
                at: r.get(2)?,
                environment: r.get(3)?,
                succeeded: r.get::<_, i64>(4)? != 0,
            })
        });
        d.deployments = rows.and_then(Iterator::collect).map_err(&err)?;
        let mut stmt = query(
            "SELECT committed_at, deployed_at FROM telemetry_changes
             WHERE ?1 IS NULL OR stream_id = ?1 ORDER BY deployed_at",
        )?;
        let rows = stmt.query_map([stream], |r| {
            Ok(ChangeRow {
                committed_at: r.get(0)?,
                deployed_at: r.get(1)?,
            })
        });
        d.changes = rows.and_then(Iterator::collect).map_err(&err)?;
        let mut stmt = query(
            "SELECT stream_id, opened_at, resolved_at, deployment_id FROM telemetry_incidents
             WHERE ?1 IS NULL OR stream_id = ?1 ORDER BY opened_at",
        )?;
        let rows = stmt.query_map([stream], |r| {
            Ok(IncidentRow {
                stream: r.get(0)?,
                opened_at: r.get(1)?,
                resolved_at: r.get(2)?,
                deployment_id: r.get(3)?,
            })
        });
        d.incidents = rows.and_then(Iterator::collect).map_err(&err)?;
        Ok(d)
    }

    /// The imports recorded in the file (of one stream, or all), oldest first.
    pub fn telemetry_imports(&self, stream: Option<&str>) -> Result<Vec<ImportRecord>> {
        let err = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, stream_id, source, format, imported_at, rows_read, items_added, events_added,
                        deliveries_added, personal_data, note
                 FROM telemetry_imports WHERE ?1 IS NULL OR stream_id = ?1 ORDER BY id",
            )
            .map_err(&err)?;
        let count = |r: &rusqlite::Row<'_>, i| r.get::<_, i64>(i).map(|n| n.max(0) as u64);
        let rows = stmt.query_map([stream], |r| {
            Ok(ImportRecord {
                id: r.get(0)?,
                stream: r.get(1)?,
                source: r.get(2)?,
                format: r.get(3)?,
                imported_at: r.get(4)?,
                rows: count(r, 5)?,
                items_added: count(r, 6)?,
                events_added: count(r, 7)?,
                deliveries_added: count(r, 8)?,
                personal_data: r.get::<_, i64>(9)? != 0,
                note: r.get(10)?,
            })
        });
        rows.and_then(Iterator::collect).map_err(&err)
    }

    /// Stores an import in one transaction: its items, new events, deliveries and record.
    /// Rows already stored are left alone, so a re-import adds nothing; when nothing at all is
    /// new, not even the record is kept.
    pub fn store_import(&mut self, batch: ImportBatch<'_>, tick: Tick<'_>) -> Result<ImportCounts> {
        if self.mode == Mode::ReadOnly {
            return Err(self.read_only());
        }
        let path = self.path.clone();
        let err = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut w = ImportWriter {
            tx: &tx,
            path: &path,
            batch,
            tick,
            written: 0,
            counts: ImportCounts::default(),
        };
        let counts = w.run()?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(counts)
    }
}

/// Writes one import inside its transaction.
struct ImportWriter<'t, 'b> {
    tx: &'t Transaction<'t>,
    path: &'t std::path::Path,
    batch: ImportBatch<'b>,
    tick: Tick<'b>,
    written: u64,
    counts: ImportCounts,
}

impl ImportWriter<'_, '_> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |e| classify(self.path, e)
    }

    fn total(&self) -> u64 {
        let p = self.batch.parsed;
        (p.events.len() + p.deployments.len() + p.changes.len() + p.incidents.len()) as u64
    }

    /// Counts written rows; false from the caller's tick cancels.
    fn step(&mut self, n: u64) -> Result<()> {
        self.written += n;
        let (written, total) = (self.written, self.total());
        if (self.tick)(written, total) {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    }

    fn run(&mut self) -> Result<ImportCounts> {
        let id = self.record()?;
        let rowids = self.items()?;
        self.events(&rowids, id)?;
        self.deployments(id)?;
        self.changes(id)?;
        self.incidents(id)?;
        self.step(0)?;
        self.finish(id)?;
        Ok(std::mem::take(&mut self.counts))
    }

    fn record(&self) -> Result<i64> {
        let r = self.batch.import;
        self.tx
            .execute(
                "INSERT INTO telemetry_imports (stream_id, source, format, imported_at, rows_read,
                    items_added, events_added, events_existing, deliveries_added, personal_data, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, ?6, ?7)",
                params![
                    r.stream,
                    r.source,
                    r.format,
                    r.imported_at,
                    r.rows as i64,
                    r.personal as i64,
                    r.note
                ],
            )
            .map_err(self.err())?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Adds new items and updates changed ones; returns each item's row id.
    fn items(&mut self) -> Result<Vec<i64>> {
        let err = |e| classify(self.path, e);
        let stream = &self.batch.import.stream;
        let mut find = self
            .tx
            .prepare(
                "SELECT id, item_type, title, link, assignee FROM telemetry_items WHERE stream_id = ?1 AND item_id = ?2",
            )
            .map_err(err)?;
        let mut insert = self
            .tx
            .prepare(
                "INSERT INTO telemetry_items (stream_id, item_id, item_type, title, link, assignee) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(err)?;
        let mut update = self
            .tx
            .prepare(
                "UPDATE telemetry_items SET item_type = ?2, title = ?3, link = ?4, assignee = ?5 WHERE id = ?1",
            )
            .map_err(err)?;
        let mut rowids = Vec::with_capacity(self.batch.parsed.items.len());
        for it in &self.batch.parsed.items {
            type Found = (i64, String, Option<String>, Option<String>, Option<String>);
            let found: Option<Found> = find
                .query_row(params![stream, it.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()
                .map_err(err)?;
            let Some((rid, ty, title, link, who)) = found else {
                insert
                    .execute(params![
                        stream,
                        it.id,
                        it.item_type,
                        it.title,
                        it.link,
                        it.assignee
                    ])
                    .map_err(err)?;
                rowids.push(self.tx.last_insert_rowid());
                self.counts.items_added += 1;
                continue;
            };
            rowids.push(rid);
            // The newest export knows best, but does not forget what an earlier one said.
            let new_title = it.title.clone().or(title.clone());
            let new_link = it.link.clone().or(link.clone());
            let new_who = it.assignee.clone().or(who.clone());
            if ty != it.item_type || new_title != title || new_link != link || new_who != who {
                update
                    .execute(params![rid, it.item_type, new_title, new_link, new_who])
                    .map_err(err)?;
                self.counts.items_updated += 1;
            }
        }
        Ok(rowids)
    }

    /// The new events, in each item's order after the ones stored already.
    fn events(&mut self, rowids: &[i64], id: i64) -> Result<()> {
        let (parsed, order, stored) = (self.batch.parsed, self.batch.order, self.batch.stored);
        for (n, idx) in order.iter().enumerate() {
            let mut insert = self
                .tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO telemetry_events (item, ts, from_state, to_state, blocked, seq, import_id, actor)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(self.err())?;
            let base = stored.get(n).copied().unwrap_or(0);
            for (k, &i) in idx.iter().enumerate() {
                let e = &parsed.events[i];
                let added = insert
                    .execute(params![
                        rowids[n],
                        e.at,
                        e.from,
                        e.to,
                        e.blocked.map(i64::from),
                        (base + k) as i64,
                        id,
                        e.actor
                    ])
                    .map_err(self.err())?;
                self.counts.events_added += added as u64;
            }
            drop(insert);
            self.step(idx.len() as u64)?;
        }
        Ok(())
    }

    fn deployments(&mut self, id: i64) -> Result<()> {
        let stream = self.batch.import.stream.clone();
        for d in &self.batch.parsed.deployments {
            let added = self
                .tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO telemetry_deployments (stream_id, id, deployed_at, environment, succeeded, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .and_then(|mut s| {
                    s.execute(params![stream, d.id, d.at, d.environment, d.succeeded as i64, id])
                })
                .map_err(self.err())?;
            self.counts.deployments_added += added as u64;
            self.step(1)?;
        }
        Ok(())
    }

    fn changes(&mut self, id: i64) -> Result<()> {
        let stream = self.batch.import.stream.clone();
        for c in &self.batch.parsed.changes {
            let added = self
                .tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO telemetry_changes (stream_id, id, committed_at, deployed_at, deployment_id, author, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        stream,
                        c.id,
                        c.committed_at,
                        c.deployed_at,
                        c.deployment_id,
                        c.author,
                        id
                    ])
                })
                .map_err(self.err())?;
            self.counts.changes_added += added as u64;
            self.step(1)?;
        }
        Ok(())
    }

    /// New incidents, and stored open ones that the import shows resolved.
    fn incidents(&mut self, id: i64) -> Result<()> {
        let stream = self.batch.import.stream.clone();
        for i in &self.batch.parsed.incidents {
            let added = self
                .tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO telemetry_incidents (stream_id, id, opened_at, resolved_at, deployment_id, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .and_then(|mut s| {
                    s.execute(params![stream, i.id, i.opened_at, i.resolved_at, i.deployment_id, id])
                })
                .map_err(self.err())?;
            self.counts.incidents_added += added as u64;
            if added == 0 && i.resolved_at.is_some() {
                let resolved = self
                    .tx
                    .prepare_cached(
                        "UPDATE telemetry_incidents SET resolved_at = ?3,
                            deployment_id = COALESCE(deployment_id, ?4)
                         WHERE stream_id = ?1 AND id = ?2 AND resolved_at IS NULL",
                    )
                    .and_then(|mut s| {
                        s.execute(params![stream, i.id, i.resolved_at, i.deployment_id])
                    })
                    .map_err(self.err())?;
                self.counts.incidents_resolved += resolved as u64;
            }
            self.step(1)?;
        }
        Ok(())
    }

    /// Completes the record with what was added, or drops it when nothing was new.
    fn finish(&mut self, id: i64) -> Result<()> {
        let c = &self.counts;
        let deliveries = c.deployments_added + c.changes_added + c.incidents_added;
        let changed =
            c.items_added + c.items_updated + c.events_added + deliveries + c.incidents_resolved
                > 0;
        if !changed {
            self.tx
                .execute("DELETE FROM telemetry_imports WHERE id = ?1", [id])
                .map_err(self.err())?;
            return Ok(());
        }
        let existing = self.batch.parsed.events.len() as u64 - c.events_added;
        self.tx
            .execute(
                "UPDATE telemetry_imports SET items_added = ?2, events_added = ?3, events_existing = ?4,
                    deliveries_added = ?5 WHERE id = ?1",
                params![
                    id,
                    c.items_added as i64,
                    c.events_added as i64,
                    existing as i64,
                    deliveries as i64
                ],
            )
            .map_err(self.err())?;
        self.counts.import_id = Some(id);
        Ok(())
    }
}
