//! The neutral event log every import format is turned into, and delivery records.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Location;

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
pub struct Change {
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
    pub changes: Vec<Change>,
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

/// One row of the neutral event log, as the app's preview and tests see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventRow {
    pub item_id: String,
    pub item_type: String,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// Empty when the item was created.
    pub from_state: String,
    pub to_state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub blocked: Option<bool>,
}
