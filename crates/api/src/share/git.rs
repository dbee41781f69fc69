//! Models in git: `tributary git setup` registers, in one repository, a merge driver (the
//! three-way merge of models) and a diff driver (the semantic diff for `git diff`, canonical
//! JSON for `git log -p` and `git show`) for `*.tributary` and `*.tributary.json` files,
//! through `.gitattributes` and the repository's own config.

use std::path::{Path, PathBuf};
use std::process::Command;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::Model;
use tributary_diff::{Diff, diff};
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Result, load_model, write_atomically};

/// Which files the drivers take, and how.
pub const PATTERNS: [(&str, &str); 2] = [
    // a model file is a database: never converted as text
    ("*.tributary", "-text diff=tributary merge=tributary"),
    ("*.tributary.json", "diff=tributary merge=tributary"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct GitSetting {
    pub key: String,
    pub value: String,
}

/// What `git setup` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct GitSetup {
    pub repository: String,
    /// The `.gitattributes` file, and the lines it gained (none when it had them).
    pub attributes: String,
    pub added: Vec<String>,
    /// What was set in the repository's config.
    pub settings: Vec<GitSetting>,
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("git could not be run ({e}); is it installed?"),
            )
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        return Err(ApiError::new(
            ErrorCode::Io,
            format!("git {}: {why}", args.join(" ")),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A path as one word for the shell git runs drivers with.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// Registers the drivers in the repository `dir` is in, for `program` (this `tributary`).
/// Running it again changes nothing.
pub fn git_setup(dir: &Path, program: &Path) -> Result<GitSetup> {
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        ApiError::new(
            ErrorCode::NotFound,
            format!(
                "{} is not in a git repository ({})",
                dir.display(),
                e.message
            ),
        )
    })?;
    let top = PathBuf::from(top.trim());
    let prog = quoted(program);
    let settings = [
        (
            "merge.tributary.name",
            "Tributary models, merged item by item".to_owned(),
        ),
        (
            "merge.tributary.driver",
            format!("{prog} merge %O %A %B -o %A --git %P"),
        ),
        ("diff.tributary.command", format!("{prog} git diff")),
        ("diff.tributary.textconv", format!("{prog} git textconv")),
    ];
    for (key, value) in &settings {
        git(&top, &["config", "--local", key, value])?;
    }
    let attributes = top.join(".gitattributes");
    let mut text = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(ApiError::new(
                ErrorCode::Io,
                format!("{}: {e}", attributes.display()),
            ));
        }
    };
    let mut added = Vec::new();
    for (pattern, attrs) in PATTERNS {
        let has = text.lines().any(|l| {
            let mut words = l.split_whitespace();
            words.next() == Some(pattern) && words.any(|w| w == "merge=tributary")
        });
        if !has {
            added.push(format!("{pattern} {attrs}"));
        }
    }
    if !added.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for line in &added {
            text.push_str(line);
            text.push('\n');
        }
        write_atomically(&attributes, text.as_bytes())?;
    }
    Ok(GitSetup {
        repository: top.display().to_string(),
        attributes: attributes.display().to_string(),
        added,
        settings: settings
            .into_iter()
            .map(|(k, v)| GitSetting {
                key: k.to_owned(),
                value: v,
            })
            .collect(),
    })
}

/// What git's textconv shows of a file: a model as canonical JSON, anything else as it is.
pub fn textconv(path: &Path) -> Result<String> {
    match load_model(path) {
        Ok(m) => Ok(tributary_core::exchange::to_json(&m)),
        Err(_) => {
            let bytes = std::fs::read(path)
                .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display())))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
    }
}

/// The diff git's diff driver shows, from the old file to the new; git passes `/dev/null`
/// for a side that does not exist, which reads as a model with nothing in it.
pub fn git_diff(old: &Path, new: &Path) -> Result<Diff> {
    let null = Path::new("/dev/null");
    let empty_like = |m: &Model| {
        let mut e = Model::new(m.name.clone());
        e.set_settings(m.settings());
        e
    };
    Ok(match (old == null, new == null) {
        (true, true) => diff(&Model::new(""), &Model::new("")),
        (true, false) => {
            let n = load_model(new)?;
            diff(&empty_like(&n), &n)
        }
        (false, true) => {
            let o = load_model(old)?;
            diff(&o, &empty_like(&o))
        }
        (false, false) => diff(&load_model(old)?, &load_model(new)?),
    })
}
