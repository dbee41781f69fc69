//! Sharing through the api as the app calls it: versions kept and restored, a colleague's file
//! merged into the open one with its conflicts resolved one by one, their copy opened as a
//! scenario, files merged as git's driver does, and clean copies to share.

use std::path::{Path, PathBuf};

use tributary_api::share::{self, MergeBase, Reason, Side};
use tributary_api::{self as api, Session};
use tributary_core::Model;
use tributary_core::edit::Command;

use crate::root;

fn mortgage() -> Model {
    api::read_json(&root().join("assets/examples/mortgage.json")).unwrap()
}

/// The command that sets one mortgage stage's wait, or renames it.
fn stage_edit(m: &Model, id: &str, wait: Option<f64>, name: Option<&str>) -> Command {
    let mut st = m.streams[0].stage(id).unwrap().clone();
    if let Some(w) = wait {
        st.wait_time = w;
    }
    if let Some(n) = name {
        st.name = n.into();
    }
    Command::UpdateStage {
        stream: "mortgage".into(),
        stage: st,
    }
}

fn wait(m: &Model, id: &str) -> f64 {
    m.streams[0].stage(id).unwrap().wait_time
}

/// A copy of the mortgage file at `name`, with `edits` saved in it one by one.
fn copy_with(dir: &Path, name: &str, edits: &[(&str, Option<f64>, Option<&str>)]) -> PathBuf {
    let path = dir.join(name);
    let mut s = Session::create(&path, &mortgage()).unwrap();
    for (id, w, n) in edits {
        let cmd = stage_edit(s.model(), id, *w, *n);
        s.execute(&cmd).unwrap();
    }
    s.close().unwrap();
    path
}

#[test]
fn a_version_is_compared_and_restored_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.tributary");
    let mut s = Session::create(&path, &mortgage()).unwrap();
    let v = s.save_version("Before the workshop", Some("Ana")).unwrap();
    assert_eq!(v.author.as_deref(), Some("Ana"));
    let cmd = stage_edit(s.model(), "kyc", Some(12.0), None);
    s.execute(&cmd).unwrap();
    // one stage changed since the version: 24 h -> 12 h
    let d = s.diff_with_version("Before the workshop").unwrap();
    assert_eq!(d.items.len(), 1, "{:?}", d.lines());
    assert!(
        d.items[0].text.contains("24 h -> 12 h"),
        "{}",
        d.items[0].text
    );
    assert_eq!(s.compare_versions("Before the workshop", None).unwrap(), d);
    // the same name twice is refused, and nothing is half written
    assert!(s.save_version("Before the workshop", None).is_err());
    assert_eq!(s.versions().unwrap().len(), 1);
    let v = s.restore_version("Before the workshop").unwrap();
    assert_eq!(wait(&v.model, "kyc"), 24.0);
    assert_eq!(
        v.undo.as_deref(),
        Some("Restore version Before the workshop")
    );
    let v = s.undo().unwrap();
    assert_eq!(wait(&v.model, "kyc"), 12.0);
    let e = s.restore_version("Board pack v1").unwrap_err();
    assert!(e.message.contains("Before the workshop"), "{}", e.message);
}

#[test]
fn a_merge_into_the_open_file_keeps_its_conflicts_until_each_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ours.tributary");
    let mut s = Session::create(&path, &mortgage()).unwrap();
    s.save_version("Shared", None).unwrap();
    // ours: KYC 24 -> 12 h and valuation 8 -> 6 h; theirs: KYC 24 -> 30 h, offer 8 -> 4 h
    for (id, w) in [("kyc", 12.0), ("valuation", 6.0)] {
        let cmd = stage_edit(s.model(), id, Some(w), None);
        s.execute(&cmd).unwrap();
    }
    let theirs = dir.path().join("theirs.json");
    let mut t = mortgage();
    t.streams[0].stages[1].wait_time = 30.0;
    t.streams[0].stages[5].wait_time = 4.0;
    api::write_json(&t, &theirs).unwrap();

    let base = MergeBase::Version {
        name: "Shared".into(),
    };
    let r = s.merge_file(&theirs, &base).unwrap();
    assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
    let c = &r.conflicts[0];
    assert_eq!(c.conflict.reason, Reason::BothChanged);
    assert_eq!(c.conflict.name, "Documents & KYC");
    // what the merge brought: their offer wait; ours stays for the conflict
    assert_eq!(r.brought.items.len(), 1, "{:?}", r.brought.lines());
    assert_eq!(
        (wait(s.model(), "kyc"), wait(s.model(), "valuation")),
        (12.0, 6.0)
    );
    assert_eq!(wait(s.model(), "offer"), 4.0);
    // the file keeps the conflict: another session sees it
    let other = Session::open_read_only(&path).unwrap();
    assert_eq!(other.conflicts().unwrap(), r.conflicts);
    drop(other);
    // taking theirs is one more undo step, and settles it
    let v = s.resolve_conflict(c.id.unwrap(), Side::Theirs).unwrap();
    assert_eq!(wait(&v.model, "kyc"), 30.0);
    assert!(s.conflicts().unwrap().is_empty());
    assert!(s.resolve_conflict(c.id.unwrap(), Side::Ours).is_err());
    let v = s.undo().unwrap();
    assert_eq!(wait(&v.model, "kyc"), 12.0);
    let v = s.undo().unwrap();
    assert_eq!(wait(&v.model, "offer"), 8.0, "the merge is one step");
}

