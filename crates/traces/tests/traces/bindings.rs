//! The TypeScript types the lead will generate from this crate (ts-rs, as core does) must
//! not take a name the app's bindings already use for another type.

use std::path::PathBuf;

use ts_rs::{Config, TS};

#[test]
fn typescript_names_do_not_clash_with_the_apps() {
    let dir = std::env::temp_dir().join(format!("tributary-traces-ts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = Config::new().with_out_dir(&dir);
    tributary_traces::TraceSummary::export_all(&cfg).unwrap();
    tributary_traces::TraceComparison::export_all(&cfg).unwrap();
    tributary_traces::TraceCalibration::export_all(&cfg).unwrap();
    tributary_traces::CompareOptions::export_all(&cfg).unwrap();
    tributary_traces::CalibrateOptions::export_all(&cfg).unwrap();
    let app = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/src/ipc/bindings"
    ));
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        names.push(name.to_string_lossy().into_owned());
        let there = app.join(&name);
        if there.exists() {
            assert_eq!(
                std::fs::read_to_string(&there).unwrap(),
                std::fs::read_to_string(&path).unwrap(),
                "{} names another type in the app's bindings",
                name.to_string_lossy()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(names.iter().any(|n| n == "TraceSummary.ts"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "Command.ts"),
        "the calibration carries the engine's command"
    );
}
