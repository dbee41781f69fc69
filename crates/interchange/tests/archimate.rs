//! ArchiMate exchange files: the real files from Archi's test suite, round trips both ways,
//! schema validity of everything written, and bad input.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use tributary_interchange::archimate;

#[test]
fn each_real_file_goes_archi_tributary_archi_without_loss() {
    for f in REAL {
        let bytes = read_external(f);
        let proposed = archimate::inspect(&bytes).unwrap().proposed;
        let imported = archimate::read(&bytes, &proposed).unwrap();
        let xml = archimate::write(&imported.model, Some(&imported.kept)).unwrap();
        assert_schema_valid(&xml, f);
        let back = archimate::read(xml.as_bytes(), &proposed).unwrap().kept.doc;
        let original = &imported.kept.doc;
        assert_eq!(
            concept_rows(&back),
            concept_rows(original),
            "{f}: elements and relationships"
        );
        assert_eq!(view_rows(&back), view_rows(original), "{f}: views");
        assert_eq!(
            model_rows(&back),
            model_rows(original),
            "{f}: model, metadata, organisations"
        );
    }
}

fn examples() -> Vec<(String, tributary_core::Model)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/examples");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((
                p.display().to_string(),
                tributary_core::exchange::from_json(&text).unwrap(),
            ));
        }
    }
    assert!(out.len() >= 4, "the example models are in assets/examples");
    out
}

#[test]
fn every_example_goes_tributary_archimate_tributary_unchanged() {
    use tributary_core::exchange::to_json;
    for (name, model) in examples() {
        let xml = archimate::write(&model, None).unwrap();
        assert_schema_valid(&xml, &name);
        let proposed = archimate::inspect(xml.as_bytes()).unwrap().proposed;
        let back = archimate::read(xml.as_bytes(), &proposed).unwrap();
        assert_eq!(to_json(&back.model), to_json(&model), "{name}");
        // And once more through what the import kept: the same file comes out.
        let again = archimate::write(&back.model, Some(&back.kept)).unwrap();
        assert_eq!(again, xml, "{name}: a second export differs");
    }
}

/// Hand counts of the real files under the proposed mapping (checked against the files with
/// an independent script over ElementTree: element types, Flow between components, views and
/// organisation items):
/// - Archisurance: 122 elements, no Capability and 10 ApplicationComponent, so the proposal
///   takes application components as PBCs: 10 PBCs; no ValueStream, so 0 streams, 0 stages,
///   0 assignments; no Flow joins two components, so 0 integrations; 112 elements kept
///   unmapped, 179 relationships all kept, 18 views, 319 organisation items.
/// - Sample1: a BusinessRole and a BusinessProcess: nothing maps; 2 elements and 1 relationship kept.
/// - bendpoint: a BusinessFunction and a BusinessService: nothing maps; 1 view.
#[test]
fn real_files_map_as_counted_by_hand() {
    let counts = |f: &str| {
        let bytes = read_external(f);
        let proposed = archimate::inspect(&bytes).unwrap().proposed;
        let r = archimate::read(&bytes, &proposed).unwrap().report;
        let kept: usize = r.kept_elements.iter().map(|c| c.count).sum();
        let kept_rel: usize = r.kept_relationships.iter().map(|c| c.count).sum();
        (
            [r.streams, r.stages, r.pbcs, r.assignments, r.integrations],
            [kept, kept_rel, r.views, r.organization_items],
        )
    };
    assert_eq!(counts(REAL[0]), ([0, 0, 10, 0, 0], [112, 179, 18, 319]));
    assert_eq!(counts(REAL[1]), ([0, 0, 0, 0, 0], [2, 1, 0, 0]));
    assert_eq!(counts(REAL[2]), ([0, 0, 0, 0, 0], [2, 2, 1, 0]));
}

#[test]
fn inspection_names_what_the_file_holds() {
    let i = archimate::inspect(&read_external(REAL[0])).unwrap();
    assert_eq!(i.name, "Archisurance");
    let count = |t: &str| {
        i.element_types
            .iter()
            .find(|c| c.name == t)
            .map(|c| c.count)
    };
    // By hand from the file: 17 BusinessActor, 10 ApplicationComponent, 9 Principle.
    assert_eq!(count("BusinessActor"), Some(17));
    assert_eq!(count("ApplicationComponent"), Some(10));
    assert_eq!(count("Principle"), Some(9));
    assert_eq!(
        i.proposed.pbc_types,
        vec!["ApplicationComponent".to_owned()]
    );
    assert_eq!(i.languages[0].name, "en");
    assert!(
        i.properties
            .iter()
            .any(|p| p.key == "Property1" && p.field.is_none())
    );
    assert_eq!(i.views, 18);
}

