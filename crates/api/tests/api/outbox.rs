//! Replies that carry only what changed: applied to what the app holds, a patch must give
//! exactly the new workspace, and it must be much smaller than the workspace.

use serde_json::Value;
use tributary_api::{Outbox, PatchOp, PatchOpKind, Reply, Session, Workspace};
use tributary_core::edit::Command;

use crate::root;

fn workspace(s: &Session, scenario: Option<&str>) -> Workspace {
    Workspace {
        snapshot: s.snapshot(scenario).unwrap(),
        untitled: false,
        edited: true,
        read_only: false,
        recent: Vec::new(),
        notice: None,
    }
}

/// Applies `changes` the RFC 6902 way, with the json-patch crate's own `patch` (a different
/// code path from the `diff` that made them): the paths joined back into JSON pointers.
fn apply(doc: &Value, changes: &[PatchOp]) -> Value {
    let pointer = |path: &[String]| -> String {
        path.iter()
            .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
            .collect()
    };
    let ops: Vec<Value> = changes
        .iter()
        .map(|c| {
            let op = match c.op {
                PatchOpKind::Add => "add",
                PatchOpKind::Remove => "remove",
                PatchOpKind::Replace => "replace",
            };
            let mut o = serde_json::json!({ "op": op, "path": pointer(&c.path) });
            if let Some(v) = &c.value {
                o["value"] = serde_json::to_value(v).unwrap();
            }
            o
        })
        .collect();
    let patch: json_patch::Patch = serde_json::from_value(Value::Array(ops)).unwrap();
    let mut doc = doc.clone();
    json_patch::patch(&mut doc, &patch).unwrap();
    doc
}

/// The whole workspace of a reply, as the JSON the app receives.
fn full(reply: Reply) -> (u64, Value) {
    match reply {
        Reply::Full { version, workspace } => (version, serde_json::to_value(&workspace).unwrap()),
        Reply::Patch { .. } => panic!("expected the whole workspace, got a patch"),
    }
}

fn patch(reply: Reply) -> (u64, u64, Vec<PatchOp>) {
    match reply {
        Reply::Patch {
            base,
            version,
            changes,
        } => (base, version, changes),
        Reply::Full { .. } => panic!("expected a patch, got the whole workspace"),
    }
}

fn session(example: &str) -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let model = tributary_api::read_json(&root().join("assets/examples").join(example)).unwrap();
    let s = Session::create(&dir.path().join("m.tributary"), &model).unwrap();
    (dir, s)
}

#[test]
fn an_edit_is_answered_with_the_changes_only_and_they_rebuild_the_workspace() {
    let (_dir, mut s) = session("mortgage.json");
    let mut out = Outbox::new();
    let (v1, shown) = full(out.update(&workspace(&s, None)).unwrap());
    assert_eq!(v1, 1);

    let view = s.view().unwrap();
    let stream = view.model.streams[0].id.clone();
    let mut stage = view.model.streams[0].stages[2].clone();
    let old_wait = stage.wait_time;
    stage.wait_time = old_wait + 8.0;
    s.execute(&Command::UpdateStage {
        stream: stream.clone(),
        stage,
    })
    .unwrap();
    let now = workspace(&s, None);
    let (base, v2, changes) = patch(out.update(&now).unwrap());
    assert_eq!((base, v2), (1, 2));
    assert_eq!(apply(&shown, &changes), serde_json::to_value(&now).unwrap());

    // the edited field itself is one of the changes, with its new value
    assert!(changes.iter().any(|c| c.path
        == [
            "snapshot",
            "view",
            "model",
            "streams",
            "0",
            "stages",
            "2",
            "wait_time"
        ]
        && c.op == PatchOpKind::Replace
        && c.value.as_ref().map(|v| serde_json::to_value(v).unwrap())
            == Some(serde_json::json!(old_wait + 8.0))));
    // ... and the rest of the model is not sent again
    let sent = serde_json::to_string(&changes).unwrap().len();
    let whole = serde_json::to_string(&now).unwrap().len();
    assert!(
        sent * 5 < whole,
        "a patch of {sent} bytes for a workspace of {whole}"
    );
}

