//! How an import treats items that do not read as a clean chain of events: each is repaired by
//! one of the documented rules below, or quarantined (left out, with the reason), and the
//! report lists every one of them at once. `docs/telemetry.md` says what each rule does to the
//! figures. With `--strict` any repair or quarantine refuses the whole file instead.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::Count;

/// A documented repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Jira: histories with the same time are put in the order of their ids (the order Jira
    /// wrote them), which chains where the file's order did not.
    IdOrderWithinEqualTimes,
    /// Jira: the histories chain in the order of their ids but not in the order of their
    /// times (several changes written in one second, or generated times): id order is kept,
    /// and a history timed before the one before it is moved to that one's time.
    IdOrder,
    /// A status change is timed before the item's creation (clock skew, a moved or imported
    /// item): the creation moves back to that change, so the item spends no time in its first
    /// status before it.
    CreatedMovedBack,
    /// A status change before the creation that does not leave the created status: the
    /// creation is dropped and the item starts at its first change.
    StartsAtFirstChange,
    /// An event that repeats another exactly (same item, time, from and to) is dropped.
    DuplicateDropped,
    /// GitHub: the timeline has no `closed` event but the issue says it is closed: it is
    /// closed at the issue's `closed_at`.
    ClosedFromIssue,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::IdOrderWithinEqualTimes,
        Rule::IdOrder,
        Rule::CreatedMovedBack,
        Rule::StartsAtFirstChange,
        Rule::DuplicateDropped,
        Rule::ClosedFromIssue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::IdOrderWithinEqualTimes => "id-order-within-equal-times",
            Rule::IdOrder => "id-order",
            Rule::CreatedMovedBack => "created-moved-back",
            Rule::StartsAtFirstChange => "starts-at-first-change",
            Rule::DuplicateDropped => "duplicate-dropped",
            Rule::ClosedFromIssue => "closed-from-issue",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An item read through a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Repair {
    pub item_id: String,
    pub rule: Rule,
    /// What was done, in the export's words (history ids, lines, times).
    pub detail: String,
}

/// An item left out of this import, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Quarantine {
    pub item_id: String,
    /// Where in the export: a line, or an issue and history.
    pub location: String,
    pub reason: String,
    /// Events of the item this import leaves out.
    pub events: u64,
}

/// Where every row read went: `read = used + repaired + quarantined + duplicates + skipped`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowCounts {
    pub read: u64,
    /// Rows of items that read as clean chains, and deliveries.
    pub used: u64,
    /// Rows of items read through a repair rule.
    pub repaired: u64,
    /// Rows of quarantined items.
    pub quarantined: u64,
    /// Rows that only repeat others.
    pub duplicates: u64,
    /// Rows that describe no status change or delivery (other fields, comments, runs of
    /// other workflows, pending pipelines).
    pub skipped: u64,
    /// Why rows were skipped, with how many.
    pub skipped_why: Vec<Count>,
}

impl RowCounts {
    /// Whether the parts add up to the rows read.
    pub fn adds_up(&self) -> bool {
        self.used + self.repaired + self.quarantined + self.duplicates + self.skipped == self.read
    }
}
