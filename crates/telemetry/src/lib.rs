//! Measured flow: work-item and delivery telemetry kept in the model file, beside the drawn map.
//!
//! Exports of ticketing systems and pipelines are parsed ([`formats`]) into one neutral event
//! log and stored with [`import::import`] in one transaction (idempotent: a re-import adds
//! nothing). A stream's [`mapping::Mapping`] says how raw statuses read as flow states and
//! stages. From the log come the measured flow ([`flow`]), Monte Carlo forecasts
//! ([`forecast`]), the DORA keys ([`dora`]) and the calibration of the map ([`calibrate`]).
//! Definitions follow REFERENCE.md section 6; `docs/telemetry.md` says what each format holds.
//!
//! The functions at this level take a [`Document`] (the open model file) so the app and the
//! CLI call them the same way. Telemetry is never loaded into the in-memory model.

pub mod calibrate;
pub mod dora;
mod error;
pub mod event;
pub mod flow;
pub mod forecast;
pub mod formats;
pub mod history;
pub mod import;
pub mod mapping;
pub mod stats;
pub mod time;

#[cfg(feature = "testkit")]
pub mod testkit;

use tributary_store::Document;

pub use calibrate::{Calibration, Statistic, Target};
pub use dora::DoraReport;
pub use error::{Error, Location, Result};
pub use flow::{FlowOptions, FlowReport};
pub use forecast::{Forecast, Question};
pub use formats::{Control, Format, Phase, Progress};
pub use history::History;
pub use import::{
    ImportOptions, ImportRecord, ImportReport, Preview, StatusCount, TypeCount, get_mapping,
    import, imports, preview, set_mapping, status_counts, type_counts,
};
pub use mapping::{FlowState, ItemKind, Mapping};

/// The measured flow of a stream, with the drawn stage times beside the measured ones.
pub fn flow(doc: &Document, stream: &str, opts: FlowOptions) -> Result<FlowReport> {
    import::require_stream(doc, stream)?;
    let h = History::load(doc, stream)?;
    let m = mapping::load(doc.connection(), doc.path(), stream)?;
    let mut report = flow::compute(&h, &m, Some(doc.model()), opts)?;
    for rec in imports(doc, Some(stream))? {
        if let Some(note) = rec.note {
            for line in note.lines() {
                let line = format!("{} ({}): {line}", rec.source, rec.format);
                if !report.notes.contains(&line) {
                    report.notes.push(line);
                }
            }
        }
    }
    Ok(report)
}

/// A Monte Carlo forecast for a stream over its history window (default: the last 90 days
/// of data).
pub fn forecast(
    doc: &Document,
    stream: &str,
    question: Question,
    from: Option<i64>,
    to: Option<i64>,
    trials: u32,
    seed: u64,
) -> Result<Forecast> {
    import::require_stream(doc, stream)?;
    let h = History::load(doc, stream)?;
    let m = mapping::load(doc.connection(), doc.path(), stream)?;
    forecast::forecast_stream(&h, &m, question, from, to, trials, seed)
}

/// The DORA four keys of one stream's deliveries, or of all streams'.
pub fn dora(
    doc: &Document,
    stream: Option<&str>,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<DoraReport> {
    if let Some(s) = stream {
        import::require_stream(doc, s)?;
    }
    let d = dora::Deliveries::load(doc, stream)?;
    dora::compute(&d, stream, from, to)
}

/// Plans the calibration of a stream's stage times from its measured flow, without applying
/// it (the app shows it before the user confirms).
pub fn plan_calibration(
    doc: &Document,
    stream: &str,
    statistic: Statistic,
    target: &Target,
    opts: FlowOptions,
) -> Result<Calibration> {
    let report = flow(doc, stream, opts)?;
    calibrate::plan(doc.model(), &report, statistic, target)
}

/// Calibrates a stream's stage times from its measured flow and saves the edit as one undo
/// step.
pub fn calibrate(
    doc: &mut Document,
    stream: &str,
    statistic: Statistic,
    target: &Target,
    opts: FlowOptions,
) -> Result<Calibration> {
    let plan = plan_calibration(doc, stream, statistic, target, opts)?;
    doc.execute(&plan.command)?;
    Ok(plan)
}
