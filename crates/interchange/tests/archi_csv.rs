//! Archi's CSV test data, read with Archi's conventions and written back.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use tributary_interchange::archi_csv;
use tributary_interchange::{Error, Mapping, archimate};

fn csv(name: &str) -> Vec<u8> {
    read_external(&format!("archimate/archi-csv-testdata/{name}"))
}

fn read(e: &str, r: Option<&str>, p: Option<&str>) -> tributary_interchange::Imported {
    let (r, p) = (r.map(csv), p.map(csv));
    archi_csv::read(&csv(e), r.as_deref(), p.as_deref(), &Mapping::default()).unwrap()
}

#[test]
fn test1_reads_as_archi_reads_it() {
    let i = read(
        "test1-elements.csv",
        Some("test1-relations.csv"),
        Some("test1-properties.csv"),
    );
    let doc = &i.kept.doc;
    // As Archi's CSVImporterTests expect: the model row, 3 elements, 2 relations, 7 properties.
    assert_eq!(i.model.name, "Test Model");
    assert_eq!(
        i.model.description.as_deref(),
        Some("This is the Purpose of the Model.\r\nIt has a line break and \"some\" quotes.\r\n")
    );
    assert_eq!(doc.elements.len(), 3);
    assert_eq!(doc.relationships.len(), 2);
    let props = doc.properties.len()
        + doc
            .elements
            .iter()
            .chain(&doc.relationships)
            .map(|c| c.properties.len())
            .sum::<usize>();
    assert_eq!(props, 7);
    let actor = &doc.elements[0];
    assert_eq!(actor.kind, "BusinessActor");
    assert_eq!(
        actor.documentation[0].text,
        "This is the Business Actor\r\nDocumentation\r\nHere \"\"\r\n"
    );
    assert_eq!(actor.specialization.as_deref(), Some("Specialization1"));
    let compo = &doc.relationships[1];
    assert_eq!(
        (
            compo.kind.as_str(),
            compo.source.as_deref(),
            compo.target.as_deref()
        ),
        ("Composition", Some("f00aa5b4"), Some("d9fe8c17"))
    );
    assert_eq!(
        compo.documentation[0].text,
        "Here it is\r\nagain\r\n\r\n\r\n"
    );
}

#[test]
fn test1_round_trips_through_csv_and_through_an_exchange_file() {
    let i = read(
        "test1-elements.csv",
        Some("test1-relations.csv"),
        Some("test1-properties.csv"),
    );
    let files = archi_csv::write(&i.model, Some(&i.kept)).unwrap();
    let back = archi_csv::read(
        files.elements.as_bytes(),
        Some(files.relations.as_bytes()),
        Some(files.properties.as_bytes()),
        &Mapping::default(),
    )
    .unwrap();
    assert_eq!(concept_rows(&back.kept.doc), concept_rows(&i.kept.doc));
    assert_eq!(model_rows(&back.kept.doc), model_rows(&i.kept.doc));
    // Written a second time, the same bytes.
    assert_eq!(
        archi_csv::write(&back.model, Some(&back.kept)).unwrap(),
        files
    );
    // Archi's ids start with digits; the exchange file renames them so that they are XML ids.
    let xml = archimate::write(&i.model, Some(&i.kept)).unwrap();
    assert_schema_valid(&xml, "test1 as an exchange file");
    assert!(xml.contains("identifier=\"id-5854f8a3\""));
    assert!(xml.contains("identifier=\"id-862677a6\""));
    assert!(xml.contains("identifier=\"f00aa5b4\""));
}

#[test]
fn blank_ids_are_generated() {
    let i = read("test3-elements.csv", Some("test3-relations.csv"), None);
    let doc = &i.kept.doc;
    // Archi's test: 5 elements and 1 relation, every one with an id.
    assert_eq!(doc.elements.len() + doc.relationships.len(), 6);
    assert!(
        doc.elements
            .iter()
            .chain(&doc.relationships)
            .all(|c| !c.id.is_empty())
    );
    let ids: std::collections::HashSet<&str> = doc.elements.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 5);
    assert_eq!(doc.relationships[0].source.as_deref(), Some("id1"));
}

#[test]
fn comment_lines_are_skipped() {
    let i = read("test5-elements.csv", None, None);
    let names: Vec<&str> = i
        .kept
        .doc
        .elements
        .iter()
        .map(|c| c.names[0].text.as_str())
        .collect();
    assert_eq!(names, ["A Business Actor", "A Business Role"]);
}

#[test]
fn relations_in_another_order_read_the_same() {
    let a = read("test4-elements.csv", Some("test4-relations.csv"), None);
    let b = read("test4-elements.csv", Some("test4a-relations.csv"), None);
    let ends = |i: &tributary_interchange::Imported| {
        let mut v: Vec<(Option<String>, Option<String>)> = i
            .kept
            .doc
            .relationships
            .iter()
            .map(|r| (r.source.clone(), r.target.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ends(&a), ends(&b));
}

#[test]
fn a_duplicate_id_takes_the_later_row_and_says_so() {
    let i = read("test4-elements.csv", Some("test6-relations.csv"), None);
    let rels = &i.kept.doc.relationships;
    // Three rows with the id r1: one relation, the last row's (e2 -> e4).
    assert_eq!(rels.len(), 1);
    assert_eq!(
        (rels[0].source.as_deref(), rels[0].target.as_deref()),
        (Some("e2"), Some("e4"))
    );
    assert_eq!(
        i.report
            .warnings
            .iter()
            .filter(|w| w.contains("\"r1\""))
            .count(),
        2,
        "{:?}",
        i.report.warnings
    );
}

#[test]
fn broken_csv_is_a_clear_error() {
    let e = archi_csv::read(b"\"ID\",\"Type\",\"Name\",\"Documentation\",\"Specialization\"\r\n\"a\",\"Unicorn\",\"x\",\"\",\"\"\r\n", None, None, &Mapping::default()).unwrap_err();
    assert!(matches!(e, Error::Csv { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("Unicorn"), "{e}");
    let e = archi_csv::read(&csv("test4-elements.csv"), Some(b"\"ID\",\"Type\",\"Name\",\"Documentation\",\"Source\",\"Target\",\"Specialization\"\n\"r\",\"FlowRelationship\",\"\",\"\",\"e1\",\"nope\",\"\"\n"), None, &Mapping::default()).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
    let e = archi_csv::read(b"Name;Owner\nx;y\n", None, None, &Mapping::default()).unwrap_err();
    assert!(e.to_string().contains("header"), "{e}");
}

#[test]
fn a_tributary_model_round_trips_through_csv() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/examples/mortgage.json"
    ))
    .unwrap();
    let model = tributary_core::exchange::from_json(&text).unwrap();
    let files = archi_csv::write(&model, None).unwrap();
    let back = archi_csv::read(
        files.elements.as_bytes(),
        Some(files.relations.as_bytes()),
        Some(files.properties.as_bytes()),
        &Mapping::default(),
    )
    .unwrap();
    use tributary_core::exchange::to_json;
    assert_eq!(to_json(&back.model), to_json(&model));
}
