//! Simulation, exports and measured flow, as the CLI and the app call them: thin wrappers that
//! take what a UI has (ids, dates as text) and turn every engine error into an [`ApiError`].

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::Model;
use tributary_report::{MapOptions, ReportDate, ReportOptions, Table};
use tributary_store::Document;
use tributary_telemetry as telemetry;
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Result, Session};

pub use tributary_sim::{
    Control as SimControl, Options as SimOptions, Progress as SimProgress, SimComparison,
    Simulation,
};
pub use tributary_telemetry::{
    Calibration, Control as ImportControl, DoraReport, FlowReport, Forecast, Format, ImportReport,
    Mapping, Preview, Progress as ImportProgress, Question, Statistic, Target,
};

// ---- simulation ------------------------------------------------------------------------

/// A simulation as the app shows it: the baseline alone, or a scenario beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimResult {
    Baseline { simulation: Simulation },
    Comparison { comparison: SimComparison },
}

/// Simulates the model, or a scenario beside the baseline with the same random numbers.
pub fn simulate(
    model: &Model,
    scenario: Option<&str>,
    options: &SimOptions,
    control: &SimControl,
) -> Result<SimResult> {
    Ok(match scenario {
        None => SimResult::Baseline {
            simulation: tributary_sim::simulate(model, options, control)?,
        },
        Some(id) => SimResult::Comparison {
            comparison: tributary_sim::compare(model, id, options, control)?,
        },
    })
}

// ---- exports ---------------------------------------------------------------------------

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
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Pdf => "pdf",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
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

fn report_options(model: &Model, req: &ExportRequest) -> Result<ReportOptions> {
    let date = req.date.clone().unwrap_or_else(crate::today);
    Ok(ReportOptions {
        stream: stream_of(model, req)?,
        scenario: req.scenario.clone(),
        date: date.parse::<ReportDate>()?,
        author: req.author.clone(),
    })
}

/// The bytes of an export.
pub fn export(model: &Model, req: &ExportRequest) -> Result<Vec<u8>> {
    let map = || -> Result<MapOptions> {
        Ok(MapOptions {
            stream: Some(stream_of(model, req)?),
            scenario: req.scenario.clone(),
            ..MapOptions::default()
        })
    };
    Ok(match req.format {
        ExportFormat::Pdf => tributary_report::report_pdf(model, &report_options(model, req)?)?,
        ExportFormat::Xlsx => tributary_report::workbook(model, req.stream.as_deref())?,
        ExportFormat::Svg => tributary_report::map_svg(model, &map()?)?.into_bytes(),
        ExportFormat::Png => tributary_report::map_png(model, &map()?, 2.0)?,
        ExportFormat::Csv => {
            tributary_report::csv_table(model, Table::Stages, req.stream.as_deref())?
        }
        ExportFormat::Json => tributary_core::exchange::to_json(model).into_bytes(),
    })
}

/// A page of the board report as PNG, and how many pages it has: the Export dialog's preview.
pub fn report_preview(model: &Model, req: &ExportRequest, page: u32) -> Result<(Vec<u8>, u32)> {
    let report = tributary_report::Report::build(model, &report_options(model, req)?)?;
    let pages = report.page_count() as u32;
    let png = report.page_png(page.min(pages.saturating_sub(1)) as usize, 0.9)?;
    Ok((png, pages))
}

// ---- measured flow ---------------------------------------------------------------------

fn day(text: Option<&str>, what: &str) -> Result<Option<i64>> {
    text.map(|t| {
        telemetry::time::parse_day(t)
            .map_err(|e| ApiError::new(ErrorCode::Invalid, format!("{what}: {e}")))
    })
    .transpose()
}

impl Session {
    /// The open model file, for reading data kept beside the model.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Reads an export without storing anything: the first rows and the statuses with their
    /// counts, under the stream's current mapping.
    pub fn telemetry_preview(
        &self,
        input: &Path,
        format: Format,
        stream: &str,
        control: ImportControl<'_>,
    ) -> Result<Preview> {
        let mapping = telemetry::get_mapping(&self.doc, stream)?;
        Ok(telemetry::preview(
            input, format, &mapping, None, 20, control,
        )?)
    }

    /// Imports an export into a stream's telemetry, in one transaction.
    pub fn telemetry_import(
        &mut self,
        input: &Path,
        format: Format,
        stream: &str,
        mapping: Option<Mapping>,
        control: ImportControl<'_>,
    ) -> Result<ImportReport> {
        let mut opts =
            telemetry::ImportOptions::new(stream, format, &jiff::Timestamp::now().to_string());
        opts.mapping = mapping;
        Ok(telemetry::import(&mut self.doc, input, &opts, control)?)
    }

    pub fn mapping(&self, stream: &str) -> Result<Mapping> {
        Ok(telemetry::get_mapping(&self.doc, stream)?)
    }

    pub fn set_mapping(&mut self, stream: &str, mapping: &Mapping) -> Result<()> {
        Ok(telemetry::set_mapping(&mut self.doc, stream, mapping)?)
    }

    /// The measured flow of a stream over `from..=to` (YYYY-MM-DD; default: all its data).
    pub fn flow(&self, stream: &str, from: Option<&str>, to: Option<&str>) -> Result<FlowReport> {
        let opts = telemetry::FlowOptions {
            from: day(from, "from")?,
            to: day(to, "to")?,
        };
        Ok(telemetry::flow(&self.doc, stream, opts)?)
    }

    pub fn forecast(
        &self,
        stream: &str,
        question: Question,
        from: Option<&str>,
        to: Option<&str>,
        trials: u32,
        seed: u64,
    ) -> Result<Forecast> {
        Ok(telemetry::forecast(
            &self.doc,
            stream,
            question,
            day(from, "from")?,
            day(to, "to")?,
            trials,
            seed,
        )?)
    }

    /// What calibrating a stream from its measured flow would change, without changing it.
    pub fn plan_calibration(
        &self,
        stream: &str,
        statistic: Statistic,
        target: &Target,
    ) -> Result<Calibration> {
        Ok(telemetry::plan_calibration(
            &self.doc,
            stream,
            statistic,
            target,
            telemetry::FlowOptions::default(),
        )?)
    }

    /// Calibrates a stream from its measured flow: one undo step.
    pub fn calibrate(
        &mut self,
        stream: &str,
        statistic: Statistic,
        target: &Target,
    ) -> Result<Calibration> {
        Ok(telemetry::calibrate(
            &mut self.doc,
            stream,
            statistic,
            target,
            telemetry::FlowOptions::default(),
        )?)
    }
}
