//! `tributary traces` on a real export (the HotROD demo's trace, OTLP JSON, from
//! `../shared/external/traces`): imported into a model whose PBCs list the demo's services,
//! shown against the model, and calibrated in one undo step.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tributary(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn hotrod() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/external/traces/otlp-json/jaeger_hotrod_n_plus_one_full_concurrent.json",
    );
    assert!(
        p.exists(),
        "the real trace exports are in ../shared/external/traces: {}",
        p.display()
    );
    p
}

const MODEL: &str = r#"{"format":"tributary/1","name":"Rides","currency":"EUR","time_unit":"hours",
  "calendar":{"hours_per_day":8,"days_per_week":5},
  "streams":[{"id":"ride","name":"Ride","demand_per_week":100,"cost_of_delay_per_week":10,
    "stages":[{"id":"book","name":"Book","process_time":0.1,"wait_time":0.2}]}],
  "pbcs":[{"id":"web","name":"Web front","systems":["frontend"]},
          {"id":"dispatch","name":"Dispatch","systems":["driver","route"]},
          {"id":"crm","name":"Customers","systems":["customer","mysql"]}],
  "assignments":[{"pbc":"web","stream":"ride","stage":"book","process_time":0.01}],
  "integrations":[{"id":"web-crm","from":"web","to":"crm","style":"sync_api","latency":0.5}]}"#;

#[test]
fn a_real_trace_is_imported_shown_and_calibrated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("m.json"), MODEL).unwrap();
    assert!(
        tributary(d, &["import", "m.json", "-o", "m.tributary"])
            .status
            .success()
    );
    let trace = hotrod();
    let o = tributary(
        d,
        &[
            "traces",
            "import",
            "m.tributary",
            "--format",
            "otlp-json",
            trace.to_str().unwrap(),
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // 40 spans in the file (frontend 13, redis-manual 14, route 10, customer, mysql, driver)
    assert!(out.contains("40 spans read"), "{out}");
    // redis-manual is listed by no PBC
    assert!(
        out.contains("unmapped service \"redis-manual\": 14 spans"),
        "{out}"
    );
    let o = tributary(d, &["traces", "show", "m.tributary", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let i = &v["integrations"][0];
    assert_eq!(i["id"], "web-crm");
    assert!(
        i["calls"].as_u64().unwrap() >= 1,
        "the frontend calls the customer service: {i}"
    );
    let measured = i["latency"]["measured"].as_f64().unwrap();
    assert!(
        measured > 0.0 && measured < 0.5,
        "a call of the demo takes well under half an hour"
    );
    let o = tributary(d, &["traces", "calibrate", "m.tributary"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json = String::from_utf8(tributary(d, &["export", "m.tributary"]).stdout).unwrap();
    let m: serde_json::Value = serde_json::from_str(&json).unwrap();
    let latency = m["integrations"][0]["latency"].as_f64().unwrap();
    assert!(
        (latency - measured).abs() <= 1e-6 * measured.max(1e-9) + 1e-12,
        "{latency} vs {measured}"
    );
    assert!(tributary(d, &["undo", "m.tributary"]).status.success());
    let json = String::from_utf8(tributary(d, &["export", "m.tributary"]).stdout).unwrap();
    let m: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        m["integrations"][0]["latency"].as_f64(),
        Some(0.5),
        "undo restores the drawn latency"
    );
}