/// The real Archisurance file with its model name made accented and the whole re-encoded as
/// windows-1252, declared in the XML declaration as Sparx EA does.
#[test]
fn a_windows_1252_file_reads_its_accented_names() {
    let name = "Archisurance – Société d’Assurances Générales";
    let text = String::from_utf8(read_external(REAL[0]))
        .unwrap()
        .replacen("encoding=\"UTF-8\"", "encoding=\"windows-1252\"", 1)
        .replace(">Customer<", ">Clientèle<")
        .replacen(">Archisurance<", &format!(">{name}<"), 1);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(bytes.contains(&0xE9), "é is one byte in windows-1252");
    let r = archimate::read(&bytes, &archimate::inspect(&bytes).unwrap().proposed).unwrap();
    assert_eq!(r.model.name, name);
    let names: Vec<String> = r
        .kept
        .doc
        .elements
        .iter()
        .flat_map(|c| c.names.iter().map(|n| n.text.clone()))
        .collect();
    assert!(names.iter().any(|n| n == "Clientèle"), "{names:?}");
    // Written back as UTF-8, valid, with the same names.
    let xml = archimate::write(&r.model, Some(&r.kept)).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains("Clientèle"));
    assert_schema_valid(&xml, "the windows-1252 file written back");
}

/// The mortgage example with its integrations attached where they cost time, a named one,
/// and a scenario that changes one: what issue 20 adds to an integration.
fn attached_integrations() -> tributary_core::Model {
    use tributary_core::{IntegrationAt, IntegrationStyle};
    let (_, mut m) = examples()
        .into_iter()
        .find(|(n, _)| n.ends_with("mortgage.json"))
        .unwrap();
    let x = &mut m.integrations[0];
    x.style = IntegrationStyle::Batch;
    x.interval = Some(8.0);
    x.name = Some("Nightly document file".into());
    x.at = Some(IntegrationAt {
        stream: "mortgage".into(),
        stage: "scoring".into(),
        after: Some("kyc".into()),
    });
    let y = &mut m.integrations[2];
    y.calls_per_item = Some(3.0);
    y.at = Some(IntegrationAt {
        stream: "mortgage".into(),
        stage: "kyc".into(),
        after: None,
    });
    m.scenarios[0]
        .changes
        .push(tributary_core::Change::SetIntegration {
            integration: m.integrations[0].id.clone(),
            style: Some(IntegrationStyle::Events),
            latency: Some(0.01),
            interval: None,
            calls_per_item: None,
        });
    tributary_core::validate::ensure_valid(&m).unwrap();
    m
}

#[test]
fn attached_integrations_go_through_archimate_unchanged() {
    use tributary_core::exchange::to_json;
    let model = attached_integrations();
    let xml = archimate::write(&model, None).unwrap();
    assert_schema_valid(&xml, "attached integrations");
    assert!(xml.contains("mortgage/kyc-&gt;scoring") || xml.contains("mortgage/kyc->scoring"));
    let proposed = archimate::inspect(xml.as_bytes()).unwrap().proposed;
    let back = archimate::read(xml.as_bytes(), &proposed).unwrap();
    assert_eq!(to_json(&back.model), to_json(&model));
    // a file whose attachment names a stage the model does not have keeps the integration,
    // attached to nothing, and says so
    let broken = xml.replace("mortgage/kyc-&gt;scoring", "mortgage/kyc-&gt;nowhere");
    assert_ne!(broken, xml);
    let back = archimate::read(broken.as_bytes(), &proposed).unwrap();
    let x = &back.model.integrations[0];
    assert_eq!((x.at.as_ref(), x.interval), (None, Some(8.0)));
    assert!(
        back.report
            .warnings
            .iter()
            .any(|w| w.contains("\"nowhere\"") && w.contains("attached to no stage")),
        "{:?}",
        back.report.warnings
    );
}
