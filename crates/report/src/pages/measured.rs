//! "What the data says": the stream's measured flow beside the map. Flow-time percentiles
//! against the map's lead time, items finished per week, drawn against measured stage by
//! stage, how the measurements are read, and a finding for the summary.
//!
//! The measured figures are the caller's (`MeasuredFlow`, from the telemetry engine); the
//! map's come from `tributary_core`.

use serde::Serialize;
use tributary_core::format::{number, percent};
use tributary_core::metrics::working_time_per_calendar_day;

use super::Subject;
use super::axis::{labelled_axis, len};
use super::summary::{Kpi, Summary};
use super::words::{dur, items, signed};
use crate::{MeasuredFlow, MeasuredStage, StageTimes};

/// The most weeks the throughput chart shows (the latest ones).
const MAX_WEEKS: usize = 104;

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

fn days(v: f64) -> String {
    format!("{} days", number(v))
}

/// The stage whose measured median lead time is furthest from the map's.
fn largest_gap(m: &MeasuredFlow) -> Option<(&MeasuredStage, StageTimes)> {
    m.stages
        .iter()
        .filter_map(|st| st.gap.filter(|g| g.lead.is_finite()).map(|g| (st, g)))
        .max_by(|a, b| a.1.lead.abs().total_cmp(&b.1.lead.abs()))
}

/// The measured-flow page; adds the measured headline figure to the summary's findings.
pub fn measured_page(s: &Subject, m: &MeasuredFlow, summary: &mut Summary) -> MeasuredPage {
    let map_days = s.sm.lead_time_calendar_days();
    let threshold = percent(m.gap_threshold);
    let gap = largest_gap(m);
    summary_finding(s, m, gap, summary);
    let map_ref = (map_days.is_finite() && map_days > 0.0).then_some(map_days);
    let percentiles = percentiles(m);
    let pct_top = percentiles
        .iter()
        .map(|p| p.value)
        .chain(map_ref)
        .fold(0.0, f64::max);
    let (pct_max, pct_ticks) = labelled_axis(pct_top, false);
    let shown = &m.throughput_per_week[m.throughput_per_week.len().saturating_sub(MAX_WEEKS)..];
    let weeks = week_bars(shown);
    let week_top = weeks.iter().map(|w| w.count).fold(0.0, f64::max);
    let (week_max, week_ticks) = labelled_axis(week_top, true);
    let stages: Vec<MeasuredRow> = m.stages.iter().map(measured_row).collect();
    let stage_top = stages
        .iter()
        .flat_map(|r| [r.drawn, r.p50, r.p85])
        .flatten()
        .fold(0.0, f64::max);
    let (stage_max, stage_ticks) = labelled_axis(stage_top, false);
    let median = m.throughput_median_per_week;
    MeasuredPage {
        headline: headline(s, m, gap, map_days),
        subtitle: format!(
            "What the data says · {} of {} finished {} to {} ({} days), measured against the map",
            items(m.items_done),
            s.stream.name,
            m.window_from,
            m.window_to,
            m.window_days
        ),
        kpis: kpis(s, m, map_days),
        percentiles,
        pct_title: "Flow time percentiles, calendar days".into(),
        pct_max,
        pct_ticks,
        map_days: map_ref,
        map_days_s: format!("Map {}", days(map_days)),
        weeks,
        week_title: median.map_or("Items finished per week".to_owned(), |w| {
            format!("Items finished per week: median {}", number(w))
        }),
        week_max,
        week_ticks,
        week_median: median.map(len),
        week_median_s: median.map_or(String::new(), |w| format!("median {}", number(w))),
        week_counts: shown.len() <= 30,
        stage_title: format!(
            "Drawn against measured, per stage, in working {}",
            s.model.time_unit.as_str()
        ),
        stage_header: [
            "Stage",
            "Items",
            "Map PT + WT",
            "Measured PT + WT",
            "Map lead",
            "Measured median",
            "Measured 85 %",
            "Gap to the map",
        ]
        .map(String::from)
        .to_vec(),
        stages,
        stage_max,
        stage_ticks,
        stage_legend: format!(
            "Outlined: the map's lead time (workshop estimate) · solid: measured median · line: to the 85th percentile · PT + WT: process and wait time (measured: medians) · gap coloured when more than {threshold} off"
        ),
        method: method(s, m, map_days),
        notes: m.notes.clone(),
    }
}

/// The message: the stage the map misjudges most, else the 85th percentile.
fn headline(
    s: &Subject,
    m: &MeasuredFlow,
    gap: Option<(&MeasuredStage, StageTimes)>,
    map_days: f64,
) -> String {
    let u = s.unit();
    match gap {
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
            "The map holds up: every stage is within {} of its measured median; the largest gap is {} ({})",
            percent(m.gap_threshold),
            st.name,
            signed(g.lead, &dur(g.lead.abs(), u))
        ),
        None => format!(
            "85 % of items finish within {}; the map's lead time is {}",
            days(m.cycle_p85),
            days(map_days)
        ),
    }
}

