//! The mapping step: what a file holds, and the mapping Tributary proposes for it.

use crate::doc::{Doc, pick_text};
use crate::fields;
use crate::import;
use crate::kept::{Inspection, Mapping, PropertyInfo, ValueStreamInfo, count};
use crate::view;

/// The mapping for a file: the defaults, with application components as PBCs where the file
/// has no capabilities.
pub fn propose(doc: &Doc) -> Mapping {
    let mut m = Mapping::default();
    let has = |k: &str| doc.elements.iter().any(|c| c.kind == k);
    if !has("Capability") && has("ApplicationComponent") {
        m.pbc_types = vec!["ApplicationComponent".into()];
    }
    m
}

/// The Tributary property a key is read as, if any.
pub fn field_of(key: &str) -> Option<&'static str> {
    if fields::is_id_key(key) {
        return Some(fields::ID_KEY);
    }
    fields::find(fields::STAGE, key)
        .map(|f| f.key)
        .or_else(|| {
            fields::stream_fields()
                .find(|f| f.matches(key))
                .map(|f| f.key)
        })
        .or_else(|| fields::find(fields::PBC, key).map(|f| f.key))
        .or_else(|| fields::find(fields::INTEGRATION, key).map(|f| f.key))
        .or_else(|| {
            fields::initiative_fields()
                .find(|f| f.matches(key))
                .map(|f| f.key)
        })
        .or_else(|| fields::find(fields::SCENARIO, key).map(|f| f.key))
        .or_else(|| fields::find(fields::MODEL, key).map(|f| f.key))
}

pub fn inspect(doc: &Doc) -> Inspection {
    let proposed = propose(doc);
    let value_streams = import::build(doc, &proposed)
        .map(|b| {
            b.model
                .streams
                .iter()
                .map(|s| ValueStreamInfo {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    stages: s.stages.iter().map(|st| st.name.clone()).collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let concepts = || doc.elements.iter().chain(&doc.relationships);
    let keys: Vec<String> = concepts()
        .flat_map(|c| doc.properties_of(&c.properties, None))
        .chain(doc.properties_of(&doc.properties, None))
        .map(|(k, _)| k)
        .collect();
    let properties = count(keys.iter().map(String::as_str))
        .into_iter()
        .map(|c| PropertyInfo {
            field: field_of(&c.name).map(str::to_owned),
            key: c.name,
            count: c.count,
        })
        .collect();
    let langs: Vec<&str> = concepts()
        .flat_map(|c| c.names.iter())
        .chain(&doc.names)
        .map(|n| n.lang.as_deref().unwrap_or(""))
        .collect();
    Inspection {
        name: pick_text(&doc.names, None).unwrap_or_default(),
        element_types: count(doc.elements.iter().map(|c| c.kind.as_str())),
        relationship_types: count(doc.relationships.iter().map(|c| c.kind.as_str())),
        value_streams,
        properties,
        languages: count(langs.into_iter()),
        views: view::count_views(doc),
        proposed,
    }
}
