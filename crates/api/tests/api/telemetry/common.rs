//! Shared helpers: a model file with one stream in a temporary folder, the telemetry crate's
//! fixtures, an import with a fixed "now", and every telemetry row to compare a file by.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;
use tributary_api::telemetry::{
    Format, ImportControl, ImportOptions, ImportReport, Mapping, MappingToml,
};
use tributary_api::{Result, Session};
use tributary_core::{Model, Stage, Stream};

pub const NOW: &str = "2024-03-10T12:00:00Z";

/// A fixture of the telemetry crate (they stay there, beside the parsers they describe).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../telemetry/tests/fixtures")
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
        note: None,
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
    pub dir: TempDir,
    pub path: PathBuf,
    pub session: Session,
}

pub fn document() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.tributary");
    let session = Session::create(&path, &model()).unwrap();
    Fixture { dir, path, session }
}

/// A model file with the fixture `name` imported into stream "delivery".
pub fn with(name: &str, format: Format, mapping: Option<Mapping>) -> Fixture {
    let mut f = document();
    import(&mut f.session, &fixture(name), format, mapping).unwrap();
    f
}

/// The events fixture imported under its mapping: the history most tests work on.
pub fn imported() -> Fixture {
    with("events.csv", Format::EventsCsv, Some(map("map.toml")))
}

pub fn map(name: &str) -> Mapping {
    Mapping::from_toml_file(&fixture(name)).unwrap()
}

pub fn import(
    session: &mut Session,
    input: &Path,
    format: Format,
    mapping: Option<Mapping>,
) -> Result<ImportReport> {
    let mut opts = ImportOptions::new("delivery", format, NOW);
    opts.mapping = mapping;
    session.import_with(input, &opts, ImportControl::default())
}

/// The file opened a second time, for reading only: what is stored, not what the session
/// holds in memory.
pub fn read(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// One number the file answers, such as a count of rows.
pub fn count(path: &Path, sql: &str) -> i64 {
    read(path).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every row of the telemetry tables and the mappings, as text, to compare a file before and
/// after.
pub fn dump(path: &Path) -> Vec<String> {
    let conn = read(path);
    let mut out = Vec::new();
    for table in [
        "telemetry_imports",
        "telemetry_items",
        "telemetry_events",
        "telemetry_deployments",
        "telemetry_changes",
        "telemetry_incidents",
        "mappings",
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
