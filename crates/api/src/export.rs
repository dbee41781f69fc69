//! Exports of a model as the CLI and the app call them: the board report (with the measured
//! flow page when the file holds telemetry), the workbook, the map as SVG or PNG, CSV tables
//! and the canonical JSON.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::Model;
use tributary_report::{
    MapOptions, MeasuredStage, ReportDate, ReportOptions, StageTimes, Table, WeekThroughput,
};
use ts_rs::TS;

use crate::telemetry::FlowReport;
use crate::{ApiError, ErrorCode, Result, Session};

pub use tributary_report::MeasuredFlow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The board report.
    Pdf,
    /// The workbook: stages, dependency matrix, scenarios, initiatives.
    Xlsx,
    /// The map as a vector picture.
    Svg,
    /// The map as a picture for slides.
    Png,
    /// The stages table with its metrics.
    Csv,
    /// The model as tributary/1 JSON.
    Json,
    /// The model as an ArchiMate exchange file, for architecture tools (Archi, Sparx EA, ...).
    Archimate,
}

/// Pixels per point of exported PNG maps (2 = 144 dpi).
pub const PNG_SCALE: f32 = 2.0;

impl ExportFormat {
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Json,
        ExportFormat::Archimate,
        ExportFormat::Pdf,
        ExportFormat::Xlsx,
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Csv,
    ];

    /// Binary formats go to a file, never to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(
            self,
            ExportFormat::Pdf | ExportFormat::Xlsx | ExportFormat::Png
        )
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Pdf => "pdf",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Archimate => "xml",
        }
    }

    /// The name the command line knows the format by.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Archimate => "archimate",
            other => other.extension(),
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format {s:?} (expected {})", names.join(", "))
            })
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// The stream (the report and the map need one; the first stream when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    /// The scenario the report compares with the current state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scenario: Option<String>,
    /// Who prepared the report (the model's author when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<String>,
    /// The report's date, YYYY-MM-DD (today when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub date: Option<String>,
    /// The table a CSV export holds (stages, matrix, initiatives or comparison; stages when not
    /// given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub table: Option<String>,
}

impl ExportRequest {
    pub fn new(format: ExportFormat) -> ExportRequest {
        ExportRequest {
            format,
            stream: None,
            scenario: None,
            author: None,
            date: None,
            table: None,
        }
    }
}

/// An export's bytes, and for a board report its number of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub pages: Option<u32>,
}

fn stream_of(model: &Model, req: &ExportRequest) -> Result<String> {
    match &req.stream {
        Some(s) => Ok(s.clone()),
        None => model.streams.first().map(|s| s.id.clone()).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "the model has no stream yet: add one before exporting a report or a map",
            )
        }),
    }
}

fn report_options(
    model: &Model,
    req: &ExportRequest,
    measured: Option<MeasuredFlow>,
) -> Result<ReportOptions> {
    let date = match &req.date {
        Some(d) => d
            .parse::<ReportDate>()
            .map_err(|e| ApiError::new(ErrorCode::Invalid, format!("the report's date: {e}")))?,
        None => crate::today().parse::<ReportDate>()?,
    };
    Ok(ReportOptions {
        stream: stream_of(model, req)?,
        scenario: req.scenario.clone(),
        date,
        author: req.author.clone(),
        measured,
    })
}

/// The bytes of an export of the model alone (a report without measured flow). An open
/// file's telemetry is in [`Session::export`].
pub fn export(model: &Model, req: &ExportRequest) -> Result<Vec<u8>> {
    export_with(model, req, None)
}

/// The bytes of an export; the board report gains the measured-flow page when `measured`
/// is given (see [`Session::report_measured`]). The other formats ignore it.
pub fn export_with(
    model: &Model,
    req: &ExportRequest,
    measured: Option<MeasuredFlow>,
) -> Result<Vec<u8>> {
    Ok(export_full(model, req, measured)?.bytes)
}

