//! Creating, editing, undoing, reopening and copying model files.

use proptest::prelude::*;
use tributary_core::edit::Command;
use tributary_core::exchange::{from_json, to_json};
use tributary_core::testkit::arb_model;
use tributary_core::*;
use tributary_store::{Document, Error, schema};

use crate::{e1, file_in};

#[test]
fn a_created_file_reopens_with_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "e1.tributary");
    let doc = Document::create(&path, &e1()).unwrap();
    assert_eq!(doc.model(), &e1());
    doc.close().unwrap();
    let doc = Document::open(&path).unwrap();
    assert_eq!(doc.model(), &e1());
    // closing folds the write-ahead log back: the file stands alone
    doc.close().unwrap();
    assert!(!dir.path().join("e1.tributary-wal").exists());
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "e1.tributary");
    std::fs::write(&path, "keep me").unwrap();
    let err = Document::create(&path, &e1()).err().unwrap();
    assert!(matches!(err, Error::Exists { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn edits_persist_and_undo_redo_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let mut stage = doc.model().streams[0].stages[2].clone();
    stage.wait_time = 8.0;
    doc.execute(&Command::UpdateStage {
        stream: "s".into(),
        stage,
    })
    .unwrap();
    doc.execute(&Command::AddStage {
        stream: "s".into(),
        stage: Stage {
            id: String::new(),
            name: "Quality check".into(),
            process_time: 0.5,
            wait_time: 2.0,
            pca: 1.0,
            capacity: None,
            team: None,
            position: None,
            uncertainty: None,
            note: None,
        },
        index: Some(1),
        connect_from: None,
    })
    .unwrap();
    let edited = doc.model().clone();
    assert_eq!(edited.streams[0].stages[1].id, "quality-check");
    assert_eq!(
        doc.history().unwrap().undo.as_deref(),
        Some("Add stage Quality check")
    );
    drop(doc);

    let mut doc = Document::open(&path).unwrap();
    assert_eq!(doc.model(), &edited);
    assert_eq!(
        doc.undo().unwrap().as_deref(),
        Some("Add stage Quality check")
    );
    assert_eq!(doc.undo().unwrap().as_deref(), Some("Edit stage Approve"));
    assert_eq!(doc.model(), &e1());
    assert_eq!(doc.undo().unwrap(), None);
    drop(doc);

    let mut doc = Document::open(&path).unwrap();
    assert_eq!(doc.model(), &e1());
    assert_eq!(
        doc.history().unwrap().redo.as_deref(),
        Some("Edit stage Approve")
    );
    doc.redo().unwrap();
    doc.redo().unwrap();
    assert_eq!(doc.model(), &edited);
    assert_eq!(doc.redo().unwrap(), None);
    // a new edit after an undo drops the redo branch
    doc.undo().unwrap();
    doc.execute(&Command::DeleteStage {
        stream: "s".into(),
        id: "intake".into(),
    })
    .unwrap();
    assert_eq!(doc.history().unwrap().redo, None);
    let now = doc.model().clone();
    drop(doc);
    assert_eq!(Document::open(&path).unwrap().model(), &now);
}

#[test]
fn a_refused_edit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let mut stage = doc.model().streams[0].stages[0].clone();
    stage.pca = 1.5;
    let err = doc
        .execute(&Command::UpdateStage {
            stream: "s".into(),
            stage,
        })
        .unwrap_err();
    assert!(err.to_string().contains("pca is 1.5"), "{err}");
    assert_eq!(doc.model(), &e1());
    assert_eq!(doc.history().unwrap().undo, None);
    drop(doc);
    assert_eq!(Document::open(&path).unwrap().model(), &e1());
}

#[test]
fn save_as_copies_and_continues_in_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let a = file_in(&dir, "a.tributary");
    let b = file_in(&dir, "b.tributary");
    let mut doc = Document::create(&a, &e1()).unwrap();
    doc.save_as(&b).unwrap();
    assert_eq!(doc.path(), b.as_path());
    doc.execute(&Command::DeleteScenario { id: "auto".into() })
        .unwrap();
    drop(doc);
    assert_eq!(Document::open(&a).unwrap().model(), &e1());
    assert!(Document::open(&b).unwrap().model().scenarios.is_empty());
}

