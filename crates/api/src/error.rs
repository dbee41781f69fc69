//! Errors as data: a stable code the UI can react to, a message for people, and the details.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::Problem;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    /// One sentence that names the file or item and what is wrong.
    pub message: String,
    /// Validation findings, when the error is about rules the model breaks.
    pub problems: Vec<Problem>,
    /// The same for the app, in its words: the names people gave and what is allowed, with
    /// no file paths or ids (the message keeps its precise place for the command line).
    pub plain: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A file, stream, stage, scenario or other item does not exist.
    NotFound,
    /// A file or id exists already.
    Exists,
    /// The file is not a Tributary model (or not the expected kind of file).
    NotAModel,
    /// The file was written by a newer Tributary.
    NewerVersion,
    /// The file is damaged.
    Corrupt,
    /// The file holds database objects Tributary did not create.
    ForeignSchema,
    /// The JSON is malformed or has wrong types or unknown fields.
    Json,
    /// The model breaks the rules (negative times, bad references, ...).
    Invalid,
    /// The flow graph would loop.
    Cycle,
    /// The file could not be read or written.
    Io,
    /// The document is read-only.
    ReadOnly,
    /// Another writer has the file open (the message says who); nothing was changed.
    Busy,
    /// The user stopped a long job (an import, a simulation); nothing was changed.
    Cancelled,
    /// There is no data to answer from yet (no work-item history, no deployments).
    NoData,
    /// A fault in Tributary itself.
    Internal,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            code,
            plain: message.clone(),
            message,
            problems: Vec::new(),
        }
    }

    /// The same error, said in the app as `plain`.
    pub fn with_plain(mut self, plain: impl Into<String>) -> ApiError {
        self.plain = plain.into();
        self
    }

    /// The plain words of an error from the rules: its first error's.
    fn plain_of(message: &str, problems: &[Problem]) -> String {
        problems
            .iter()
            .find(|p| p.severity == tributary_core::Severity::Error)
            .map_or_else(|| message.to_owned(), |p| p.plain.clone())
    }
}

impl From<tributary_core::Error> for ApiError {
    fn from(e: tributary_core::Error) -> Self {
        use tributary_core::Error as E;
        let code = match &e {
            E::Json { .. } => ErrorCode::Json,
            E::Invalid(_) => ErrorCode::Invalid,
            E::NotFound(_) => ErrorCode::NotFound,
            E::Conflict(_) => ErrorCode::Exists,
            E::Cycle { .. } => ErrorCode::Cycle,
        };
        let problems = match &e {
            E::Invalid(p) => p.clone(),
            _ => Vec::new(),
        };
        let message = e.to_string();
        ApiError {
            code,
            plain: Self::plain_of(&message, &problems),
            message,
            problems,
        }
    }
}

impl From<tributary_store::Error> for ApiError {
    fn from(e: tributary_store::Error) -> Self {
        use tributary_store::Error as E;
        let code = match &e {
            E::NotFound { .. } => ErrorCode::NotFound,
            E::Exists { .. } => ErrorCode::Exists,
            E::NotAModel { .. } => ErrorCode::NotAModel,
            E::NewerVersion { .. } => ErrorCode::NewerVersion,
            E::Corrupt { .. } => ErrorCode::Corrupt,
            E::ForeignSchema { .. } => ErrorCode::ForeignSchema,
            E::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                ErrorCode::ReadOnly
            }
            E::Io { .. } => ErrorCode::Io,
            E::Sqlite { .. } => ErrorCode::Io,
            E::Cancelled => ErrorCode::Cancelled,
            E::Busy { .. } => ErrorCode::Busy,
            E::Model { source, .. } => ApiError::from(source.clone()).code,
        };
        let problems = match e.model_error() {
            Some(tributary_core::Error::Invalid(p)) => p.clone(),
            _ => Vec::new(),
        };
        let message = e.to_string();
        // the app names a file by its name, not its whole path
        let plain = match (e.path(), problems.is_empty()) {
            (Some(path), true) => {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                message.replacen(&path.display().to_string(), &name, 1)
            }
            _ => Self::plain_of(&message, &problems),
        };
        ApiError {
            code,
            plain,
            message,
            problems,
        }
    }
}

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

impl From<tributary_sim::Error> for ApiError {
    fn from(e: tributary_sim::Error) -> Self {
        use tributary_sim::Error as E;
        match e {
            E::Model(m) => ApiError::from(m),
            E::Check(mut problems) => {
                // errors first: the message is the first of them
                problems.sort_by_key(|p| p.severity != tributary_core::Severity::Error);
                let (first, plain) = problems
                    .first()
                    .map_or((String::new(), String::new()), |p| {
                        (p.message.clone(), p.plain.clone())
                    });
                ApiError {
                    code: ErrorCode::Invalid,
                    message: format!("cannot simulate: {first}"),
                    plain: format!("The model cannot be simulated: {plain}"),
                    problems,
                }
            }
            E::Options(m) => ApiError::new(ErrorCode::Invalid, m),
            E::Cancelled => ApiError::new(ErrorCode::Cancelled, "the simulation was cancelled"),
        }
    }
}

impl From<tributary_telemetry::Error> for ApiError {
    fn from(e: tributary_telemetry::Error) -> Self {
        use tributary_telemetry::Error as E;
        match e {
            E::Model(m) => ApiError::from(m),
            e => {
                let code = match &e {
                    E::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                        ErrorCode::NotFound
                    }
                    E::NoStream { .. } => ErrorCode::NotFound,
                    E::NoData(_) => ErrorCode::NoData,
                    E::Input { .. } | E::Mapping { .. } | E::Invalid(_) => ErrorCode::Invalid,
                    E::Cancelled => ErrorCode::Cancelled,
                    E::Io { .. } | E::Fetch { .. } => ErrorCode::Io,
                    _ => ErrorCode::Internal,
                };
                ApiError::new(code, e.to_string())
            }
        }
    }
}

impl From<tributary_report::ReportError> for ApiError {
    fn from(e: tributary_report::ReportError) -> Self {
        use tributary_report::ReportError as E;
        let code = match &e {
            E::UnknownStream { .. } | E::UnknownScenario { .. } | E::StreamNeeded { .. } => {
                ErrorCode::NotFound
            }
            E::EmptyStream { .. } | E::BadDate(_) => ErrorCode::Invalid,
            E::Engine(inner) => return ApiError::from(inner.clone()),
            _ => ErrorCode::Internal,
        };
        ApiError::new(code, e.to_string())
    }
}