/// An export with what the caller tells its user about it (the report's pages).
pub fn export_full(
    model: &Model,
    req: &ExportRequest,
    measured: Option<MeasuredFlow>,
) -> Result<Exported> {
    let map = || -> Result<MapOptions> {
        Ok(MapOptions {
            stream: Some(stream_of(model, req)?),
            scenario: req.scenario.clone(),
            ..MapOptions::default()
        })
    };
    let bytes = match req.format {
        ExportFormat::Pdf => {
            let built =
                tributary_report::Report::build(model, &report_options(model, req, measured)?)?;
            return Ok(Exported {
                bytes: built.pdf()?,
                pages: Some(built.page_count() as u32),
            });
        }
        ExportFormat::Xlsx => tributary_report::workbook(model, req.stream.as_deref())?,
        ExportFormat::Svg => tributary_report::map_svg(model, &map()?)?.into_bytes(),
        ExportFormat::Png => tributary_report::map_png(model, &map()?, PNG_SCALE)?,
        ExportFormat::Csv => {
            tributary_report::csv_table(model, table(req)?, req.stream.as_deref())?
        }
        ExportFormat::Json => tributary_core::exchange::to_json(model).into_bytes(),
        ExportFormat::Archimate => crate::interchange::archimate_of(model)?.into_bytes(),
    };
    Ok(Exported { bytes, pages: None })
}

fn table(req: &ExportRequest) -> Result<Table> {
    match &req.table {
        None => Ok(Table::Stages),
        Some(t) => t
            .parse()
            .map_err(|e: String| ApiError::new(ErrorCode::Invalid, e)),
    }
}

/// Every CSV table of the model (or the one `req` names), with its file name.
pub fn csv_tables(model: &Model, req: &ExportRequest) -> Result<Vec<(String, Vec<u8>)>> {
    let tables = match &req.table {
        None => Table::ALL.to_vec(),
        Some(_) => vec![table(req)?],
    };
    tables
        .into_iter()
        .map(|t| {
            let bytes = tributary_report::csv_table(model, t, req.stream.as_deref())?;
            Ok((format!("{}.csv", t.name()), bytes))
        })
        .collect()
}

/// A page of the board report of the model alone as PNG, and how many pages it has.
pub fn report_preview(model: &Model, req: &ExportRequest, page: u32) -> Result<(Vec<u8>, u32)> {
    report_preview_with(model, req, None, page)
}

/// A page of the board report as PNG, and how many pages it has: the Export dialog's
/// preview. `measured` adds the measured-flow page, as in [`export_with`].
pub fn report_preview_with(
    model: &Model,
    req: &ExportRequest,
    measured: Option<MeasuredFlow>,
    page: u32,
) -> Result<(Vec<u8>, u32)> {
    let report = tributary_report::Report::build(model, &report_options(model, req, measured)?)?;
    let pages = report.page_count() as u32;
    let png = report.page_png(page.min(pages.saturating_sub(1)) as usize, 0.9)?;
    Ok((png, pages))
}

/// What the board report shows of a stream's measured flow, taken from the engine's figures
/// as they are (percentiles, weekly throughput, per-stage drawn against measured, notes).
/// `None` when no item has finished with a known start: there is nothing to show.
pub fn measured_flow(flow: &FlowReport, sources: Vec<String>) -> Option<MeasuredFlow> {
    let c = &flow.cycle_time;
    let (Some(p50), Some(p70), Some(p85), Some(p95)) = (c.p50, c.p70, c.p85, c.p95) else {
        return None;
    };
    if flow.counts.done == 0 || c.count == 0 {
        return None;
    }
    Some(MeasuredFlow {
        window_from: flow.window.from.clone(),
        window_to: flow.window.to.clone(),
        window_days: flow.window.days,
        items_done: flow.counts.done,
        items_timed: c.count,
        cycle_p50: p50,
        cycle_p70: p70,
        cycle_p85: p85,
        cycle_p95: p95,
        throughput_per_week: flow
            .throughput_per_week
            .iter()
            .map(|w| WeekThroughput {
                week_start: w.week_start.clone(),
                days: w.days,
                count: w.count,
            })
            .collect(),
        throughput_median_per_week: flow.throughput.median_per_week,
        flow_efficiency: flow.flow_efficiency,
        wip: flow.wip,
        wip_beyond_p85: flow.aging_wip.iter().filter(|a| a.beyond_p85).count() as u64,
        stages: flow
            .stages
            .iter()
            .map(|st| MeasuredStage {
                name: st.name.clone(),
                items: st.items,
                drawn: st.drawn.as_ref().map(|d| StageTimes {
                    process: d.process_time,
                    wait: d.wait_time,
                    lead: d.lead_time,
                }),
                process_p50: st.measured.process_p50,
                wait_p50: st.measured.wait_p50,
                lead_p50: st.measured.lead_p50,
                lead_p85: st.measured.lead_p85,
                gap: st.gap.as_ref().map(|g| StageTimes {
                    process: g.process_time,
                    wait: g.wait_time,
                    lead: g.lead_time,
                }),
                flagged: st.gap.as_ref().is_some_and(|g| g.flagged),
            })
            .collect(),
        gap_threshold: tributary_telemetry::flow::GAP_THRESHOLD,
        sources,
        notes: flow.notes.clone(),
    })
}

