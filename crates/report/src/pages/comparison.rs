//! The scenario against the current state: the flow figures before and after, the business
//! case with its convention (and how to get the same NPV in Excel), the cash flows year by
//! year, and the scenario's changes.

use serde::Serialize;
use tributary_core::format::{money, money_short, number, percent};
use tributary_core::metrics::StreamMetrics;
use tributary_core::scenario::{Comparison, Difference};

use super::Subject;
use super::summary::LeadBar;
use super::words::{change, dur};

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

pub fn comparison_data(s: &Subject, c: &Comparison, a: &StreamMetrics) -> ComparisonData {
    let b = &s.sm;
    let u = s.unit();
    let cur = s.currency();
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
    let rate = percent(c.discount_rate);
    ComparisonData {
        headline,
        scenario: c.scenario_name.clone(),
        description: s.scenario.and_then(|sc| sc.description.clone()),
        rows: compare_rows(s, c, a),
        case: case(s, c),
        convention: format!(
            "Convention: the investment falls at t = 0 and is not discounted; each year's benefit falls at that year's end, discounted at {rate} a year over {} years. Benefits start when the longest investment is done ({} weeks), so a year that is partly build earns part of the benefit.",
            c.horizon_years,
            number(c.build_weeks)
        ),
        excel: format!(
            "In Excel: =NPV({}, benefits of years 1–{}) − investment gives the same figure; Excel's NPV discounts its first value by one period.",
            rate.replace(' ', ""),
            c.horizon_years
        ),
        flows: flows(s, c),
        flow_max: c.cash_flows.iter().map(|v| v.abs()).fold(0.0, f64::max),
        changes: c.changes.clone(),
        notes: c.notes.clone(),
        bars: vec![
            LeadBar::of("Current state".into(), false, b, u),
            LeadBar::of(c.scenario_name.clone(), true, a, u),
        ],
        bar_max: b.lead_time.max(a.lead_time).max(1e-9),
    }
}

/// Each flow figure before and after, with the change and whether it is for the better.
fn compare_rows(s: &Subject, c: &Comparison, a: &StreamMetrics) -> Vec<CompareRow> {
    let b = &s.sm;
    let (u, cur) = (s.unit(), s.currency());
    let row = |label: &str, before: f64, after: f64, show: &dyn Fn(f64) -> String, lower| {
        let d = Difference::of(before, after);
        let (delta, tone) = change(d, show, lower);
        CompareRow {
            label: label.to_owned(),
            before: show(before),
            after: show(after),
            delta,
            tone,
        }
    };
    let d = |v: f64| dur(v, u);
    let m = |v: f64| money(v, cur);
    let bottleneck_name = |sm: &StreamMetrics| {
        sm.bottleneck_stage()
            .map_or("—".to_owned(), |st| st.name.clone())
    };
    let (bb, ab) = (bottleneck_stage_id(b), bottleneck_stage_id(a));
    vec![
        row("Lead time", b.lead_time, a.lead_time, &d, true),
        row("Process time", b.process_time, a.process_time, &d, true),
        row("Wait time", b.wait_time, a.wait_time, &d, true),
        row(
            "Flow efficiency",
            b.flow_efficiency,
            a.flow_efficiency,
            &percent,
            false,
        ),
        row("Rolled %C&A", b.rolled_pca, a.rolled_pca, &percent, false),
        row(
            "Throughput (items a week)",
            b.throughput_per_week,
            a.throughput_per_week,
            &number,
            false,
        ),
        row(
            "Cost of delay a year",
            b.annual_delay_cost,
            a.annual_delay_cost,
            &m,
            true,
        ),
        row(
            "PBC run cost a year (model)",
            c.annual_run_cost_baseline,
            c.annual_run_cost_scenario,
            &m,
            true,
        ),
        CompareRow {
            label: "Bottleneck".into(),
            before: bottleneck_name(b),
            after: bottleneck_name(a),
            delta: if bb == ab { "same stage" } else { "moves" }.into(),
            tone: "neutral",
        },
    ]
}

fn bottleneck_stage_id(sm: &StreamMetrics) -> Option<&str> {
    sm.bottleneck.as_ref().map(|b| b.id.as_str())
}

/// The business case, line by line.
fn case(s: &Subject, c: &Comparison) -> Vec<(String, String)> {
    let m = |v: f64| money(v, s.currency());
    vec![
        ("Investment (t = 0)".to_owned(), m(c.investment)),
        (
            "Delay cost saved a year (all streams)".to_owned(),
            m(c.annual_delay_cost_saved),
        ),
        (
            "Run cost saved a year".to_owned(),
            m(c.annual_run_cost_saved),
        ),
        ("Annual benefit".to_owned(), m(c.annual_benefit)),
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
            m(c.npv),
        ),
        ("IRR".to_owned(), c.irr.map_or("none".into(), percent)),
    ]
}

/// The cash flows year by year, discounted and summed up as the engine discounts them.
fn flows(s: &Subject, c: &Comparison) -> Vec<FlowYear> {
    let m = |v: f64| money(v, s.currency());
    c.years()
        .into_iter()
        .map(|y| FlowYear {
            year: format!("Year {}", y.year),
            value: y.cash_flow,
            value_s: m(y.cash_flow),
            discounted_s: m(y.discounted),
            cumulative_s: m(y.cumulative),
        })
        .collect()
}
