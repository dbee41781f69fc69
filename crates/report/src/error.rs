//! What can go wrong when making a report or an export. Each error names the stream, scenario
//! or step and what is wrong, so a user can act on it.

/// An error making a report or an export.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The model has no stream with this id.
    #[error("stream {id:?} does not exist ({})", known_list("streams", .known))]
    UnknownStream { id: String, known: Vec<String> },
    /// The model has no scenario with this id.
    #[error("scenario {id:?} does not exist ({})", known_list("scenarios", .known))]
    UnknownScenario { id: String, known: Vec<String> },
    /// A stream is needed (a map, a report) but none was named and the model has several.
    #[error("choose a stream ({})", known_list("streams", .known))]
    StreamNeeded { known: Vec<String> },
    /// The stream has no stages, so there is nothing to map or report.
    #[error("stream {id:?} has no stages: add a stage before making a report or a map")]
    EmptyStream { id: String },
    /// A date that is not a calendar date in the form YYYY-MM-DD.
    #[error("{0:?} is not a date in the form YYYY-MM-DD")]
    BadDate(String),
    /// The engine refused the model (a cycle, a dangling reference, ...).
    #[error(transparent)]
    Engine(#[from] tributary_core::Error),
    /// The report template failed to compile: a fault in Tributary, not in the model.
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
    /// The PDF writer failed.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// A page number past the end of the report.
    #[error("the report has {pages} pages; there is no page {page}")]
    NoSuchPage { page: usize, pages: usize },
    /// The workbook writer failed.
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The map picture could not be rasterised.
    #[error("the map could not be drawn as PNG: {0}")]
    Png(String),
    /// The CSV writer failed.
    #[error("the CSV table could not be written: {0}")]
    Csv(#[from] csv::Error),
}

fn known_list(what: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!("the model has no {what}")
    } else {
        format!("the model has: {}", known.join(", "))
    }
}

pub type Result<T, E = ReportError> = std::result::Result<T, E>;
