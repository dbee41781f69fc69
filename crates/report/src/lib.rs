//! Board-ready reports and exports of a Tributary model.
//!
//! - [`Report`]: the PDF board report for one stream and, optionally, one scenario, typeset
//!   with typst (fonts embedded, no network, no browser). Build it once, then take the PDF
//!   bytes ([`Report::pdf`]) and page previews ([`Report::page_png`]) from the same pages.
//! - [`workbook`]: an Excel workbook (one sheet per stream, the dependency matrix, scenarios,
//!   initiatives) with live formulas for sums and ratios.
//! - [`map_svg`] and [`map_png`]: the value stream map as a picture for slides and wikis.
//! - [`csv_table`]: the tables as CSV.
//!
//! Every number comes from `tributary_core` and is formatted with `tributary_core::format`,
//! so a report says what the CLI and the app say. User text (names, notes) is data: the PDF
//! template reads it as JSON strings and the SVG writer escapes it, so a stage called
//! `#set page(..)` or `<script>` prints as written.
//!
//! The crate has no clock: the caller passes the report's date.

mod error;
pub mod fonts;
mod map;
mod pages;
mod pdf;
mod scene;
mod svg;
pub use svg::MAX_PIXELS;
mod tables;
mod xlsx;

use tributary_core::Model;

pub use error::{ReportError, Result};
pub use tables::{Table, csv_table};
pub use xlsx::workbook;

/// A calendar date (the report's date), printed as YYYY-MM-DD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl ReportDate {
    /// A checked date (the Gregorian calendar, years 1000-9999).
    pub fn new(year: u16, month: u8, day: u8) -> Result<ReportDate> {
        let shown = format!("{year:04}-{month:02}-{day:02}");
        if !(1000..=9999).contains(&year) {
            return Err(ReportError::BadDate(shown));
        }
        jiff::civil::Date::new(year as i16, month as i8, day as i8)
            .map_err(|_| ReportError::BadDate(shown))?;
        Ok(ReportDate { year, month, day })
    }
}

impl std::str::FromStr for ReportDate {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<ReportDate> {
        let bad = || ReportError::BadDate(s.to_owned());
        // exactly YYYY-MM-DD: jiff checks the calendar, the length keeps times out
        if s.len() != 10 {
            return Err(bad());
        }
        let d: jiff::civil::Date = s.parse().map_err(|_| bad())?;
        ReportDate::new(
            u16::try_from(d.year()).map_err(|_| bad())?,
            d.month() as u8,
            d.day() as u8,
        )
        .map_err(|_| bad())
    }
}

/// The date as the report prints it (YYYY-MM-DD).
impl std::fmt::Display for ReportDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a board report is about.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Id of the stream the report is about.
    pub stream: String,
    /// Id of the scenario to compare with the current state, if any.
    pub scenario: Option<String>,
    /// The date printed on the cover and the map (the crate has no clock).
    pub date: ReportDate,
    /// Who prepared the report; the model's author when `None`.
    pub author: Option<String>,
    /// The stream's measured flow, from the telemetry kept in the model file: when given, the
    /// report gains the page "What the data says" (and a finding on the summary). `None`
    /// leaves the report as the model alone makes it.
    pub measured: Option<MeasuredFlow>,
}

/// What the telemetry of the reported stream says, as the measured-flow page shows it.
///
/// Plain data, so that this crate depends on the model alone: the caller fills it from its
/// flow metrics (`tributary-api` does so from `tributary_telemetry::flow`). Durations of the
/// whole flow are elapsed calendar days; stage times are working time in the model's time
/// unit, converted the way the telemetry converts them (a calendar week of elapsed time is
/// one working week of the model's calendar). Names, sources and notes are printed as
/// written, never read as markup.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasuredFlow {
    /// First day of the measured window, YYYY-MM-DD (UTC).
    pub window_from: String,
    /// Last day of the window, inclusive.
    pub window_to: String,
    pub window_days: u32,
    /// Items finished in the window.
    pub items_done: u64,
    /// Of those, the items with a known start: the sample of the flow-time percentiles.
    pub items_timed: u64,
    /// Flow time (cycle time) percentiles, in elapsed calendar days.
    pub cycle_p50: f64,
    pub cycle_p70: f64,
    pub cycle_p85: f64,
    pub cycle_p95: f64,
    /// Items finished per ISO week (Monday first), in order; the first and last week may be
    /// covered only in part.
    pub throughput_per_week: Vec<WeekThroughput>,
    /// Median of the weekly counts over the weeks wholly inside the window.
    pub throughput_median_per_week: Option<f64>,
    /// Active time / flow time, summed over the items finished in the window.
    pub flow_efficiency: Option<f64>,
    /// Items in progress at the end of the window.
    pub wip: u64,
    /// Of those, the ones older than the 85th percentile of flow time.
    pub wip_beyond_p85: u64,
    /// Drawn against measured, stage by stage, in the stream's order.
    pub stages: Vec<MeasuredStage>,
    /// A stage's gap is flagged when it is larger than this share of its drawn lead time
    /// (0.25 in tributary-telemetry).
    pub gap_threshold: f64,
    /// Where the data came from, e.g. "events.csv (events-csv, imported 2026-05-04)".
    pub sources: Vec<String>,
    /// What the measurement could not cover (unmapped statuses, items without a start...).
    pub notes: Vec<String>,
}

