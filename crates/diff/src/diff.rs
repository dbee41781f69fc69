//! The semantic diff of two models: what was added, removed and changed, item by item (matched
//! by key, so a renamed stage is one change and a reordered one a move), field by field (in
//! their serde JSON form), each said in words, and what the change does to the numbers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tributary_core::entity::Entity;
use tributary_core::{Model, each_entity};
use ts_rs::TS;

use crate::impact::{self, Impact};
use crate::lists::{kept_order, key_text, list_of, pair};
use crate::text::{Words, count};
use crate::value::{json, object, own};

/// How two models differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Diff {
    /// The model's own settings (name, currency, calendar, ...) that differ.
    pub settings: Vec<FieldChange>,
    /// Items added, removed, changed or moved, kind by kind in the order of the exchange
    /// document (streams, stages, edges, PBCs, assignments, ...).
    pub items: Vec<ItemDiff>,
    /// What the differences do to the numbers.
    pub impact: Impact,
}

impl Diff {
    /// No difference in the model (the numbers then do not differ either).
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.items.is_empty()
    }

    /// Every difference as one line for people, settings first.
    pub fn lines(&self) -> Vec<String> {
        let settings = (!self.settings.is_empty()).then(|| {
            let parts: Vec<&str> = self.settings.iter().map(|f| f.text.as_str()).collect();
            format!("model: {}", parts.join(", "))
        });
        settings
            .into_iter()
            .chain(self.items.iter().map(|i| i.text.clone()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    /// Fields changed, or the item moved in its list, or both.
    Changed,
}

/// One item that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ItemDiff {
    /// The kind, as deltas spell it ("stage", "PBC").
    pub kind: String,
    /// The list in the exchange document ("stages").
    pub list: String,
    /// The stream of a stage or an edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    /// What identifies the item in its list: its id, an edge's two stages, an assignment's
    /// PBC, stream and stage.
    pub key: Vec<String>,
    /// Its name (the newer one when renamed).
    pub name: String,
    pub status: Status,
    /// Its place in the first model's list and in the second's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before_index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after_index: Option<u32>,
    /// It changed place among the items both models hold.
    pub moved: bool,
    /// Its fields that differ (its own: a stream's stages are items of their own).
    pub fields: Vec<FieldChange>,
    /// The whole item, when added (as the second model has it) or removed (as the first had).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub item: Option<Value>,
    /// The difference in words: "stage Credit scoring: wait 50 h -> 20 h".
    pub text: String,
}

/// One field that differs, as JSON before and after (absent: not set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct FieldChange {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub after: Option<Value>,
    /// "wait 50 h -> 20 h".
    pub text: String,
}

/// How model `b` differs from model `a`.
pub fn diff(a: &Model, b: &Model) -> Diff {
    let (settings, items) = items(a, b);
    Diff {
        settings,
        items,
        impact: impact::of(a, b),
    }
}

/// The settings and items that differ, without the numbers.
pub(crate) fn items(a: &Model, b: &Model) -> (Vec<FieldChange>, Vec<ItemDiff>) {
    let words = Words::new(a, b);
    let settings = fields(&object(&a.settings()), &object(&b.settings()), &words);
    let mut items = Vec::new();
    macro_rules! kind {
        ($t:ty) => {
            items_of::<$t>(a, b, &words, &mut items);
        };
    }
    each_entity!(kind);
    (settings, items)
}

/// The fields of two JSON objects that differ, in the order of their names.
pub(crate) fn fields(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    words: &Words<'_>,
) -> Vec<FieldChange> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: a.get(k).cloned(),
            after: b.get(k).cloned(),
            text: words.field(k, a.get(k), b.get(k)),
        })
        .collect()
}

/// The differences of kind `T`: in the model's list, or in each stream both models hold
/// (the items of a stream only one model has come with the stream).
fn items_of<T: Entity>(a: &Model, b: &Model, words: &Words<'_>, out: &mut Vec<ItemDiff>) {
    if !T::IN_STREAM {
        list_diff::<T>(None, list_of(a, None), list_of(b, None), words, out);
        return;
    }
    for s in &b.streams {
        if a.stream(&s.id).is_some() {
            let id = Some(s.id.as_str());
            list_diff::<T>(id, list_of(a, id), list_of(b, id), words, out);
        }
    }
}

