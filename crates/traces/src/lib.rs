//! Distributed traces beside the value stream: where integration costs time.
//!
//! Exports of tracing tools (OTLP JSON, Jaeger JSON, Zipkin v2 JSON; [`read`]) are streamed
//! into an [`Importer`], which measures each trace as it closes ([`tree`]) and keeps only
//! aggregates per service and per call between services: a [`TraceSummary`], small enough to
//! store in the model file. [`compare`] maps services onto the model's PBCs through the
//! `systems` they list and sets drawn latencies and process times beside measured ones;
//! [`calibrate`] plans the edit that writes the measured values into the model (one
//! `Command::Batch`). [`fetch`] reads traces from Jaeger's and Tempo's query APIs. No files,
//! no database: callers hand in readers and store what they get back.

mod aggregate;
pub mod calibrate;
pub mod compare;
mod error;
pub mod fetch;
pub mod read;
pub mod span;
pub mod stats;
pub mod summary;
mod tree;

#[cfg(feature = "testkit")]
pub mod testkit;

pub use aggregate::{ImportOptions, Importer};
pub use calibrate::{CalibrateOptions, TraceCalibration};
pub use compare::{CompareOptions, Statistic, TraceComparison};
pub use error::{Error, Location, Result};
pub use stats::{DurationFigures, Sketch};
pub use summary::*;

/// Reads one export and returns its aggregates. Nothing is returned unless the whole input
/// was read: a malformed or truncated file is an error.
pub fn import(
    format: TraceFormat,
    input: impl std::io::Read,
    opts: ImportOptions,
) -> Result<TraceSummary> {
    let mut imp = Importer::new(opts);
    read::read(format, input, &mut imp)?;
    let summary = imp.finish(format)?;
    if summary.counts.read == 0 {
        return Err(Error::NoData(format!(
            "{}: the input holds no spans",
            format.as_str()
        )));
    }
    Ok(summary)
}
