//! Named versions, merge conflicts and clean copies to share (migration 010).

use rusqlite::Connection;
use tributary_core::edit::{Command, Delta};
use tributary_core::{Model, Stage};
use tributary_diff::deltas;
use tributary_store::{Document, Error};

use crate::{bytes, e1, file_in};

fn set_wait(m: &Model, stage: &str, wait: f64) -> Command {
    let st = m.streams[0].stage(stage).unwrap();
    Command::UpdateStage {
        stream: "s".into(),
        stage: Stage {
            wait_time: wait,
            ..st.clone()
        },
    }
}

#[test]
fn a_version_keeps_the_model_and_restoring_it_is_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let v = doc
        .save_version("Before the workshop", "2026-12-01T09:00:00Z", Some("Ana"))
        .unwrap();
    assert_eq!(v.name, "Before the workshop");
    let before = doc.model().clone();
    doc.execute(&set_wait(&before, "approve", 8.0)).unwrap();
    doc.execute(&set_wait(doc.model(), "assess", 12.0)).unwrap();
    let edited = doc.model().clone();
    // kept as it was, and listed with its date and author
    assert_eq!(doc.version_model("Before the workshop").unwrap(), before);
    let listed = doc.versions().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].created_at.as_str(), listed[0].author.as_deref()),
        ("2026-12-01T09:00:00Z", Some("Ana"))
    );
    // restored in one step, undone in one step
    let target = doc.version_model("Before the workshop").unwrap();
    assert!(
        doc.replace_model("Restore version Before the workshop", &target, deltas)
            .unwrap()
    );
    assert_eq!(*doc.model(), before);
    assert_eq!(
        doc.history().unwrap().undo.as_deref(),
        Some("Restore version Before the workshop")
    );
    doc.undo().unwrap();
    assert_eq!(*doc.model(), edited);
    doc.redo().unwrap();
    assert_eq!(*doc.model(), before);
    // and the file holds what the document says, versions included
    drop(doc);
    let doc = Document::open(&path).unwrap();
    assert_eq!(*doc.model(), before);
    assert_eq!(doc.versions().unwrap().len(), 1);
    // restoring the model it already is changes nothing and records nothing
    let mut doc = doc;
    assert!(!doc.replace_model("Restore again", &before, deltas).unwrap());
    assert_eq!(
        doc.history().unwrap().undo.as_deref(),
        Some("Restore version Before the workshop")
    );
}

#[test]
fn version_names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Document::create(&file_in(&dir, "m.tributary"), &e1()).unwrap();
    doc.save_version("Board pack v1", "2026-12-01T09:00:00Z", None)
        .unwrap();
    let twice = doc
        .save_version("Board pack v1", "2026-12-02T09:00:00Z", None)
        .unwrap_err();
    assert!(
        twice
            .to_string()
            .contains("a version named \"Board pack v1\" exists already"),
        "{twice}"
    );
    for bad in ["", "  ", "two\nlines"] {
        assert!(
            doc.save_version(bad, "2026-12-01T09:00:00Z", None).is_err(),
            "{bad:?}"
        );
    }
    let missing = doc.version_model("Board pack v2").unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("version \"Board pack v2\" (the file has \"Board pack v1\") does not exist"),
        "{missing}"
    );
    doc.delete_version("Board pack v1").unwrap();
    assert!(doc.versions().unwrap().is_empty());
    assert!(doc.delete_version("Board pack v1").is_err());
}

/// A planner that gets the model wrong is refused, and nothing is written.
#[test]
fn an_edit_that_does_not_give_the_model_asked_for_is_refused() {
    fn wrong(a: &Model, b: &Model) -> Vec<Delta> {
        let mut d = deltas(a, b);
        d.pop();
        d
    }
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Document::create(&file_in(&dir, "m.tributary"), &e1()).unwrap();
    let mut target = doc.model().clone();
    target.streams[0].stages[0].wait_time = 1.0;
    target.pbcs[0].annual_run_cost = 1.0;
    let e = doc.replace_model("Wrong", &target, wrong).unwrap_err();
    assert!(
        e.to_string().contains("does not give the model asked for"),
        "{e}"
    );
    assert_eq!(*doc.model(), e1());
    assert_eq!(doc.history().unwrap().undo, None);
}

