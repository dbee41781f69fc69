//! The report's content as data, a module per page: every number comes from the engine and
//! is formatted once here with `tributary_core::format` (so the report, the CLI and the tests
//! agree), every sentence is written here, and the map is drawn as scenes. The PDF template
//! only lays this out; it reads it as JSON and prints user text as strings, never as markup.

mod axis;
mod comparison;
mod initiatives;
mod map;
mod matrix;
mod measured;
mod roadmap;
mod stages;
mod summary;
mod time;
pub(crate) mod words;

use serde::Serialize;
use tributary_core::cod;
use tributary_core::format::{number, percent};
use tributary_core::glossary;
use tributary_core::matrix::dependency_matrix;
use tributary_core::metrics::{self, StreamMetrics};
use tributary_core::model::{Model, Scenario, Stream};
use tributary_core::scenario::{self, Comparison, StreamComparison};

use crate::ReportOptions;
use crate::error::{ReportError, Result};
use crate::map::MapInput;

pub use comparison::ComparisonData;
pub use initiatives::InitiativesData;
pub use map::MapPages;
pub use matrix::MatrixData;
pub use measured::MeasuredPage;
pub use roadmap::Roadmap;
pub use stages::StageTable;
pub use summary::Summary;
pub use time::TimeChart;

#[derive(Debug, Serialize)]
pub struct ReportData {
    pub meta: Meta,
    pub summary: Summary,
    pub map: MapPages,
    pub time: TimeChart,
    /// The measured-flow page, when the caller gave the stream's telemetry.
    pub measured: Option<MeasuredPage>,
    pub stages: StageTable,
    pub matrix: MatrixData,
    pub comparison: Option<ComparisonData>,
    pub initiatives: InitiativesData,
    pub roadmap: Roadmap,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Meta {
    pub model: String,
    pub stream: String,
    pub stream_id: String,
    pub scenario: Option<String>,
    pub date: String,
    pub author: Option<String>,
    pub description: Option<String>,
    pub currency: String,
    pub unit: String,
    pub unit_name: String,
    pub calendar: String,
}

/// The stream, the scenario and the numbers a report or map is about.
pub struct Subject<'a> {
    pub model: &'a Model,
    pub stream: &'a Stream,
    pub scenario: Option<&'a Scenario>,
    pub sm: StreamMetrics,
    pub comparison: Option<Comparison>,
    pub after: Option<StreamMetrics>,
}

impl Subject<'_> {
    /// The model's time unit, as printed after a duration.
    fn unit(&self) -> &'static str {
        self.model.time_unit.suffix()
    }

    fn currency(&self) -> &str {
        &self.model.currency
    }

    /// The scenario's comparison of the reported stream.
    fn stream_comparison(&self) -> Option<&StreamComparison> {
        self.comparison.as_ref()?.stream(&self.stream.id)
    }
}

/// Finds the stream and scenario, refuses an empty stream, and runs the engine.
pub fn subject<'a>(
    model: &'a Model,
    stream_id: &str,
    scenario_id: Option<&str>,
) -> Result<Subject<'a>> {
    let stream = find_stream(model, stream_id)?;
    if stream.stages.is_empty() {
        return Err(ReportError::EmptyStream {
            id: stream.id.clone(),
        });
    }
    let scenario = scenario_id.map(|id| find_scenario(model, id)).transpose()?;
    let metrics = metrics::compute(model)?;
    let pos = model
        .streams
        .iter()
        .position(|s| s.id == stream.id)
        .unwrap_or(0);
    let sm = metrics
        .streams
        .get(pos)
        .cloned()
        .ok_or_else(|| tributary_core::Error::NotFound(format!("stream {:?}", stream.id)))?;
    let (comparison, after) = match scenario {
        Some(sc) => {
            let c = scenario::compare_with(model, &metrics, sc)?;
            let after = scenario::metrics(model, sc)?.streams.get(pos).cloned();
            (Some(c), after)
        }
        None => (None, None),
    };
    Ok(Subject {
        model,
        stream,
        scenario,
        sm,
        comparison,
        after,
    })
}

