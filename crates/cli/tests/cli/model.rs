//! The model commands as a script uses them: import, metrics, compare, validate, edit, undo,
//! and errors that name the file, the place and the problem.

use std::path::Path;
use std::process::{Command, Output};

fn tributary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const E1: &str = r#"{"format":"tributary/1","name":"E1","currency":"EUR","time_unit":"hours",
  "calendar":{"hours_per_day":8,"days_per_week":5},
  "streams":[{"id":"s","name":"E1","demand_per_week":20,"cost_of_delay_per_week":500,
  "stages":[{"id":"intake","name":"Intake","process_time":0.5,"wait_time":8,"pca":0.90},
            {"id":"assess","name":"Assess","process_time":2,"wait_time":24,"pca":0.80},
            {"id":"approve","name":"Approve","process_time":1,"wait_time":40,"pca":0.95},
            {"id":"fulfil","name":"Fulfil","process_time":3,"wait_time":16,"pca":0.98}]}],
  "scenarios":[{"id":"e2","name":"E2","changes":[
    {"kind":"set_stage","stream":"s","stage":"approve","wait_time":8},
    {"kind":"investment","name":"automation","amount":600000}]}]}"#;

fn e1(dir: &Path) -> String {
    let json = dir.join("e1.json");
    std::fs::write(&json, E1).unwrap();
    let file = dir.join("e1.tributary");
    let o = tributary(&[
        "import",
        json.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    file.to_str().unwrap().to_owned()
}

#[test]
fn metrics_and_compare_print_reference_e1_and_e2() {
    let dir = tempfile::tempdir().unwrap();
    let file = e1(dir.path());
    let m = text(&tributary(&["metrics", &file]));
    // REFERENCE.md E1: 94.5 h, 6.9 %, 67.0 %, Approve waits longest, EUR 1,228,500 a year
    for want in [
        "94.5 h",
        "6.9 %",
        "67.0 %",
        "Approve has the longest wait: 40 h",
        "EUR 1,228,500 a year",
    ] {
        assert!(m.contains(want), "{want:?} missing from:\n{m}");
    }
    let c = text(&tributary(&["compare", &file, "--scenario", "e2"]));
    // REFERENCE.md E2: 62.5 h, EUR 416,000 saved, payback 1.44 years, NPV 1,060,967
    for want in [
        "94.5 -> 62.5 h",
        "EUR 416,000",
        "1.44 years",
        "EUR 1,060,967",
    ] {
        assert!(c.contains(want), "{want:?} missing from:\n{c}");
    }
}

#[test]
fn edit_and_undo_from_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let file = e1(dir.path());
    let o = tributary(&[
        "edit",
        &file,
        r#"{"type":"delete_stage","stream":"s","id":"approve"}"#,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lead = |f: &str| -> f64 {
        let j: serde_json::Value =
            serde_json::from_str(&text(&tributary(&["metrics", f, "--json"]))).unwrap();
        j["streams"][0]["lead_time"].as_f64().unwrap()
    };
    assert_eq!(lead(&file), 94.5 - 41.0);
    assert!(text(&tributary(&["undo", &file])).contains("Delete stage"));
    assert_eq!(lead(&file), 94.5);
}

#[test]
fn errors_name_the_place_and_come_as_json_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, E1.replace("\"wait_time\":24", "\"wait_time\":-3")).unwrap();
    let o = tributary(&["validate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("streams[0].stages[1].wait_time"),
        "{}",
        text(&o)
    );

    let o = tributary(&["metrics", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("bad.json") && err.contains("-3"),
        "{err}"
    );

    let o = tributary(&["metrics", bad.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(j["error"]["code"], "invalid");
    assert_eq!(
        j["error"]["problems"][0]["path"],
        "streams[0].stages[1].wait_time"
    );
}

/// A JSON model is read strictly and named as JSON whatever is wrong with it: text after the
/// model, a second model, a list, a comment; a byte order mark is allowed.
#[test]
fn json_is_read_strictly_and_named_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.json");
    let cases: [(String, &str); 4] = [
        (format!("{E1}\nxyz"), "more after the end of the model"),
        (format!("{E1}\n{E1}"), "more after the end of the model"),
        ("[]".into(), "JSON list"),
        (format!("// exported by hand\n{E1}"), "line 1"),
    ];
    for (text, want) in &cases {
        std::fs::write(&file, text).unwrap();
        for cmd in ["validate", "import"] {
            let out = dir.path().join("m.tributary");
            let mut args = vec![cmd, file.to_str().unwrap()];
            if cmd == "import" {
                args.extend(["-o", out.to_str().unwrap()]);
            }
            let o = tributary(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!o.status.success(), "{cmd} accepted {text:.30}");
            assert!(err.contains(want), "{cmd}: {err}");
            assert!(!err.contains("SQLite"), "{cmd}: {err}");
            assert!(!out.exists(), "{cmd}: nothing is imported");
        }
    }
    std::fs::write(&file, format!("\u{feff}{E1}")).unwrap();
    assert!(
        tributary(&["validate", file.to_str().unwrap()])
            .status
            .success()
    );
}

/// A name that carries terminal controls (escape, bell) is printed with them escaped.
#[test]
fn control_characters_in_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("m.json");
    std::fs::write(
        &json,
        E1.replace(
            "\"name\":\"Intake\"",
            "\"name\":\"In\\u001b[31mtake\\u0007\"",
        ),
    )
    .unwrap();
    let o = tributary(&["metrics", json.to_str().unwrap()]);
    let out = text(&o);
    assert!(o.status.success());
    assert!(out.contains("In\\u{1b}[31mtake\\u{7}"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
}
