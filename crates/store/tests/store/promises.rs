//! What `docs/format.md` promises about the model file as a document, each held by a test:
//! one writer at a time and outcomes reported truly, refused files and idle commands leave
//! the file untouched, and `validate` refuses what an edit would refuse.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, SystemTime};

use tributary_core::edit::Command;
use tributary_store::{Document, Error};

use crate::{bytes, e1, file_in};

const WRITER: &str = "TRIBUTARY_WRITER_CHILD";
const EDITS: usize = 30;

/// The stage edit writer `w` makes in its `i`-th round: the wait time says who and when.
fn edit(w: usize, i: usize) -> (Command, f64) {
    let mut st = e1().streams[0].stages[1].clone();
    st.wait_time = (1000 * (w + 1) + i) as f64;
    st.name = format!("Assess {w}-{i}");
    let cmd = Command::UpdateStage {
        stream: "s".into(),
        stage: st,
    };
    (cmd, (1000 * (w + 1) + i) as f64)
}

#[test]
fn writer_child() {
    // Only does something when started by `two_writers_take_turns_and_say_truly_what_was_saved`.
    let Ok(spec) = std::env::var(WRITER) else {
        return;
    };
    let (w, path) = spec.split_once(':').unwrap();
    let w: usize = w.parse().unwrap();
    for i in 0..EDITS {
        // each round opens, edits and closes, as a script calling `tributary edit` does
        let result = Document::open(Path::new(path)).and_then(|mut doc| {
            doc.execute(&edit(w, i).0)?;
            doc.close()
        });
        match result {
            Ok(()) => println!("saved {w}-{i}"),
            Err(e) => println!("failed {w}-{i}: {e}"),
        }
    }
}

fn spawn_writer(w: usize, path: &Path) -> std::process::Child {
    Process::new(std::env::current_exe().unwrap())
        .args([
            "promises::writer_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER, format!("{w}:{}", path.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn two_writers_take_turns_and_say_truly_what_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "shared.tributary");
    Document::create(&path, &e1()).unwrap().close().unwrap();
    let children = [spawn_writer(0, &path), spawn_writer(1, &path)];
    let mut saved: Vec<String> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for mut child in children {
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            // the test harness may print its own words before the child's on a line
            if let Some((_, what)) = line.split_once("saved ") {
                saved.push(what.to_owned());
            } else if let Some((_, what)) = line.split_once("failed ") {
                failed.push(what.split(':').next().unwrap().to_owned());
            } else {
                other.push(line);
            }
        }
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(
        saved.len() + failed.len(),
        2 * EDITS,
        "{failed:?} {other:?}"
    );
    // Walk the history back: every saved edit is there once, no failed one is, and each undo
    // gives back the value the edit before it had set.
    let mut doc = Document::open(&path).unwrap();
    let mut seen: Vec<String> = Vec::new();
    while let Some(label) = doc.undo().unwrap() {
        seen.push(label.trim_start_matches("Edit stage Assess ").to_owned());
    }
    let mut want = saved.clone();
    want.sort();
    let mut got = seen.clone();
    got.sort();
    assert_eq!(
        got, want,
        "the history holds exactly the edits reported saved"
    );
    assert_eq!(
        doc.model().streams[0].stages[1].wait_time,
        24.0,
        "back to the start"
    );
    for label in seen.iter().rev() {
        doc.redo().unwrap();
        let (w, i) = label.split_once('-').unwrap();
        let want = edit(w.parse().unwrap(), i.parse().unwrap()).1;
        assert_eq!(
            doc.model().streams[0].stages[1].wait_time,
            want,
            "redo of {label}"
        );
    }
}

#[test]
fn a_second_writer_is_told_who_holds_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    Document::create(&path, &e1()).unwrap().close().unwrap();
    let app = tributary_store::Holder::this_process("Tributary", true);
    let held = Document::open_as(&path, &app).unwrap();
    let started = std::time::Instant::now();
    let err = Document::open(&path)
        .err()
        .expect("a second writer is refused");
    assert!(matches!(err, Error::Busy { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("open in Tributary on this computer since"),
        "{text}"
    );
    assert!(
        text.contains(&format!("process {}", std::process::id())),
        "{text}"
    );
    // the app keeps files open: nobody waits for it
    assert!(started.elapsed() < Duration::from_secs(1));
    // readers are not writers
    assert_eq!(Document::open_read_only(&path).unwrap().model(), &e1());
    drop(held);
    assert!(
        Document::open(&path).is_ok(),
        "free once the holder closes it"
    );
}

fn stamp(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        bytes(path),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

#[test]
fn commands_that_change_nothing_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "m.tributary");
    Document::create(&path, &e1()).unwrap().close().unwrap();
    let before = stamp(&path);
    std::thread::sleep(Duration::from_millis(20));
    let mut doc = Document::open(&path).unwrap();
    let missing = Command::DeleteStage {
        stream: "s".into(),
        id: "nowhere".into(),
    };
    assert!(doc.execute(&missing).is_err());
    assert_eq!(doc.redo().unwrap(), None, "nothing to redo");
    doc.close().unwrap();
    let _ = Document::open_read_only(&path).unwrap();
    assert_eq!(stamp(&path), before, "bytes and time stamp unchanged");
}

/// A model file changed with SQLite itself, as a hostile or careless tool would.
fn tampered(dir: &tempfile::TempDir, sql: &str) -> PathBuf {
    let path = file_in(dir, "tampered.tributary");
    Document::create(&path, &e1()).unwrap().close().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
        .unwrap();
    drop(conn);
    path
}

#[test]
fn validate_refuses_what_an_edit_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    for sql in [
        // a second settings row, which the CHECK (id = 1) forbids
        "INSERT INTO settings SELECT 2, name, currency, time_unit, hours_per_day, days_per_week, \
         discount_rate, horizon_years, author, description FROM settings",
        // a history row at the end of the number line, after which new rows would vanish
        "INSERT INTO history (seq, label, deltas) VALUES (9223372036854775807, 'x', '[]')",
        // a negative time, which the CHECK forbids
        "UPDATE stages SET wait_time = -5 WHERE id = 'assess'",
    ] {
        let path = tampered(&dir, sql);
        let before = stamp(&path);
        let read = Document::open_read_only(&path).err();
        let write = Document::open(&path).err();
        assert!(
            matches!(
                read,
                Some(Error::Corrupt { .. }) | Some(Error::Model { .. })
            ),
            "{sql}: reading gave {read:?}"
        );
        assert_eq!(
            read.map(|e| e.to_string()),
            write.map(|e| e.to_string()),
            "{sql}: reading and editing must agree"
        );
        assert_eq!(
            stamp(&path),
            before,
            "{sql}: a refused file is left as it was"
        );
        std::fs::remove_file(&path).unwrap();
    }
}
