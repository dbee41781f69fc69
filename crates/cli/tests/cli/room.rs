//! `tributary room serve`: the join address first, the facilitator's second, a page behind
//! each, nothing behind a wrong token; the file held as its one writer while the room is open.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn a_room_is_served_from_the_command_line_and_holds_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("workshop.tributary");
    let examples = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/examples/returns.json"
    );
    let bin = env!("CARGO_BIN_EXE_tributary");
    let made = Command::new(bin)
        .args(["import", examples, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let mut child = Command::new(bin)
        .args(["room", "serve"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let join = lines.next().unwrap().unwrap();
    let facilitator = lines.next().unwrap().unwrap();
    let shape =
        |u: &str| u.starts_with("http://127.0.0.1:") && u.contains("/r/") && u.ends_with('/');
    assert!(shape(&join) && shape(&facilitator), "{join}\n{facilitator}");
    assert_ne!(join, facilitator);

    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let status = |u: &str| agent.get(u).call().unwrap().status().as_u16();
    assert_eq!(status(&join), 200);
    assert_eq!(status(&facilitator), 200);
    let port = join.split(':').nth(2).unwrap().split('/').next().unwrap();
    assert_eq!(status(&format!("http://127.0.0.1:{port}/r/guess/")), 404);

    // One writer: an edit from elsewhere is refused, in words, while the room holds the file.
    let edit = Command::new(bin)
        .args(["edit"])
        .arg(&file)
        .arg(r#"{"type":"delete_stage","stream":"rma","id":"refund"}"#)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&edit.stderr);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !edit.status.success(),
        "the edit went through while the room held the file"
    );
    assert!(said.contains("open"), "{said}");
}
