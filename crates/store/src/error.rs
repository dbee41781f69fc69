//! Errors of the model file. Each names the file and says what the user can do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no such file")]
    NotFound { path: PathBuf },
    #[error("{path}: the file exists already; choose another name or delete it first")]
    Exists { path: PathBuf },
    #[error("{path}: not a Tributary model ({reason})")]
    NotAModel { path: PathBuf, reason: String },
    #[error(
        "{path}: this model was saved by a newer Tributary (file format {found}; this version reads up to {supported}); update Tributary to open it"
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path}: the file is damaged ({detail}); nothing was changed. Open a backup or the last exported JSON"
    )]
    Corrupt { path: PathBuf, detail: String },
    /// The file holds database objects the engine did not make: they are refused, not run.
    #[error(
        "{path}: the file contains {} that Tributary did not create, so it was not opened: {}",
        plural(.objects.len()),
        .objects.join(", ")
    )]
    ForeignSchema { path: PathBuf, objects: Vec<String> },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// Another writer has the file open; nothing was changed.
    #[error("{path} is {holder}; close it there, or open it read-only")]
    Busy { path: PathBuf, holder: String },
    /// The user stopped a long job (an import) before it was stored; nothing was changed.
    #[error("cancelled; nothing was stored")]
    Cancelled,
    /// The model in the file (or an edit) breaks the engine's rules.
    #[error("{path}: {source}")]
    Model {
        path: PathBuf,
        source: tributary_core::Error,
    },
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "a database object"
    } else {
        "database objects"
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The file the error is about.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::NotFound { path }
            | Error::Exists { path }
            | Error::NotAModel { path, .. }
            | Error::NewerVersion { path, .. }
            | Error::Corrupt { path, .. }
            | Error::ForeignSchema { path, .. }
            | Error::Io { path, .. }
            | Error::Sqlite { path, .. }
            | Error::Busy { path, .. }
            | Error::Model { path, .. } => Some(path),
            Error::Cancelled => None,
        }
    }

    /// The engine error inside, if this is one (an edit refused by the rules, say).
    pub fn model_error(&self) -> Option<&tributary_core::Error> {
        match self {
            Error::Model { source, .. } => Some(source),
            _ => None,
        }
    }
}
