//! The report's content as data: every number the engine computed, formatted once here with
//! `tributary_core::format` (so the report, the CLI and the tests agree), every sentence
//! written here, and the map drawn as scenes. The PDF template only lays this out; it reads
//! it as JSON and prints user text as strings, never as markup.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tributary_core::cod::{self, Prioritization, SequenceMethod};
use tributary_core::format::{fixed, money, money_short, number, percent};
use tributary_core::glossary;
use tributary_core::matrix::{self, DependencyMatrix};
use tributary_core::metrics::{self, StreamMetrics};
use tributary_core::model::{Lifecycle, Model, PbcKind, Scenario, Stream, Urgency};
use tributary_core::scenario::{self, Comparison};

use crate::error::{ReportError, Result};
use crate::map::MapInput;
use crate::scene::Scene;
use crate::{MeasuredFlow, MeasuredStage, ReportDate, ReportOptions};

/// Width and height of the drawing area of a landscape A4 page, in points (the template's
/// margins and headings taken off).
pub const MAP_AREA_W: f64 = 770.0;
pub const MAP_AREA_H: f64 = 440.0;

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

#[derive(Debug, Serialize)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    /// The comparison: the scenario's value, or a context figure.
    pub after: Option<String>,
    /// The change with its sign and an arrow, e.g. "↓ 32 h (−33.9 %)".
    pub delta: Option<String>,
    /// good, bad or neutral: for the colour; the arrow and sign carry the meaning too.
    pub tone: &'static str,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    /// The recommendation in one sentence.
    pub recommendation: String,
    /// The page's message title.
    pub headline: String,
    pub kpis: Vec<Kpi>,
    pub case: Vec<Kpi>,
    pub findings: Vec<String>,
    /// Lead time split into process and wait: current state, and the scenario if any.
    pub bars: Vec<LeadBar>,
    pub bar_max: f64,
}

#[derive(Debug, Serialize)]
pub struct MapPages {
    pub caption: String,
    pub headline: String,
    /// Pages of bands; each band is a scene, with the scale it is drawn at.
    pub pages: Vec<Vec<Band>>,
    pub legend: Scene,
}

#[derive(Debug, Serialize)]
pub struct Band {
    pub scale: f64,
    pub scene: Scene,
}

#[derive(Debug, Serialize)]
pub struct TimeRow {
    pub name: String,
    pub process: f64,
    pub wait: f64,
    pub process_s: String,
    pub wait_s: String,
    pub lead_s: String,
    pub share_s: String,
    pub critical: bool,
    pub bottleneck: bool,
}

