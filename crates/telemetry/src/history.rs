//! A stream's event log in memory, compact for computing: statuses and types are interned,
//! each item's events are in time order.

use std::collections::HashMap;
use std::path::Path;

use tributary_store::Document;

use crate::error::{Error, Result, sql};
use crate::event::EventRow;
use crate::time::parse_instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ev {
    /// UTC milliseconds.
    pub at: i64,
    /// The status left (index into [`History::statuses`]); `None` when created.
    pub from: Option<u32>,
    pub to: u32,
    pub blocked: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    /// Index into [`History::types`].
    pub item_type: u32,
    pub title: Option<String>,
    pub events: Vec<Ev>,
}

/// The work-item history of one stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub stream: String,
    pub statuses: Vec<String>,
    pub types: Vec<String>,
    pub items: Vec<Item>,
}

#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }
}

impl History {
    /// Loads the stream's stored history.
    pub fn load(doc: &Document, stream: &str) -> Result<History> {
        History::load_from(doc.connection(), doc.path(), stream)
    }

    pub fn load_from(conn: &rusqlite::Connection, file: &Path, stream: &str) -> Result<History> {
        let mut stmt = conn
            .prepare(
                "SELECT e.item, i.item_id, i.item_type, i.title, e.ts, e.from_state, e.to_state, e.blocked
                 FROM telemetry_events e JOIN telemetry_items i ON i.id = e.item
                 WHERE i.stream_id = ?1 ORDER BY e.item, e.ts, e.seq",
            )
            .map_err(sql(file))?;
        let mut rows = stmt.query([stream]).map_err(sql(file))?;
        let mut statuses = Interner::default();
        let mut types = Interner::default();
        let mut items: Vec<Item> = Vec::new();
        let mut current: Option<i64> = None;
        while let Some(r) = rows.next().map_err(sql(file))? {
            let key: i64 = r.get(0).map_err(sql(file))?;
            if current != Some(key) {
                current = Some(key);
                let id: String = r.get(1).map_err(sql(file))?;
                let ty: String = r.get(2).map_err(sql(file))?;
                items.push(Item {
                    id,
                    item_type: types.get(&ty),
                    title: r.get(3).map_err(sql(file))?,
                    events: Vec::new(),
                });
            }
            let from: String = r.get(5).map_err(sql(file))?;
            let to: String = r.get(6).map_err(sql(file))?;
            let blocked: Option<i64> = r.get(7).map_err(sql(file))?;
            let ev = Ev {
                at: r.get(4).map_err(sql(file))?,
                from: if from.is_empty() {
                    None
                } else {
                    Some(statuses.get(&from))
                },
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

    /// Builds a history from neutral event rows (tests, previews). Rows of an item are put in
    /// time order, keeping the given order among equal times.
    pub fn from_rows(stream: &str, rows: &[EventRow]) -> Result<History> {
        let mut statuses = Interner::default();
        let mut types = Interner::default();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut items: Vec<Item> = Vec::new();
        for (n, r) in rows.iter().enumerate() {
            let at = parse_instant(&r.timestamp, &crate::time::Zone::default(), false)
                .map_err(|m| Error::Invalid(format!("row {}: {m}", n + 1)))?;
            let k = *index.entry(r.item_id.as_str()).or_insert_with(|| {
                items.push(Item {
                    id: r.item_id.clone(),
                    item_type: types.get(&r.item_type),
                    title: None,
                    events: Vec::new(),
                });
                items.len() - 1
            });
            items[k].events.push(Ev {
                at,
                from: if r.from_state.is_empty() {
                    None
                } else {
                    Some(statuses.get(&r.from_state))
                },
                to: statuses.get(&r.to_state),
                blocked: r.blocked,
            });
        }
        for it in &mut items {
            it.events.sort_by_key(|e| e.at);
            // Reallocate in item order so that one item's events sit near the next one's.
            it.events = it.events.clone();
        }
        Ok(History {
            stream: stream.to_owned(),
            statuses: statuses.names,
            types: types.names,
            items,
        })
    }

    /// The first and last UTC day with an event.
    pub fn span(&self) -> Option<(i64, i64)> {
        let mut lo = i64::MAX;
        let mut hi = i64::MIN;
        for it in &self.items {
            if let (Some(f), Some(l)) = (it.events.first(), it.events.last()) {
                lo = lo.min(f.at);
                hi = hi.max(l.at);
            }
        }
        (lo <= hi).then(|| (crate::time::day_of(lo), crate::time::day_of(hi)))
    }

    pub fn event_count(&self) -> usize {
        self.items.iter().map(|i| i.events.len()).sum()
    }
}
