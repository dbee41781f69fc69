//! How a stream's raw statuses and item types read: each status maps to a flow state (and,
//! optionally, to a stage of the stream), each item type to a flow item kind. Nothing is
//! guessed: what is not mapped is listed with its counts.
//!
//! The mapping file is TOML:
//! ```toml
//! [states]            # in workflow order: the order of the cumulative flow diagram
//! "Backlog" = "new"
//! "In Progress" = "active"
//! "Done" = "done"
//! [stages]            # optional: status -> stage id of the stream
//! "In Progress" = "build"
//! [types]             # optional: raw item type -> feature | defect | risk | debt
//! "Bug" = "defect"
//! ```

use std::path::Path;

pub use tributary_core::{FlowState, ItemKind, Mapping, StageMap, StateMap, TypeMap};

use crate::error::{Error, Result};

/// A mapping read from and written as its TOML file.
pub trait MappingToml: Sized {
    fn from_toml_file(path: &Path) -> Result<Self>;
    fn from_toml(text: &str) -> Result<Self, String>;
    fn to_toml(&self) -> String;
}

impl MappingToml for Mapping {
    /// Reads a mapping file.
    fn from_toml_file(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        <Mapping as MappingToml>::from_toml(&text).map_err(|message| Error::Mapping {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the TOML text of a mapping; the message names the table and key at fault.
    fn from_toml(text: &str) -> Result<Mapping, String> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| format!("not valid TOML: {}", e.message().trim_end()))?;
        let mut m = Mapping::default();
        for (key, value) in &table {
            let Some(inner) = value.as_table() else {
                return Err(format!(
                    "{key:?} must be a table ([states], [stages] or [types])"
                ));
            };
            for (raw, v) in inner {
                let Some(v) = v.as_str() else {
                    return Err(format!("[{key}] {raw:?}: the value must be a string"));
                };
                match key.as_str() {
                    "states" => {
                        let state = FlowState::parse(v).ok_or_else(|| {
                            format!(
                                "[states] {raw:?} = {v:?}: a flow state is one of new, waiting, active, done, canceled"
                            )
                        })?;
                        m.states.push(StateMap {
                            status: raw.clone(),
                            state,
                        });
                    }
                    "stages" => {
                        if v.trim().is_empty() {
                            return Err(format!("[stages] {raw:?}: the stage id is empty"));
                        }
                        m.stages.push(StageMap {
                            status: raw.clone(),
                            stage: v.to_owned(),
                        });
                    }
                    "types" => {
                        let kind = ItemKind::parse(v).ok_or_else(|| {
                            format!(
                                "[types] {raw:?} = {v:?}: an item kind is one of feature, defect, risk, debt"
                            )
                        })?;
                        m.types.push(TypeMap {
                            item_type: raw.clone(),
                            kind,
                        });
                    }
                    other => {
                        return Err(format!(
                            "unknown table [{other}] (expected [states], [stages] and [types])"
                        ));
                    }
                }
            }
        }
        Ok(m)
    }

    /// The mapping as a TOML file, in the same form [`Mapping::from_toml`] reads.
    fn to_toml(&self) -> String {
        fn quote(s: &str) -> String {
            toml::Value::String(s.to_owned()).to_string()
        }
        let mut out = String::from("[states]\n");
        for m in &self.states {
            out.push_str(&format!(
                "{} = {}\n",
                quote(&m.status),
                quote(m.state.as_str())
            ));
        }
        if !self.stages.is_empty() {
            out.push_str("\n[stages]\n");
            for m in &self.stages {
                out.push_str(&format!("{} = {}\n", quote(&m.status), quote(&m.stage)));
            }
        }
        if !self.types.is_empty() {
            out.push_str("\n[types]\n");
            for m in &self.types {
                out.push_str(&format!(
                    "{} = {}\n",
                    quote(&m.item_type),
                    quote(m.kind.as_str())
                ));
            }
        }
        out
    }
}

/// A flow state proposed from a status's name ("In Progress" -> active, "Dev Done" ->
/// waiting, "Won't Do" -> canceled), for the block of unmapped statuses a user pastes and
/// checks. Never applied by itself: nothing is mapped without the user.
pub fn propose(status: &str) -> Option<FlowState> {
    let s = status.trim().to_lowercase();
    let s = s.rsplit("::").next().unwrap_or(&s).to_owned();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&[
        "cancel",
        "won't",
        "wont",
        "reject",
        "abandon",
        "duplicate",
        "invalid",
        "dropped",
        "obsolete",
        "declined",
    ]) {
        return Some(FlowState::Canceled);
    }
    // A step's own "done" column ("Dev Done", "Analysis Done") waits for the next step.
    if s != "done" && (s.ends_with(" done") || s.ends_with("-done") || s.ends_with("_done")) {
        return Some(FlowState::Waiting);
    }
    if has(&[
        "done", "closed", "resolved", "complete", "released", "deployed", "merged", "shipped",
        "finished", "accepted",
    ]) {
        return Some(FlowState::Done);
    }
    if has(&[
        "reopen", "ready", "waiting", "blocked", "hold", "queue", "selected", "pending", "to be ",
    ]) {
        return Some(FlowState::Waiting);
    }
    if has(&[
        "progress",
        "active",
        "doing",
        "dev",
        "review",
        "test",
        "qa",
        "build",
        "analys",
        "design",
        "implement",
        "verif",
        "deploying",
        "code",
        "work",
    ]) {
        return Some(FlowState::Active);
    }
    if has(&[
        "backlog", "to do", "todo", "open", "new", "created", "triage", "funnel", "idea",
        "proposed", "icebox",
    ]) {
        return Some(FlowState::New);
    }
    None
}

/// A key of a mapping that names no status (or type) of the stream's telemetry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// `states`, `stages` or `types`.
    pub table: &'static str,
    pub key: String,
    /// The stream's status (or type) it is most likely meant to be, when one is close.
    pub closest: Option<String>,
}

impl std::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.table == "types" {
            "item type"
        } else {
            "status"
        };
        write!(
            f,
            "[{}] {:?} matches no {what} of the stream's telemetry",
            self.table, self.key
        )?;
        match &self.closest {
            Some(c) => write!(f, ": did you mean {c:?}?"),
            None => Ok(()),
        }
    }
}

/// The name in `names` closest to `key`: equal but for case and spaces, or nearly the same
/// (normalised Levenshtein similarity of 0.75 or more).
fn closest<'a>(key: &str, names: &'a [String]) -> Option<&'a String> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let k = norm(key);
    if let Some(n) = names.iter().find(|n| norm(n) == k) {
        return Some(n);
    }
    names
        .iter()
        .map(|n| (strsim::normalized_levenshtein(&k, &norm(n)), n))
        .filter(|(sim, _)| *sim >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// The keys of `m` that name no status (`[states]`, `[stages]`) or item type (`[types]`) of
/// the stream, each with the closest name when one is close. Nothing is checked against an
/// empty list (no telemetry yet).
pub fn unknown_keys(m: &Mapping, statuses: &[String], types: &[String]) -> Vec<UnknownKey> {
    let mut out = Vec::new();
    let mut check = |table: &'static str, key: &str, names: &[String]| {
        if !names.is_empty() && !names.iter().any(|n| n == key) {
            out.push(UnknownKey {
                table,
                key: key.to_owned(),
                closest: closest(key, names).cloned(),
            });
        }
    };
    for s in &m.states {
        check("states", &s.status, statuses);
    }
    for s in &m.stages {
        check("stages", &s.status, statuses);
    }
    for t in &m.types {
        check("types", &t.item_type, types);
    }
    out
}
