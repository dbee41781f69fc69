//! `tributary telemetry import`, `flow`, `forecast`, `calibrate` and `dora` as a user runs
//! them: exit codes, JSON shapes, and errors on stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../telemetry/tests/fixtures")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
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
fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// A model file with stream "delivery" (stages analyse, build, review) and the events
/// fixture imported with its mapping.
fn model(dir: &Path) -> String {
    let m = dir.join("m.json");
    std::fs::write(
        &m,
        r#"{"format":"tributary/1","name":"CLI","streams":[{"id":"delivery","name":"Delivery","stages":[
          {"id":"analyse","name":"Analyse","process_time":2,"wait_time":6},
          {"id":"build","name":"Build","process_time":4,"wait_time":8},
          {"id":"review","name":"Review","process_time":1,"wait_time":3}]}]}"#,
    )
    .unwrap();
    let file = dir.join("m.tributary");
    ok(&["import", m.to_str().unwrap(), "-o", file.to_str().unwrap()]);
    file.to_str().unwrap().to_owned()
}

fn import_events(file: &str) -> String {
    ok(&[
        "telemetry",
        "import",
        file,
        "--stream",
        "delivery",
        "--format",
        "events-csv",
        fixture("events.csv").to_str().unwrap(),
        "--map",
        fixture("map.toml").to_str().unwrap(),
    ])
}

#[test]
fn import_then_flow_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    let text = import_events(&file);
    assert!(
        text.contains("Events         27 (27 new, 0 already stored)"),
        "{text}"
    );
    assert!(text.contains("\"Triage\": 1 events"), "{text}");
    let again = import_events(&file);
    assert!(again.contains("nothing new"), "{again}");
    let v = json(&["flow", &file, "--stream", "delivery", "--json"]);
    let ct = &v["cycle_time"];
    assert_eq!(ct["unit"], "days");
    assert_eq!(ct["count"], 4);
    // Hand calculation: flow times 2, 2.708, 3, 3 days.
    assert!((ct["p50"].as_f64().unwrap() - (2.0 + 17.0 / 24.0 + 3.0) / 2.0).abs() < 1e-9);
    for k in ["p70", "p85", "p95"] {
        assert_eq!(ct[k].as_f64(), Some(3.0), "{k}");
    }
    let tp: Vec<(String, u64)> = v["throughput_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tp,
        [
            ("2024-03-04".to_owned(), 0),
            ("2024-03-05".to_owned(), 0),
            ("2024-03-06".to_owned(), 0),
            ("2024-03-07".to_owned(), 2),
            ("2024-03-08".to_owned(), 2)
        ]
    );
    // A window with no completed item: nulls and a note, never NaN.
    let out = ok(&[
        "flow",
        &file,
        "--stream",
        "delivery",
        "--to",
        "2024-03-06",
        "--json",
    ]);
    assert!(!out.contains("NaN"));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cycle_time"]["count"], 0);
    assert!(v["cycle_time"]["p85"].is_null());
    let table = ok(&["flow", &file, "--stream", "delivery"]);
    assert!(
        table.contains("Flow time        50 % 2.85 · 70 % 3 · 85 % 3 · 95 % 3 (days, 4 items)"),
        "{table}"
    );
    assert!(table.contains("A-5 !"), "{table}");
}

#[test]
fn forecast_answers_both_questions_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    import_events(&file);
    let args = [
        "forecast", &file, "--stream", "delivery", "--items", "4", "--seed", "5", "--json",
    ];
    let a = json(&args);
    let b = json(&args);
    assert_eq!(a, b);
    assert_eq!(a["question"], "when");
    let p = &a["percentiles"];
    let (p50, p85, p95) = (
        p["50"].as_u64().unwrap(),
        p["85"].as_u64().unwrap(),
        p["95"].as_u64().unwrap(),
    );
    assert!(p50 <= p85 && p85 <= p95);
    // Samples 0, 0, 0, 2, 2: 4 items need at least 2 days.
    assert!(p50 >= 2);
    let h = json(&[
        "forecast", &file, "--stream", "delivery", "--days", "5", "--trials", "2000", "--json",
    ]);
    assert_eq!(h["question"], "how_many");
    assert_eq!(h["trials"], 2000);
    // At least-rule: higher confidence, fewer items.
    let q = &h["percentiles"];
    assert!(q["95"].as_u64() <= q["50"].as_u64());
    // Neither question: a usage error from clap (exit 2).
    let o = run(&["forecast", &file, "--stream", "delivery"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "forecast",
        &file,
        "--stream",
        "delivery",
        "--items",
        "3",
        "--from",
        "2024-03-04",
        "--to",
        "2024-03-05",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no item of stream \"delivery\" was done between 2024-03-04 and 2024-03-05"),
        "{err}"
    );
}

#[test]
fn calibrate_is_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    import_events(&file);
    let text = ok(&["calibrate", &file, "--stream", "delivery"]);
    assert!(
        text.contains("Build       4  4 -> 8.57 h  8 -> 2.86 h"),
        "{text}"
    );
    let m = json(&["metrics", &file, "--json"]);
    let build = &m["streams"][0]["stages"][1];
    assert_eq!(build["process_time"].as_f64(), Some(8.57));
    let undo = ok(&["undo", &file]);
    assert!(undo.contains("Calibrate Delivery"), "{undo}");
    let m = json(&["metrics", &file, "--json"]);
    assert_eq!(
        m["streams"][0]["stages"][1]["process_time"].as_f64(),
        Some(4.0)
    );
    ok(&[
        "calibrate",
        &file,
        "--stream",
        "delivery",
        "--statistic",
        "mean",
        "--scenario",
        "Measured",
    ]);
    let c = json(&["compare", &file, "--scenario", "measured", "--json"]);
    assert_eq!(c["scenario_name"], "Measured");
}

