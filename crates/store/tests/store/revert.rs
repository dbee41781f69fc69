//! Undo per person: one step taken back alone while later steps stay, refused where a later
//! step changed the same thing or built on it, and nothing written when refused.

use tributary_core::edit::Command;
use tributary_core::{Assignment, Stage};
use tributary_store::{Document, Error};

use super::{bytes, e1, file_in};

fn wait(doc: &Document, stage: &str) -> f64 {
    doc.model().streams[0].stage(stage).unwrap().wait_time
}

fn set_wait(doc: &mut Document, stage: &str, wait: f64) -> i64 {
    let st = Stage {
        wait_time: wait,
        ..doc.model().streams[0].stage(stage).unwrap().clone()
    };
    let cmd = Command::UpdateStage {
        stream: "s".into(),
        stage: st,
    };
    doc.execute_step(&cmd).unwrap()
}

fn conflict(e: Error) -> String {
    match e {
        Error::Model {
            source: tributary_core::Error::Conflict(m),
            ..
        } => m,
        other => panic!("not a conflict: {other}"),
    }
}

#[test]
fn one_persons_step_is_taken_back_while_anothers_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Document::create(&file_in(&dir, "m.tributary"), &e1()).unwrap();
    let anna = set_wait(&mut doc, "intake", 4.0);
    let ben = set_wait(&mut doc, "approve", 8.0);
    assert!(ben > anna, "steps are numbered in order");
    let back = doc.revert(anna, "Undo Anna's edit").unwrap();
    assert!(back > ben);
    assert_eq!((wait(&doc, "intake"), wait(&doc, "approve")), (8.0, 8.0));
    // the file says the same as the memory
    let path = doc.path().to_owned();
    doc.close().unwrap();
    let mut doc = Document::open(&path).unwrap();
    assert_eq!((wait(&doc, "intake"), wait(&doc, "approve")), (8.0, 8.0));
    // and the ordinary undo takes back the revert first
    assert_eq!(doc.undo().unwrap().as_deref(), Some("Undo Anna's edit"));
    assert_eq!(wait(&doc, "intake"), 4.0);
}

#[test]
fn a_step_changed_again_since_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    let mut doc = Document::create(&path, &e1()).unwrap();
    let anna = set_wait(&mut doc, "intake", 4.0);
    set_wait(&mut doc, "intake", 2.0);
    let before = bytes(&path);
    let e = conflict(doc.revert(anna, "Undo Anna's edit").unwrap_err());
    assert!(e.contains("stage \"intake\" changed since"), "{e}");
    assert_eq!(wait(&doc, "intake"), 2.0);
    assert_eq!(bytes(&path), before, "the file is as it was");
}

#[test]
fn a_step_others_built_on_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Document::create(&file_in(&dir, "m.tributary"), &e1()).unwrap();
    let added = doc
        .execute_step(&Command::AddStage {
            stream: "s".into(),
            stage: Stage::new("check", "Check", 1.0, 2.0),
            index: None,
            connect_from: None,
        })
        .unwrap();
    doc.execute(&Command::Assign {
        assignment: Assignment {
            pbc: "core".into(),
            stream: "s".into(),
            stage: "check".into(),
            process_time: 1.0,
            wait_time: 0.0,
            note: None,
        },
    })
    .unwrap();
    let e = conflict(doc.revert(added, "Undo").unwrap_err());
    assert!(e.contains("later edits build on this one"), "{e}");
    assert!(doc.model().streams[0].stage("check").is_some());
}

#[test]
fn an_undone_step_cannot_be_taken_back_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Document::create(&file_in(&dir, "m.tributary"), &e1()).unwrap();
    let anna = set_wait(&mut doc, "intake", 4.0);
    doc.undo().unwrap();
    let e = doc.revert(anna, "Undo").unwrap_err();
    assert!(e.to_string().contains("undone already"), "{e}");
    assert_eq!(wait(&doc, "intake"), 8.0);
}
