//! Distributed traces of an open model file: an export (or a fetch from Jaeger or Tempo) is
//! aggregated by the traces engine and its aggregates kept in the file; the newest are
//! compared with the model (drawn against measured) and can calibrate it in one undo step.

use std::io::BufReader;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Result, Session};

pub use tributary_traces::fetch::{FetchOptions, Query};
pub use tributary_traces::{
    CalibrateOptions, CompareOptions, Statistic as TraceStatistic, TraceCalibration,
    TraceComparison, TraceFormat, TraceSummary,
};

impl From<tributary_traces::Error> for ApiError {
    fn from(e: tributary_traces::Error) -> Self {
        use tributary_traces::Error as E;
        let code = match &e {
            E::NoData(_) => ErrorCode::NoData,
            E::Io { .. } => ErrorCode::Io,
            _ => ErrorCode::Invalid,
        };
        ApiError::new(code, e.to_string())
    }
}

/// What an import of traces found, for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TraceImportReport {
    pub source: String,
    pub format: TraceFormat,
    #[ts(type = "number")]
    pub spans: u64,
    pub summary: TraceSummary,
    /// The newest traces compared with the model.
    pub comparison: TraceComparison,
}

/// Where to fetch traces from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceServer {
    Jaeger,
    Tempo,
}

impl Session {
    /// Aggregates an export of traces and keeps the aggregates in the file.
    pub fn import_traces(
        &mut self,
        input: &Path,
        format: TraceFormat,
    ) -> Result<TraceImportReport> {
        let file = std::fs::File::open(input)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", input.display())))?;
        let summary = tributary_traces::import(format, BufReader::new(file), Default::default())
            .map_err(|e| crate::in_file(input, e))?;
        let source = input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.keep_traces(&source, summary)
    }

    /// Fetches the traces of `query` from a Jaeger or Tempo server and keeps their aggregates.
    pub fn fetch_traces(
        &mut self,
        server: TraceServer,
        query: &Query,
    ) -> Result<TraceImportReport> {
        let opts = FetchOptions::default();
        let report = match server {
            TraceServer::Jaeger => tributary_traces::fetch::fetch_jaeger(query, &opts)?,
            TraceServer::Tempo => tributary_traces::fetch::fetch_tempo(query, &opts)?,
        };
        self.keep_traces(&query.base_url, report.summary)
    }

    fn keep_traces(&mut self, source: &str, summary: TraceSummary) -> Result<TraceImportReport> {
        let spans = summary.counts.read;
        let json = serde_json::to_string(&summary)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let now = jiff::Timestamp::now().to_string();
        self.doc
            .store_traces(source, summary.format.as_str(), &now, spans, &json)?;
        let comparison =
            tributary_traces::compare::compare(self.doc.model(), &summary, Default::default());
        Ok(TraceImportReport {
            source: source.to_owned(),
            format: summary.format,
            spans,
            summary,
            comparison,
        })
    }

    /// The newest imported traces, checked (the file is untrusted).
    pub fn trace_summary(&self) -> Result<TraceSummary> {
        let (_, newest) = self.doc.trace_imports()?;
        let text = newest.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NoData,
                "no traces have been imported; import some with `tributary traces import`",
            )
        })?;
        let summary: TraceSummary = serde_json::from_str(&text).map_err(|e| {
            ApiError::new(
                ErrorCode::Corrupt,
                format!("the stored traces cannot be read: {e}"),
            )
        })?;
        summary.check().map_err(|e| {
            ApiError::new(
                ErrorCode::Corrupt,
                format!("the stored traces are damaged: {e}"),
            )
        })?;
        Ok(summary)
    }

    /// The newest traces against the model: each integration's latency and each PBC's time,
    /// drawn beside measured, and the interfaces that cost the most.
    pub fn trace_comparison(&self, opts: CompareOptions) -> Result<TraceComparison> {
        let summary = self.trace_summary()?;
        Ok(tributary_traces::compare::compare(
            self.doc.model(),
            &summary,
            opts,
        ))
    }

    /// Writes the measured latencies (and, if asked, PBC times) into the model: one undo step.
    pub fn calibrate_from_traces(&mut self, opts: CalibrateOptions) -> Result<TraceCalibration> {
        let summary = self.trace_summary()?;
        let plan = tributary_traces::calibrate::plan(self.doc.model(), &summary, opts)?;
        self.doc.execute(&plan.command)?;
        Ok(plan)
    }
}
