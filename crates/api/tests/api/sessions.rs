//! Sessions and file loading as the CLI and the app use them.

use tributary_api::{self as api, ErrorCode, Session};
use tributary_core::edit::Command;

use crate::root;

#[test]
fn a_session_edits_undoes_and_reports_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.tributary");
    let model = api::read_json(&root().join("assets/examples/returns.json")).unwrap();
    let mut s = Session::create(&path, &model).unwrap();
    let v = s.view().unwrap();
    assert_eq!(v.file_name, "m.tributary");
    assert_eq!(v.undo, None);
    let lead = v.metrics.streams[0].lead_time;

    let mut st = v.model.streams[0].stages[1].clone();
    st.wait_time += 1.0;
    let v = s
        .execute(&Command::UpdateStage {
            stream: "rma".into(),
            stage: st,
        })
        .unwrap();
    assert_eq!(v.metrics.streams[0].lead_time, lead + 1.0);
    assert_eq!(v.undo.as_deref(), Some("Edit stage RMA authorisation"));
    let v = s.undo().unwrap();
    assert_eq!(v.metrics.streams[0].lead_time, lead);
    assert_eq!(v.redo.as_deref(), Some("Edit stage RMA authorisation"));
}

#[test]
fn errors_carry_a_code_the_ui_can_act_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tributary");
    std::fs::write(&bad, b"\x00\x01 not a model").unwrap();
    let e = Session::open(&bad).err().unwrap();
    assert_eq!(e.code, ErrorCode::NotAModel);
    assert!(e.message.contains("bad.tributary"), "{}", e.message);

    let json = dir.path().join("bad.json");
    std::fs::write(&json, r#"{"format":"tributary/1","name":"x","streams":[{"id":"s","name":"s","stages":[{"id":"a","name":"a","process_time":-1,"wait_time":1}]}]}"#).unwrap();
    let e = api::load_model(&json).unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(e.problems[0].path, "streams[0].stages[0].process_time");
    assert!(
        e.message.starts_with(&json.display().to_string()),
        "{}",
        e.message
    );

    let e = api::load_model(&dir.path().join("nope.json")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn validate_file_lists_every_problem_of_a_json_model() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("two.json");
    std::fs::write(&json, r#"{"format":"tributary/1","name":"x","currency":"euro","streams":[{"id":"s","name":"s","stages":[{"id":"a","name":"a","process_time":-1,"wait_time":1}]}]}"#).unwrap();
    let problems = api::validate_file(&json).unwrap();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, vec!["currency", "streams[0].stages[0].process_time"]);
}

/// The app shows an error in its words: the name the user gave, the field and what is allowed,
/// never a path or an id; the message keeps the precise place for the command line.
#[test]
fn errors_speak_the_users_language_in_the_app() {
    use tributary_api::engine::edit::Command;
    let dir = tempfile::tempdir().unwrap();
    let model = api::read_json(&crate::root().join("assets/examples/mortgage.json")).unwrap();
    let path = dir.path().join("m.tributary");
    let mut s = Session::create(&path, &model).unwrap();
    let mut kyc = model.streams[0].stages[1].clone();
    kyc.wait_time = -4.0;
    let cmd = Command::UpdateStage {
        stream: "mortgage".into(),
        stage: kyc.clone(),
    };
    let e = s.execute(&cmd).unwrap_err();
    assert_eq!(
        e.plain,
        "The wait time of “Documents & KYC” cannot be negative."
    );
    assert_eq!(e.problems[0].field.as_deref(), Some("wait_time"));
    assert!(e.message.contains("stages[1].wait_time") && e.message.contains("\"kyc\""));
    kyc.wait_time = 4.0;
    kyc.pca = 1.5;
    let cmd = Command::UpdateStage {
        stream: "mortgage".into(),
        stage: kyc,
    };
    let e = s.execute(&cmd).unwrap_err();
    assert_eq!(
        e.plain,
        "%C&A of “Documents & KYC” is between 0 and 100 % (more than 0)."
    );
    assert!(!e.plain.contains(dir.path().to_str().unwrap()) && !e.plain.contains("kyc"));
    // a file's error names the file, not the folder it is in
    drop(s);
    std::fs::write(&path, b"not a model at all").unwrap();
    let e = Session::open(&path).err().unwrap();
    assert!(e.plain.starts_with("m.tributary: "), "{}", e.plain);
    assert!(e.message.starts_with(&path.display().to_string()));
}

#[test]
fn a_file_another_writer_holds_opens_read_only_saying_who_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pilot.tributary");
    let model = api::read_json(&root().join("assets/examples/returns.json")).unwrap();
    let colleague = api::Holder::this_process("Tributary", true);
    let held = Session::create_as(&path, &model, &colleague).unwrap();

    let (mut mine, notice) =
        Session::open_or_read(&path, &api::Holder::this_process("Tributary", true)).unwrap();
    assert!(mine.is_read_only());
    let notice = notice.expect("the user is told");
    assert_eq!(notice.code, ErrorCode::Busy);
    assert!(
        notice
            .plain
            .starts_with("“pilot.tributary” is open in Tributary"),
        "{}",
        notice.plain
    );
    assert!(notice.plain.contains("read-only"), "{}", notice.plain);
    let mut stage = model.streams[0].stages[0].clone();
    stage.wait_time += 1.0;
    let edit = Command::UpdateStage {
        stream: model.streams[0].id.clone(),
        stage,
    };
    assert!(mine.execute(&edit).is_err(), "edits are refused");

    drop(held);
    let (free, none) =
        Session::open_or_read(&path, &api::Holder::this_process("Tributary", true)).unwrap();
    assert!(
        !free.is_read_only() && none.is_none(),
        "once closed there, it opens for editing"
    );
}