/// Items finished in one ISO week.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeekThroughput {
    /// The Monday of the week, YYYY-MM-DD.
    pub week_start: String,
    /// Days of the week inside the window (7 for a whole week).
    pub days: u32,
    pub count: u64,
}

/// One stage, drawn beside measured. Times are working time in the model's time unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasuredStage {
    pub name: String,
    /// Items finished in the window that passed through the stage.
    pub items: u64,
    /// The map's process, wait and lead time of the stage; `None` for a stage the mapping
    /// names but the map does not have.
    pub drawn: Option<StageTimes>,
    /// Measured medians of active (process) and waiting time, per item.
    pub process_p50: Option<f64>,
    pub wait_p50: Option<f64>,
    /// Measured median and 85th percentile of the time in the stage (active and waiting).
    pub lead_p50: Option<f64>,
    pub lead_p85: Option<f64>,
    /// Measured median minus drawn, for process, wait and lead time.
    pub gap: Option<StageTimes>,
    /// The lead-time gap is larger than [`MeasuredFlow::gap_threshold`] of the drawn one.
    pub flagged: bool,
}

/// Process, wait and lead time of a stage (or their gaps).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StageTimes {
    pub process: f64,
    pub wait: f64,
    pub lead: f64,
}

/// A typeset board report: its pages, ready to write as PDF or to preview as PNG.
pub struct Report {
    doc: typst_layout::PagedDocument,
    date: ReportDate,
}

impl Report {
    /// Computes the numbers and typesets the report. Fails on an unknown stream or scenario
    /// (naming the known ones) and on a stream without stages.
    pub fn build(model: &Model, options: &ReportOptions) -> Result<Report> {
        let data = pages::build(model, options)?;
        let json = serde_json::to_vec(&data)
            .map_err(|e| ReportError::Typeset(format!("report data: {e}")))?;
        let doc = pdf::typeset(json, options.date)?;
        Ok(Report {
            doc,
            date: options.date,
        })
    }

    pub fn page_count(&self) -> usize {
        self.doc.pages().len()
    }

    /// The report as PDF bytes (fonts embedded).
    pub fn pdf(&self) -> Result<Vec<u8>> {
        pdf::write_pdf(&self.doc, self.date)
    }

    /// Page `index` (0 is the cover) as PNG at `pixels_per_pt` pixels per point
    /// (1.0 = 72 dpi; 2.0 suits a preview on a high-density screen).
    pub fn page_png(&self, index: usize, pixels_per_pt: f32) -> Result<Vec<u8>> {
        pdf::page_png(&self.doc, index, pixels_per_pt)
    }
}

/// The board report as PDF bytes.
pub fn report_pdf(model: &Model, options: &ReportOptions) -> Result<Vec<u8>> {
    Report::build(model, options)?.pdf()
}

/// A preview of the report's first page (the cover) as PNG.
pub fn preview_png(model: &Model, options: &ReportOptions, pixels_per_pt: f32) -> Result<Vec<u8>> {
    Report::build(model, options)?.page_png(0, pixels_per_pt)
}

/// What a map picture shows.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// The stream to draw; may be `None` when the model has exactly one stream.
    pub stream: Option<String>,
    /// A scenario whose changes are marked with kaizen bursts.
    pub scenario: Option<String>,
    /// Printed in the caption, when given.
    pub date: Option<ReportDate>,
    pub author: Option<String>,
    /// Columns per band before the map wraps (at least 2).
    pub columns_per_band: usize,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            stream: None,
            scenario: None,
            date: None,
            author: None,
            columns_per_band: 8,
        }
    }
}

/// The stream a map or sheet is about: the one named, or the only one.
pub fn pick_stream<'a>(model: &'a Model, id: Option<&str>) -> Result<&'a tributary_core::Stream> {
    match id {
        Some(id) => pages::find_stream(model, id),
        None => match model.streams.as_slice() {
            [only] => Ok(only),
            _ => Err(ReportError::StreamNeeded {
                known: model.streams.iter().map(|s| s.id.clone()).collect(),
            }),
        },
    }
}

/// The value stream map as an SVG document: one `<g class="stage" id="stage-N">` per stage
/// (N is the stage's index in the stream), carrying `data-stage` with the stage's id.
pub fn map_svg(model: &Model, options: &MapOptions) -> Result<String> {
    let stream = pick_stream(model, options.stream.as_deref())?;
    let s = pages::subject(model, &stream.id, options.scenario.as_deref())?;
    let input = map::MapInput::new(model, stream, &s.sm, s.scenario)?;
    let author = options
        .author
        .clone()
        .or_else(|| model.author.clone())
        .map(|a| format!(" · mapped by {a}"))
        .unwrap_or_default();
    let date = options.date.map(|d| format!(" · {d}")).unwrap_or_default();
    let state = match s.scenario {
        Some(sc) => format!(
            "Current state{date}{author} · kaizen bursts: scenario “{}”",
            sc.name
        ),
        None => format!("Current state{date}{author}"),
    };
    let scene = input.picture(
        options.columns_per_band,
        &format!("{} · {state}", model.name),
    );
    Ok(svg::write(
        &scene,
        &format!("Value stream map: {} ({})", stream.name, model.name),
    ))
}

/// The value stream map as PNG, rasterised from [`map_svg`] at `pixels_per_pt`.
pub fn map_png(model: &Model, options: &MapOptions, pixels_per_pt: f32) -> Result<Vec<u8>> {
    svg::png(&map_svg(model, options)?, pixels_per_pt)
}