pub fn find_stream<'a>(model: &'a Model, id: &str) -> Result<&'a Stream> {
    model.stream(id).ok_or_else(|| ReportError::UnknownStream {
        id: id.to_owned(),
        known: model.streams.iter().map(|s| s.id.clone()).collect(),
    })
}

pub fn find_scenario<'a>(model: &'a Model, id: &str) -> Result<&'a Scenario> {
    model
        .scenario(id)
        .ok_or_else(|| ReportError::UnknownScenario {
            id: id.to_owned(),
            known: model.scenarios.iter().map(|s| s.id.clone()).collect(),
        })
}

/// Every page of the board report, in the template's words.
pub fn build(model: &Model, opts: &ReportOptions) -> Result<ReportData> {
    let subject = subject(model, &opts.stream, opts.scenario.as_deref())?;
    let meta = meta(&subject, opts);
    let input = MapInput::new(model, subject.stream, &subject.sm, subject.scenario)?;
    let map = map::map_pages_of(&subject, &input, &meta);
    let dm = dependency_matrix(model)?;
    let mut summary = summary::summary(&subject, &dm);
    let time = time::time_chart(&subject);
    let measured = opts
        .measured
        .as_ref()
        .map(|m| measured::measured_page(&subject, m, &mut summary));
    let comparison = match (&subject.comparison, &subject.after) {
        (Some(c), Some(a)) => Some(comparison::comparison_data(&subject, c, a)),
        _ => None,
    };
    let prio = cod::prioritize(&model.initiatives);
    let mut roadmap = roadmap::roadmap(&subject, &dm, &prio);
    if let Some(m) = &opts.measured {
        roadmap::measured_roadmap(&subject, m, &mut roadmap);
    }
    Ok(ReportData {
        summary,
        map,
        time,
        measured,
        stages: stages::stage_table(&subject),
        matrix: matrix::matrix_data(&subject, &dm),
        comparison,
        initiatives: initiatives::initiatives_data(&subject, &prio),
        roadmap,
        notes: notes(&subject, &meta),
        meta,
    })
}

fn meta(s: &Subject, opts: &ReportOptions) -> Meta {
    let model = s.model;
    Meta {
        model: model.name.clone(),
        stream: s.stream.name.clone(),
        stream_id: s.stream.id.clone(),
        scenario: s.scenario.map(|s| s.name.clone()),
        date: opts.date.to_string(),
        author: opts.author.clone().or_else(|| model.author.clone()),
        description: model.description.clone(),
        currency: model.currency.clone(),
        unit: s.unit().to_owned(),
        unit_name: model.time_unit.as_str().to_owned(),
        calendar: format!(
            "{} h a day, {} days a week",
            number(model.calendar.hours_per_day),
            number(model.calendar.days_per_week)
        ),
    }
}

/// How the numbers are made: the definitions and conventions, then the engine's warnings.
fn notes(s: &Subject, meta: &Meta) -> Vec<String> {
    let mut notes = vec![
        format!(
            "Durations are working time in {} ({}); a year is 52 weeks. Money is in {}.",
            s.model.time_unit.as_str(),
            meta.calendar,
            s.currency()
        ),
        // the app's help says the same (tributary_core::glossary)
        glossary::CRITICAL_PATH.to_owned(),
        glossary::ROLLED_PCA.to_owned(),
        glossary::ANNUAL_DELAY_COST.to_owned(),
        match &s.sm.bottleneck {
            Some(b) if b.reason == metrics::BottleneckReason::HighestUtilisation => "Bottleneck: every stage has a capacity, so it is the most loaded stage.".to_owned(),
            _ => "Bottleneck: not every stage has a capacity, so it is the stage with the longest wait.".to_owned(),
        },
    ];
    if let Some(c) = &s.comparison {
        notes.push(format!(
            "Business case: investment at t = 0 (not discounted), each year's benefit at that year's end, discounted at {} over {} years; benefits start when the longest investment is done ({} weeks).",
            percent(c.discount_rate),
            c.horizon_years,
            number(c.build_weeks)
        ));
    }
    notes.push(glossary::RANKING.to_owned());
    for w in &s.sm.warnings {
        notes.push(format!("Warning: {w}"));
    }
    notes
}
