//! The neutral log of measured work: what every telemetry import format is turned into, what
//! the model file keeps of it, and what is read back for computing. Data only: the telemetry
//! crate parses and computes, the store reads and writes.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where in an input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of a CSV file (1-based, the header is line 1).
    Line(u64),
    /// A place in a JSON export, such as `issue PROJ-12, history 10045`.
    At(String),
    /// Data stored by an earlier import.
    Stored { import: i64 },
    /// The file as a whole.
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::At(s) => f.write_str(s),
            Location::Stored { import } => write!(f, "stored by import {import}"),
            Location::File => f.write_str("the file"),
        }
    }
}

/// A work item as an export describes it. Personal fields are filled only when the user
/// asked for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInfo {
    pub id: String,
    /// The raw item type ("Story", "Bug"), mapped to a flow item kind by the mapping.
    pub item_type: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub assignee: Option<String>,
}

/// One move of an item between raw statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Index into [`Parsed::items`].
    pub item: u32,
    /// UTC milliseconds since the Unix epoch.
    pub at: i64,
    /// The status left; empty when the item was created.
    pub from: String,
    pub to: String,
    /// The item is blocked (or no longer) from this moment; `None` when the export says nothing.
    pub blocked: Option<bool>,
    /// Who made the change (only when personal data was asked for).
    pub actor: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub id: String,
    pub at: i64,
    pub environment: String,
    pub succeeded: bool,
    pub location: Location,
}

/// A change (commit) and when it reached production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRecord {
    pub id: String,
    pub committed_at: i64,
    pub deployed_at: i64,
    pub deployment_id: Option<String>,
    pub author: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    pub opened_at: i64,
    pub resolved_at: Option<i64>,
    /// The deployment that caused it, if known.
    pub deployment_id: Option<String>,
    pub location: Location,
}

/// What a parser made of one input file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub items: Vec<ItemInfo>,
    pub events: Vec<Event>,
    pub deployments: Vec<Deployment>,
    pub changes: Vec<ChangeRecord>,
    pub incidents: Vec<Incident>,
    /// Records read (CSV rows, JSON entries).
    pub rows: u64,
    /// What this format cannot measure, in sentences for people.
    pub limitations: Vec<String>,
    /// What was read but left out, and why ("3 pipelines still running were skipped").
    pub notes: Vec<String>,
    index: HashMap<String, u32>,
}

impl Parsed {
    /// The index of item `id`, added with `item_type` if new; a later non-empty type, title
    /// or link replaces an earlier one (the newest export knows best).
    pub fn item(&mut self, id: &str, item_type: &str) -> u32 {
        if let Some(&i) = self.index.get(id) {
            if !item_type.is_empty() {
                let it = &mut self.items[i as usize];
                if it.item_type != item_type {
                    it.item_type = item_type.to_owned();
                }
            }
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(ItemInfo {
            id: id.to_owned(),
            item_type: if item_type.is_empty() {
                "item".to_owned()
            } else {
                item_type.to_owned()
            },
            title: None,
            link: None,
            assignee: None,
        });
        self.index.insert(id.to_owned(), i);
        i
    }

    pub fn set_title(&mut self, item: u32, title: Option<&str>) {
        if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
            self.items[item as usize].title = Some(t.to_owned());
        }
    }

    pub fn set_link(&mut self, item: u32, link: Option<&str>) {
        if let Some(t) = link.map(str::trim).filter(|t| !t.is_empty()) {
            self.items[item as usize].link = Some(t.to_owned());
        }
    }

    pub fn set_assignee(&mut self, item: u32, who: Option<&str>) {
        if let Some(t) = who.map(str::trim).filter(|t| !t.is_empty()) {
            self.items[item as usize].assignee = Some(t.to_owned());
        }
    }

    pub fn is_work_items(&self) -> bool {
        !self.items.is_empty() || !self.events.is_empty()
    }
}

/// What an import stores: its record, the parsed log, and per item the indices of the events
/// that are new (in time order) after the events already stored.
#[derive(Debug, Clone, Copy)]
pub struct ImportBatch<'a> {
    pub import: &'a NewImport,
    pub parsed: &'a Parsed,
    /// Per item of `parsed`, the indices into `parsed.events` of its new events, in order.
    pub order: &'a [Vec<usize>],
    /// Per item of `parsed`, how many of its events are stored already.
    pub stored: &'a [usize],
}

/// The record of an import, as it is about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImport {
    pub stream: String,
    pub source: String,
    pub format: String,
    /// RFC 3339, given by the caller (nothing here reads a clock).
    pub imported_at: String,
    pub rows: u64,
    pub personal: bool,
    /// What the format cannot measure, one sentence per line.
    pub note: Option<String>,
}

/// What storing an import added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// `None` when nothing was new: then not even the record of the import is kept.
    pub import_id: Option<i64>,
    pub items_added: u64,
    pub items_updated: u64,
    pub events_added: u64,
    pub deployments_added: u64,
    pub changes_added: u64,
    pub incidents_added: u64,
    /// Incidents stored as open that the import shows resolved.
    pub incidents_resolved: u64,
}

/// An event already in the file, for the checks of a new import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub at: i64,
    pub from: String,
    pub to: String,
    pub import: i64,
}

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

/// UTC milliseconds since the epoch to the day number (days since 1970-01-01).
fn day_of(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

impl History {
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
        (lo <= hi).then(|| (day_of(lo), day_of(hi)))
    }

    pub fn event_count(&self) -> usize {
        self.items.iter().map(|i| i.events.len()).sum()
    }
}

/// Gives each distinct name a small number, in order of first appearance.
#[derive(Default)]
pub struct Interner {
    index: HashMap<String, u32>,
    pub names: Vec<String>,
}

impl Interner {
    pub fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRow {
    pub stream: String,
    pub id: String,
    pub at: i64,
    pub environment: String,
    pub succeeded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub committed_at: i64,
    pub deployed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub stream: String,
    pub opened_at: i64,
    pub resolved_at: Option<i64>,
    pub deployment_id: Option<String>,
}

/// Delivery data of one stream or of all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deliveries {
    pub deployments: Vec<DeploymentRow>,
    pub changes: Vec<ChangeRow>,
    pub incidents: Vec<IncidentRow>,
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

impl Deliveries {
    /// First and last day with delivery data.
    pub fn span(&self) -> Option<(i64, i64)> {
        let days = self
            .deployments
            .iter()
            .map(|d| d.at)
            .chain(self.changes.iter().map(|c| c.deployed_at))
            .chain(self.incidents.iter().map(|i| i.opened_at))
            .map(day_of);
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for d in days {
            lo = lo.min(d);
            hi = hi.max(d);
        }
        (lo <= hi).then_some((lo, hi))
    }
}
