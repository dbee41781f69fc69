//! A model file written by an earlier Tributary (schema 4, before the store was restructured)
//! opens unchanged, and its stored undo history undoes and redoes to exactly the states the old
//! program exported. See `crates/store/tests/fixtures/legacy-v4/README.md`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tributary_api::Session;

fn fixture() -> PathBuf {
    crate::root().join("crates/store/tests/fixtures/legacy-v4")
}

/// States 0..=33 as the old CLI exported them: the example, then each step's patch applied.
fn states() -> Vec<Value> {
    let first =
        std::fs::read_to_string(crate::root().join("assets/examples/mortgage.json")).unwrap();
    let mut state: Value = serde_json::from_str(&first).unwrap();
    let steps: Vec<json_patch::Patch> =
        serde_json::from_str(&std::fs::read_to_string(fixture().join("steps.json")).unwrap())
            .unwrap();
    let mut out = vec![state.clone()];
    for step in &steps {
        json_patch::patch(&mut state, step).unwrap();
        out.push(state.clone());
    }
    out
}

/// The model as the old program exported it: the telemetry mapping, which it kept outside the
/// model, is checked on its own.
fn model_json(s: &Session) -> Value {
    let mut v: Value = serde_json::from_str(&tributary_core::exchange::to_json(s.model())).unwrap();
    v.as_object_mut().unwrap().remove("mappings");
    v
}

fn copy_of_fixture(dir: &Path) -> PathBuf {
    let path = dir.join("legacy.tributary");
    std::fs::copy(fixture().join("model.tributary"), &path).unwrap();
    path
}

#[test]
fn an_old_file_undoes_and_redoes_through_its_whole_history() {
    let states = states();
    assert_eq!(states.len(), 34);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::open(&copy_of_fixture(dir.path())).unwrap();
    // the file was left two undo steps back
    assert_eq!(model_json(&s), states[31]);
    // its mapping moved into the model, as the old program stored it (14 states, 10 stages,
    // one type; the mapping file had no line for the deleted valuation stage)
    let m = s.mapping("mortgage").unwrap();
    assert_eq!((m.states.len(), m.stages.len(), m.types.len()), (14, 10, 1));
    assert_eq!(m.states[6].status, "Awaiting valuation");
    assert_eq!(m.stages[2].stage, "kyc");
    for want in &states[32..] {
        s.redo().unwrap();
        assert_eq!(&model_json(&s), want);
    }
    assert_eq!(s.view().unwrap().redo, None);
    for (i, want) in states.iter().enumerate().rev().skip(1) {
        s.undo().unwrap();
        assert_eq!(&model_json(&s), want, "after undoing back to state {i}");
    }
    assert_eq!(s.view().unwrap().undo, None);
    // and forward again, the way the old program wrote each step
    for (i, want) in states.iter().enumerate().skip(1) {
        s.redo().unwrap();
        assert_eq!(&model_json(&s), want, "after redoing to state {i}");
    }
}

#[test]
fn an_old_files_telemetry_gives_the_measured_flow_it_gave_before() {
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture().join("flow.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = Session::open_read_only(&copy_of_fixture(dir.path())).unwrap();
    let flow = serde_json::to_value(s.flow("mortgage", None, None).unwrap()).unwrap();
    for key in ["counts", "cycle_time", "wip", "flow_efficiency"] {
        assert_eq!(flow[key], want[key], "{key}");
    }
    let stages: Vec<Value> = flow["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| serde_json::json!({"stage": s["stage"], "items": s["items"], "measured": s["measured"]}))
        .collect();
    assert_eq!(Value::Array(stages), want["stages"]);
}
