//! `tributary simulate` as a user runs it: on JSON and model files, for the baseline and
//! beside a scenario, tables and `--json`, the same output for the same seed, and clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[track_caller]
fn fails(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(1), "{args:?} should fail");
    assert!(o.stdout.is_empty());
    String::from_utf8(o.stderr).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// REFERENCE.md E1 (a line of four stages, demand 20 a week) with the E2 scenario (Approve's
/// wait 40 -> 8 h), arrivals as given and %C&A as given or all 1.
fn e1(dir: &Path, arrivals: &str, rework: bool) -> PathBuf {
    let pca = |p: f64| if rework { p } else { 1.0 };
    let stage = |id: &str, name: &str, pt: f64, wt: f64, p: f64| json!({"id": id, "name": name, "process_time": pt, "wait_time": wt, "pca": pca(p)});
    let model = json!({
        "format": "tributary/1", "name": "E1 line stream", "currency": "EUR",
        "time_unit": "hours", "calendar": {"hours_per_day": 8, "days_per_week": 5},
        "streams": [{"id": "s", "name": "E1", "demand_per_week": 20,
            "cost_of_delay_per_week": 500, "arrivals": arrivals,
            "stages": [stage("intake", "Intake", 0.5, 8.0, 0.90),
                       stage("assess", "Assess", 2.0, 24.0, 0.80),
                       stage("approve", "Approve", 1.0, 40.0, 0.95),
                       stage("fulfil", "Fulfil", 3.0, 16.0, 0.98)]}],
        "scenarios": [{"id": "auto", "name": "Decision automation", "changes": [
            {"kind": "set_stage", "stream": "s", "stage": "approve", "wait_time": 8}]}]
    });
    let path = dir.join(format!("e1-{arrivals}-{rework}.json"));
    std::fs::write(&path, model.to_string()).unwrap();
    path
}

// Without randomness, the simulation is the paper map: E1's lead time 94.5 h at every
// percentile, and E2's scenario 62.5 h.
#[test]
fn simulate_prints_lead_time_percentiles_and_stages() {
    let dir = tempfile::tempdir().unwrap();
    let file = e1(dir.path(), "fixed", false);
    let text = ok(&["simulate", s(&file), "--items", "300", "--runs", "2"]);
    assert!(
        text.contains("E1 line stream · baseline, simulated"),
        "{text}"
    );
    assert!(text.contains("p50 94.5 · p85 94.5 · p95 94.5 h"), "{text}");
    assert!(text.contains("paper map 94.5 h"), "{text}");
    for stage in ["Intake", "Assess", "Approve", "Fulfil"] {
        assert!(text.contains(stage), "{stage} missing: {text}");
    }

    let v: Value = serde_json::from_str(&ok(&[
        "simulate",
        s(&file),
        "--items",
        "300",
        "--runs",
        "2",
        "--json",
    ]))
    .unwrap();
    let lt = &v["streams"][0]["lead_time"];
    assert_eq!(lt["p85"], 94.5);
    assert_eq!(lt["p95"], 94.5);
    assert_eq!(v["items"], 300);
    assert_eq!(v["runs"], 2);
    // E1's cost of delay: 500 a week x 2.3625 weeks = 1,181.25 an item
    let cost = v["streams"][0]["delay_cost_per_item"]["p85"]
        .as_f64()
        .unwrap();
    assert!((cost - 1181.25).abs() < 1e-9, "{cost}");
}

#[test]
fn simulate_a_scenario_beside_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let file = e1(dir.path(), "fixed", false);
    let args = ["simulate", s(&file), "--scenario", "auto", "--items", "300"];
    let text = ok(&args);
    assert!(
        text.contains("E1 (stream \"s\"): 85 % of items within 62.5 h, down from 94.5 h"),
        "{text}"
    );
    assert!(
        text.contains("Baseline") && text.contains("Scenario"),
        "{text}"
    );
    // E2: 0.8 weeks saved per item = 416,000 a year
    assert!(text.contains("EUR 416k at the mean"), "{text}");
    let v: Value = serde_json::from_str(&ok(&[&args[..], &["--json"]].concat())).unwrap();
    let st = &v["streams"][0];
    assert_eq!(st["baseline"]["lead_time"]["p85"], 94.5);
    assert_eq!(st["scenario"]["lead_time"]["p85"], 62.5);
    assert_eq!(st["lead_time_saved"]["p85"], 32.0);
}

#[test]
fn the_same_seed_prints_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let file = e1(dir.path(), "poisson", true);
    let a = ok(&[
        "simulate",
        s(&file),
        "--items",
        "500",
        "--runs",
        "3",
        "--seed",
        "7",
        "--json",
    ]);
    let b = ok(&[
        "simulate",
        s(&file),
        "--items",
        "500",
        "--runs",
        "3",
        "--seed",
        "7",
        "--json",
    ]);
    let c = ok(&[
        "simulate",
        s(&file),
        "--items",
        "500",
        "--runs",
        "3",
        "--seed",
        "8",
        "--json",
    ]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    // rework shows: some items are slower than the first-pass 94.5 h
    let v: Value = serde_json::from_str(&a).unwrap();
    assert!(v["streams"][0]["lead_time"]["max"].as_f64().unwrap() > 94.5 + 8.0);
    assert!(v["streams"][0]["reworked_share"]["value"].as_f64().unwrap() > 0.1);
}

#[test]
fn simulate_reads_a_model_file_too() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = e1(dir.path(), "fixed", false);
    let model = dir.path().join("e1.tributary");
    ok(&["import", s(&json_file), "-o", s(&model)]);
    let from_json = ok(&["simulate", s(&json_file), "--items", "200", "--json"]);
    let from_model = ok(&["simulate", s(&model), "--items", "200", "--json"]);
    assert_eq!(from_json, from_model);
}

#[test]
fn simulate_names_what_cannot_be_simulated() {
    let dir = tempfile::tempdir().unwrap();
    // Approve at capacity 1 with 2 h of work: 20 x 2 h = the whole 40 h week
    let file = dir.path().join("full.json");
    let mut model: Value =
        serde_json::from_str(&std::fs::read_to_string(e1(dir.path(), "fixed", false)).unwrap())
            .unwrap();
    model["streams"][0]["stages"][2]["capacity"] = json!(1);
    model["streams"][0]["stages"][2]["process_time"] = json!(2);
    std::fs::write(&file, model.to_string()).unwrap();
    let err = fails(&["simulate", s(&file)]);
    assert!(
        err.starts_with(&format!(
            "error: {}: cannot simulate: stage \"approve\"",
            s(&file)
        )) && err.contains("grows without bound"),
        "{err}"
    );
    let err = fails(&["simulate", s(&file), "--scenario", "nope"]);
    assert!(err.contains("scenario \"nope\""), "{err}");
    let err = fails(&["simulate", s(&file), "--stream", "nope"]);
    assert!(err.contains("stream \"nope\" does not exist"), "{err}");
    let err = fails(&["simulate", s(&file), "--items", "1"]);
    assert!(err.contains("items is 1"), "{err}");
}