#[test]
fn dora_and_errors_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    ok(&[
        "telemetry",
        "import",
        &file,
        "--stream",
        "delivery",
        "--format",
        "deployments-csv",
        fixture("deployments.csv").to_str().unwrap(),
    ]);
    let d = json(&["dora", &file, "--json"]);
    assert_eq!(d["change_failure_rate"]["rate"].as_f64(), Some(0.25));
    assert_eq!(
        d["lead_time_for_changes"]["median_hours"].as_f64(),
        Some(6.0)
    );
    assert_eq!(
        d["deployment_frequency"]["per_day"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // Bad input: exit 1, the line named on stderr, nothing on stdout.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "item_id,item_type,timestamp,from_state,to_state\nX,Story,someday,,Backlog\n",
    )
    .unwrap();
    let o = run(&[
        "telemetry",
        "import",
        &file,
        "--stream",
        "delivery",
        "--format",
        "events-csv",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("bad.csv, line 2: timestamp"),
        "{err}"
    );
    let o = run(&[
        "telemetry",
        "import",
        &file,
        "--stream",
        "delivery",
        "--format",
        "excel",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format \"excel\""));
    let o = run(&["flow", &file, "--stream", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("stream \"nope\" does not exist"));
    let o = run(&["flow", &file, "--stream", "delivery", "--from", "March"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--from: \"March\" is not a date"));
}

#[test]
fn the_mapping_can_be_shown_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    ok(&[
        "telemetry",
        "import",
        &file,
        "--stream",
        "delivery",
        "--format",
        "events-csv",
        fixture("events.csv").to_str().unwrap(),
    ]);
    let v = json(&["telemetry", "map", &file, "--stream", "delivery", "--json"]);
    assert!(
        v["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["state"].is_null())
    );
    ok(&[
        "telemetry",
        "map",
        &file,
        "--stream",
        "delivery",
        fixture("map.toml").to_str().unwrap(),
    ]);
    let v = json(&["telemetry", "map", &file, "--stream", "delivery", "--json"]);
    let doing = v["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "Doing")
        .unwrap()
        .clone();
    assert_eq!(doing["state"], "active");
    assert_eq!(doing["stage"], "build");
    assert_eq!(doing["events"], 7);
    let list = json(&["telemetry", "imports", &file, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// The real Jira Cloud search of shared/external (25 issues with their changelogs).
fn real_jira() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/external/jira/actionableagile-jira-to-analytics_search-with-changelog.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the real exports of ../shared/external are needed",
            path.display()
        )
    })
}

#[test]
fn fetch_jira_from_a_loopback_server_as_a_user_runs_it() {
    // Jira Server's search, answered whole in one page: 25 issues of a total of 25.
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let site = format!("http://{}", server.server_addr().to_ip().unwrap());
    let body = real_jira();
    let thread = std::thread::spawn(move || {
        let mut seen = Vec::new();
        while let Ok(Some(req)) = server.recv_timeout(std::time::Duration::from_secs(10)) {
            let auth = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.to_string());
            seen.push((req.url().to_owned(), auth));
            let _ = req.respond(tiny_http::Response::from_string(body.clone()));
            if seen.len() == 2 {
                break;
            }
        }
        seen
    });
    let dir = tempfile::tempdir().unwrap();
    let file = model(dir.path());
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[states]\n\"Backlog\" = \"new\"\n\"Analysis Active\" = \"active\"\n\"Analysis Done\" = \"waiting\"\n\"Dev Active\" = \"active\"\n\"Dev Done\" = \"waiting\"\n\"Test\" = \"active\"\n\"Done\" = \"done\"\n",
    )
    .unwrap();
    let fetch = |json: bool| {
        let mut c = bin();
        c.args(["telemetry", "fetch", "jira", &file, "--stream", "delivery"]);
        c.args(["--site", &site, "--jql", "project = UT", "--map"]);
        c.arg(&map);
        if json {
            c.arg("--json");
        }
        c.env("TRIBUTARY_JIRA_TOKEN", "tok-123").output().unwrap()
    };
    let o = fetch(false);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("using the token in $TRIBUTARY_JIRA_TOKEN"),
        "{err}"
    );
    assert!(out.contains("fetched 25 items from jira"), "{out}");
    assert!(
        out.contains("Events         89 (89 new, 0 already stored)"),
        "{out}"
    );
    assert!(!out.contains("tok-123") && !err.contains("tok-123"));
    // The second asks only for what changed since the first (less a day) and adds nothing.
    let v: Value = serde_json::from_slice(&fetch(true).stdout).unwrap();
    assert_eq!(v["imports"][0]["events_added"], 0);
    assert!(v["fetch"]["since"].is_string(), "{v}");
    let seen = thread.join().unwrap();
    assert!(
        seen.iter()
            .all(|(_, a)| a.as_deref() == Some("Bearer tok-123"))
    );
    assert!(seen[1].0.contains("updated"), "{seen:?}");
    // The same flow times as the file's import (api tests, check_real.py).
    let v = json(&["flow", &file, "--stream", "delivery", "--json"]);
    assert!((v["cycle_time"]["p50"].as_f64().unwrap() - 18.0264682176).abs() < 1e-6);
}
