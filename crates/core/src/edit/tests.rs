//! Edits planned, applied, undone and redone on a small model.

use super::*;
use crate::exchange::from_json;

fn model() -> Model {
    from_json(
        r#"{"format":"tributary/1","name":"m","streams":[{"id":"s","name":"S",
        "demand_per_week":10,"cost_of_delay_per_week":100,"stages":[
          {"id":"a","name":"A","process_time":1,"wait_time":2},
          {"id":"b","name":"B","process_time":1,"wait_time":2},
          {"id":"c","name":"C","process_time":1,"wait_time":2}]}],
        "pbcs":[{"id":"p","name":"P"},{"id":"q","name":"Q"}],
        "assignments":[{"pbc":"p","stream":"s","stage":"b","wait_time":5}],
        "integrations":[{"id":"i","from":"p","to":"q","style":"events"}],
        "scenarios":[{"id":"x","name":"X","changes":[
          {"kind":"swap_pbc","from":"p","to":"q"},
          {"kind":"set_stage","stream":"s","stage":"b","wait_time":0},
          {"kind":"investment","name":"build","amount":10}]}]}"#,
    )
    .unwrap()
}

/// Applies a command, checks the result is valid, undoes it, and checks the model is back.
fn round_trip(cmd: Command) -> Model {
    let original = model();
    let mut m = original.clone();
    let deltas = plan(&m, &cmd).unwrap();
    apply(&mut m, &deltas).unwrap();
    crate::validate::ensure_valid(&m).unwrap();
    let after = m.clone();
    apply(&mut m, &invert(&deltas)).unwrap();
    assert_eq!(m, original, "undo of {cmd:?}");
    apply(&mut m, &deltas).unwrap();
    assert_eq!(m, after, "redo of {cmd:?}");
    after
}

fn stage(id: &str) -> Stage {
    Stage {
        id: id.into(),
        name: format!("Stage {id}"),
        process_time: 1.0,
        wait_time: 1.0,
        pca: 1.0,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
        note: None,
    }
}

#[test]
fn add_stage_at_an_index_and_undo() {
    let m = round_trip(Command::AddStage {
        stream: "s".into(),
        stage: stage("n"),
        index: Some(1),
        connect_from: None,
    });
    let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["a", "n", "b", "c"]);
}

#[test]
fn an_empty_id_is_made_from_the_name() {
    let mut st = stage("");
    st.name = "Credit Scoring & KYC".into();
    let m = round_trip(Command::AddStage {
        stream: "s".into(),
        stage: st,
        index: None,
        connect_from: None,
    });
    assert_eq!(m.streams[0].stages[3].id, "credit-scoring-kyc");
}

#[test]
fn delete_stage_takes_its_assignments_and_scenario_changes_along() {
    let m = round_trip(Command::DeleteStage {
        stream: "s".into(),
        id: "b".into(),
    });
    assert!(m.assignments.is_empty());
    assert_eq!(m.scenarios[0].changes.len(), 2);
}

#[test]
fn delete_pbc_takes_assignments_integrations_and_changes_along() {
    let m = round_trip(Command::DeletePbc { id: "p".into() });
    assert!(m.assignments.is_empty());
    assert!(m.integrations.is_empty());
    assert_eq!(m.scenarios[0].changes.len(), 2);
}

#[test]
fn delete_stream_and_undo_restores_everything() {
    let m = round_trip(Command::DeleteStream { id: "s".into() });
    assert!(m.streams.is_empty());
    assert!(m.assignments.is_empty());
    // the set_stage on stream s goes; the swap and the investment name no stream
    assert_eq!(m.scenarios[0].changes.len(), 2);
}

#[test]
fn the_first_connection_makes_the_line_explicit() {
    let m = round_trip(Command::Connect {
        stream: "s".into(),
        from: "a".into(),
        to: "c".into(),
    });
    let edges: Vec<(String, String)> = m.streams[0]
        .edges
        .iter()
        .map(|e| (e.from.clone(), e.to.clone()))
        .collect();
    assert_eq!(
        edges,
        vec![
            ("a".into(), "b".into()),
            ("b".into(), "c".into()),
            ("a".into(), "c".into())
        ]
    );
}

#[test]
fn a_connection_that_closes_a_loop_is_refused() {
    let m = model();
    let err = plan(
        &m,
        &Command::Connect {
            stream: "s".into(),
            from: "c".into(),
            to: "a".into(),
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::Cycle { .. }), "{err}");
}

#[test]
fn deleting_a_middle_stage_bridges_the_flow() {
    let mut m = model();
    // connecting a -> b makes the line a -> b -> c explicit
    let d = plan(
        &m,
        &Command::Connect {
            stream: "s".into(),
            from: "a".into(),
            to: "b".into(),
        },
    )
    .unwrap();
    apply(&mut m, &d).unwrap();
    assert_eq!(m.streams[0].edges.len(), 2);
    let d = plan(
        &m,
        &Command::DeleteStage {
            stream: "s".into(),
            id: "b".into(),
        },
    )
    .unwrap();
    apply(&mut m, &d).unwrap();
    assert_eq!(
        m.streams[0].edges,
        vec![Edge {
            from: "a".into(),
            to: "c".into()
        }]
    );
}