#[test]
fn every_kind_of_edit_undo_and_scenario_switch_patches_to_the_same_document() {
    let (_dir, mut s) = session("returns.json");
    let mut out = Outbox::new();
    let (_, mut shown) = full(out.full(&workspace(&s, None)).unwrap());
    let model = s.model().clone();
    let stream = model.streams[0].id.clone();
    let scenario = model.scenarios.first().map(|x| x.id.clone());
    let mut added = model.streams[0].stages[0].clone();
    added.id = "added".into();
    added.name = "Added ~ stage / with a slash".into();
    enum Step {
        Do(Box<Command>),
        Undo,
        Redo,
    }
    let steps = [
        Step::Do(Box::new(Command::AddStage {
            stream: stream.clone(),
            stage: added,
            index: None,
            connect_from: None,
        })),
        Step::Do(Box::new(Command::DeleteStage {
            stream: stream.clone(),
            id: "added".into(),
        })),
        Step::Undo,
        Step::Redo,
        Step::Do(Box::new(Command::DeletePbc {
            id: model.pbcs[0].id.clone(),
        })),
        Step::Undo,
    ];
    let mut version = 1;
    let mut patches = 0;
    for (k, step) in steps.iter().enumerate() {
        match step {
            Step::Do(c) => s.execute(c).map(drop).unwrap(),
            Step::Undo => s.undo().map(drop).unwrap(),
            Step::Redo => s.redo().map(drop).unwrap(),
        }
        // every other step looks at the scenario, so that it appears and disappears
        let sc = if k % 2 == 0 {
            scenario.as_deref()
        } else {
            None
        };
        let now = workspace(&s, sc);
        let expected = serde_json::to_value(&now).unwrap();
        match out.update(&now).unwrap() {
            Reply::Patch {
                base,
                version: v,
                changes,
            } => {
                assert_eq!(base, version, "step {k}");
                shown = apply(&shown, &changes);
                version = v;
                patches += 1;
            }
            Reply::Full {
                version: v,
                workspace,
            } => {
                shown = serde_json::to_value(&workspace).unwrap();
                version = v;
            }
        }
        assert_eq!(shown, expected, "step {k}: the patched workspace differs");
    }
    assert_eq!(version, 1 + steps.len() as u64);
    assert!(
        patches >= steps.len() - 1,
        "only {patches} steps were patches"
    );
}

#[test]
fn a_change_that_shifts_most_of_the_workspace_is_sent_whole() {
    let dir = tempfile::tempdir().unwrap();
    let model = tributary_core::testkit::large_model(1, 300, 200, 1_000);
    let mut s = Session::create(&dir.path().join("big.tributary"), &model).unwrap();
    let mut out = Outbox::new();
    out.full(&workspace(&s, None)).unwrap();

    // a new first stage shifts all 300 stages, their numbers and positions by one place
    let mut first = s.model().streams[0].stages[0].clone();
    first.id = "new-first".into();
    s.execute(&Command::AddStage {
        stream: "stream-0".into(),
        stage: first,
        index: Some(0),
        connect_from: None,
    })
    .unwrap();
    let now = workspace(&s, None);
    let (version, sent) = full(out.update(&now).unwrap());
    assert_eq!(version, 2);
    assert_eq!(sent, serde_json::to_value(&now).unwrap());

    // after forgetting what was sent (another model opened), the next reply is whole again
    out.forget();
    let (version, _) = full(out.update(&now).unwrap());
    assert_eq!(version, 3);
    // and an unchanged workspace is an empty patch
    let (base, version, changes) = patch(out.update(&now).unwrap());
    assert_eq!((base, version, changes.len()), (3, 4, 0));
}
