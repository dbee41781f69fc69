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
        note: None,
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

// ---- kills at random points of edits, undo and redo -------------------------------------

const MIXED: &str = "TRIBUTARY_MIXED_CHILD";
/// Rounds of `kills_at_random_points_leave_the_last_commit_readable`: a short run by default;
/// `TRIBUTARY_KILLS=1000` for the full campaign (figures in docs/format.md).
fn rounds() -> u64 {
    std::env::var("TRIBUTARY_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24)
}

/// The `k`-th step of round `seed`'s script: an edit, an undo or a redo, chosen by a small
/// generator both the killed child and the parent's replay follow.
fn mixed_step(doc: &mut Document, seed: u64, k: u64) {
    let x = (seed.wrapping_mul(6_364_136_223_846_793_005)
        ^ k.wrapping_mul(1_442_695_040_888_963_407))
        >> 33;
    match x % 6 {
        0 => {
            doc.undo().unwrap();
        }
        1 => {
            doc.redo().unwrap();
        }
        2 | 3 => {
            doc.execute(&Command::AddStage {
                stream: "s".into(),
                stage: stage(k as usize),
                index: Some((x % 3) as u32),
                connect_from: None,
            })
            .unwrap();
        }
        _ => {
            let mut st = doc.model().streams[0].stages[0].clone();
            st.wait_time = (x % 997) as f64;
            doc.execute(&Command::UpdateStage {
                stream: "s".into(),
                stage: st,
            })
            .unwrap();
        }
    }
}

fn digest(doc: &Document) -> String {
    tributary_core::exchange::to_json(doc.model())
}

#[test]
fn mixed_child() {
    let Ok(spec) = std::env::var(MIXED) else {
        return;
    };
    let (seed, path) = spec.split_once(':').unwrap();
    let seed: u64 = seed.parse().unwrap();
    let mut doc = Document::open(std::path::Path::new(path)).unwrap();
    for k in 0.. {
        mixed_step(&mut doc, seed, k);
        println!("step {}", k + 1);
    }
}

/// The states a round's script goes through, replayed without kills: state `k` follows `k`
/// steps.
fn replay(dir: &std::path::Path, seed: u64, steps: u64) -> Vec<String> {
    let path = dir.join(format!("replay-{seed}.tributary"));
    let mut doc = Document::create(&path, &e1()).unwrap();
    let mut out = vec![digest(&doc)];
    for k in 0..steps {
        mixed_step(&mut doc, seed, k);
        out.push(digest(&doc));
    }
    drop(doc);
    std::fs::remove_file(&path).unwrap();
    out
}

/// A copy of `path` and its journal, if any, in a folder of its own, read-only.
fn read_only_copy(path: &std::path::Path, into: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(into).unwrap();
    let copy = into.join("copy.tributary");
    std::fs::copy(path, &copy).unwrap();
    let journal = std::path::PathBuf::from(format!("{}-journal", path.display()));
    if journal.exists() {
        std::fs::copy(&journal, into.join("copy.tributary-journal")).unwrap();
    }
    for f in std::fs::read_dir(into).unwrap() {
        let f = f.unwrap().path();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(into, std::fs::Permissions::from_mode(0o555)).unwrap();
    copy
}

#[test]
fn kills_at_random_points_leave_the_last_commit_readable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let (mut mid_edit, mut journals) = (0, 0);
    for seed in 0..rounds() {
        let path = file_in(&dir, &format!("mixed-{seed}.tributary"));
        Document::create(&path, &e1()).unwrap().close().unwrap();
        let mut child = Process::new(&exe)
            .args([
                "crash::mixed_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(MIXED, format!("{seed}:{}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let wait_for = 2 + seed % 17;
        let mut last = 0u64;
        for line in lines.by_ref() {
            if let Some((_, n)) = line.unwrap().split_once("step ") {
                last = n.trim().parse().unwrap();
                if last >= wait_for {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_micros(97 * (seed % 23)));
        child.kill().unwrap();
        child.wait().unwrap();
        for line in lines.map_while(Result::ok) {
            if let Some((_, n)) = line.split_once("step ") {
                last = n.trim().parse().unwrap();
            }
        }
        journals +=
            u64::from(std::path::Path::new(&format!("{}-journal", path.display())).exists());
        let states = replay(dir.path(), seed, last + 1);
        // at once, a read-only copy (with its journal, as a folder copy takes it) reads
        let ro = dir.path().join(format!("ro-{seed}"));
        let copy = read_only_copy(&path, &ro);
        let read = digest(&Document::open_read_only(&copy).unwrap());
        let at = states.iter().rposition(|s| *s == read);
        assert!(
            at == Some(last as usize) || at == Some(last as usize + 1),
            "round {seed}: the file is at none of the states after {last} or {} steps",
            last + 1
        );
        mid_edit += u64::from(at == Some(last as usize + 1));
        // and the original opens for writing at the same state
        assert_eq!(
            digest(&Document::open(&path).unwrap()),
            read,
            "round {seed}"
        );
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    eprintln!(
        "{} kills: {journals} left a journal; {mid_edit} landed after a commit and before its report",
        rounds()
    );
}
