//! `tributary report` and `tributary export --format ...`: files written whole, stdout where
//! asked, clear errors and nothing half-written on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tributary_api::engine::exchange::{from_json, to_json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Files in a folder, temporary ones included.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn report_writes_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.pdf");
    let o = run(&[
        "report",
        s(&example("mortgage.json")),
        "--stream",
        "mortgage",
        "--scenario",
        "future",
        "-o",
        s(&out),
        "--author",
        "CFO office",
        "--date",
        "2026-05-04",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("pages"));
    assert_eq!(
        listing(dir.path()),
        vec!["board.pdf"],
        "no temporary file left"
    );
}

#[test]
fn report_errors_name_what_is_wrong_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.pdf");
    let m = example("mortgage.json");
    let cases: [(&[&str], &str); 4] = [
        (
            &["--stream", "loans"],
            "stream \"loans\" does not exist (the model has: mortgage)",
        ),
        (
            &["--stream", "mortgage", "--scenario", "later"],
            "scenario \"later\" does not exist (the model has: future)",
        ),
        (
            &["--stream", "mortgage", "--date", "2026-02-30"],
            "is not a date",
        ),
        (
            &["--stream", "mortgage", "--date", "tomorrow"],
            "YYYY-MM-DD",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["report", s(&m), "-o", s(&out)];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(!o.status.success(), "{extra:?} should fail");
        let err = stderr(&o);
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(listing(dir.path()).is_empty(), "{extra:?} left a file");
    }
}

#[test]
fn an_empty_stream_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut model = from_json(&std::fs::read_to_string(example("returns.json")).unwrap()).unwrap();
    let id = model.streams[0].id.clone();
    model.streams[0].stages.clear();
    model.streams[0].edges.clear();
    model.assignments.retain(|a| a.stream != id);
    model.scenarios.clear();
    model.initiatives.iter_mut().for_each(|i| i.stream = None);
    let file = dir.path().join("empty.json");
    std::fs::write(&file, to_json(&model)).unwrap();
    let out = dir.path().join("r.pdf");
    for args in [
        vec!["report", s(&file), "--stream", &id, "-o", s(&out)],
        vec!["export", s(&file), "--format", "svg", "-o", s(&out)],
    ] {
        let o = run(&args);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("has no stages"), "{}", stderr(&o));
        assert!(!out.exists());
    }
}

#[test]
fn an_unwritable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let m = example("telecom.json");
    let missing = dir.path().join("no/such/folder/r.pdf");
    let o = run(&["report", s(&m), "--stream", "service", "-o", s(&missing)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    // a folder where the file should go
    let o = run(&["export", s(&m), "--format", "xlsx", "-o", s(dir.path())]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("it is a folder"), "{}", stderr(&o));
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn export_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let m = example("distributor.json");
    let model = from_json(&std::fs::read_to_string(&m).unwrap()).unwrap();
    let stages = model.streams[0].stages.len();

    let xlsx = dir.path().join("model.xlsx");
    assert!(
        run(&["export", s(&m), "--format", "xlsx", "-o", s(&xlsx)])
            .status
            .success()
    );
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK", "xlsx is a zip");

    let svg = dir.path().join("map.svg");
    assert!(
        run(&["export", s(&m), "--format", "svg", "-o", s(&svg)])
            .status
            .success()
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("class=\"stage\"").count(), stages);
    // svg without -o goes to stdout, the same document
    let o = run(&["export", s(&m), "--format", "svg"]);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), text);

    let png = dir.path().join("map.png");
    assert!(
        run(&["export", s(&m), "--format", "png", "-o", s(&png)])
            .status
            .success()
    );
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let o = run(&["export", s(&m), "--format", "png"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("-o PATH"));

    let csv = dir.path().join("stages.csv");
    assert!(
        run(&["export", s(&m), "--format", "csv", "-o", s(&csv)])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().lines().count(),
        stages + 1
    );
    let tables = dir.path().join("tables");
    std::fs::create_dir(&tables).unwrap();
    assert!(
        run(&["export", s(&m), "--format", "csv", "-o", s(&tables)])
            .status
            .success()
    );
    assert_eq!(
        listing(&tables),
        vec![
            "comparison.csv",
            "initiatives.csv",
            "matrix.csv",
            "stages.csv"
        ]
    );
    let o = run(&["export", s(&m), "--format", "csv", "--table", "initiatives"]);
    assert_eq!(
        String::from_utf8(o.stdout).unwrap().lines().count(),
        model.initiatives.len() + 1
    );
    let o = run(&["export", s(&m), "--format", "csv", "--table", "pivot"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown table"));
    let o = run(&["export", s(&m), "--format", "svg", "--stream", "nope"]);
    assert!(
        stderr(&o).contains("(the model has: order)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_export_keeps_its_behaviour() {
    let m = example("returns.json");
    let text = std::fs::read_to_string(&m).unwrap();
    let o = run(&["export", s(&m)]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        to_json(&from_json(&text).unwrap())
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    assert!(
        run(&["export", s(&m), "--format", "json", "-o", s(&out)])
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

/// A `.tributary` file whose stream has telemetry: the report gains the measured-flow page
/// (one page more than the model alone makes) and says so; before the import, and from the
/// JSON model, it has none.
#[test]
fn report_on_a_model_file_with_telemetry_adds_the_measured_flow_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.tributary");
    let out = dir.path().join("board.pdf");
    let o = run(&["import", s(&example("mortgage.json")), "-o", s(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = |model: &Path| {
        let o = run(&[
            "report",
            s(model),
            "--stream",
            "mortgage",
            "--scenario",
            "future",
            "-o",
            s(&out),
            "--date",
            "2026-05-04",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
        String::from_utf8(o.stdout).unwrap()
    };
    let pages = |said: &str| -> usize {
        let n = said.split(" (").nth(1).unwrap().split(' ').next().unwrap();
        n.parse().unwrap()
    };

    let from_json = report(&example("mortgage.json"));
    let before = report(&file);
    assert!(!from_json.contains("measured flow"), "{from_json}");
    assert!(!before.contains("measured flow"), "{before}");
    assert_eq!(pages(&before), pages(&from_json));

    let tel = example("mortgage.telemetry");
    let o = run(&[
        "telemetry",
        "import",
        s(&file),
        "--stream",
        "mortgage",
        "--format",
        "events-csv",
        s(&tel.join("events.csv")),
        "--map",
        s(&tel.join("map.toml")),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["flow", s(&file), "--stream", "mortgage", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let flow: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();

    let after = report(&file);
    assert_eq!(pages(&after), pages(&before) + 1, "{after}");
    assert!(
        after.contains(&format!(
            "measured flow of {} items, {}..{}",
            flow["counts"]["done"],
            flow["window"]["from"].as_str().unwrap(),
            flow["window"]["to"].as_str().unwrap()
        )),
        "{after}"
    );
    // (SQLite's -wal and -shm files may sit beside the model file; they are not ours)
    let left = listing(dir.path());
    assert!(
        left.iter().all(|f| !f.starts_with('.')),
        "no temporary file left: {left:?}"
    );
}
