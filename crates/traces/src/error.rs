//! Errors of trace import, comparison and fetch. Each says where (a line and column of the
//! input, a trace and span, a URL) and what is wrong, in words the user can act on.

/// Where in an input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column of the input (1-based), as the JSON parser saw it.
    At { line: usize, column: usize },
    /// A span, by trace and span id (hex).
    Span { trace: String, span: String },
    /// The input as a whole.
    Input,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::At { line, column } => write!(f, "line {line}, column {column}"),
            Location::Span { trace, span } => write!(f, "trace {trace}, span {span}"),
            Location::Input => f.write_str("the input"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input cannot be read (a disk or network failure).
    #[error("{format}: the input cannot be read: {source}")]
    Io {
        format: &'static str,
        source: std::io::Error,
    },
    /// The input is not what its format says: malformed JSON, a file cut short, a missing or
    /// unreadable field. Nothing of it is kept.
    #[error("{format}, {location}: {message}")]
    Input {
        format: &'static str,
        location: Location,
        message: String,
    },
    /// The input goes past a limit that keeps memory bounded.
    #[error("{format}: {message}")]
    Limit {
        format: &'static str,
        message: String,
    },
    /// An argument is out of range, or the model lacks what was asked for.
    #[error("{0}")]
    Invalid(String),
    /// There is nothing to measure or calibrate from.
    #[error("{0}")]
    NoData(String),
    /// A query API could not be reached, or answered with an error.
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    /// The user cancelled a long import or fetch; nothing was kept.
    #[error("cancelled; nothing was kept")]
    Cancelled,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Turns a serde_json error into an input error at its line and column, telling a file
    /// cut short apart from malformed content.
    pub(crate) fn json(format: &'static str, e: &serde_json::Error) -> Error {
        if e.is_io() {
            return Error::Io {
                format,
                source: std::io::Error::other(e.to_string()),
            };
        }
        let message = if e.is_eof() {
            "the input ends in the middle of a value: the file was cut short (an export or copy that did not finish)".to_owned()
        } else {
            strip_position(&e.to_string())
        };
        Error::Input {
            format,
            location: Location::At {
                line: e.line(),
                column: e.column(),
            },
            message,
        }
    }
}

/// serde_json appends " at line L column C" to its messages; the location is said once, in
/// front, so the suffix goes.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}