fn list_diff<T: Entity>(
    stream: Option<&str>,
    a: &[T],
    b: &[T],
    words: &Words<'_>,
    out: &mut Vec<ItemDiff>,
) {
    let pairs = pair(a, b);
    let order: Vec<usize> = pairs.both.iter().map(|(i, _)| *i).collect();
    let kept = kept_order(&order);
    let mut found: Vec<(usize, ItemDiff)> = Vec::new();
    for (k, &(i, j)) in pairs.both.iter().enumerate() {
        if a[i] == b[j] && kept[k] {
            continue;
        }
        let f = if a[i] == b[j] {
            Vec::new()
        } else {
            fields(&own(&a[i]), &own(&b[j]), words)
        };
        if f.is_empty() && kept[k] {
            continue;
        }
        let mut d = item::<T>(stream, &b[j], Status::Changed, words);
        d.before_index = Some(i as u32);
        d.after_index = Some(j as u32);
        d.moved = !kept[k];
        d.fields = f;
        d.text = changed_text(&d, words);
        found.push((j, d));
    }
    for &j in &pairs.only_b {
        let mut d = item::<T>(stream, &b[j], Status::Added, words);
        d.after_index = Some(j as u32);
        d.item = Some(json(&b[j]));
        d.text = format!(
            "{} added{}",
            words.subject(&d.kind, stream, &d.name, &d.key),
            extra::<T>(&b[j], &d, words)
        );
        found.push((j, d));
    }
    found.sort_by_key(|(j, _)| *j);
    out.extend(found.into_iter().map(|(_, d)| d));
    for &i in &pairs.only_a {
        let mut d = item::<T>(stream, &a[i], Status::Removed, words);
        d.before_index = Some(i as u32);
        d.item = Some(json(&a[i]));
        d.text = format!(
            "{} removed",
            words.subject(&d.kind, stream, &d.name, &d.key)
        );
        out.push(d);
    }
}

fn item<T: Entity>(stream: Option<&str>, x: &T, status: Status, words: &Words<'_>) -> ItemDiff {
    let key = key_text(x.key());
    let name = words.name(T::KIND, stream, &key, &own(x));
    ItemDiff {
        kind: T::KIND.to_owned(),
        list: T::LIST.to_owned(),
        stream: stream.map(str::to_owned),
        key,
        name,
        status,
        before_index: None,
        after_index: None,
        moved: false,
        fields: Vec::new(),
        item: None,
        text: String::new(),
    }
}

fn changed_text(d: &ItemDiff, words: &Words<'_>) -> String {
    let mut parts: Vec<String> = d.fields.iter().map(|f| f.text.clone()).collect();
    if d.moved
        && let (Some(i), Some(j)) = (d.before_index, d.after_index)
    {
        parts.push(format!("moved from place {} to {}", i + 1, j + 1));
    }
    // a renamed item is named as it was, so that the reader finds it
    let name = d
        .fields
        .iter()
        .find(|f| f.field == "name")
        .and_then(|f| f.before.as_ref()?.as_str().map(str::to_owned))
        .unwrap_or_else(|| d.name.clone());
    let subject = words.subject(&d.kind, d.stream.as_deref(), &name, &d.key);
    format!("{subject}: {}", parts.join(", "))
}

/// What an added item brings with it: a stream's stages, the stages a PBC serves.
fn extra<T: Entity>(x: &T, d: &ItemDiff, words: &Words<'_>) -> String {
    let v = own(x);
    let full = json(x);
    if let Some(stages) = full
        .get("stages")
        .and_then(Value::as_array)
        .filter(|_| !T::IN_STREAM)
    {
        return format!(" ({})", count(stages.len(), "stage"));
    }
    if d.kind == "PBC" {
        let serves: Vec<String> = words
            .after
            .assignments
            .iter()
            .filter(|a| Some(a.pbc.as_str()) == d.key.first().map(String::as_str))
            .map(|a| words.stage_name(&a.stream, &a.stage))
            .collect();
        if !serves.is_empty() {
            return format!(", serves {}", serves.join(", "));
        }
    }
    if let Some(changes) = v.get("changes").and_then(Value::as_array) {
        return format!(" ({})", count(changes.len(), "change"));
    }
    String::new()
}
