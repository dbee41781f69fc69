//! Shared helpers: a model with one stream, fixture paths, a model file in a temporary folder.

use std::path::{Path, PathBuf};

use tempfile::TempDir;
use tributary_core::{Model, Stage, Stream};
use tributary_store::Document;
use tributary_telemetry::{Control, Format, ImportOptions, ImportReport, Mapping};

pub const NOW: &str = "2024-03-10T12:00:00Z";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn stage(id: &str, name: &str, pt: f64, wt: f64) -> Stage {
    Stage {
        id: id.into(),
        name: name.into(),
        process_time: pt,
        wait_time: wt,
        pca: 1.0,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
    }
}

/// Stream "delivery" with stages analyse, build, review (hours; 8 h x 5 d calendar).
pub fn model() -> Model {
    let mut m = Model::new("Telemetry test");
    m.streams.push(Stream {
        id: "delivery".into(),
        name: "Delivery".into(),
        trigger: None,
        value: None,
        demand_per_week: 10.0,
        cost_of_delay_per_week: 100.0,
        urgency: Default::default(),
        stages: vec![
            stage("analyse", "Analyse", 2.0, 6.0),
            stage("build", "Build", 4.0, 8.0),
            stage("review", "Review", 1.0, 3.0),
        ],
        edges: Vec::new(),
        arrivals: None,
    });
    m
}

pub struct Fixture {
    pub _dir: TempDir,
    pub path: PathBuf,
    pub doc: Document,
}

pub fn document() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.tributary");
    let doc = Document::create(&path, &model()).unwrap();
    Fixture {
        _dir: dir,
        path,
        doc,
    }
}

pub fn map(name: &str) -> Mapping {
    Mapping::from_toml_file(&fixture(name)).unwrap()
}

pub fn import(
    doc: &mut Document,
    input: &Path,
    format: Format,
    mapping: Option<Mapping>,
) -> tributary_telemetry::Result<ImportReport> {
    let mut opts = ImportOptions::new("delivery", format, NOW);
    opts.mapping = mapping;
    tributary_telemetry::import(doc, input, &opts, Control::default())
}

/// Every row of the telemetry tables, as text, to compare a file before and after.
pub fn dump(doc: &Document) -> Vec<String> {
    let conn = doc.connection();
    let mut out = Vec::new();
    for table in [
        "telemetry_imports",
        "telemetry_items",
        "telemetry_events",
        "telemetry_deployments",
        "telemetry_changes",
        "telemetry_incidents",
        "telemetry_mapping",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut s = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!(" {v:?}"));
                }
                Ok(s)
            })
            .unwrap();
        for r in rows {
            out.push(r.unwrap());
        }
    }
    out
}

pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[track_caller]
pub fn assert_close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}
