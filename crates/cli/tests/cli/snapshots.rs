//! What people read, pinned: the tables and JSON of every command on every bundled example,
//! and one seeded simulation. A change to any of them fails here with a diff; review it and
//! re-bless with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p tributary-cli`).
//! The numbers themselves are checked against hand calculations elsewhere (`model.rs`,
//! `crates/core/tests`); these tests pin the words, layout and rounding around them.

use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: [&str; 4] = ["mortgage", "distributor", "returns", "telecom"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the CLI in `dir` and returns what it printed, failing on a non-zero exit unless the
/// command is expected to report problems (`validate`).
fn run(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_tributary"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        o.status.success() || args[0] == "validate",
        "tributary {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// The example as a model file in a fresh folder, under the name `NAME.tributary`.
fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let json = root().join(format!("assets/examples/{name}.json"));
    let file = format!("{name}.tributary");
    run(dir.path(), &["import", json.to_str().unwrap(), "-o", &file]);
    dir
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn every_table_of_every_example() {
    for name in EXAMPLES {
        let dir = example(name);
        let file = format!("{name}.tributary");
        let d = dir.path();
        settings().bind(|| {
            insta::assert_snapshot!(format!("{name}-metrics"), run(d, &["metrics", &file]));
            insta::assert_snapshot!(
                format!("{name}-compare"),
                run(d, &["compare", &file, "--scenario", "future"])
            );
            insta::assert_snapshot!(format!("{name}-prioritize"), run(d, &["prioritize", &file]));
            insta::assert_snapshot!(format!("{name}-matrix"), run(d, &["matrix", &file]));
            insta::assert_snapshot!(format!("{name}-validate"), run(d, &["validate", &file]));
        });
    }
}

#[test]
fn the_json_of_every_example() {
    for name in EXAMPLES {
        let dir = example(name);
        let file = format!("{name}.tributary");
        let d = dir.path();
        settings().bind(|| {
            insta::assert_snapshot!(
                format!("{name}-metrics-json"),
                run(d, &["metrics", &file, "--json"])
            );
            insta::assert_snapshot!(
                format!("{name}-compare-json"),
                run(d, &["compare", &file, "--scenario", "future", "--json"])
            );
        });
    }
}

/// The simulator is seeded: the same seed gives the same figures on any machine and thread
/// count, so its summary can be pinned. A change here means the draws changed.
#[test]
fn a_seeded_simulation_summary() {
    let dir = example("mortgage");
    let args = [
        "simulate",
        "mortgage.tributary",
        "--scenario",
        "future",
        "--runs",
        "4",
        "--items",
        "2000",
        "--seed",
        "7",
    ];
    settings().bind(|| {
        insta::assert_snapshot!("mortgage-simulate-future", run(dir.path(), &args));
    });
}

/// The measured flow of the mortgage example's generated telemetry, as people read it.
#[test]
fn the_measured_flow_tables() {
    let dir = example("mortgage");
    let d = dir.path();
    let tel = root().join("assets/examples/mortgage.telemetry");
    let (events, map) = (tel.join("events.csv"), tel.join("map.toml"));
    let import = [
        "telemetry",
        "import",
        "mortgage.tributary",
        "--stream",
        "mortgage",
        "--format",
        "events-csv",
        events.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
    ];
    let imported = run(d, &import).replace(events.to_str().unwrap(), "events.csv");
    let file = "mortgage.tributary";
    settings().bind(|| {
        insta::assert_snapshot!("mortgage-telemetry-import", imported);
        let flow = ["flow", file, "--stream", "mortgage", "--to", "2026-10-31"];
        insta::assert_snapshot!("mortgage-flow", run(d, &flow));
        let forecast = [
            "forecast",
            file,
            "--stream",
            "mortgage",
            "--items",
            "50",
            "--to",
            "2026-10-31",
        ];
        insta::assert_snapshot!("mortgage-forecast", run(d, &forecast));
        let map = ["telemetry", "map", file, "--stream", "mortgage"];
        insta::assert_snapshot!("mortgage-telemetry-map", run(d, &map));
    });
}