#[test]
fn an_older_file_is_migrated_forward_and_read_only_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "old.tributary");
    {
        // a file as the first format made it: migration 1 only
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {};",
            schema::APPLICATION_ID
        ))
        .unwrap();
        conn.execute_batch(schema::MIGRATIONS[0].1).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO settings VALUES (1, 'Old', 'EUR', 'hours', 8, 5, 0.08, 5, NULL, NULL);
             INSERT INTO streams VALUES ('s', 0, 'S', NULL, NULL, 10, 100, 'standard', NULL, NULL, NULL);
             INSERT INTO stages VALUES ('s', 'a', 0, 'A', 1, 2, 0.9, NULL, NULL, NULL, NULL);",
        )
        .unwrap();
    }
    let version = |p: &std::path::Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    let ro = Document::open_read_only(&path).unwrap();
    assert_eq!(ro.model().streams[0].stages[0].pca, 0.9);
    drop(ro);
    assert_eq!(
        version(&path),
        1,
        "read-only open must not migrate the file"
    );

    let mut doc = Document::open(&path).unwrap();
    assert_eq!(doc.model().name, "Old");
    // the history table of migration 2 works
    doc.execute(&Command::DeleteStage {
        stream: "s".into(),
        id: "a".into(),
    })
    .unwrap();
    assert!(doc.undo().unwrap().is_some());
    drop(doc);
    assert_eq!(version(&path), schema::latest());
}

#[test]
fn read_only_documents_refuse_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    Document::create(&path, &e1()).unwrap();
    let mut doc = Document::open_read_only(&path).unwrap();
    let err = doc
        .execute(&Command::DeleteScenario { id: "auto".into() })
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// JSON -> file -> JSON is the identity.
    #[test]
    fn json_file_json_is_the_identity(m in arb_model()) {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir, "p.tributary");
        let json = to_json(&m);
        Document::create(&path, &from_json(&json).unwrap()).unwrap();
        let back = to_json(Document::open(&path).unwrap().model());
        prop_assert_eq!(back, json);
    }

    /// Any sequence of deletions, each undone and redone, leaves file and memory equal.
    #[test]
    fn file_and_memory_agree_after_edits_and_undo(m in arb_model(), picks in prop::collection::vec(0usize..64, 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir, "p.tributary");
        let mut doc = Document::create(&path, &m).unwrap();
        for pick in picks {
            let model = doc.model().clone();
            let cmd = match (pick % 4, model.streams.get(pick % model.streams.len().max(1))) {
                (0, Some(s)) if !s.stages.is_empty() => Command::DeleteStage { stream: s.id.clone(), id: s.stages[pick % s.stages.len()].id.clone() },
                (1, Some(s)) if s.stages.len() > 1 => Command::MoveStage { stream: s.id.clone(), id: s.stages[0].id.clone(), index: (pick % s.stages.len()) as u32 },
                (2, _) if !model.pbcs.is_empty() => Command::DeletePbc { id: model.pbcs[pick % model.pbcs.len()].id.clone() },
                (_, Some(s)) => Command::DeleteStream { id: s.id.clone() },
                _ => continue,
            };
            doc.execute(&cmd).unwrap();
            let after = doc.model().clone();
            prop_assert_eq!(&Document::open_read_only(&path).unwrap().model().clone(), &after);
            doc.undo().unwrap();
            prop_assert_eq!(doc.model(), &model);
            prop_assert_eq!(&Document::open_read_only(&path).unwrap().model().clone(), &model);
            doc.redo().unwrap();
            prop_assert_eq!(&Document::open_read_only(&path).unwrap().model().clone(), &after);
        }
    }
}

#[test]
fn the_file_alone_is_whole_after_every_edit_and_reading_it_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    doc.execute(&Command::DeleteScenario { id: "auto".into() })
        .unwrap();
    let sidecars = || {
        let mut v: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    // while open for writing, only the writer's lock is beside the file: every edit is in
    // the file itself, so a copy of it alone is whole
    assert_eq!(sidecars(), vec![".m.tributary.lock", "m.tributary"]);
    let copy = dir.path().join("copy.tributary");
    std::fs::copy(&path, &copy).unwrap();
    assert!(
        Document::open_read_only(&copy)
            .unwrap()
            .model()
            .scenarios
            .is_empty()
    );
    std::fs::remove_file(&copy).unwrap();
    drop(doc);
    assert_eq!(sidecars(), vec!["m.tributary"]);
    let ro = Document::open_read_only(&path).unwrap();
    assert!(
        ro.model().scenarios.is_empty(),
        "the edit was folded into the file"
    );
    drop(ro);
    assert_eq!(sidecars(), vec!["m.tributary"]);
}