impl Session {
    /// The measured flow of a stream as the board report shows it, over all its data: `None`
    /// when the stream has no work-item telemetry, when no item has finished, or when the
    /// stream does not exist (the report then says so itself). Other failures to read the
    /// file are errors.
    pub fn measured_flow(&self, stream: &str) -> Result<Option<MeasuredFlow>> {
        if self.doc.model().stream(stream).is_none() {
            return Ok(None);
        }
        let flow = match self.flow(stream, None, None) {
            Ok(f) => f,
            Err(e) if e.code == ErrorCode::NoData => return Ok(None),
            Err(e) => return Err(e),
        };
        // where the work items came from, newest import of each source last
        let mut sources: Vec<String> = Vec::new();
        for rec in self.imports(Some(stream))? {
            if rec.items_added == 0 && rec.events_added == 0 {
                continue;
            }
            let day = rec.imported_at.get(..10).unwrap_or(&rec.imported_at);
            let line = format!("{} ({}, imported {day})", rec.source, rec.format);
            sources.retain(|s| !s.starts_with(&format!("{} ({},", rec.source, rec.format)));
            sources.push(line);
        }
        Ok(measured_flow(&flow, sources))
    }

    /// The measured flow an export of `req` shows: the PDF report's stream's (see
    /// [`Session::measured_flow`]); `None` for the other formats.
    pub fn report_measured(&self, req: &ExportRequest) -> Result<Option<MeasuredFlow>> {
        if req.format != ExportFormat::Pdf {
            return Ok(None);
        }
        match stream_of(self.doc.model(), req) {
            Ok(stream) => self.measured_flow(&stream),
            // no stream at all: the export says so
            Err(_) => Ok(None),
        }
    }

    /// The bytes of an export of the open file: the board report gains the measured-flow
    /// page when the stream has telemetry with finished items.
    pub fn export(&self, req: &ExportRequest) -> Result<Vec<u8>> {
        Ok(self.export_full(req)?.bytes)
    }

    /// An export of the open file, with the report's pages. An exchange file carries what
    /// the model's own exchange file held.
    pub fn export_full(&self, req: &ExportRequest) -> Result<Exported> {
        if req.format == ExportFormat::Archimate {
            return Ok(Exported {
                bytes: self.export_archimate()?.into_bytes(),
                pages: None,
            });
        }
        export_full(self.doc.model(), req, self.report_measured(req)?)
    }

    /// A page of the open file's board report as PNG, and how many pages it has (the
    /// measured-flow page included when there is telemetry).
    pub fn report_preview(&self, req: &ExportRequest, page: u32) -> Result<(Vec<u8>, u32)> {
        report_preview_with(self.doc.model(), req, self.report_measured(req)?, page)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::path::{Path, PathBuf};

    use tributary_core::format::{number, percent};

    use super::*;
    use crate::telemetry::{Format, ImportControl, Mapping, MappingToml};

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The PDF's text without whitespace (line breaks and letter spacing do not matter).
    fn pdf_text(pdf: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[track_caller]
    fn assert_has(text: &str, needle: &str) {
        let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&needle), "{needle:?} not found in the report");
    }

    fn pdf(scenario: Option<&str>) -> ExportRequest {
        ExportRequest {
            format: ExportFormat::Pdf,
            stream: Some("mortgage".into()),
            scenario: scenario.map(str::to_owned),
            author: None,
            date: Some("2026-05-04".into()),
            table: None,
        }
    }

    /// The mortgage example as a model file, with its generated telemetry imported when
    /// `events` is given (the example's events.csv or a CSV written by the test).
    fn mortgage(dir: &Path, events: Option<&Path>) -> Session {
        let model = crate::read_json(&root().join("assets/examples/mortgage.json")).unwrap();
        let mut s = Session::create(&dir.join("m.tributary"), &model).unwrap();
        if let Some(events) = events {
            let tel = root().join("assets/examples/mortgage.telemetry");
            let mapping =
                Mapping::from_toml(&std::fs::read_to_string(tel.join("map.toml")).unwrap())
                    .unwrap();
            s.telemetry_import(
                events,
                Format::EventsCsv,
                "mortgage",
                Some(mapping),
                ImportControl::default(),
            )
            .unwrap();
        }
        s
    }

