//! A process killed in the middle of writing leaves a file that opens with the last
//! committed model.
//!
//! The test runs itself as a child process (selected by an environment variable) that edits a
//! model file as fast as it can and reports each commit on stdout; the parent kills it with
//! SIGKILL at a random moment and opens the file.

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use tributary_core::Stage;
use tributary_core::edit::Command;
use tributary_store::Document;

use crate::{e1, file_in};

const CHILD: &str = "TRIBUTARY_CRASH_CHILD";

fn stage(n: usize) -> Stage {
    Stage {
        id: format!("extra-{n}"),
        name: format!("Extra {n}"),
        process_time: 1.0,
        wait_time: n as f64,
        pca: 1.0,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
    }
}

#[test]
fn crash_child() {
    // Only does something when started by `killed_mid_write_keeps_the_last_commit`.
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut doc = Document::open(std::path::Path::new(&path)).unwrap();
    for n in 0.. {
        doc.execute(&Command::AddStage {
            stream: "s".into(),
            stage: stage(n),
            index: Some(0),
            connect_from: None,
        })
        .unwrap();
        println!("committed {}", n + 1);
    }
}

#[test]
fn killed_mid_write_keeps_the_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    for round in 0..5u64 {
        let path = file_in(&dir, &format!("crash-{round}.tributary"));
        Document::create(&path, &e1()).unwrap().close().unwrap();
        let mut child = Process::new(&exe)
            .args([
                "crash::crash_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // let it commit a varying number of edits, then kill it without warning
        let wait_for = 3 + round * 7;
        let mut last = 0u64;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(n) = line.strip_prefix("committed ") {
                last = n.trim().parse().unwrap();
                if last >= wait_for {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_micros(300 * round));
        child.kill().unwrap();
        child.wait().unwrap();
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("committed ") {
                last = n.trim().parse().unwrap();
            }
        }
        let doc = Document::open(&path).unwrap();
        let extra = doc.model().streams[0].stages.len() as u64 - 4;
        // every reported commit is there; at most one more finished before the report
        assert!(
            extra == last || extra == last + 1,
            "round {round}: {extra} stages in the file, {last} commits reported"
        );
        // and the file holds a consistent model: the newest stage is first
        assert_eq!(
            doc.model().streams[0].stages[0].id,
            format!("extra-{}", extra - 1)
        );
        assert_eq!(
            doc.history().unwrap().undo.as_deref(),
            Some(format!("Add stage Extra {}", extra - 1).as_str())
        );
    }
}
