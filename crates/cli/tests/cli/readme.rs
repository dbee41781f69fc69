//! The README's command-line examples are run as they are written, so the README cannot drift
//! from the program. Every ```console block is a script: `$ tributary ...` lines are run in
//! order in one folder (holding a copy of `assets/examples`), and the lines after each are
//! what it must print (standard output, then standard error). `...` on a line of its own
//! stands for any number of lines; `? N` right after a command expects exit code N.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Debug)]
struct Step {
    /// The README line the command is on, for messages.
    line: usize,
    args: Vec<String>,
    code: i32,
    expected: Vec<String>,
}

/// The commands of every console block, with what they print.
fn steps(markdown: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for (i, line) in markdown.lines().enumerate() {
        if line.starts_with("```") {
            in_block = line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line
            .strip_prefix("$ ")
            .or((!pending.is_empty()).then_some(line))
        {
            pending.push_str(cmd.trim_end_matches('\\'));
            pending.push(' ');
            if !cmd.ends_with('\\') {
                let args = shlex::split(&pending).expect("a command line that splits");
                out.push(Step {
                    line: i + 1,
                    args,
                    code: 0,
                    expected: Vec::new(),
                });
                pending.clear();
            }
        } else if let Some(step) = out.last_mut() {
            match line.strip_prefix("? ") {
                Some(code) if step.expected.is_empty() => step.code = code.parse().unwrap(),
                _ => step.expected.push(line.to_owned()),
            }
        }
    }
    out
}

/// Whether `got` is `want`, where a `...` line in `want` matches any run of lines.
fn matches(want: &[String], got: &[&str]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((w, rest)) if w == "..." => (0..=got.len()).any(|k| matches(rest, &got[k..])),
        Some((w, rest)) => got
            .split_first()
            .is_some_and(|(g, more)| g.trim_end() == w.trim_end() && matches(rest, more)),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_readme_examples_run_as_shown() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(steps.len() >= 10, "only {} commands found", steps.len());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("assets/examples"),
        &dir.path().join("assets/examples"),
    );
    for step in &steps {
        assert_eq!(step.args[0], "tributary", "README line {}", step.line);
        let o = Command::new(env!("CARGO_BIN_EXE_tributary"))
            .current_dir(dir.path())
            .args(&step.args[1..])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let got: Vec<&str> = text.lines().collect();
        let mut want = step.expected.clone();
        while want.last().is_some_and(|l| l.trim().is_empty()) {
            want.pop();
        }
        assert_eq!(
            o.status.code(),
            Some(step.code),
            "README line {}: {:?}\n{text}",
            step.line,
            step.args
        );
        assert!(
            matches(&want, &got),
            "README line {}: {:?} printed\n{text}\nbut the README shows\n{}",
            step.line,
            step.args,
            want.join("\n")
        );
    }
}

#[test]
fn the_matcher_needs_every_line_but_the_elided_ones() {
    let want = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(matches(&want(&["a", "...", "c"]), &["a", "b", "b", "c"]));
    assert!(matches(&want(&["a", "...", "c"]), &["a", "c"]));
    assert!(!matches(&want(&["a", "c"]), &["a", "b", "c"]));
    assert!(!matches(&want(&["a"]), &["a", "b"]));
    assert!(!matches(&want(&["a", "...", "c"]), &["a", "b"]));
}
