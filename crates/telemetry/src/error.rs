//! Errors of telemetry. Each names the file, the place in it (a line, or an item and event in
//! a JSON export) and what is wrong, so that the user can fix the export and try again.

use std::path::PathBuf;

pub use tributary_core::telemetry::Location;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file cannot be read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The input is not what its format says: a bad column, date, value or order.
    #[error("{path}, {location}: {message}")]
    Input {
        path: PathBuf,
        location: Location,
        message: String,
    },
    /// The mapping file (TOML) is not valid.
    #[error("{path}: {message}")]
    Mapping { path: PathBuf, message: String },
    /// The stream is not in the model.
    #[error("{path}: stream {stream:?} does not exist (streams: {})", .available.join(", "))]
    NoStream {
        path: PathBuf,
        stream: String,
        available: Vec<String>,
    },
    /// There is not enough data to answer: no completed items, no deployments, ...
    #[error("{0}")]
    NoData(String),
    /// An argument is out of range (a window that ends before it starts, zero trials, ...).
    #[error("{0}")]
    Invalid(String),
    /// A fetch from a tracker's API failed: the address and what its server answered.
    #[error("{url}: {message}")]
    Fetch { url: String, message: String },
    /// The user cancelled a long import; nothing was stored.
    #[error("import cancelled; nothing was stored")]
    Cancelled,
    /// An edit made from measured data was refused by the engine.
    #[error(transparent)]
    Model(#[from] tributary_core::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn input(
        path: &std::path::Path,
        location: Location,
        message: impl Into<String>,
    ) -> Error {
        Error::Input {
            path: path.to_owned(),
            location,
            message: message.into(),
        }
    }
}
