//! Sharing from the command line: `diff` and `merge` exit codes and the words people read
//! (pinned with insta), versions, `export --share`, and real `git` merging and diffing a
//! `.tributary` file through the drivers `tributary git setup` registers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tributary_api::engine::Model;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tributary(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `tributary`, expecting exit code `code`, and returns its standard output.
fn run(dir: &Path, args: &[&str], code: i32) -> String {
    let o = tributary(dir, args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "tributary {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git must be installed to run this test");
    assert!(
        o.status.success() || args[0] == "merge",
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The mortgage example as `name` in `dir`.
fn mortgage(dir: &Path, name: &str) {
    let json = root().join("assets/examples/mortgage.json");
    run(dir, &["import", json.to_str().unwrap(), "-o", name], 0);
}

/// Saves, in `file`, an edit of mortgage stage `id` with `fields` (JSON) replaced.
fn edit_stage(dir: &Path, file: &str, id: &str, fields: serde_json::Value) {
    let model = tributary_api::load_model(&dir.join(file)).unwrap();
    let mut stage = serde_json::to_value(model.streams[0].stage(id).unwrap()).unwrap();
    for (k, v) in fields.as_object().unwrap() {
        stage[k] = v.clone();
    }
    let cmd = serde_json::json!({"type": "update_stage", "stream": "mortgage", "stage": stage});
    run(dir, &["edit", file, &cmd.to_string()], 0);
}

fn load(dir: &Path, file: &str) -> Model {
    tributary_api::load_model(&dir.join(file)).unwrap()
}

fn wait(m: &Model, id: &str) -> f64 {
    m.streams[0].stage(id).unwrap().wait_time
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// Base, ours (KYC wait 24 -> 12 h, scoring renamed) and theirs (KYC 24 -> 30 h, offer 8 ->
/// 4 h) in a fresh folder.
fn three_copies() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in ["base.tributary", "ours.tributary", "theirs.tributary"] {
        mortgage(d, f);
    }
    edit_stage(
        d,
        "ours.tributary",
        "kyc",
        serde_json::json!({"wait_time": 12.0}),
    );
    edit_stage(
        d,
        "ours.tributary",
        "scoring",
        serde_json::json!({"name": "Risk scoring"}),
    );
    edit_stage(
        d,
        "theirs.tributary",
        "kyc",
        serde_json::json!({"wait_time": 30.0}),
    );
    edit_stage(
        d,
        "theirs.tributary",
        "offer",
        serde_json::json!({"wait_time": 4.0}),
    );
    dir
}

#[test]
fn diff_and_merge_say_what_changed_and_exit_like_diff() {
    let dir = three_copies();
    let d = dir.path();
    run(d, &["diff", "base.tributary", "base.tributary"], 0);
    let diff = run(d, &["diff", "base.tributary", "ours.tributary"], 1);
    let merge = run(
        d,
        &[
            "merge",
            "base.tributary",
            "ours.tributary",
            "theirs.tributary",
            "-o",
            "merged.tributary",
        ],
        1,
    );
    let conflicts = run(d, &["conflicts", "merged.tributary"], 0);
    settings().bind(|| {
        insta::assert_snapshot!("share-diff", diff);
        insta::assert_snapshot!("share-merge", merge);
        insta::assert_snapshot!("share-conflicts", conflicts);
    });
    // ours for the conflict, theirs' offer, ours' rename; then theirs taken for the conflict
    let m = load(d, "merged.tributary");
    assert_eq!((wait(&m, "kyc"), wait(&m, "offer")), (12.0, 4.0));
    assert_eq!(m.streams[0].stage("scoring").unwrap().name, "Risk scoring");
    run(d, &["conflicts", "merged.tributary", "--theirs", "1"], 0);
    assert_eq!(wait(&load(d, "merged.tributary"), "kyc"), 30.0);
    // the diff's JSON is the api's Diff
    let json: serde_json::Value = serde_json::from_str(&run(
        d,
        &["diff", "base.tributary", "ours.tributary", "--json"],
        1,
    ))
    .unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
}

#[test]
fn versions_and_a_copy_to_share_from_the_command_line() {
    let dir = three_copies();
    let d = dir.path();
    let f = "ours.tributary";
    run(
        d,
        &["versions", f, "--save", "Board pack v1", "--author", "Ana"],
        0,
    );
    edit_stage(d, f, "offer", serde_json::json!({"wait_time": 2.0}));
    let compared = run(d, &["versions", f, "--compare", "Board pack v1"], 1);
    assert!(
        compared.contains("stage Offer & e-signature: wait 8 h -> 2 h"),
        "{compared}"
    );
    run(d, &["versions", f, "--restore", "Board pack v1"], 0);
    assert_eq!(wait(&load(d, f), "offer"), 8.0);
    let listed = run(d, &["versions", f], 0);
    assert!(listed.contains("Board pack v1  ("), "{listed}");
    assert!(listed.contains(", Ana)"), "{listed}");
    let shared = run(d, &["export", f, "--share", "-o", "clean.tributary"], 0);
    // three edits and the restore were left out
    assert!(shared.contains("the undo history (4 steps)"), "{shared}");
    assert_eq!(load(d, "clean.tributary"), load(d, f));
    let undo = run(d, &["undo", "clean.tributary"], 0);
    assert!(undo.starts_with("nothing to undo"), "{undo}");
    // --share needs somewhere to write
    assert_eq!(
        tributary(d, &["export", f, "--share"]).status.code(),
        Some(2)
    );
}

fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main", "."]);
    git(d, &["config", "user.email", "test@example.com"]);
    git(d, &["config", "user.name", "Test"]);
    let setup = run(d, &["git", "setup"], 0);
    assert!(
        setup.contains("*.tributary -text diff=tributary merge=tributary"),
        "{setup}"
    );
    // a second run changes nothing
    assert!(!run(d, &["git", "setup"], 0).contains("added to"));
    mortgage(d, "m.tributary");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    dir
}

#[test]
fn git_merges_two_branches_of_one_model_file_through_the_driver() {
    let dir = git_repo();
    let d = dir.path();
    git(d, &["checkout", "-q", "-b", "wait-times"]);
    edit_stage(
        d,
        "m.tributary",
        "kyc",
        serde_json::json!({"wait_time": 12.0}),
    );
    let shown = String::from_utf8(git(d, &["diff"]).stdout).unwrap();
    assert!(
        shown.contains("stage Documents & KYC: wait 24 h -> 12 h"),
        "{shown}"
    );
    assert!(shown.contains("lead time 117.85 h -> 105.85 h"), "{shown}");
    git(d, &["commit", "-q", "-am", "KYC in half a day"]);
    git(d, &["checkout", "-q", "main"]);
    edit_stage(
        d,
        "m.tributary",
        "scoring",
        serde_json::json!({"name": "Risk scoring"}),
    );
    git(d, &["commit", "-q", "-am", "rename"]);
    let o = git(d, &["merge", "-q", "-m", "merge", "wait-times"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = load(d, "m.tributary");
    assert_eq!(wait(&m, "kyc"), 12.0);
    assert_eq!(m.streams[0].stage("scoring").unwrap().name, "Risk scoring");
    // git log -p shows the canonical JSON through textconv
    let log = String::from_utf8(git(d, &["log", "-p", "-1", "HEAD^2"]).stdout).unwrap();
    let removed = |l: &str| l.starts_with('-') && l.contains("\"wait_time\": 24.0");
    assert!(log.lines().any(removed), "{log}");
}

#[test]
fn a_git_merge_of_one_field_changed_twice_stops_with_the_conflict_recorded() {
    let dir = git_repo();
    let d = dir.path();
    git(d, &["checkout", "-q", "-b", "theirs"]);
    edit_stage(
        d,
        "m.tributary",
        "kyc",
        serde_json::json!({"wait_time": 30.0}),
    );
    git(d, &["commit", "-q", "-am", "theirs"]);
    git(d, &["checkout", "-q", "main"]);
    edit_stage(
        d,
        "m.tributary",
        "kyc",
        serde_json::json!({"wait_time": 12.0}),
    );
    git(d, &["commit", "-q", "-am", "ours"]);
    let o = git(d, &["merge", "-q", "-m", "merge", "theirs"]);
    assert!(!o.status.success(), "a conflict stops the merge");
    assert_eq!(wait(&load(d, "m.tributary"), "kyc"), 12.0);
    let listed = run(d, &["conflicts", "m.tributary"], 0);
    assert!(
        listed.contains(
            "[1] stage Documents & KYC: wait changed on both sides (ours: 12 h; theirs: 30 h"
        ),
        "{listed}"
    );
}

/// Edits mortgage stage `i`'s wait in a JSON model, as a script or a text editor would.
fn edit_json_wait(path: &Path, i: usize, wait: f64) {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    m["streams"][0]["stages"][i]["wait_time"] = serde_json::json!(wait);
    std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

#[test]
fn git_merges_a_json_model_named_tributary_json_through_the_driver() {
    let dir = git_repo();
    let d = dir.path();
    let json = root().join("assets/examples/mortgage.json");
    let f = "m.tributary.json";
    run(d, &["export", json.to_str().unwrap(), "-o", f], 0);
    git(d, &["add", f]);
    git(d, &["commit", "-q", "-m", "the model as JSON"]);
    git(d, &["checkout", "-q", "-b", "kyc"]);
    edit_json_wait(&d.join(f), 1, 12.0);
    let shown = String::from_utf8(git(d, &["diff"]).stdout).unwrap();
    assert!(
        shown.contains("stage Documents & KYC: wait 24 h -> 12 h"),
        "{shown}"
    );
    git(d, &["commit", "-q", "-am", "kyc"]);
    git(d, &["checkout", "-q", "main"]);
    edit_json_wait(&d.join(f), 5, 4.0);
    git(d, &["commit", "-q", "-am", "offer"]);
    let o = git(d, &["merge", "-q", "-m", "merge", "kyc"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // both waits, and the file is canonical JSON again (a model, not a text merge)
    let m = load(d, f);
    assert_eq!((wait(&m, "kyc"), wait(&m, "offer")), (12.0, 4.0));
    assert_eq!(
        std::fs::read_to_string(d.join(f)).unwrap(),
        run(d, &["export", f], 0)
    );
}
