//! Shared helpers: fixture paths, the fixtures' mappings, comparisons of figures.

use std::path::{Path, PathBuf};

use tributary_telemetry::{Mapping, MappingToml};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn map(name: &str) -> Mapping {
    Mapping::from_toml_file(&fixture(name)).unwrap()
}

pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[track_caller]
pub fn assert_close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}