#[test]
fn invalid_values_are_refused_before_anything_changes() {
    let m = model();
    let mut st = stage("b");
    st.wait_time = -1.0;
    let err = plan(
        &m,
        &Command::UpdateStage {
            stream: "s".into(),
            stage: st,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("wait_time is -1"), "{err}");
}

#[test]
fn update_stream_keeps_stages_and_moves_keep_data() {
    let mut s = model().streams[0].header();
    s.name = "Renamed".into();
    let m = round_trip(Command::UpdateStream { stream: s });
    assert_eq!(m.streams[0].name, "Renamed");
    assert_eq!(m.streams[0].stages.len(), 3);
    let m = round_trip(Command::MoveStage {
        stream: "s".into(),
        id: "a".into(),
        index: 2,
    });
    let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["b", "c", "a"]);
}

#[test]
fn move_assignment_keeps_its_times() {
    let m = round_trip(Command::MoveAssignment {
        pbc: "p".into(),
        stream: "s".into(),
        from_stage: "b".into(),
        to_stream: "s".into(),
        to_stage: "c".into(),
    });
    assert_eq!(m.assignments[0].stage, "c");
    assert_eq!(m.assignments[0].wait_time, 5.0);
}

#[test]
fn a_batch_is_one_step_and_plans_in_order() {
    let mut b = stage("");
    b.name = "New".into();
    let m = round_trip(Command::Batch {
        label: "Calibrate".into(),
        commands: vec![
            Command::AddStage {
                stream: "s".into(),
                stage: b,
                index: None,
                connect_from: None,
            },
            // refers to the stage the first command made
            Command::DeleteStage {
                stream: "s".into(),
                id: "new".into(),
            },
            Command::DeleteStage {
                stream: "s".into(),
                id: "a".into(),
            },
        ],
    });
    let ids: Vec<&str> = m.streams[0].stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["b", "c"]);
}

#[test]
fn scenario_changes_merge_per_thing() {
    let set = |w: Option<f64>, p: Option<f64>| Change::SetStage {
        stream: "s".into(),
        stage: "b".into(),
        process_time: p,
        wait_time: w,
        pca: None,
        capacity: None,
    };
    let m = round_trip(Command::UpsertChange {
        scenario: "x".into(),
        change: set(None, Some(0.5)),
    });
    // merged into the existing set_stage on b: its wait stays 0, process becomes 0.5
    assert_eq!(m.scenarios[0].changes.len(), 3);
    assert_eq!(m.scenarios[0].changes[1], set(Some(0.0), Some(0.5)));

    let mut changes = vec![];
    let assign = Change::AssignPbc {
        pbc: "q".into(),
        stream: "s".into(),
        stage: "a".into(),
        process_time: 0.0,
        wait_time: 1.0,
    };
    let unassign = Change::UnassignPbc {
        pbc: "q".into(),
        stream: "s".into(),
        stage: "a".into(),
    };
    merge_change(&mut changes, assign.clone());
    merge_change(&mut changes, unassign.clone());
    assert!(
        changes.is_empty(),
        "removing what the scenario added cancels it"
    );
    merge_change(&mut changes, unassign.clone());
    merge_change(&mut changes, assign.clone());
    assert_eq!(changes, vec![assign]);
}

#[test]
fn remove_change_checks_the_index() {
    let m = round_trip(Command::RemoveChange {
        scenario: "x".into(),
        index: 0,
    });
    assert_eq!(m.scenarios[0].changes.len(), 2);
    let err = plan(
        &model(),
        &Command::RemoveChange {
            scenario: "x".into(),
            index: 9,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("it has 3"), "{err}");
}

#[test]
fn fresh_ids_are_unique() {
    let taken = ["intake", "intake-2"];
    assert_eq!(fresh_id("Intake", "stage", taken.into_iter()), "intake-3");
    assert_eq!(fresh_id("  ", "stage", taken.into_iter()), "stage");
}

/// Undo steps are kept in model files as deltas in JSON: rows written by earlier versions
/// (these three are from the fixture `crates/store/tests/fixtures/legacy-v4`) read back, and
/// are written again, byte for byte.
#[test]
fn deltas_keep_the_json_form_stored_in_files() {
    let rows = [
        r#"[{"entity":"stage","stream":"returns","before":null,"after":{"index":0,"item":{"id":"receive","name":"Receive","process_time":0.5,"wait_time":4.0,"pca":0.95}}}]"#,
        r#"[{"entity":"edge","stream":"returns","before":{"index":1,"item":{"from":"inspect","to":"refund"}},"after":null}]"#,
        r#"[{"entity":"scenario","before":{"index":1,"item":{"id":"faster-refunds","name":"Faster refunds","changes":[]}},"after":null}]"#,
    ];
    for row in rows {
        let deltas: Vec<Delta> = serde_json::from_str(row).unwrap();
        assert_eq!(serde_json::to_string(&deltas).unwrap(), row);
    }
}
