//! The neutral event log every import format is turned into, and delivery records.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use tributary_core::telemetry::{
    ChangeRecord as Change, Deployment, Event, Incident, ItemInfo, Parsed,
};

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