/// Flow time, throughput, flow efficiency and WIP as measured, each beside the map's.
fn kpis(s: &Subject, m: &MeasuredFlow, map_days: f64) -> Vec<Kpi> {
    let sm = &s.sm;
    let beside = |label: &str, value: String, map: String, note: String| Kpi {
        delta: Some(map),
        ..Kpi::plain(label, value, note)
    };
    let per_week_mean = if m.window_days > 0 {
        m.items_done as f64 / f64::from(m.window_days) * 7.0
    } else {
        0.0
    };
    let whole_weeks = m.throughput_per_week.iter().filter(|w| w.days == 7).count();
    vec![
        beside(
            "Flow time, 85 % of items",
            days(m.cycle_p85),
            format!("Map's lead time: {}", days(map_days)),
            format!("Half finish within {}", days(m.cycle_p50)),
        ),
        beside(
            "Throughput",
            format!(
                "{} a week",
                number(m.throughput_median_per_week.unwrap_or(per_week_mean))
            ),
            format!("Map: {} a week", number(sm.throughput_per_week)),
            match m.throughput_median_per_week {
                Some(_) => format!("Median of {whole_weeks} whole weeks"),
                None => format!("Mean of {} days", m.window_days),
            },
        ),
        beside(
            "Flow efficiency",
            m.flow_efficiency.map_or("—".into(), percent),
            format!("Map: {}", percent(sm.flow_efficiency)),
            "Active time / flow time, items finished".into(),
        ),
        beside(
            "Work in progress",
            items(m.wip),
            format!("Map: {} items", number(sm.wip)),
            format!(
                "On {}; {} older than {}",
                m.window_to,
                m.wip_beyond_p85,
                days(m.cycle_p85)
            ),
        ),
    ]
}

/// Flow-time percentiles, bars from zero; the 85th is the headline figure.
fn percentiles(m: &MeasuredFlow) -> Vec<PercentileBar> {
    [
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
    .collect()
}

/// Items finished per week, bars from zero, a label under every few.
fn week_bars(shown: &[crate::WeekThroughput]) -> Vec<WeekBar> {
    let step = shown.len().div_ceil(7).max(1);
    shown
        .iter()
        .enumerate()
        .map(|(i, w)| WeekBar {
            label: w.week_start.clone(),
            show_label: i % step == 0,
            count: w.count as f64,
            count_s: w.count.to_string(),
            partial: w.days < 7,
        })
        .collect()
}

/// One stage drawn against measured, with its gap to the map.
fn measured_row(st: &MeasuredStage) -> MeasuredRow {
    let opt = |v: Option<f64>| v.map_or("—".to_owned(), number);
    let measured_split = match (st.process_p50, st.wait_p50) {
        (Some(p), Some(w)) => format!("{} + {}", number(p), number(w)),
        _ => "—".into(),
    };
    let (gap_s, tone) = gap_text(st);
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
}

/// "↑ +3.5 (+20 %)": the gap of the measured median to the map, and its colour.
fn gap_text(st: &MeasuredStage) -> (String, &'static str) {
    let (g, d) = match (&st.gap, &st.drawn) {
        (Some(g), Some(d)) => (g, d),
        (None, None) => return ("not on the map".into(), "neutral"),
        _ => return ("not measured".into(), "neutral"),
    };
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

/// How to read the page.
fn method(s: &Subject, m: &MeasuredFlow, map_days: f64) -> Vec<String> {
    let (model, u) = (s.model, s.unit());
    let cal = model.calendar;
    let one_day = working_time_per_calendar_day(&cal, model.time_unit);
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
            dur(s.sm.lead_time, u),
            days(map_days)
        ),
        format!(
            "Gap = measured median − the map's lead time of the stage (its own and its PBCs' times); coloured when it is more than {} of the map's. A stage's median is over the items that passed through it.",
            percent(m.gap_threshold)
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
    method
}

/// The summary gains the measured headline figure, right after the drawn one.
fn summary_finding(
    s: &Subject,
    m: &MeasuredFlow,
    gap: Option<(&MeasuredStage, StageTimes)>,
    summary: &mut Summary,
) {
    let mut finding = format!(
        "Measured {} to {}: 85 % of {} finished within {}, against a lead time of {} on the map",
        m.window_from,
        m.window_to,
        items(m.items_timed),
        days(m.cycle_p85),
        days(s.sm.lead_time_calendar_days())
    );
    match gap {
        Some((st, g)) if st.flagged && g.lead > 0.0 => finding.push_str(&format!(
            "; {} takes {} longer than estimated.",
            st.name,
            dur(g.lead, s.unit())
        )),
        _ => finding.push('.'),
    }
    let at = summary.findings.len().min(1);
    summary.findings.insert(at, finding);
}