#[test]
fn a_merge_keeps_its_conflicts_until_they_are_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let mut merged = doc.model().clone();
    merged.streams[0].stages[2].wait_time = 8.0;
    let records = ["{\"one\":1}".to_owned(), "{\"two\":2}".to_owned()];
    assert!(
        doc.record_merge("Merge of theirs.tributary", &merged, deltas, &records)
            .unwrap()
    );
    drop(doc);
    let mut doc = Document::open(&path).unwrap();
    let cs = doc.conflicts().unwrap();
    assert_eq!(
        cs.iter().map(|c| c.record.as_str()).collect::<Vec<_>>(),
        records
    );
    assert_eq!(cs[0].merge, "Merge of theirs.tributary");
    // ours kept: the record goes, the model stays
    doc.resolve_conflict(cs[0].id, "Keep ours", None, deltas)
        .unwrap();
    assert_eq!(*doc.model(), merged);
    // theirs taken: the model changes as one undo step, and the record goes with it
    let mut theirs = merged.clone();
    theirs.streams[0].stages[2].wait_time = 30.0;
    doc.resolve_conflict(cs[1].id, "Take theirs", Some(&theirs), deltas)
        .unwrap();
    assert_eq!(*doc.model(), theirs);
    assert!(doc.conflicts().unwrap().is_empty());
    assert_eq!(doc.history().unwrap().undo.as_deref(), Some("Take theirs"));
    assert!(
        doc.resolve_conflict(cs[1].id, "Again", None, deltas)
            .is_err()
    );
    // a merge that changes nothing still records its conflicts
    let same = doc.model().clone();
    assert!(
        !doc.record_merge("Merge again", &same, deltas, &records[..1])
            .unwrap()
    );
    assert_eq!(doc.conflicts().unwrap().len(), 1);
}

fn add_telemetry(path: &std::path::Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "INSERT INTO telemetry_imports (id, stream_id, source, format, imported_at, rows_read, items_added,
             events_added, events_existing, deliveries_added, personal_data)
           VALUES (1, 's', 'jira.csv', 'events-csv', '2026-12-01T09:00:00Z', 2, 1, 2, 0, 0, 0);
         INSERT INTO telemetry_items (id, stream_id, item_id, item_type, title) VALUES (1, 's', 'LOAN-1', 'Story', 'Private title');
         INSERT INTO telemetry_events (item, ts, from_state, to_state, seq, import_id) VALUES
             (1, 1000, '', 'To Do', 0, 1), (1, 2000, 'To Do', 'Done', 0, 1);",
    )
    .unwrap();
}

/// A copy to share has no undo history (which can hold what was deleted, word for word), no
/// conflicts, and, if asked, no telemetry; it keeps the model and its versions.
#[test]
fn a_copy_to_share_leaves_out_the_history_and_if_asked_the_telemetry() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let mut secret = doc.model().streams[0].stages[0].clone();
    secret.name = "Secret reorganisation".into();
    doc.execute(&Command::UpdateStage {
        stream: "s".into(),
        stage: secret.clone(),
    })
    .unwrap();
    secret.name = "Intake".into();
    doc.execute(&Command::UpdateStage {
        stream: "s".into(),
        stage: secret,
    })
    .unwrap();
    doc.save_version("Shared", "2026-12-01T09:00:00Z", None)
        .unwrap();
    drop(doc);
    add_telemetry(&path);
    let doc = Document::open(&path).unwrap();
    for (keep, name) in [
        (false, "clean.tributary"),
        (true, "with-telemetry.tributary"),
    ] {
        let out = file_in(&dir, name);
        let counts = doc.share_copy(&out, keep).unwrap();
        assert_eq!(
            (counts.undo_steps, counts.versions, counts.conflicts),
            (2, 1, 0)
        );
        assert_eq!((counts.telemetry_rows, counts.telemetry_kept), (4, keep));
        let copy = Document::open(&out).unwrap();
        assert_eq!(copy.model(), doc.model());
        assert_eq!(copy.history().unwrap().undo, None);
        assert_eq!(copy.versions().unwrap().len(), 1);
        let text = String::from_utf8_lossy(&bytes(&out)).into_owned();
        assert!(!text.contains("Secret reorganisation"));
        assert_eq!(text.contains("Private title"), keep);
    }
    // the original keeps everything
    assert_eq!(
        doc.history().unwrap().undo.as_deref(),
        Some("Edit stage Intake")
    );
    assert!(String::from_utf8_lossy(&bytes(&path)).contains("Secret reorganisation"));
    // and cannot be its own copy
    assert!(matches!(
        doc.share_copy(&path, false),
        Err(Error::Exists { .. })
    ));
}
