//! A merge's conflicts, as the app shows them and resolves them one by one: what (by kind, name
//! and field), why, and the three values, in JSON so that a new field needs nothing here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// A side of a merge: the model merged into ("ours", the open file) or the one merged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Ours,
    Theirs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Both sides changed it, to different values.
    BothChanged,
    /// Ours deleted it; theirs changed it.
    DeletedByOurs,
    /// Theirs deleted it; ours changed it.
    DeletedByTheirs,
    /// Both sides reordered the list, differently.
    Order,
    /// Theirs' change and ours, each fine alone, make a model that breaks a rule together (an
    /// assignment to a stage the other side deleted, a flow that loops).
    Invalid,
}

/// One conflict. The merged model holds ours for it; taking theirs puts `theirs` there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Conflict {
    /// The kind ("stage", "PBC"), or "settings" for the model's own settings.
    pub kind: String,
    /// The list in the exchange document ("stages"; "settings").
    pub list: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    /// The item's key (empty for the settings, and for the order of a whole list).
    pub key: Vec<String>,
    pub name: String,
    /// The field in conflict; none when the whole item (or a list's order) is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// Within a list field (a scenario's changes), the element in conflict, by identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub element: Option<String>,
    pub reason: Reason,
    /// For an invalid combination, the rule it breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<String>,
    /// The values in JSON: absent where the side has none (deleted, or never set). For a
    /// list's order, the keys in each side's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub base: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub ours: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub theirs: Option<Value>,
    /// Where theirs had the item in its list, to put it back there: after the item with
    /// this key, or else at this index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub theirs_after: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub theirs_index: Option<u32>,
    /// The conflict in words, with both values.
    pub text: String,
}
