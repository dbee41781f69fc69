//! Shared helpers: the real files under `../shared/external`, xmllint, and comparing two
//! exchange documents as sets.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use tributary_interchange::doc::{Content, Doc, Node};

pub fn external(rel: &str) -> PathBuf {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/external/"
    ))
    .join(rel);
    assert!(
        p.exists(),
        "{} is missing: the real test files live in ../shared/external beside the repository",
        p.display()
    );
    p
}

pub fn read_external(rel: &str) -> Vec<u8> {
    std::fs::read(external(rel)).unwrap()
}

pub const REAL: [&str; 3] = [
    "archimate/archi_archisurance-exchange.xml",
    "archimate/archi_Sample1-exchange.xml",
    "archimate/archi_bendpoint.test-exchange.xml",
];

/// Validates `xml` against the Open Group schemas with xmllint; fails loudly without it.
pub fn assert_schema_valid(xml: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("model.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = external("archimate/xsd/all.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint is needed to check exchange files against the schema ({e}); install it with `apt-get install -y libxml2-utils`")
        });
    assert!(
        out.status.success(),
        "{what} does not validate against the ArchiMate schema:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Concepts as comparable rows: id, type, names, documentation, ends, properties by key.
pub fn concept_rows(doc: &Doc) -> BTreeSet<String> {
    let key = |d: &str| {
        doc.property_definitions
            .iter()
            .find(|p| p.id == d)
            .map(|p| format!("{:?}", p.names))
            .unwrap_or_default()
    };
    doc.elements
        .iter()
        .chain(&doc.relationships)
        .map(|c| {
            let props: Vec<String> = c
                .properties
                .iter()
                .map(|p| format!("{}={:?}", key(&p.definition), p.values))
                .collect();
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                c.id, c.kind, c.names, c.documentation, c.source, c.target, props, c.attributes
            )
        })
        .collect()
}

fn node_rows(n: &Node, path: &str, out: &mut BTreeSet<String>) {
    let here = format!("{path}/{}", n.name);
    let mut attrs = n.attributes.clone();
    attrs.sort();
    out.insert(format!("{here} {attrs:?} {:?}", n.text().trim()));
    for c in &n.children {
        if let Content::Node(c) = c {
            node_rows(c, &here, out);
        }
    }
}

/// Views (every node, connection, bendpoint and style) as rows.
pub fn view_rows(doc: &Doc) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(v) = &doc.views {
        node_rows(v, "", &mut out);
    }
    out
}

pub fn model_rows(doc: &Doc) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(format!(
        "{} {:?} {:?} {:?}",
        doc.id, doc.names, doc.documentation, doc.properties
    ));
    for n in doc.metadata.iter().chain(&doc.organizations) {
        node_rows(n, "", &mut out);
    }
    out
}