    #[test]
    fn the_report_of_a_file_with_telemetry_says_what_the_data_says() {
        let dir = tempfile::tempdir().unwrap();
        let events = root().join("assets/examples/mortgage.telemetry/events.csv");
        let s = mortgage(dir.path(), Some(&events));
        let flow = s.flow("mortgage", None, None).unwrap();
        let m = s.measured_flow("mortgage").unwrap().unwrap();
        assert_eq!(m.items_done, flow.counts.done);
        assert_eq!(m.cycle_p85, flow.cycle_time.p85.unwrap());
        assert_eq!(m.stages.len(), flow.stages.len());
        assert_eq!(m.sources.len(), 1, "{:?}", m.sources);
        assert!(m.sources[0].starts_with("events.csv (events-csv, imported "));

        let req = pdf(Some("future"));
        let text = pdf_text(&s.export(&req).unwrap());
        assert_has(&text, "What the data says");
        let c = &flow.cycle_time;
        for p in [c.p50, c.p70, c.p85, c.p95] {
            assert_has(&text, &format!("{} days", number(p.unwrap())));
        }
        assert_has(&text, &percent(flow.flow_efficiency.unwrap()));
        let kyc = flow.stages.iter().find(|st| st.stage == "kyc").unwrap();
        assert_has(
            &text,
            &format!(
                "Documents & KYC takes {} h longer than the workshop estimated",
                number(kyc.gap.as_ref().unwrap().lead_time)
            ),
        );
        for st in &flow.stages {
            assert_has(&text, &number(st.measured.lead_p50.unwrap()));
            assert_has(&text, &number(st.measured.lead_p85.unwrap()));
        }

        // the preview counts the page; the model alone has one page fewer
        let (_, with) = s.report_preview(&req, 0).unwrap();
        let (_, without) = report_preview(s.model(), &req, 0).unwrap();
        assert_eq!(with, without + 1);
        // the free functions given the measured flow make the same report as the session
        let (_, same) = report_preview_with(s.model(), &req, Some(m), 0).unwrap();
        assert_eq!(same, with);
        // other formats do not look at the telemetry
        let xlsx = ExportRequest {
            format: ExportFormat::Xlsx,
            ..req.clone()
        };
        assert_eq!(s.report_measured(&xlsx).unwrap(), None);
        assert_eq!(
            s.export(&xlsx).unwrap().len(),
            export(s.model(), &xlsx).unwrap().len()
        );
    }

    #[test]
    fn without_telemetry_or_finished_items_there_is_no_page_and_no_error() {
        let dir = tempfile::tempdir().unwrap();
        // no telemetry at all
        let s = mortgage(dir.path(), None);
        assert_eq!(s.measured_flow("mortgage").unwrap(), None);
        let req = pdf(None);
        let (_, pages) = s.report_preview(&req, 0).unwrap();
        let (_, plain) = report_preview(s.model(), &req, 0).unwrap();
        assert_eq!(pages, plain);
        assert!(!pdf_text(&s.export(&req).unwrap()).contains("Whatthedatasays"));
        drop(s);

        // telemetry, but nothing has finished yet
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("open.csv");
        std::fs::write(
            &csv,
            "item_id,item_type,timestamp,from_state,to_state\n\
             A-1,application,2026-06-01T09:00:00Z,,Submitted\n\
             A-1,application,2026-06-02T09:00:00Z,Submitted,Application review\n\
             A-2,application,2026-06-03T09:00:00Z,,Submitted\n",
        )
        .unwrap();
        let s = mortgage(dir.path(), Some(&csv));
        assert_eq!(s.flow("mortgage", None, None).unwrap().counts.done, 0);
        assert_eq!(s.measured_flow("mortgage").unwrap(), None);
        let (_, pages) = s.report_preview(&req, 0).unwrap();
        assert_eq!(pages, plain);
    }

    #[test]
    fn an_unknown_stream_is_the_reports_error_not_the_telemetrys() {
        let dir = tempfile::tempdir().unwrap();
        let s = mortgage(dir.path(), None);
        assert_eq!(s.measured_flow("loans").unwrap(), None);
        let req = ExportRequest {
            stream: Some("loans".into()),
            ..pdf(None)
        };
        let err = s.export(&req).unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound, "{err:?}");
        assert!(err.message.contains("loans"), "{}", err.message);
    }
}