#[test]
fn merging_model_files_as_git_does_keeps_the_conflicts_in_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let base = copy_with(dir.path(), "base.tributary", &[]);
    let ours = copy_with(
        dir.path(),
        "ours.tributary",
        &[
            ("kyc", Some(12.0), None),
            ("scoring", None, Some("Risk scoring")),
        ],
    );
    let theirs = copy_with(
        dir.path(),
        "theirs.tributary",
        &[("kyc", Some(30.0), None), ("offer", Some(4.0), None)],
    );
    let r = share::merge_files(&base, &ours, &theirs, &ours, None).unwrap();
    assert_eq!(r.conflicts.len(), 1);
    assert!(r.conflicts[0].id.is_some());
    let s = Session::open_read_only(&ours).unwrap();
    let m = s.model();
    assert_eq!(wait(m, "kyc"), 12.0);
    assert_eq!(wait(m, "offer"), 4.0);
    assert_eq!(m.streams[0].stage("scoring").unwrap().name, "Risk scoring");
    assert_eq!(s.conflicts().unwrap(), r.conflicts);
    // ours' history is kept, with the merge as its last step
    assert_eq!(
        s.view().unwrap().undo.as_deref(),
        Some("Merge of theirs.tributary")
    );
    // written as JSON the output holds the model, and the conflicts come back unnumbered
    let out = dir.path().join("merged.json");
    let r = share::merge_files(&base, &theirs, &base, &out, None).unwrap();
    assert!(r.conflicts.is_empty());
    assert_eq!(wait(&api::load_model(&out).unwrap(), "offer"), 4.0);
}

#[test]
fn their_copy_opened_as_a_scenario_has_their_business_case() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = copy_with(
        dir.path(),
        "theirs.tributary",
        &[
            ("kyc", Some(12.0), None),
            ("scoring", None, Some("Risk scoring")),
        ],
    );
    let path = dir.path().join("ours.tributary");
    let mut s = Session::create(&path, &mortgage()).unwrap();
    let before = s.model().clone();
    let p = s.open_as_scenario(&theirs, None).unwrap();
    assert_eq!(p.scenario_name, "Proposal from theirs.tributary");
    // the wait is a scenario change; a rename cannot be one
    assert_eq!(p.included.len(), 1, "{:?}", p.included);
    assert_eq!(p.left_out.len(), 1, "{:?}", p.left_out);
    // the baseline is untouched, and the scenario saves what their copy saves: 12 h of the
    // KYC wait, checked against the metrics of their own copy
    let lead = |m: &Model| api::metrics(m, None).unwrap().streams[0].lead_time;
    let theirs_model = api::load_model(&theirs).unwrap();
    let saved = p.comparison.streams[0].lead_time_saved;
    assert!((saved - (lead(&before) - lead(&theirs_model))).abs() < 1e-9);
    assert!(saved > 0.0);
    assert_eq!(s.model().streams, before.streams);
    s.undo().unwrap();
    assert_eq!(*s.model(), before, "one undo step takes the scenario back");
}

#[test]
fn a_copy_to_share_has_no_history_and_says_what_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_with(
        dir.path(),
        "m.tributary",
        &[("kyc", Some(12.0), None), ("offer", Some(4.0), None)],
    );
    let mut s = Session::open(&path).unwrap();
    s.save_version("Board pack v1", None).unwrap();
    let out = dir.path().join("clean.tributary");
    let r = s.share(&out, false).unwrap();
    assert!(
        r.left_out.iter().any(|l| l.contains("2 steps")),
        "{:?}",
        r.left_out
    );
    assert!(r.kept.iter().any(|l| l.contains("1 named version")));
    let copy = Session::open_read_only(&out).unwrap();
    assert_eq!(copy.model(), s.model());
    assert_eq!(copy.view().unwrap().undo, None);
    assert_eq!(copy.versions().unwrap().len(), 1);
    // the original is untouched
    assert!(s.view().unwrap().undo.is_some());
}

#[test]
fn an_automatic_base_is_the_newest_version_both_files_hold() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.tributary");
    let mut s = Session::create(&ours, &mortgage()).unwrap();
    s.save_version("Sent to Ben", None).unwrap();
    s.close().unwrap();
    // Ben's copy is a copy of the file, so it holds the same version
    let theirs = dir.path().join("ben.tributary");
    std::fs::copy(&ours, &theirs).unwrap();
    let mut t = Session::open(&theirs).unwrap();
    let cmd = stage_edit(t.model(), "offer", Some(4.0), None);
    t.execute(&cmd).unwrap();
    t.close().unwrap();
    let mut s = Session::open(&ours).unwrap();
    let cmd = stage_edit(s.model(), "kyc", Some(12.0), None);
    s.execute(&cmd).unwrap();
    let r = s.merge_file(&theirs, &MergeBase::Auto).unwrap();
    assert!(r.base.contains("Sent to Ben"), "{}", r.base);
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
    assert_eq!(
        (wait(s.model(), "kyc"), wait(s.model(), "offer")),
        (12.0, 4.0)
    );

    // a JSON copy holds no version: nothing counts as deleted, and each value the two hold
    // differently is a conflict (ours kept): here the KYC wait, 12 h here and 24 h there
    let json = dir.path().join("plain.json");
    api::write_json(&mortgage(), &json).unwrap();
    s.undo().unwrap();
    let r = s.merge_file(&json, &MergeBase::Auto).unwrap();
    assert!(r.base.starts_with("none"), "{}", r.base);
    assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
    assert_eq!(r.conflicts[0].conflict.name, "Documents & KYC");
    assert_eq!(wait(s.model(), "kyc"), 12.0);
}
