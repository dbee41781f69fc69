//! Errors of the engine. Each says which item is wrong and how, so a user can act on it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The text is not a tributary/1 document (bad JSON, a wrong type, a missing field).
    #[error("{}", json_message(.path, *.line, *.column, .message))]
    Json {
        /// Where in the document, as `streams[0].stages[2].wait_time` (empty when unknown).
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The model breaks one or more rules (negative times, unknown references, ...).
    #[error("{}", problems_message(.0))]
    Invalid(Vec<Problem>),
    /// A referenced item does not exist, e.g. `stage "x" in stream "s"`.
    #[error("{0} does not exist")]
    NotFound(String),
    /// An id is taken already, e.g. `a stage with id "x" already exists in stream "s"`.
    #[error("{0}")]
    Conflict(String),
    /// The flow graph of a stream loops back on itself.
    #[error("the flow of stream {stream:?} has a cycle: {}", .stages.join(" -> "))]
    Cycle { stream: String, stages: Vec<String> },
}

fn json_message(path: &str, line: usize, column: usize, message: &str) -> String {
    if path.is_empty() || path == "." {
        format!("line {line}, column {column}: {message}")
    } else {
        format!("{path} (line {line}, column {column}): {message}")
    }
}

fn problems_message(problems: &[Problem]) -> String {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    let shown = if errors.is_empty() {
        problems.iter().collect()
    } else {
        errors
    };
    let mut out = match shown.len() {
        1 => String::new(),
        n => format!("{n} problems:\n"),
    };
    for (i, p) in shown.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if shown.len() > 1 {
            out.push_str("  ");
        }
        // The caller says "error:" once; a warning among errors says what it is.
        if p.severity == Severity::Warning {
            out.push_str("warning: ");
        }
        out.push_str(&format!("{}: {}", p.path, p.message));
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One finding of validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Problem {
    pub severity: Severity,
    /// Where, as a path into the exchange document: `streams[0].stages[2].wait_time`.
    pub path: String,
    /// What is wrong, naming the item: `stage "assess" of stream "s": wait_time is -3 ...`.
    pub message: String,
    /// The field at fault (`wait_time`), so that the app can show the problem beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// The same in the words of the app: the names people gave, what is allowed, no paths
    /// or ids ("The wait time of “Credit check” cannot be negative.").
    #[serde(default)]
    pub plain: String,
}

impl Problem {
    /// A problem whose plain words are its message (it names no id or path).
    pub fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Problem {
        let message = message.into();
        Problem {
            severity,
            path: path.into(),
            plain: message.clone(),
            message,
            field: None,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tag = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{tag}: {}: {}", self.path, self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}