#[derive(Debug, Serialize)]
pub struct TimeChart {
    pub headline: String,
    pub subtitle: String,
    pub rows: Vec<TimeRow>,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct StageTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub total: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MatrixData {
    pub headline: String,
    pub subtitle: String,
    /// "pbc-rows" (PBCs down, stages across) or "stage-rows" for long streams.
    pub orientation: &'static str,
    /// Chunks of columns so wide matrices split across pages cleanly.
    pub tables: Vec<MatrixTable>,
    pub impacts: Vec<Vec<String>>,
    pub empty: bool,
}

#[derive(Debug, Serialize)]
pub struct MatrixTable {
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub label: String,
    pub kind: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ComparisonData {
    pub headline: String,
    pub scenario: String,
    pub description: Option<String>,
    pub rows: Vec<CompareRow>,
    pub case: Vec<(String, String)>,
    pub convention: String,
    pub excel: String,
    pub flows: Vec<FlowYear>,
    pub flow_max: f64,
    pub changes: Vec<String>,
    pub notes: Vec<String>,
    pub bars: Vec<LeadBar>,
    pub bar_max: f64,
}

#[derive(Debug, Serialize)]
pub struct CompareRow {
    pub label: String,
    pub before: String,
    pub after: String,
    pub delta: String,
    pub tone: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FlowYear {
    pub year: String,
    pub value: f64,
    pub value_s: String,
    pub discounted_s: String,
    pub cumulative_s: String,
}

#[derive(Debug, Serialize)]
pub struct LeadBar {
    pub label: String,
    pub planned: bool,
    pub wait: f64,
    pub process: f64,
    pub total_s: String,
}

#[derive(Debug, Serialize)]
pub struct InitiativesData {
    pub headline: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub bars: Vec<(String, f64, String, bool)>,
    pub bar_max: f64,
    pub sequence: Vec<Vec<String>>,
    pub sequence_note: String,
    pub empty: bool,
}

#[derive(Debug, Serialize)]
pub struct Month {
    pub title: String,
    pub goal: String,
    pub items: Vec<RoadmapItem>,
}

#[derive(Debug, Serialize)]
pub struct RoadmapItem {
    pub label: String,
    pub text: String,
    /// false where the model has no data and the item says what to collect.
    pub from_model: bool,
}

#[derive(Debug, Serialize)]
pub struct Roadmap {
    pub headline: String,
    pub months: Vec<Month>,
    /// What the board decides at day 90, and against which figures.
    pub decision: String,
}

/// "What the data says": the measured flow beside the map.
#[derive(Debug, Serialize)]
pub struct MeasuredPage {
    pub headline: String,
    pub subtitle: String,
    pub kpis: Vec<Kpi>,
    /// Flow-time percentiles, bars from zero on one scale; the 85th is the headline figure.
    pub percentiles: Vec<PercentileBar>,
    pub pct_title: String,
    pub pct_max: f64,
    pub pct_ticks: Vec<(f64, String)>,
    /// The map's lead time in calendar days, drawn as a reference line.
    pub map_days: Option<f64>,
    pub map_days_s: String,
    pub weeks: Vec<WeekBar>,
    pub week_title: String,
    pub week_max: f64,
    pub week_ticks: Vec<(f64, String)>,
    pub week_median: Option<f64>,
    pub week_median_s: String,
    /// Count labels above the bars (left out when the weeks are too many to label).
    pub week_counts: bool,
    pub stage_title: String,
    pub stage_header: Vec<String>,
    pub stages: Vec<MeasuredRow>,
    pub stage_max: f64,
    pub stage_ticks: Vec<(f64, String)>,
    pub stage_legend: String,
    /// How the measurements are read (written here), then what they could not cover (the
    /// engine's and the imports' notes, printed as written).
    pub method: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PercentileBar {
    pub label: String,
    pub value: f64,
    pub value_s: String,
    pub headline: bool,
}

#[derive(Debug, Serialize)]
pub struct WeekBar {
    /// The Monday of the week, shown under every few bars.
    pub label: String,
    pub show_label: bool,
    pub count: f64,
    pub count_s: String,
    /// Covered only in part by the window (drawn lighter).
    pub partial: bool,
}

#[derive(Debug, Serialize)]
pub struct MeasuredRow {
    pub name: String,
    pub cells: Vec<String>,
    pub gap_s: String,
    /// good, bad or neutral (only a flagged gap is coloured).
    pub tone: &'static str,
    pub flagged: bool,
    /// For the bars: the map's lead time, the measured median and 85th percentile.
    pub drawn: Option<f64>,
    pub p50: Option<f64>,
    pub p85: Option<f64>,
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

fn dur(v: f64, u: &str) -> String {
    format!("{} {u}", number(v))
}

/// A signed amount with a true minus sign: "+3.2", "−3.2".
fn signed(v: f64, body: &str) -> String {
    if v < 0.0 {
        format!("−{body}")
    } else if v > 0.0 {
        format!("+{body}")
    } else {
        body.to_owned()
    }
}

/// The change from `before` to `after`: an arrow, the signed amount, and the relative change.
/// `lower_is_better` decides the tone.
fn change(
    before: f64,
    after: f64,
    amount: String,
    lower_is_better: bool,
) -> (String, &'static str) {
    let d = after - before;
    if d.abs() < 1e-9 {
        return ("→ no change".to_owned(), "neutral");
    }
    let arrow = if d < 0.0 { "↓" } else { "↑" };
    let rel = if before.abs() > 1e-12 {
        format!(" ({})", signed(d, &percent((d / before).abs())))
    } else {
        String::new()
    };
    let good = (d < 0.0) == lower_is_better;
    (
        format!("{arrow} {}{rel}", signed(d, &amount)),
        if good { "good" } else { "bad" },
    )
}

fn kind_name(k: PbcKind) -> &'static str {
    match k {
        PbcKind::Legacy => "legacy",
        PbcKind::Modern => "modern",
        PbcKind::Saas => "SaaS",
    }
}

fn lifecycle_name(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Tolerate => "tolerate",
        Lifecycle::Invest => "invest",
        Lifecycle::Migrate => "migrate",
        Lifecycle::Eliminate => "eliminate",
    }
}

/// Most map columns in one band of a report page.
const COLUMNS_PER_BAND: usize = 6;

/// Cuts the map into bands, draws them all at one scale (so boxes are the same size on every
/// page), and paginates them: as many bands to a page as stay at 72 % of full size or more,
/// so a short map reads on one sheet and a long one on as few as legibly possible.
pub fn map_pages(input: &MapInput, area_h: f64) -> Vec<Vec<Band>> {
    const GAP: f64 = 8.0;
    let bands = input.bands(COLUMNS_PER_BAND);
    let count = bands.len();
    let scenes: Vec<Scene> = bands
        .into_iter()
        .enumerate()
        .map(|(k, cols)| input.band(cols, k == 0, k + 1 == count))
        .collect();
    let mut scale = scenes
        .iter()
        .map(|s| (MAP_AREA_W / s.width).min(area_h / s.height))
        .fold(1.0, f64::min);
    // as many bands to a page as stay readable (at least 72 % of full size)
    let tallest = scenes.iter().map(|s| s.height).fold(0.0, f64::max);
    let fits = |k: usize| (area_h - GAP * k as f64) / (k as f64 * tallest);
    if let Some(k) = (1..=count).rev().find(|&k| fits(k) >= 0.72) {
        scale = scale.min(fits(k));
    }
    let mut pages: Vec<Vec<Band>> = Vec::new();
    let mut page: Vec<Band> = Vec::new();
    let mut used = 0.0;
    for scene in scenes {
        let h = scene.height * scale + GAP;
        if !page.is_empty() && used + h > area_h + 0.01 {
            pages.push(std::mem::take(&mut page));
            used = 0.0;
        }
        used += h;
        page.push(Band { scale, scene });
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

pub fn build(model: &Model, opts: &ReportOptions) -> Result<ReportData> {
    let subject = subject(model, &opts.stream, opts.scenario.as_deref())?;
    let Subject {
        stream,
        scenario,
        sm,
        comparison,
        after,
        ..
    } = &subject;
    let u = model.time_unit.suffix();
    let cur = model.currency.as_str();
    let date = opts.date.to_string();

    let meta = Meta {
        model: model.name.clone(),
        stream: stream.name.clone(),
        stream_id: stream.id.clone(),
        scenario: scenario.map(|s| s.name.clone()),
        date: date.clone(),
        author: opts.author.clone().or_else(|| model.author.clone()),
        description: model.description.clone(),
        currency: model.currency.clone(),
        unit: u.to_owned(),
        unit_name: model.time_unit.as_str().to_owned(),
        calendar: format!(
            "{} h a day, {} days a week",
            number(model.calendar.hours_per_day),
            number(model.calendar.days_per_week)
        ),
    };

    let input = MapInput::new(model, stream, sm, *scenario)?;
    let mapped_by = meta
        .author
        .as_deref()
        .map(|a| format!(" · mapped by {a}"))
        .unwrap_or_default();
    let caption = match scenario {
        Some(sc) => format!(
            "Current state · {date}{mapped_by} · kaizen bursts mark the changes of scenario “{}”",
            sc.name
        ),
        None => format!("Current state · {date}{mapped_by}"),
    };
    let mut legend = crate::scene::Group::new("legend", "label");
    input.legend(&mut legend, 0.0, 0.0, MAP_AREA_W);
    let legend_scene = Scene {
        width: MAP_AREA_W,
        height: 22.0 + 9.0 * input.kaizen_notes.len() as f64,
        groups: vec![legend],
    };
    let area_h = MAP_AREA_H - legend_scene.height;
    let wait_share = if sm.lead_time > 0.0 {
        sm.wait_time / sm.lead_time
    } else {
        0.0
    };
    let map_headline = match &sm.bottleneck {
        Some(b) => format!(
            "Items wait {} of their lead time; {}",
            percent(wait_share),
            lower_first(&b.explanation)
        ),
        None => format!("Items wait {} of their lead time", percent(wait_share)),
    };
    let map = MapPages {
        caption,
        headline: map_headline,
        pages: map_pages(&input, area_h),
        legend: legend_scene,
    };

    let mut summary = summary(&subject, wait_share);
    let time = time_chart(&subject, wait_share);
    let measured = opts
        .measured
        .as_ref()
        .map(|m| measured_page(&subject, m, &mut summary));
    let stages = stage_table(&subject);
    let dm = matrix::dependency_matrix(model)?;
    let matrix = matrix_data(&subject, &dm);
    let comparison = match (comparison, after) {
        (Some(c), Some(a)) => Some(comparison_data(&subject, c, a)),
        _ => None,
    };
    let prio = cod::prioritize(&model.initiatives);
    let initiatives = initiatives_data(&subject, &prio);
    let mut roadmap = roadmap(&subject, &dm, &prio);
    if let Some(m) = &opts.measured {
        measured_roadmap(&subject, m, &mut roadmap);
    }

    let mut notes = vec![
        format!(
            "Durations are working time in {} ({}); a year is 52 weeks. Money is in {cur}.",
            model.time_unit.as_str(),
            meta.calendar
        ),
        // the app's help says the same (tributary_core::glossary)
        glossary::CRITICAL_PATH.to_owned(),
        glossary::ROLLED_PCA.to_owned(),
        glossary::ANNUAL_DELAY_COST.to_owned(),
        match &sm.bottleneck {
            Some(b) if b.reason == metrics::BottleneckReason::HighestUtilisation => "Bottleneck: every stage has a capacity, so it is the most loaded stage.".to_owned(),
            _ => "Bottleneck: not every stage has a capacity, so it is the stage with the longest wait.".to_owned(),
        },
    ];
    if let Some(c) = comparison_ref(&subject) {
        notes.push(format!(
            "Business case: investment at t = 0 (not discounted), each year's benefit at that year's end, discounted at {} over {} years; benefits start when the longest investment is done ({} weeks).",
            percent(c.discount_rate),
            c.horizon_years,
            number(c.build_weeks)
        ));
    }
    notes.push(glossary::RANKING.to_owned());
    for w in &sm.warnings {
        notes.push(format!("Warning: {w}"));
    }
    let _ = cur;
    Ok(ReportData {
        meta,
        summary,
        map,
        time,
        measured,
        stages,
        matrix,
        comparison,
        initiatives,
        roadmap,
        notes,
    })
}

fn comparison_ref<'a>(s: &'a Subject) -> Option<&'a Comparison> {
    s.comparison.as_ref()
}

fn lower_first(s: &str) -> String {
    // engine sentences start with a stage name: keep its case
    s.to_owned()
}

fn summary(s: &Subject, wait_share: f64) -> Summary {
    let model = s.model;
    let sm = &s.sm;
    let u = model.time_unit.suffix();
    let cur = model.currency.as_str();
    let mut kpis = Vec::new();
    let lt_note = format!("{} weeks", fixed(sm.lead_time_weeks, 1));
    match &s.after {
        Some(a) => {
            let (d, tone) = change(
                sm.lead_time,
                a.lead_time,
                dur((a.lead_time - sm.lead_time).abs(), u),
                true,
            );
            kpis.push(Kpi {
                label: "Lead time".into(),
                value: dur(sm.lead_time, u),
                after: Some(dur(a.lead_time, u)),
                delta: Some(d),
                tone,
                note: format!(
                    "{lt_note} now, {} weeks planned",
                    fixed(a.lead_time_weeks, 1)
                ),
            });
            let (d, tone) = change(
                sm.flow_efficiency,
                a.flow_efficiency,
                format!(
                    "{} pts",
                    fixed(((a.flow_efficiency - sm.flow_efficiency) * 100.0).abs(), 1)
                ),
                false,
            );
            kpis.push(Kpi {
                label: "Flow efficiency".into(),
                value: percent(sm.flow_efficiency),
                after: Some(percent(a.flow_efficiency)),
                delta: Some(d),
                tone,
                note: "process time / lead time".into(),
            });
            let (d, tone) = change(
                sm.annual_delay_cost,
                a.annual_delay_cost,
                money_short((a.annual_delay_cost - sm.annual_delay_cost).abs(), cur),
                true,
            );
            kpis.push(Kpi {
                label: "Cost of delay a year".into(),
                value: money_short(sm.annual_delay_cost, cur),
                after: Some(money_short(a.annual_delay_cost, cur)),
                delta: Some(d),
                tone,
                note: format!(
                    "{} items a week × {} per item-week",
                    number(sm.demand_per_week),
                    money(sm.cost_of_delay_per_week, cur)
                ),
            });
        }
        None => {
            kpis.push(Kpi {
                label: "Lead time".into(),
                value: dur(sm.lead_time, u),
                after: None,
                delta: None,
                tone: "neutral",
                note: format!("{lt_note}; {} of it waiting", percent(wait_share)),
            });
            kpis.push(Kpi {
                label: "Flow efficiency".into(),
                value: percent(sm.flow_efficiency),
                after: None,
                delta: None,
                tone: "neutral",
                note: format!(
                    "{} of work in {}",
                    dur(sm.process_time, u),
                    dur(sm.lead_time, u)
                ),
            });
            kpis.push(Kpi {
                label: "Cost of delay a year".into(),
                value: money_short(sm.annual_delay_cost, cur),
                after: None,
                delta: None,
                tone: "neutral",
                note: format!(
                    "{} items a week × {} per item-week",
                    number(sm.demand_per_week),
                    money(sm.cost_of_delay_per_week, cur)
                ),
            });
        }
    }
    let mut case = Vec::new();
    if let Some(c) = &s.comparison {
        case.push(Kpi {
            label: "Investment".into(),
            value: money_short(c.investment, cur),
            after: None,
            delta: None,
            tone: "neutral",
            note: if c.build_weeks > 0.0 {
                format!("at t = 0; benefits after {} weeks", number(c.build_weeks))
            } else {
                "at t = 0".into()
            },
        });
        case.push(Kpi {
            label: "Annual benefit".into(),
            value: money_short(c.annual_benefit, cur),
            after: None,
            delta: None,
            tone: if c.annual_benefit > 0.0 {
                "good"
            } else if c.annual_benefit < 0.0 {
                "bad"
            } else {
                "neutral"
            },
            note: "delay cost saved + run cost saved".into(),
        });
        case.push(Kpi {
            label: "Payback".into(),
            value: c
                .payback_years
                .map_or("never".into(), |y| format!("{} years", number(y))),
            after: None,
            delta: None,
            tone: "neutral",
            note: "simple, undiscounted".into(),
        });
        case.push(Kpi {
            label: "NPV".into(),
            value: money_short(c.npv, cur),
            after: None,
            delta: None,
            tone: if c.npv > 0.0 {
                "good"
            } else if c.npv < 0.0 {
                "bad"
            } else {
                "neutral"
            },
            note: format!(
                "{} over {} years",
                percent(c.discount_rate),
                c.horizon_years
            ),
        });
    }

    let mut findings = Vec::new();
    findings.push(format!(
        "Items spend {} of {} waiting: flow efficiency is {}.",
        dur(sm.wait_time, u),
        dur(sm.lead_time, u),
        percent(sm.flow_efficiency)
    ));
    if let Some(b) = &sm.bottleneck {
        findings.push(format!("Bottleneck: {}.", b.explanation));
    }
    if sm.rolled_pca < 0.999 {
        findings.push(format!(
            "Only {} of items pass every stage without rework (rolled %C&A); rework adds {} on average.",
            percent(sm.rolled_pca),
            dur(sm.rework_time, u)
        ));
    }
    let impacts = matrix::impacts(model).unwrap_or_default();
    {
        if let Some(top) = impacts
            .iter()
            .filter(|i| i.stream == s.stream.id && i.lead_time_impact > 0.0)
            .max_by(|a, b| a.lead_time_impact.total_cmp(&b.lead_time_impact))
        {
            let name = model
                .pbc(&top.pbc)
                .map_or(top.pbc.clone(), |p| p.name.clone());
            findings.push(format!(
                "{name} adds {} to the lead time across {} stage{}: the PBC with the largest impact.",
                dur(top.lead_time_impact, u),
                top.stages,
                if top.stages == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some(c) = &s.comparison {
        findings.push(format!(
            "Scenario “{}”: {} change{}; {}.",
            c.scenario_name,
            c.changes.len(),
            if c.changes.len() == 1 { "" } else { "s" },
            c.changes.first().cloned().unwrap_or_default()
        ));
    }

    let (headline, recommendation) = recommendation(s, wait_share);
    let mut bars = vec![LeadBar {
        label: "Current state".into(),
        planned: false,
        wait: sm.wait_time,
        process: sm.process_time,
        total_s: dur(sm.lead_time, u),
    }];
    if let (Some(a), Some(c)) = (&s.after, &s.comparison) {
        bars.push(LeadBar {
            label: c.scenario_name.clone(),
            planned: true,
            wait: a.wait_time,
            process: a.process_time,
            total_s: dur(a.lead_time, u),
        });
    }
    let bar_max = bars
        .iter()
        .map(|b| b.wait + b.process)
        .fold(0.0, f64::max)
        .max(1e-9);
    Summary {
        recommendation,
        headline,
        kpis,
        case,
        findings,
        bars,
        bar_max,
    }
}

/// The page title and the recommendation in one sentence.
fn recommendation(s: &Subject, wait_share: f64) -> (String, String) {
    let model = s.model;
    let sm = &s.sm;
    let u = model.time_unit.suffix();
    let cur = model.currency.as_str();
    match (&s.comparison, &s.after) {
        (Some(c), Some(a)) => {
            let saved = sm.annual_delay_cost - a.annual_delay_cost;
            if c.npv > 0.0 {
                let payback = c
                    .payback_years
                    .map(|y| format!(", pays back in {} years", number(y)))
                    .unwrap_or_default();
                (
                    format!(
                        "The scenario cuts lead time by {} and is worth {} over {} years",
                        percent(((sm.lead_time - a.lead_time) / sm.lead_time.max(1e-12)).max(0.0)),
                        money_short(c.npv, cur),
                        c.horizon_years
                    ),
                    format!(
                        "Fund “{}”: for {} it saves {} a year in cost of delay{payback} and adds {} in net present value.",
                        c.scenario_name,
                        money_short(c.investment, cur),
                        money_short(saved, cur),
                        money_short(c.npv, cur)
                    ),
                )
            } else {
                (
                    format!(
                        "The scenario does not repay its {} investment within {} years",
                        money_short(c.investment, cur),
                        c.horizon_years
                    ),
                    format!(
                        "Do not fund “{}” as planned: it saves {} a year, which leaves a net present value of {} on a {} investment; rework the scope or cost first.",
                        c.scenario_name,
                        money_short(c.annual_benefit, cur),
                        money_short(c.npv, cur),
                        money_short(c.investment, cur)
                    ),
                )
            }
        }
        _ => match &sm.bottleneck {
            Some(b) => {
                let st = sm.stages.iter().find(|x| x.id == b.id);
                let wait = st.map_or(0.0, |x| x.wait_time);
                let share = if sm.lead_time > 0.0 {
                    wait / sm.lead_time
                } else {
                    0.0
                };
                (
                    format!(
                        "{} of the lead time is waiting; {} is where to start",
                        percent(wait_share),
                        b.name
                    ),
                    format!(
                        "Start at {}: items wait {} there, {} of the {} lead time, and this stream's delay costs {} a year.",
                        b.name,
                        dur(wait, u),
                        percent(share),
                        dur(sm.lead_time, u),
                        money_short(sm.annual_delay_cost, cur)
                    ),
                )
            }
            None => (
                format!("{} of the lead time is waiting", percent(wait_share)),
                format!(
                    "Measure the stream: its {} lead time costs {} a year in delay.",
                    dur(sm.lead_time, u),
                    money_short(sm.annual_delay_cost, cur)
                ),
            ),
        },
    }
}

const CHART_ROWS: usize = 24;

fn time_chart(s: &Subject, wait_share: f64) -> TimeChart {
    let sm = &s.sm;
    let u = s.model.time_unit.suffix();
    let bottleneck = sm.bottleneck.as_ref().map(|b| b.id.as_str());
    let row = |st: &metrics::StageMetrics| TimeRow {
        name: st.name.clone(),
        process: st.process_time,
        wait: st.wait_time,
        process_s: dur(st.process_time, u),
        wait_s: dur(st.wait_time, u),
        lead_s: dur(st.lead_time, u),
        share_s: if sm.lead_time > 0.0 && st.on_critical_path {
            percent(st.lead_time / sm.lead_time)
        } else {
            String::new()
        },
        critical: st.on_critical_path,
        bottleneck: Some(st.id.as_str()) == bottleneck,
    };
    let (rows, note) = if sm.stages.len() <= CHART_ROWS {
        (sm.stages.iter().map(row).collect::<Vec<_>>(), None)
    } else {
        // the longest stages, in flow order, and the rest together
        let keep = CHART_ROWS - 1;
        let mut idx: Vec<usize> = (0..sm.stages.len()).collect();
        idx.sort_by(|a, b| {
            sm.stages[*b]
                .lead_time
                .total_cmp(&sm.stages[*a].lead_time)
                .then(a.cmp(b))
        });
        let mut top: Vec<usize> = idx[..keep].to_vec();
        top.sort_unstable();
        let rest: Vec<usize> = idx[keep..].to_vec();
        let mut rows: Vec<TimeRow> = top.iter().map(|&i| row(&sm.stages[i])).collect();
        let (p, w): (f64, f64) = rest.iter().fold((0.0, 0.0), |(p, w), &i| {
            (p + sm.stages[i].process_time, w + sm.stages[i].wait_time)
        });
        rows.push(TimeRow {
            name: format!("The other {} stages together", rest.len()),
            process: p,
            wait: w,
            process_s: dur(p, u),
            wait_s: dur(w, u),
            lead_s: dur(p + w, u),
            share_s: String::new(),
            critical: false,
            bottleneck: false,
        });
        (
            rows,
            Some(format!(
                "The {keep} stages with the longest lead time are shown in flow order; every stage is listed in the appendix."
            )),
        )
    };
    let max = rows.iter().map(|r| r.process + r.wait).fold(0.0, f64::max);
    let ticks = ticks(max).into_iter().map(|t| (t, number(t))).collect();
    let top_wait = sm
        .stages
        .iter()
        .max_by(|a, b| a.wait_time.total_cmp(&b.wait_time));
    let headline = match top_wait {
        Some(t) if sm.wait_time > 0.0 => format!(
            "Waiting is {} of the lead time; the longest queue is before {} ({})",
            percent(wait_share),
            t.name,
            dur(t.wait_time, u)
        ),
        _ => format!("Waiting is {} of the lead time", percent(wait_share)),
    };
    TimeChart {
        headline,
        subtitle: format!(
            "Where the time goes: wait and process time per stage, in {} (bars from zero, one scale)",
            s.model.time_unit.as_str()
        ),
        rows,
        max: ticks_max(max),
        ticks,
        note,
    }
}

/// Round tick values from 0 to at least `max`.
fn ticks(max: f64) -> Vec<f64> {
    let top = ticks_max(max);
    let step = top / 4.0;
    (0..=4).map(|k| step * f64::from(k)).collect()
}

fn ticks_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    step * 4.0
}

fn stage_table(s: &Subject) -> StageTable {
    let sm = &s.sm;
    let u = s.model.time_unit.suffix();
    let header = vec![
        "#".into(),
        "Stage".into(),
        "Team".into(),
        format!("Process ({u})"),
        format!("Wait ({u})"),
        format!("Lead ({u})"),
        "Flow eff.".into(),
        "%C&A".into(),
        "Load".into(),
        "PBCs".into(),
    ];
    let team_of: HashMap<&str, Option<&str>> = s
        .stream
        .stages
        .iter()
        .map(|st| (st.id.as_str(), st.team.as_deref()))
        .collect();
    let rows = sm
        .stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let mut name = st.name.clone();
            if !st.on_critical_path {
                name.push_str(" (off critical path)");
            }
            vec![
                (i + 1).to_string(),
                name,
                team_of
                    .get(st.id.as_str())
                    .copied()
                    .flatten()
                    .unwrap_or("—")
                    .to_owned(),
                number(st.process_time),
                number(st.wait_time),
                number(st.lead_time),
                percent(st.flow_efficiency),
                percent(st.pca),
                st.utilisation.map_or("—".into(), percent),
                st.pbcs.len().to_string(),
            ]
        })
        .collect();
    let total = vec![
        String::new(),
        "Total along the critical path".into(),
        String::new(),
        number(sm.process_time),
        number(sm.wait_time),
        number(sm.lead_time),
        percent(sm.flow_efficiency),
        percent(sm.rolled_pca),
        String::new(),
        String::new(),
    ];
    StageTable {
        header,
        rows,
        total,
    }
}

const MATRIX_COLUMNS: usize = 12;

fn matrix_data(s: &Subject, dm: &DependencyMatrix) -> MatrixData {
    let model = s.model;
    let u = model.time_unit.suffix();
    let stream = &s.stream.id;
    let cols: Vec<usize> = (0..dm.stages.len())
        .filter(|&c| dm.stages[c].stream == *stream)
        .collect();
    let col_pos: HashMap<usize, usize> = cols.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    let mut cell: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for c in &dm.cells {
        if let Some(&k) = col_pos.get(&(c.column as usize)) {
            cell.insert(
                (c.row as usize, k),
                format!("{} / {}", number(c.process_time), number(c.wait_time)),
            );
        }
    }
    let rows_used: Vec<usize> = {
        let set: HashSet<usize> = cell.keys().map(|(r, _)| *r).collect();
        let mut v: Vec<usize> = set.into_iter().collect();
        v.sort_unstable();
        v
    };
    let impacts: Vec<Vec<String>> = dm
        .impacts
        .iter()
        .filter(|i| i.stream == *stream)
        .map(|i| {
            let p = model.pbc(&i.pbc);
            vec![
                p.map_or(i.pbc.clone(), |p| p.name.clone()),
                p.map_or("", |p| kind_name(p.kind)).to_owned(),
                p.map_or("", |p| lifecycle_name(p.lifecycle)).to_owned(),
                p.and_then(|p| p.domain.clone())
                    .unwrap_or_else(|| "—".into()),
                i.stages.to_string(),
                dur(i.process_time + i.wait_time, u),
                dur(i.lead_time_impact, u),
                p.map_or(String::new(), |p| money(p.annual_run_cost, &model.currency)),
            ]
        })
        .collect();
    let stage_label = |k: usize| dm.stages[cols[k]].name.clone();
    let pbc_label = |r: usize| dm.pbcs[r].name.clone();
    let pbc_kind = |r: usize| kind_name(dm.pbcs[r].kind).to_owned();
    let mut tables = Vec::new();
    let orientation;
    if cols.len() <= MATRIX_COLUMNS {
        orientation = "pbc-rows";
        tables.push(MatrixTable {
            corner: "PBC \\ stage".into(),
            columns: (0..cols.len()).map(stage_label).collect(),
            rows: rows_used
                .iter()
                .map(|&r| MatrixRow {
                    label: pbc_label(r),
                    kind: pbc_kind(r),
                    cells: (0..cols.len())
                        .map(|k| cell.get(&(r, k)).cloned().unwrap_or_default())
                        .collect(),
                })
                .collect(),
        });
    } else {
        // long streams: stages down the page (rows paginate), PBCs across in chunks
        orientation = "stage-rows";
        for chunk in rows_used.chunks(MATRIX_COLUMNS.max(1)) {
            tables.push(MatrixTable {
                corner: "Stage \\ PBC".into(),
                columns: chunk.iter().map(|&r| pbc_label(r)).collect(),
                rows: (0..cols.len())
                    .filter(|&k| chunk.iter().any(|&r| cell.contains_key(&(r, k))))
                    .map(|k| MatrixRow {
                        label: stage_label(k),
                        kind: String::new(),
                        cells: chunk
                            .iter()
                            .map(|&r| cell.get(&(r, k)).cloned().unwrap_or_default())
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    let headline = match dm
        .impacts
        .iter()
        .filter(|i| i.stream == *stream)
        .max_by(|a, b| a.lead_time_impact.total_cmp(&b.lead_time_impact))
    {
        Some(top) if top.lead_time_impact > 0.0 => format!(
            "{} PBCs serve this stream; {} costs it the most lead time ({})",
            rows_used.len(),
            model
                .pbc(&top.pbc)
                .map_or(top.pbc.clone(), |p| p.name.clone()),
            dur(top.lead_time_impact, u)
        ),
        _ => format!("{} PBCs serve this stream", rows_used.len()),
    };
    MatrixData {
        headline,
        subtitle: format!(
            "PBC × stage dependency matrix: each cell is the process / wait time ({u}) the PBC adds at the stage"
        ),
        orientation,
        tables,
        impacts,
        empty: rows_used.is_empty(),
    }
}

fn comparison_data(s: &Subject, c: &Comparison, a: &StreamMetrics) -> ComparisonData {
    let model = s.model;
    let b = &s.sm;
    let u = model.time_unit.suffix();
    let cur = model.currency.as_str();
    let mut rows = Vec::new();
    let mut push =
        |label: &str, before: f64, after: f64, fmt: &dyn Fn(f64) -> String, lower: bool| {
            let (delta, tone) = change(before, after, fmt((after - before).abs()), lower);
            rows.push(CompareRow {
                label: label.to_owned(),
                before: fmt(before),
                after: fmt(after),
                delta,
                tone,
            });
        };
    let d = |v: f64| dur(v, u);
    push("Lead time", b.lead_time, a.lead_time, &d, true);
    push("Process time", b.process_time, a.process_time, &d, true);
    push("Wait time", b.wait_time, a.wait_time, &d, true);
    push(
        "Flow efficiency",
        b.flow_efficiency,
        a.flow_efficiency,
        &percent,
        false,
    );
    push("Rolled %C&A", b.rolled_pca, a.rolled_pca, &percent, false);
    push(
        "Throughput (items a week)",
        b.throughput_per_week,
        a.throughput_per_week,
        &number,
        false,
    );
    let m = |v: f64| money(v, cur);
    push(
        "Cost of delay a year",
        b.annual_delay_cost,
        a.annual_delay_cost,
        &m,
        true,
    );
    push(
        "PBC run cost a year (model)",
        c.annual_run_cost_baseline,
        c.annual_run_cost_scenario,
        &m,
        true,
    );
    let bottleneck_name = |id: &Option<String>, sm: &StreamMetrics| {
        id.as_ref()
            .and_then(|id| sm.stages.iter().find(|s| &s.id == id))
            .map_or("—".to_owned(), |s| s.name.clone())
    };
    let bb = b.bottleneck.as_ref().map(|x| x.id.clone());
    let ab = a.bottleneck.as_ref().map(|x| x.id.clone());
    rows.push(CompareRow {
        label: "Bottleneck".into(),
        before: bottleneck_name(&bb, b),
        after: bottleneck_name(&ab, a),
        delta: if bb == ab {
            "same stage".into()
        } else {
            "moves".into()
        },
        tone: "neutral",
    });

    let case = vec![
        ("Investment (t = 0)".to_owned(), money(c.investment, cur)),
        (
            "Delay cost saved a year (all streams)".to_owned(),
            money(c.annual_delay_cost_saved, cur),
        ),
        (
            "Run cost saved a year".to_owned(),
            money(c.annual_run_cost_saved, cur),
        ),
        ("Annual benefit".to_owned(), money(c.annual_benefit, cur)),
        (
            "Payback".to_owned(),
            c.payback_years
                .map_or("never".into(), |y| format!("{} years", number(y))),
        ),
        (
            format!(
                "NPV ({}, {} years)",
                percent(c.discount_rate),
                c.horizon_years
            ),
            money(c.npv, cur),
        ),
        ("IRR".to_owned(), c.irr.map_or("none".into(), percent)),
    ];
    let mut cumulative = 0.0;
    let flows: Vec<FlowYear> = c
        .cash_flows
        .iter()
        .enumerate()
        .map(|(t, v)| {
            let disc = v / (1.0 + c.discount_rate).powi(t as i32);
            cumulative += disc;
            FlowYear {
                year: if t == 0 {
                    "Year 0".into()
                } else {
                    format!("Year {t}")
                },
                value: *v,
                value_s: money(*v, cur),
                discounted_s: money(disc, cur),
                cumulative_s: money(cumulative, cur),
            }
        })
        .collect();
    let flow_max = c.cash_flows.iter().map(|v| v.abs()).fold(0.0, f64::max);
    let headline = if c.npv > 0.0 {
        format!(
            "The case pays: NPV {} and payback in {}",
            money_short(c.npv, cur),
            c.payback_years
                .map_or("—".into(), |y| format!("{} years", number(y)))
        )
    } else {
        format!(
            "The case does not pay within {} years: NPV {}",
            c.horizon_years,
            money_short(c.npv, cur)
        )
    };
    let bars = vec![
        LeadBar {
            label: "Current state".into(),
            planned: false,
            wait: b.wait_time,
            process: b.process_time,
            total_s: dur(b.lead_time, u),
        },
        LeadBar {
            label: c.scenario_name.clone(),
            planned: true,
            wait: a.wait_time,
            process: a.process_time,
            total_s: dur(a.lead_time, u),
        },
    ];
    let bar_max = b.lead_time.max(a.lead_time).max(1e-9);
    ComparisonData {
        headline,
        scenario: c.scenario_name.clone(),
        description: s.scenario.and_then(|sc| sc.description.clone()),
        rows,
        case,
        convention: format!(
            "Convention: the investment falls at t = 0 and is not discounted; each year's benefit falls at that year's end, discounted at {} a year over {} years. Benefits start when the longest investment is done ({} weeks), so a year that is partly build earns part of the benefit.",
            percent(c.discount_rate),
            c.horizon_years,
            number(c.build_weeks)
        ),
        excel: format!(
            "In Excel: =NPV({}, benefits of years 1–{}) − investment gives the same figure; Excel's NPV discounts its first value by one period.",
            percent(c.discount_rate).replace(' ', ""),
            c.horizon_years
        ),
        flows,
        flow_max,
        changes: c.changes.clone(),
        notes: c.notes.clone(),
        bars,
        bar_max,
    }
}

fn urgency_name(u: &Urgency) -> String {
    match u {
        Urgency::Standard => "standard".into(),
        Urgency::Urgent => "urgent".into(),
        Urgency::FixedDate {
            date,
            deadline_week,
        } => match (date, deadline_week) {
            (Some(d), _) => format!("fixed date {d}"),
            (None, Some(w)) => format!("fixed date, week {}", number(*w)),
            _ => "fixed date".into(),
        },
        Urgency::Intangible { .. } => "intangible".into(),
    }
}

fn initiatives_data(s: &Subject, p: &Prioritization) -> InitiativesData {
    let model = s.model;
    let cur = model.currency.as_str();
    let items = &model.initiatives;
    if items.is_empty() {
        return InitiativesData {
            headline: "No initiatives are recorded yet".into(),
            header: Vec::new(),
            rows: Vec::new(),
            bars: Vec::new(),
            bar_max: 1.0,
            sequence: Vec::new(),
            sequence_note: "Add initiatives with a cost of delay per week and a duration to rank them by CD3 and WSJF.".into(),
            empty: true,
        };
    }
    let by_id: HashMap<&str, &tributary_core::model::Initiative> =
        items.iter().map(|i| (i.id.as_str(), i)).collect();
    let wsjf: HashMap<&str, (u32, f64)> = p
        .wsjf
        .iter()
        .map(|r| (r.id.as_str(), (r.rank, r.score)))
        .collect();
    let stream_name = |id: &Option<String>| {
        id.as_ref()
            .map(|id| model.stream(id).map_or(id.clone(), |s| s.name.clone()))
            .unwrap_or_else(|| "—".into())
    };
    let header = vec![
        "CD3 rank".into(),
        "Initiative".into(),
        "Stream".into(),
        "Cost of delay a week".into(),
        "Weeks".into(),
        "CD3".into(),
        "WSJF".into(),
        "WSJF rank".into(),
        "Urgency".into(),
    ];
    let rows = p
        .cd3
        .iter()
        .filter_map(|r| {
            let i = by_id.get(r.id.as_str())?;
            let w = wsjf.get(r.id.as_str());
            Some(vec![
                r.rank.to_string(),
                r.name.clone(),
                stream_name(&i.stream),
                money(i.cost_of_delay_per_week, cur),
                number(i.duration_weeks),
                number(r.score),
                w.map_or("—".into(), |(_, s)| number(*s)),
                w.map_or("—".into(), |(k, _)| k.to_string()),
                urgency_name(&i.urgency),
            ])
        })
        .collect();
    let bars: Vec<(String, f64, String, bool)> = p
        .cd3
        .iter()
        .take(15)
        .map(|r| {
            let here = by_id.get(r.id.as_str()).and_then(|i| i.stream.as_deref())
                == Some(s.stream.id.as_str());
            (r.name.clone(), r.score, number(r.score), here)
        })
        .collect();
    let bar_max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9);
    let sequence: Vec<Vec<String>> = p
        .best
        .order
        .iter()
        .zip(&p.best.completion_weeks)
        .zip(&p.best.delay_costs)
        .enumerate()
        .map(|(k, ((id, w), c))| {
            vec![
                (k + 1).to_string(),
                by_id
                    .get(id.as_str())
                    .map_or(id.clone(), |i| i.name.clone()),
                format!("week {}", number(*w)),
                money(*c, cur),
            ]
        })
        .collect();
    let saved = p.listed_sequence.total_delay_cost - p.best.total_delay_cost;
    let how = match p.best.method {
        SequenceMethod::SmithRule => {
            "highest CD3 first, which is optimal when cost of delay is constant (Smith's rule)"
        }
        SequenceMethod::Exhaustive => "every order tried, deadlines and ramps included",
        SequenceMethod::LocalSearch => {
            "CD3 order improved by swapping neighbours; good, not proven best"
        }
        SequenceMethod::AsGiven => "as listed",
    };
    let sequence_note = format!(
        "Best sequence ({how}): total delay cost {}, against {} in the listed order{}.",
        money(p.best.total_delay_cost, cur),
        money(p.listed_sequence.total_delay_cost, cur),
        if saved > 0.5 {
            format!(", {} less", money(saved, cur))
        } else {
            String::new()
        }
    );
    let top = &p.cd3[0];
    InitiativesData {
        headline: format!(
            "Do {} first: it has the highest cost of delay per week of work (CD3 {})",
            top.name,
            number(top.score)
        ),
        header,
        rows,
        bars,
        bar_max,
        sequence,
        sequence_note,
        empty: false,
    }
}

/// The most weeks the throughput chart shows (the latest ones).
const MAX_WEEKS: usize = 104;

/// Round axis values from 0 to at least `max`, at most five steps of 1, 2, 2.5 or 5 times
/// a power of ten (whole steps for counts).
fn axis(max: f64, whole: bool) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    // a power of ten as a multiplier or a divisor, so 0.1 steps land on 0.6, not 0.6000001
    let e = (max / 5.0).log10().floor() as i32;
    let (mul, div) = if e >= 0 {
        (10f64.powi(e), 1.0)
    } else {
        (1.0, 10f64.powi(-e))
    };
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let step = m * mul / div;
        if whole && step.fract() != 0.0 {
            continue;
        }
        let n = (max / step - 1e-9).ceil().max(1.0);
        if n <= 5.0 {
            return (0..=n as u32)
                .map(|k| m * f64::from(k) * mul / div)
                .collect();
        }
    }
    vec![0.0, max]
}

/// The axis values with their labels, and the top of the scale.
fn labelled_axis(max: f64, whole: bool) -> (f64, Vec<(f64, String)>) {
    let values = axis(max, whole);
    let top = values.last().copied().unwrap_or(1.0);
    (top, values.into_iter().map(|t| (t, number(t))).collect())
}

/// "1 item", "588 items".
fn items(n: u64) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// A finite, non-negative length for a chart (the data is the caller's).
fn len(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

/// `v` of working time in the model's unit as elapsed calendar days: a working week of the
/// model's calendar is a calendar week, as the telemetry converts measured stage times.
fn calendar_days(v: f64, model: &Model) -> f64 {
    model.calendar.to_weeks(v, model.time_unit) * 7.0
}

/// The stage whose measured median lead time is furthest from the map's.
fn largest_gap(m: &MeasuredFlow) -> Option<(&MeasuredStage, crate::StageTimes)> {
    m.stages
        .iter()
        .filter_map(|st| st.gap.filter(|g| g.lead.is_finite()).map(|g| (st, g)))
        .max_by(|a, b| a.1.lead.abs().total_cmp(&b.1.lead.abs()))
}

/// The measured-flow page; adds the measured headline figure to the summary's findings.
fn measured_page(s: &Subject, m: &MeasuredFlow, summary: &mut Summary) -> MeasuredPage {
    let model = s.model;
    let sm = &s.sm;
    let u = model.time_unit.suffix();
    let days = |v: f64| format!("{} days", number(v));
    let map_days = calendar_days(sm.lead_time, model);
    let window = format!("{} to {}", m.window_from, m.window_to);
    let threshold = percent(m.gap_threshold);

    // The message: the stage the map misjudges most, else the 85th percentile.
    let gap = largest_gap(m);
    let headline = match gap {
        Some((st, g)) if st.flagged && g.lead > 0.0 => format!(
            "{} takes {} longer than the workshop estimated{}",
            st.name,
            dur(g.lead, u),
            if g.wait > g.process && g.wait >= 0.5 * g.lead {
                ", most of it waiting"
            } else {
                ""
            }
        ),
        Some((st, g)) if st.flagged && g.lead < 0.0 => format!(
            "{} is {} quicker than the workshop estimated",
            st.name,
            dur(-g.lead, u)
        ),
        Some((st, g)) => format!(
            "The map holds up: every stage is within {threshold} of its measured median; the largest gap is {} ({})",
            st.name,
            signed(g.lead, &dur(g.lead.abs(), u))
        ),
        None => format!(
            "85 % of items finish within {}; the map's lead time is {}",
            days(m.cycle_p85),
            days(map_days)
        ),
    };
    let subtitle = format!(
        "What the data says · {} of {} finished {window} ({} days), measured against the map",
        items(m.items_done),
        s.stream.name,
        m.window_days
    );

    let per_week_mean = if m.window_days > 0 {
        m.items_done as f64 / f64::from(m.window_days) * 7.0
    } else {
        0.0
    };
    let whole_weeks = m.throughput_per_week.iter().filter(|w| w.days == 7).count();
    let kpis = vec![
        Kpi {
            label: "Flow time, 85 % of items".into(),
            value: days(m.cycle_p85),
            after: None,
            delta: Some(format!("Map's lead time: {}", days(map_days))),
            tone: "neutral",
            note: format!("Half finish within {}", days(m.cycle_p50)),
        },
        Kpi {
            label: "Throughput".into(),
            value: match m.throughput_median_per_week {
                Some(w) => format!("{} a week", number(w)),
                None => format!("{} a week", number(per_week_mean)),
            },
            after: None,
            delta: Some(format!("Map: {} a week", number(sm.throughput_per_week))),
            tone: "neutral",
            note: match m.throughput_median_per_week {
                Some(_) => format!("Median of {whole_weeks} whole weeks"),
                None => format!("Mean of {} days", m.window_days),
            },
        },
        Kpi {
            label: "Flow efficiency".into(),
            value: m.flow_efficiency.map_or("—".into(), percent),
            after: None,
            delta: Some(format!("Map: {}", percent(sm.flow_efficiency))),
            tone: "neutral",
            note: "Active time / flow time, items finished".into(),
        },
        Kpi {
            label: "Work in progress".into(),
            value: items(m.wip),
            after: None,
            delta: Some(format!("Map: {} items", number(sm.wip))),
            tone: "neutral",
            note: format!(
                "On {}; {} older than {}",
                m.window_to,
                m.wip_beyond_p85,
                days(m.cycle_p85)
            ),
        },
    ];

    // Flow-time percentiles, bars from zero, with the map's lead time as a reference line.
    let percentiles: Vec<PercentileBar> = [
        ("50 %", m.cycle_p50),
        ("70 %", m.cycle_p70),
        ("85 %", m.cycle_p85),
        ("95 %", m.cycle_p95),
    ]
    .into_iter()
    .map(|(label, v)| PercentileBar {
        label: label.into(),
        value: len(v),
        value_s: days(v),
        headline: label == "85 %",
    })
    .collect();
    let map_ref = (map_days.is_finite() && map_days > 0.0).then_some(map_days);
    let pct_top = percentiles
        .iter()
        .map(|p| p.value)
        .chain(map_ref)
        .fold(0.0, f64::max);
    let (pct_max, pct_ticks) = labelled_axis(pct_top, false);

    // Throughput per week (the latest MAX_WEEKS), bars from zero.
    let shown = &m.throughput_per_week[m.throughput_per_week.len().saturating_sub(MAX_WEEKS)..];
    let step = shown.len().div_ceil(7).max(1);
    let weeks: Vec<WeekBar> = shown
        .iter()
        .enumerate()
        .map(|(i, w)| WeekBar {
            label: w.week_start.clone(),
            show_label: i % step == 0,
            count: w.count as f64,
            count_s: w.count.to_string(),
            partial: w.days < 7,
        })
        .collect();
    let week_top = weeks.iter().map(|w| w.count).fold(0.0, f64::max);
    let (week_max, week_ticks) = labelled_axis(week_top, true);
    let week_title = match m.throughput_median_per_week {
        Some(w) => format!("Items finished per week: median {}", number(w)),
        None => "Items finished per week".to_owned(),
    };

    // Drawn against measured, per stage.
    let opt = |v: Option<f64>| v.map_or("—".to_owned(), number);
    let stages: Vec<MeasuredRow> = m
        .stages
        .iter()
        .map(|st| {
            let measured_split = match (st.process_p50, st.wait_p50) {
                (Some(p), Some(w)) => format!("{} + {}", number(p), number(w)),
                _ => "—".into(),
            };
            let (gap_s, tone) = match (&st.gap, &st.drawn) {
                (Some(g), Some(d)) => {
                    let arrow = if g.lead > 0.0 {
                        "↑ "
                    } else if g.lead < 0.0 {
                        "↓ "
                    } else {
                        "→ "
                    };
                    let rel = if d.lead.abs() > 1e-12 {
                        format!(" ({})", signed(g.lead, &percent((g.lead / d.lead).abs())))
                    } else {
                        String::new()
                    };
                    let tone = match (st.flagged, g.lead > 0.0) {
                        (false, _) => "neutral",
                        (true, true) => "bad",
                        (true, false) => "good",
                    };
                    (
                        format!("{arrow}{}{rel}", signed(g.lead, &number(g.lead.abs()))),
                        tone,
                    )
                }
                (None, None) => ("not on the map".into(), "neutral"),
                _ => ("not measured".into(), "neutral"),
            };
            MeasuredRow {
                name: st.name.clone(),
                cells: vec![
                    st.items.to_string(),
                    st.drawn.map_or("—".into(), |d| {
                        format!("{} + {}", number(d.process), number(d.wait))
                    }),
                    measured_split,
                    st.drawn.map_or("—".into(), |d| number(d.lead)),
                    opt(st.lead_p50),
                    opt(st.lead_p85),
                ],
                gap_s,
                tone,
                flagged: st.flagged,
                drawn: st.drawn.map(|d| len(d.lead)),
                p50: st.lead_p50.map(len),
                p85: st.lead_p85.map(len),
            }
        })
        .collect();
    let stage_top = stages
        .iter()
        .flat_map(|r| [r.drawn, r.p50, r.p85])
        .flatten()
        .fold(0.0, f64::max);
    let (stage_max, stage_ticks) = labelled_axis(stage_top, false);
    let unit_name = model.time_unit.as_str();

    // How to read it.
    let cal = model.calendar;
    let one_day = cal.convert(
        cal.hours_per_week() / 7.0,
        tributary_core::TimeUnit::Hours,
        model.time_unit,
    );
    let mut method = vec![
        format!(
            "Flow time runs from an item's first committed status (waiting or active) to its final done, in elapsed calendar days{}.",
            if m.items_timed < m.items_done {
                format!(
                    "; {} of the {} items finished have a known start and make up the percentiles",
                    m.items_timed, m.items_done
                )
            } else {
                String::new()
            }
        ),
        format!(
            "Measured stage times are elapsed time converted to working time, as the map counts it: a calendar week counts as one working week of the model's calendar ({} h a day, {} days a week), so one calendar day is {} of working time. The other way round, the map's lead time of {} is {}.",
            number(cal.hours_per_day),
            number(cal.days_per_week),
            dur(one_day, u),
            dur(sm.lead_time, u),
            days(map_days)
        ),
        format!(
            "Gap = measured median − the map's lead time of the stage (its own and its PBCs' times); coloured when it is more than {threshold} of the map's. A stage's median is over the items that passed through it."
        ),
        "Flow efficiency measured = active time / flow time of the items finished (blocked time counts as waiting); on the map = process time / lead time along the critical path.".to_owned(),
        format!(
            "Throughput: items finished per ISO week (Monday first); lighter bars are weeks the window covers only in part; the median is over whole weeks.{}",
            if m.throughput_per_week.len() > MAX_WEEKS {
                format!(" The latest {MAX_WEEKS} weeks are shown.")
            } else {
                String::new()
            }
        ),
    ];
    if !m.sources.is_empty() {
        method.push(format!("Data: {}.", m.sources.join("; ")));
    }

    // The summary gains the measured headline figure, right after the drawn one.
    let mut finding = format!(
        "Measured {window}: 85 % of {} finished within {}, against a lead time of {} on the map",
        items(m.items_timed),
        days(m.cycle_p85),
        days(map_days)
    );
    match gap {
        Some((st, g)) if st.flagged && g.lead > 0.0 => finding.push_str(&format!(
            "; {} takes {} longer than estimated.",
            st.name,
            dur(g.lead, u)
        )),
        _ => finding.push('.'),
    }
    let at = summary.findings.len().min(1);
    summary.findings.insert(at, finding);

    MeasuredPage {
        headline,
        subtitle,
        kpis,
        percentiles,
        pct_title: "Flow time percentiles, calendar days".into(),
        pct_max,
        pct_ticks,
        map_days: map_ref,
        map_days_s: format!("Map {}", days(map_days)),
        weeks,
        week_title,
        week_max,
        week_ticks,
        week_median: m.throughput_median_per_week.map(len),
        week_median_s: m
            .throughput_median_per_week
            .map_or(String::new(), |w| format!("median {}", number(w))),
        week_counts: shown.len() <= 30,
        stage_title: format!("Drawn against measured, per stage, in working {unit_name}"),
        stage_header: vec![
            "Stage".into(),
            "Items".into(),
            "Map PT + WT".into(),
            "Measured PT + WT".into(),
            "Map lead".into(),
            "Measured median".into(),
            "Measured 85 %".into(),
            "Gap to the map".into(),
        ],
        stages,
        stage_max,
        stage_ticks,
        stage_legend: format!(
            "Outlined: the map's lead time (workshop estimate) · solid: measured median · line: to the 85th percentile · PT + WT: process and wait time (measured: medians) · gap coloured when more than {threshold} off"
        ),
        method,
        notes: m.notes.clone(),
    }
}

/// With telemetry in the model, month 3's analytics starts from data already measured.
fn measured_roadmap(s: &Subject, m: &MeasuredFlow, roadmap: &mut Roadmap) {
    let flagged: Vec<&str> = m
        .stages
        .iter()
        .filter(|st| st.flagged)
        .map(|st| st.name.as_str())
        .collect();
    let text = format!(
        "Measured flow of {} ({} to {}) is in the model: keep importing it and {}.",
        items(m.items_done),
        m.window_from,
        m.window_to,
        if flagged.is_empty() {
            format!(
                "recalibrate the map from it; none of the {} stages is more than {} off yet",
                s.stream.stages.len(),
                percent(m.gap_threshold)
            )
        } else {
            format!(
                "recalibrate the stages the map misjudges: {}",
                list(&flagged, 4)
            )
        }
    );
    if let Some(item) = roadmap
        .months
        .iter_mut()
        .flat_map(|mo| mo.items.iter_mut())
        .find(|it| it.label == "Analytics")
    {
        item.text = text;
        item.from_model = true;
    }
}

fn roadmap(s: &Subject, dm: &DependencyMatrix, p: &Prioritization) -> Roadmap {
    let model = s.model;
    let sm = &s.sm;
    let stream = s.stream;
    let u = model.time_unit.suffix();
    let cur = model.currency.as_str();
    let item = |label: &str, text: String, from_model: bool| RoadmapItem {
        label: label.to_owned(),
        text,
        from_model,
    };

    // Month 1: the pilot stream and its team
    let mut m1 = Vec::new();
    let ends = match (&stream.trigger, &stream.value) {
        (Some(t), Some(v)) => format!(", from “{t}” to “{v}”"),
        (Some(t), None) => format!(", starting from “{t}”"),
        (None, Some(v)) => format!(", delivering “{v}”"),
        (None, None) => String::new(),
    };
    m1.push(item(
        "Pilot stream",
        format!("{}{ends}: {} stages.", stream.name, stream.stages.len()),
        true,
    ));
    m1.push(item(
        "Baseline",
        format!(
            "Lead time {}, flow efficiency {}, {} items a week, cost of delay {} a year.",
            dur(sm.lead_time, u),
            percent(sm.flow_efficiency),
            number(sm.throughput_per_week),
            money_short(sm.annual_delay_cost, cur)
        ),
        true,
    ));
    let mut teams: Vec<&str> = Vec::new();
    for st in &stream.stages {
        if let Some(t) = st.team.as_deref()
            && !teams.contains(&t)
        {
            teams.push(t);
        }
    }
    let unowned = stream.stages.iter().filter(|s| s.team.is_none()).count();
    if teams.is_empty() {
        m1.push(item(
            "Team",
            "No stage owners are recorded: name one accountable team per stage before the pilot starts.".into(),
            false,
        ));
    } else {
        m1.push(item(
            "Team",
            format!(
                "{} team{} own the stages: {}{}.",
                teams.len(),
                if teams.len() == 1 { "" } else { "s" },
                list(&teams, 6),
                if unowned > 0 {
                    format!(
                        "; {unowned} stage{} still without an owner",
                        if unowned == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            ),
            true,
        ));
    }
    let served: Vec<&tributary_core::model::Pbc> = {
        let ids: HashSet<&str> = model
            .assignments
            .iter()
            .filter(|a| a.stream == stream.id)
            .map(|a| a.pbc.as_str())
            .collect();
        model
            .pbcs
            .iter()
            .filter(|p| ids.contains(p.id.as_str()))
            .collect()
    };
    let pbc_teams: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for p in &served {
            if let Some(t) = p.team.as_deref()
                && !v.contains(&t)
            {
                v.push(t);
            }
        }
        v
    };
    m1.push(item(
        "Competency audit",
        if served.is_empty() {
            "Product mindset and API management skills of the teams that will own the stream's capabilities (no PBC is assigned yet).".into()
        } else {
            format!(
                "Product ownership and API management for the {} PBC{} serving the stream{}.",
                served.len(),
                if served.len() == 1 { "" } else { "s" },
                if pbc_teams.is_empty() {
                    String::new()
                } else {
                    format!(" (teams: {})", list(&pbc_teams, 5))
                }
            )
        },
        !served.is_empty(),
    ));
    if let Some(b) = &sm.bottleneck {
        m1.push(item("First target", format!("{}.", b.explanation), true));
    }

    // Month 2: bounded contexts and flow metrics
    let mut m2 = Vec::new();
    let mut domains: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut no_domain = 0;
    for p in &served {
        match p.domain.as_deref() {
            Some(d) => domains.entry(d).or_default().push(p.name.as_str()),
            None => no_domain += 1,
        }
    }
    if domains.is_empty() {
        m2.push(item(
            "Bounded contexts",
            "No PBC domains are recorded: agree one business domain per PBC so each capability has one bounded context and one owner.".into(),
            false,
        ));
    } else {
        let parts: Vec<String> = domains
            .iter()
            .take(6)
            .map(|(d, names)| format!("{d} ({})", list(names, 3)))
            .collect();
        m2.push(item(
            "Bounded contexts",
            format!(
                "{} domain{}: {}{}{}.",
                domains.len(),
                if domains.len() == 1 { "" } else { "s" },
                parts.join("; "),
                if domains.len() > 6 { "; …" } else { "" },
                if no_domain > 0 {
                    format!(
                        "; {no_domain} PBC{} without a domain",
                        if no_domain == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            ),
            true,
        ));
    }
    let to_move: Vec<&str> = served
        .iter()
        .filter(|p| {
            p.kind == PbcKind::Legacy
                || matches!(p.lifecycle, Lifecycle::Migrate | Lifecycle::Eliminate)
        })
        .map(|p| p.name.as_str())
        .collect();
    if !to_move.is_empty() {
        m2.push(item(
            "Decompose",
            format!(
                "Legacy or to-migrate capabilities to cut out behind APIs: {}.",
                list(&to_move, 5)
            ),
            true,
        ));
    }
    m2.push(item(
        "Flow metrics",
        format!(
            "Flow time (now {}), flow efficiency (now {}), flow velocity (now {} items a week), flow load (now {} items in progress).",
            dur(sm.lead_time, u),
            percent(sm.flow_efficiency),
            number(sm.throughput_per_week),
            number(sm.wip)
        ),
        true,
    ));
    let served_ids: HashSet<&str> = served.iter().map(|p| p.id.as_str()).collect();
    let batch = model
        .integrations
        .iter()
        .filter(|i| {
            i.style == tributary_core::model::IntegrationStyle::Batch
                && (served_ids.contains(i.from.as_str()) || served_ids.contains(i.to.as_str()))
        })
        .count();
    if batch > 0 {
        m2.push(item(
            "Integration",
            format!(
                "{batch} batch integration{} touch the stream's PBCs: candidates for events or APIs.",
                if batch == 1 { "" } else { "s" }
            ),
            true,
        ));
    }
    let _ = dm;

    // Month 3: analytics and the first feedback loop
    let mut m3 = Vec::new();
    m3.push(item(
        "Analytics",
        format!(
            "Measure flow time per stage from the delivery and ticketing tools for all {} stages, and compare it with this model.",
            stream.stages.len()
        ),
        true,
    ));
    match (&s.comparison, &s.after) {
        (Some(c), Some(a)) => m3.push(item(
            "Feedback loop",
            format!(
                "Review monthly with the business: target lead time {} (from {}) and {} a year of benefit from “{}”.",
                dur(a.lead_time, u),
                dur(sm.lead_time, u),
                money_short(c.annual_benefit, cur),
                c.scenario_name
            ),
            true,
        )),
        _ => m3.push(item(
            "Feedback loop",
            "Review monthly with the business; add a scenario to this model to set a lead-time target.".into(),
            false,
        )),
    }
    match p.cd3.first() {
        Some(top) => m3.push(item(
            "Next",
            format!(
                "Start {} (highest CD3, {}), then follow the ranked sequence.",
                top.name,
                number(top.score)
            ),
            true,
        )),
        None => m3.push(item(
            "Next",
            "No initiatives are recorded: list candidates with cost of delay and duration to rank them.".into(),
            false,
        )),
    }

    let decision = match (&s.comparison, &s.after) {
        (Some(c), Some(a)) => format!(
            "Day 90: scale to the next stream if measured lead time is on course for {} (from {}) and flow efficiency for {} (from {}); the case assumes {} a year of benefit for {}.",
            dur(a.lead_time, u),
            dur(sm.lead_time, u),
            percent(a.flow_efficiency),
            percent(sm.flow_efficiency),
            money_short(c.annual_benefit, cur),
            money_short(c.investment, cur)
        ),
        _ => format!(
            "Day 90: scale to the next stream once measured flow time confirms the modelled {} and a scenario sets the target.",
            dur(sm.lead_time, u)
        ),
    };
    Roadmap {
        decision,
        headline: format!(
            "A 90-day pilot on {} proves the value before the next stream",
            stream.name
        ),
        months: vec![
            Month {
                title: "Month 1 · Pilot stream and team".into(),
                goal: "Pick one stream, baseline it, audit the team".into(),
                items: m1,
            },
            Month {
                title: "Month 2 · Bounded contexts and flow metrics".into(),
                goal: "Draw PBC boundaries, agree the flow metrics".into(),
                items: m2,
            },
            Month {
                title: "Month 3 · Analytics and first feedback loop".into(),
                goal: "Measure, review with the business, decide".into(),
                items: m3,
            },
        ],
    }
}

/// "a, b and c", or "a, b, c and 4 more".
fn list(items: &[&str], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).copied().collect();
    let more = items.len().saturating_sub(max);
    match (shown.len(), more) {
        (0, _) => String::new(),
        (1, 0) => shown[0].to_owned(),
        (_, 0) => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        (_, m) => format!("{} and {m} more", shown.join(", ")),
    }
}

/// The date as the report prints it (YYYY-MM-DD).
impl std::fmt::Display for ReportDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every page of the map holds its bands: nothing runs off the drawing area, and a
    /// short map stays on one page.
    #[test]
    fn map_pages_fit_their_area() {
        for (stages, expect_pages) in [(6, 1), (12, 2), (300, 26)] {
            let model = tributary_core::testkit::large_model(1, stages, 20, 2 * stages);
            let stream = &model.streams[0];
            let sm = metrics::compute(&model).unwrap().streams.remove(0);
            let input = MapInput::new(&model, stream, &sm, None).unwrap();
            let area_h = MAP_AREA_H - 22.0;
            let pages = map_pages(&input, area_h);
            assert_eq!(pages.len(), expect_pages, "{stages} stages");
            let mut stage_groups = 0;
            for page in &pages {
                let used: f64 = page.iter().map(|b| b.scene.height * b.scale + 8.0).sum();
                assert!(used <= area_h + 0.01, "{stages} stages: {used} > {area_h}");
                for b in page {
                    assert!(b.scene.width * b.scale <= MAP_AREA_W + 0.01);
                    assert!(b.scale >= 0.72, "readable: scale {}", b.scale);
                    stage_groups += b.scene.groups.iter().filter(|g| g.class == "stage").count();
                }
            }
            assert_eq!(stage_groups, stages, "every stage drawn exactly once");
        }
    }

    #[test]
    fn axes_take_at_most_five_round_steps() {
        assert_eq!(axis(44.0, true), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(axis(50.92, false), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(axis(80.31, false), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(axis(2.0, false), vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(axis(1.0, true), vec![0.0, 1.0]);
        assert_eq!(axis(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(axis(0.0, true), vec![0.0, 1.0]);
        assert_eq!(axis(f64::NAN, false), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(50.5), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(ticks(7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(0.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }
}
