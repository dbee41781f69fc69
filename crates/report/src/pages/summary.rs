//! The executive summary: the recommendation in one sentence, the headline figures (now and,
//! with a scenario, planned), the business case, the findings, and lead time split into
//! process and wait.

use serde::Serialize;
use tributary_core::format::{fixed, money, money_short, number, percent};
use tributary_core::matrix::DependencyMatrix;
use tributary_core::metrics::StreamMetrics;
use tributary_core::scenario::{Comparison, Difference};

use super::Subject;
use super::words::{change, dur, plural, tone_of};

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

impl Kpi {
    /// A figure on its own, with a note.
    pub fn plain(label: &str, value: String, note: String) -> Kpi {
        Kpi {
            label: label.into(),
            value,
            after: None,
            delta: None,
            tone: "neutral",
            note,
        }
    }
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
pub struct LeadBar {
    pub label: String,
    pub planned: bool,
    pub wait: f64,
    pub process: f64,
    pub total_s: String,
}

impl LeadBar {
    pub fn of(label: String, planned: bool, sm: &StreamMetrics, u: &str) -> LeadBar {
        LeadBar {
            label,
            planned,
            wait: sm.wait_time,
            process: sm.process_time,
            total_s: dur(sm.lead_time, u),
        }
    }
}

pub fn summary(s: &Subject, dm: &DependencyMatrix) -> Summary {
    let (headline, recommendation) = recommendation(s);
    let mut bars = vec![LeadBar::of("Current state".into(), false, &s.sm, s.unit())];
    if let (Some(a), Some(c)) = (&s.after, &s.comparison) {
        bars.push(LeadBar::of(c.scenario_name.clone(), true, a, s.unit()));
    }
    let bar_max = bars
        .iter()
        .map(|b| b.wait + b.process)
        .fold(0.0, f64::max)
        .max(1e-9);
    Summary {
        recommendation,
        headline,
        kpis: match &s.after {
            Some(a) => planned_kpis(s, a),
            None => current_kpis(s),
        },
        case: s.comparison.as_ref().map_or_else(Vec::new, |c| case(s, c)),
        findings: findings(s, dm),
        bars,
        bar_max,
    }
}

/// "20 items a week × EUR 500 per item-week": what the annual cost of delay is made of.
fn cost_of_delay_note(s: &Subject) -> String {
    format!(
        "{} items a week × {} per item-week",
        number(s.sm.demand_per_week),
        money(s.sm.cost_of_delay_per_week, s.currency())
    )
}

/// Lead time, flow efficiency and cost of delay now, beside the scenario's.
fn planned_kpis(s: &Subject, a: &StreamMetrics) -> Vec<Kpi> {
    let sm = &s.sm;
    let (u, cur) = (s.unit(), s.currency());
    let compared = |label: &str, d: Difference, show: &dyn Fn(f64) -> String, delta, note| {
        let (delta, tone) = delta;
        Kpi {
            label: label.into(),
            value: show(d.before),
            after: Some(show(d.after)),
            delta: Some(delta),
            tone,
            note,
        }
    };
    let lead = Difference::of(sm.lead_time, a.lead_time);
    let flow = Difference::of(sm.flow_efficiency, a.flow_efficiency);
    let cost = Difference::of(sm.annual_delay_cost, a.annual_delay_cost);
    let short = |v: f64| money_short(v, cur);
    vec![
        compared(
            "Lead time",
            lead,
            &|v| dur(v, u),
            change(lead, |v| dur(v, u), true),
            format!(
                "{} weeks now, {} weeks planned",
                fixed(sm.lead_time_weeks, 1),
                fixed(a.lead_time_weeks, 1)
            ),
        ),
        compared(
            "Flow efficiency",
            flow,
            &percent,
            change(flow, |v| format!("{} pts", fixed(v * 100.0, 1)), false),
            "process time / lead time".into(),
        ),
        compared(
            "Cost of delay a year",
            cost,
            &short,
            change(cost, short, true),
            cost_of_delay_note(s),
        ),
    ]
}

/// Lead time, flow efficiency and cost of delay of the current state alone.
fn current_kpis(s: &Subject) -> Vec<Kpi> {
    let sm = &s.sm;
    let u = s.unit();
    vec![
        Kpi::plain(
            "Lead time",
            dur(sm.lead_time, u),
            format!(
                "{} weeks; {} of it waiting",
                fixed(sm.lead_time_weeks, 1),
                percent(sm.wait_share())
            ),
        ),
        Kpi::plain(
            "Flow efficiency",
            percent(sm.flow_efficiency),
            format!(
                "{} of work in {}",
                dur(sm.process_time, u),
                dur(sm.lead_time, u)
            ),
        ),
        Kpi::plain(
            "Cost of delay a year",
            money_short(sm.annual_delay_cost, s.currency()),
            cost_of_delay_note(s),
        ),
    ]
}

/// The business case in four figures.
fn case(s: &Subject, c: &Comparison) -> Vec<Kpi> {
    let cur = s.currency();
    let toned = |label: &str, v: f64, note: String| Kpi {
        tone: tone_of(v),
        ..Kpi::plain(label, money_short(v, cur), note)
    };
    vec![
        Kpi::plain(
            "Investment",
            money_short(c.investment, cur),
            if c.build_weeks > 0.0 {
                format!("at t = 0; benefits after {} weeks", number(c.build_weeks))
            } else {
                "at t = 0".into()
            },
        ),
        toned(
            "Annual benefit",
            c.annual_benefit,
            "delay cost saved + run cost saved".into(),
        ),
        Kpi::plain(
            "Payback",
            c.payback_years
                .map_or("never".into(), |y| format!("{} years", number(y))),
            "simple, undiscounted".into(),
        ),
        toned(
            "NPV",
            c.npv,
            format!(
                "{} over {} years",
                percent(c.discount_rate),
                c.horizon_years
            ),
        ),
    ]
}

fn findings(s: &Subject, dm: &DependencyMatrix) -> Vec<String> {
    let sm = &s.sm;
    let u = s.unit();
    let mut findings = vec![format!(
        "Items spend {} of {} waiting: flow efficiency is {}.",
        dur(sm.wait_time, u),
        dur(sm.lead_time, u),
        percent(sm.flow_efficiency)
    )];
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
    if let Some(top) = dm.largest_impact(&s.stream.id) {
        let name = s
            .model
            .pbc(&top.pbc)
            .map_or(top.pbc.clone(), |p| p.name.clone());
        findings.push(format!(
            "{name} adds {} to the lead time across {} stage{}: the PBC with the largest impact.",
            dur(top.lead_time_impact, u),
            top.stages,
            plural(top.stages as usize)
        ));
    }
    if let Some(c) = &s.comparison {
        findings.push(format!(
            "Scenario “{}”: {} change{}; {}.",
            c.scenario_name,
            c.changes.len(),
            plural(c.changes.len()),
            c.changes.first().cloned().unwrap_or_default()
        ));
    }
    findings
}

/// The page title and the recommendation in one sentence.
fn recommendation(s: &Subject) -> (String, String) {
    match (&s.comparison, s.stream_comparison()) {
        (Some(c), Some(sc)) if s.after.is_some() => {
            if c.npv > 0.0 {
                fund(s, c, sc)
            } else {
                do_not_fund(s, c)
            }
        }
        _ => where_to_start(s),
    }
}

/// A scenario that pays: fund it.
fn fund(
    s: &Subject,
    c: &Comparison,
    sc: &tributary_core::scenario::StreamComparison,
) -> (String, String) {
    let cur = s.currency();
    let payback = c
        .payback_years
        .map(|y| format!(", pays back in {} years", number(y)))
        .unwrap_or_default();
    (
        format!(
            "The scenario cuts lead time by {} and is worth {} over {} years",
            percent(sc.lead_time_cut()),
            money_short(c.npv, cur),
            c.horizon_years
        ),
        format!(
            "Fund “{}”: for {} it saves {} a year in cost of delay{payback} and adds {} in net present value.",
            c.scenario_name,
            money_short(c.investment, cur),
            money_short(sc.annual_delay_cost_saved, cur),
            money_short(c.npv, cur)
        ),
    )
}

/// A scenario that does not repay its investment within the horizon.
fn do_not_fund(s: &Subject, c: &Comparison) -> (String, String) {
    let cur = s.currency();
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

/// Without a scenario: where the stream waits longest, or measure it first.
fn where_to_start(s: &Subject) -> (String, String) {
    let sm = &s.sm;
    let (u, cur) = (s.unit(), s.currency());
    let waiting = percent(sm.wait_share());
    match &sm.bottleneck {
        Some(b) => {
            let wait = sm.bottleneck_stage().map_or(0.0, |x| x.wait_time);
            (
                format!(
                    "{waiting} of the lead time is waiting; {} is where to start",
                    b.name
                ),
                format!(
                    "Start at {}: items wait {} there, {} of the {} lead time, and this stream's delay costs {} a year.",
                    b.name,
                    dur(wait, u),
                    percent(sm.share_of_lead_time(wait)),
                    dur(sm.lead_time, u),
                    money_short(sm.annual_delay_cost, cur)
                ),
            )
        }
        None => (
            format!("{waiting} of the lead time is waiting"),
            format!(
                "Measure the stream: its {} lead time costs {} a year in delay.",
                dur(sm.lead_time, u),
                money_short(sm.annual_delay_cost, cur)
            ),
        ),
    }
}
