//! Items as their serde JSON form, which is how fields are compared and merged: a new field
//! of an entity is compared without any change here. An item's own fields leave out the
//! lists of the items it holds (a stream's stages and edges), which are items of their own.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};
use tributary_core::each_entity;
use tributary_core::entity::Entity;

/// The fields in which a container keeps the items of the kinds that live inside it: the
/// lists of the in-stream kinds ("stages", "edges").
pub(crate) fn child_lists() -> &'static [&'static str] {
    static LISTS: OnceLock<Vec<&'static str>> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut lists = Vec::new();
        macro_rules! child {
            ($t:ty) => {
                if <$t as Entity>::IN_STREAM {
                    lists.push(<$t as Entity>::LIST);
                }
            };
        }
        each_entity!(child);
        lists
    })
}

/// A value as a JSON object (empty if it is not one, which model types never are).
pub(crate) fn object<S: Serialize>(x: &S) -> Map<String, Value> {
    match serde_json::to_value(x) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

pub(crate) fn json<S: Serialize>(x: &S) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// An item's own fields.
pub(crate) fn own<T: Entity>(x: &T) -> Map<String, Value> {
    let mut m = object(x);
    if !T::IN_STREAM {
        for list in child_lists() {
            m.remove(*list);
        }
    }
    m
}

/// The item its own fields make, holding no items (the caller puts its children back).
pub(crate) fn from_own<T: Entity>(mut m: Map<String, Value>) -> Option<T> {
    if !T::IN_STREAM {
        for list in child_lists() {
            m.entry(*list).or_insert_with(|| Value::Array(Vec::new()));
        }
    }
    serde_json::from_value(Value::Object(m)).ok()
}

/// The item with its own fields only: what a stream's delta carries.
pub(crate) fn header<T: Entity>(x: &T) -> T {
    let full = object(x);
    let holds_items = child_lists()
        .iter()
        .any(|l| full.get(*l).is_some_and(|v| v != &Value::Array(Vec::new())));
    if T::IN_STREAM || !holds_items {
        return x.clone();
    }
    from_own(own(x)).unwrap_or_else(|| x.clone())
}

/// What identifies an element of a list inside an item (a scenario's change, a PBC's
/// system): a text or number is itself; an object is its text fields (a change's kind and
/// the ids it names), while its numbers are what it sets. Repeats are told apart by a count.
pub(crate) fn identities(items: &[Value]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    items
        .iter()
        .map(|v| {
            let id = identity(v);
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { id } else { format!("{id} #{n}") }
        })
        .collect()
}

fn identity(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut parts: Vec<String> = m
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| format!("{k}={s}")))
                .collect();
            parts.sort();
            parts.join(" ")
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every text inside a value: the ids an item names are among them.
pub(crate) fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(xs) => xs.iter().for_each(|x| texts(x, out)),
        Value::Object(m) => m.values().for_each(|x| texts(x, out)),
        _ => {}
    }
}
