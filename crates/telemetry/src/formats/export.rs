//! What a parser makes of one export: the neutral log, with what the import report needs to
//! account for every row read (the item it describes, or why it was skipped), the repairs the
//! parser itself applied, and whether the file is one page of many.

use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Location;
use crate::event::{Event, Parsed};
use crate::repair::{Repair, Rule};

/// The file holds one page of a larger result: what it says of the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Page {
    /// Records (issues, runs, revisions) this file holds.
    pub held: u64,
    /// Records the source says there are; `None` when it only says there is more.
    pub total: Option<u64>,
    /// This page's number, when the file says (Jira's `startAt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub number: Option<u64>,
    /// About how many pages the whole result has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pages: Option<u64>,
    /// For people: "page 1 of about 25 (5 of 124 runs): export all pages, or use ...".
    pub message: String,
}

impl Page {
    /// A page of `held` records out of `total` (when known), `size` to a page.
    pub(crate) fn of(
        what: &str,
        held: u64,
        total: Option<u64>,
        start: Option<u64>,
        fetch: &str,
    ) -> Page {
        let size = held.max(1);
        let pages = total.map(|t| t.div_ceil(size));
        let number = start.map(|s| s / size + 1);
        let place = match (number, pages) {
            (Some(n), Some(p)) => format!("page {n} of about {p}"),
            (None, Some(p)) => format!("one page of about {p}"),
            (Some(n), None) => format!("page {n} of more"),
            (None, None) => "one page of more".to_owned(),
        };
        let of = total.map_or(format!("{held} {what}, and more"), |t| {
            format!("{held} of {t} {what}")
        });
        Page {
            held,
            total,
            number,
            pages,
            message: format!(
                "this file is {place} ({of}): export all pages, or use `tributary telemetry fetch {fetch}`"
            ),
        }
    }
}

/// The neutral log of one export, and where each row went.
#[derive(Debug, Default)]
pub struct Export {
    pub parsed: Parsed,
    /// Per row read: the item it describes (`None`: it describes none, see `skip_reason`).
    pub(crate) row_item: Vec<Option<u32>>,
    /// Per row read: why it gave no event, when the parser said (index into `skipped`).
    pub(crate) row_skip: Vec<Option<u16>>,
    /// Per event of `parsed.events`: the row it came from.
    pub(crate) event_row: Vec<u32>,
    /// Why rows gave nothing, in the parser's words.
    pub(crate) skip_reasons: Vec<String>,
    /// Rows the parser itself found to repeat an earlier one (deliveries listed twice): the
    /// row, where it is and what it repeats.
    pub(crate) duplicate_rows: Vec<(u32, Location, String)>,
    /// Rules the parser applied to items, by item index.
    pub(crate) repairs: Vec<(u32, Repair)>,
    /// Items the parser found cannot be read (by item index): where and why.
    pub(crate) quarantine: Vec<(u32, Location, String)>,
    pub page: Option<Page>,
    /// The workflow order the export gives (stage-dates columns), for listing statuses.
    pub workflow: Vec<String>,
}

impl Deref for Export {
    type Target = Parsed;
    fn deref(&self) -> &Parsed {
        &self.parsed
    }
}

impl DerefMut for Export {
    fn deref_mut(&mut self) -> &mut Parsed {
        &mut self.parsed
    }
}

impl Export {
    /// Starts the next row; it describes no item until [`Export::row_item`] says which.
    pub(crate) fn begin_row(&mut self) -> u32 {
        self.parsed.rows += 1;
        self.row_item.push(None);
        self.row_skip.push(None);
        (self.row_item.len() - 1) as u32
    }

    fn current(&self) -> usize {
        self.row_item.len().saturating_sub(1)
    }

    /// The item `id` (added with `item_type` if new), described by the current row.
    pub(crate) fn row_item(&mut self, id: &str, item_type: &str) -> u32 {
        let item = self.parsed.item(id, item_type);
        let row = self.current();
        if let Some(slot) = self.row_item.get_mut(row) {
            *slot = Some(item);
        }
        item
    }

    /// Row `row` (begun earlier) describes `item`.
    pub(crate) fn assign(&mut self, row: u32, item: u32) {
        if let Some(slot) = self.row_item.get_mut(row as usize) {
            *slot = Some(item);
        }
    }

    /// Says why the current row gives nothing (when it gives no event).
    pub(crate) fn skip_row(&mut self, why: &str) {
        let row = self.current();
        self.skip_row_at(row as u32, why);
    }

    pub(crate) fn skip_row_at(&mut self, row: u32, why: &str) {
        let k = match self.skip_reasons.iter().position(|r| r == why) {
            Some(k) => k,
            None => {
                self.skip_reasons.push(why.to_owned());
                self.skip_reasons.len() - 1
            }
        };
        if let Some(slot) = self.row_skip.get_mut(row as usize) {
            *slot = Some(k as u16);
        }
    }

    /// The current row repeats an earlier one exactly (a delivery listed twice).
    pub(crate) fn duplicate_row(&mut self, location: Location, what: String) {
        let row = self.current() as u32;
        self.duplicate_rows.push((row, location, what));
    }

    /// An event of the current row.
    pub(crate) fn push(&mut self, e: Event) {
        let row = self.current() as u32;
        self.push_from(row, e);
    }

    /// An event of an earlier row (a flag resolved once every status is known).
    pub(crate) fn push_from(&mut self, row: u32, e: Event) {
        self.parsed.events.push(e);
        self.event_row.push(row);
    }

    /// A rule the parser applied to an item.
    pub(crate) fn repaired(&mut self, item: u32, rule: Rule, detail: String) {
        let item_id = self.parsed.items[item as usize].id.clone();
        self.repairs.push((
            item,
            Repair {
                item_id,
                rule,
                detail,
            },
        ));
    }

    /// An item the parser cannot read: it is left out of the import, with the reason.
    pub(crate) fn quarantined(&mut self, item: u32, location: Location, reason: String) {
        self.quarantine.push((item, location, reason));
    }

    /// The row of the current row index, for parsers that defer events.
    pub(crate) fn row(&self) -> u32 {
        self.current() as u32
    }
}
