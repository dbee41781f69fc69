//! What an import hands back besides the model: the mapping that was applied, the kept exchange
//! document with the links from Tributary's entities to its identifiers, and a report for
//! people. These are plain data (serde), so the store can keep them as one JSON document.

use serde::{Deserialize, Serialize};
use tributary_core::Model;

use crate::doc::Doc;

/// How an exchange file's concepts become Tributary's. Every list holds ArchiMate type names
/// as the exchange format spells them (`ValueStream`, `Capability`, `ApplicationComponent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    /// The user's language (`en`, `nl-BE`): names in it win over the others.
    pub language: Option<String>,
    /// Elements that become streams when composed of stage elements.
    pub stream_types: Vec<String>,
    /// Elements that become stages when a stream element is composed of them.
    pub stage_types: Vec<String>,
    /// Elements that become PBCs.
    pub pbc_types: Vec<String>,
    /// Elements that become a PBC's systems when they realise it.
    pub system_types: Vec<String>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            language: None,
            stream_types: vec!["ValueStream".into()],
            stage_types: vec!["ValueStream".into()],
            pbc_types: vec!["Capability".into()],
            system_types: vec!["ApplicationComponent".into()],
        }
    }
}

/// A name with how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

/// A value stream element composed of stage elements, as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueStreamInfo {
    pub id: String,
    pub name: String,
    pub stages: Vec<String>,
}

/// What a file holds, for the app's mapping step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub name: String,
    pub element_types: Vec<Count>,
    pub relationship_types: Vec<Count>,
    /// Value streams (under the proposed mapping) and their stages in flow order.
    pub value_streams: Vec<ValueStreamInfo>,
    /// Property keys seen, with the Tributary field each becomes, if any.
    pub properties: Vec<PropertyInfo>,
    /// The `xml:lang` values of names, most frequent first (`""` for names without one).
    pub languages: Vec<Count>,
    pub views: usize,
    pub proposed: Mapping,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyInfo {
    pub key: String,
    pub count: usize,
    /// The Tributary property it is read as (`Process time`), when it is one.
    pub field: Option<String>,
}

/// Exchange identifiers of what an entity became on import (or export).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Links {
    /// Stream id to its element.
    pub streams: Vec<(String, String)>,
    /// (stream, stage) to its element and the composition that puts it in the stream.
    pub stages: Vec<StageLink>,
    /// (stream, from, to) to the flow relationship.
    pub edges: Vec<EdgeLink>,
    pub pbcs: Vec<(String, String)>,
    /// (PBC, system name) to the component and its realisation of the PBC.
    pub systems: Vec<SystemLink>,
    /// (PBC, stream, stage) to the serving (or realisation, assignment) relationship.
    pub assignments: Vec<AssignmentLink>,
    pub integrations: Vec<(String, String)>,
    pub initiatives: Vec<(String, String)>,
    /// Initiative id to the association with its stream.
    pub initiative_streams: Vec<(String, String)>,
    pub scenarios: Vec<(String, String)>,
    /// Stream id to the view Tributary draws of it.
    pub diagrams: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLink {
    pub stream: String,
    pub stage: String,
    pub element: String,
    pub composition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeLink {
    pub stream: String,
    pub from: String,
    pub to: String,
    pub relationship: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemLink {
    pub pbc: String,
    pub name: String,
    pub element: String,
    pub realization: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentLink {
    pub pbc: String,
    pub stream: String,
    pub stage: String,
    pub relationship: String,
}

/// Everything of the file the model does not hold, and how the two tie together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub mapping: Mapping,
    pub links: Links,
    pub doc: Doc,
}

/// What an import did, for people.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    pub streams: usize,
    pub stages: usize,
    pub pbcs: usize,
    pub systems: usize,
    pub assignments: usize,
    pub integrations: usize,
    pub initiatives: usize,
    pub scenarios: usize,
    /// Elements kept without a place in the model, by type.
    pub kept_elements: Vec<Count>,
    pub kept_relationships: Vec<Count>,
    /// Property keys Tributary does not read, kept as they are.
    pub kept_properties: Vec<Count>,
    pub views: usize,
    pub organization_items: usize,
    /// Things that did not map as the file seemed to mean (a value that is not a number, a
    /// flow that would make a loop), each naming the element.
    pub warnings: Vec<String>,
}

/// The result of reading another tool's file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub model: Model,
    pub kept: Kept,
    pub report: Report,
}

/// Counts names, in first-seen order, then most frequent first.
pub(crate) fn count<'a>(names: impl Iterator<Item = &'a str>) -> Vec<Count> {
    let mut out: Vec<Count> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for n in names {
        match at.get(n) {
            Some(&i) => out[i].count += 1,
            None => {
                at.insert(n.to_owned(), out.len());
                out.push(Count {
                    name: n.to_owned(),
                    count: 1,
                });
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}
