//! A stream's event log in memory, compact for computing: statuses and types are interned,
//! each item's events are in time order. The store reads it from the model file; tests and
//! previews build it from neutral event rows.

use std::collections::HashMap;

pub use tributary_core::telemetry::{Ev, History, Interner, Item};

use crate::error::{Error, Result};
use crate::event::EventRow;
use crate::time::parse_instant;

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

/// The history an export alone describes, as if it were the first import into an empty
/// stream: each item's events in time order (the order of the export among equal times).
pub fn of_parsed(stream: &str, parsed: &crate::event::Parsed) -> History {
    let mut statuses = Interner::default();
    let mut types = Interner::default();
    let mut items: Vec<Item> = parsed
        .items
        .iter()
        .map(|it| Item {
            id: it.id.clone(),
            item_type: types.get(&it.item_type),
            title: it.title.clone(),
            events: Vec::new(),
        })
        .collect();
    for e in &parsed.events {
        items[e.item as usize].events.push(Ev {
            at: e.at,
            from: (!e.from.is_empty()).then(|| statuses.get(&e.from)),
            to: statuses.get(&e.to),
            blocked: e.blocked,
        });
    }
    items.retain(|it| !it.events.is_empty());
    for it in &mut items {
        it.events.sort_by_key(|e| e.at);
    }
    History {
        stream: stream.to_owned(),
        statuses: statuses.names,
        types: types.names,
        items,
    }
}
