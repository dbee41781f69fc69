//! The 90-day roadmap: month 1 the pilot stream and its team, month 2 bounded contexts and flow
//! metrics, month 3 analytics and the first feedback loop, then the board's decision at day
//! 90. Items the model has no data for say what to collect instead.

use std::collections::BTreeMap;

use serde::Serialize;
use tributary_core::cod::Prioritization;
use tributary_core::format::{money_short, number, percent};
use tributary_core::matrix::{self, DependencyMatrix};
use tributary_core::model::{Lifecycle, Pbc, PbcKind};

use super::Subject;
use super::words::{dur, items, list, plural};
use crate::MeasuredFlow;

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

fn item(label: &str, text: String, from_model: bool) -> RoadmapItem {
    RoadmapItem {
        label: label.to_owned(),
        text,
        from_model,
    }
}

fn month(title: &str, goal: &str, items: Vec<RoadmapItem>) -> Month {
    Month {
        title: title.into(),
        goal: goal.into(),
        items,
    }
}

pub fn roadmap(s: &Subject, dm: &DependencyMatrix, p: &Prioritization) -> Roadmap {
    // the PBCs serving the stream, in the model's order
    let served: Vec<&Pbc> = dm
        .rows_serving(&s.stream.id)
        .into_iter()
        .filter_map(|r| s.model.pbc(&dm.pbcs[r].id))
        .collect();
    Roadmap {
        decision: decision(s),
        headline: format!(
            "A 90-day pilot on {} proves the value before the next stream",
            s.stream.name
        ),
        months: vec![
            month(
                "Month 1 · Pilot stream and team",
                "Pick one stream, baseline it, audit the team",
                month_1(s, &served),
            ),
            month(
                "Month 2 · Bounded contexts and flow metrics",
                "Draw PBC boundaries, agree the flow metrics",
                month_2(s, &served),
            ),
            month(
                "Month 3 · Analytics and first feedback loop",
                "Measure, review with the business, decide",
                month_3(s, p),
            ),
        ],
    }
}

/// The distinct values, in order of first appearance.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Month 1: the pilot stream, its baseline, its team and the first target.
fn month_1(s: &Subject, served: &[&Pbc]) -> Vec<RoadmapItem> {
    let (sm, stream) = (&s.sm, s.stream);
    let ends = match (&stream.trigger, &stream.value) {
        (Some(t), Some(v)) => format!(", from “{t}” to “{v}”"),
        (Some(t), None) => format!(", starting from “{t}”"),
        (None, Some(v)) => format!(", delivering “{v}”"),
        (None, None) => String::new(),
    };
    let mut m1 = vec![
        item(
            "Pilot stream",
            format!("{}{ends}: {} stages.", stream.name, stream.stages.len()),
            true,
        ),
        item(
            "Baseline",
            format!(
                "Lead time {}, flow efficiency {}, {} items a week, cost of delay {} a year.",
                dur(sm.lead_time, s.unit()),
                percent(sm.flow_efficiency),
                number(sm.throughput_per_week),
                money_short(sm.annual_delay_cost, s.currency())
            ),
            true,
        ),
        team(s),
        competency_audit(served),
    ];
    if let Some(b) = &sm.bottleneck {
        m1.push(item("First target", format!("{}.", b.explanation), true));
    }
    m1
}

/// Who owns the stages.
fn team(s: &Subject) -> RoadmapItem {
    let stages = &s.stream.stages;
    let teams = distinct(stages.iter().filter_map(|st| st.team.as_deref()));
    if teams.is_empty() {
        return item(
            "Team",
            "No stage owners are recorded: name one accountable team per stage before the pilot starts.".into(),
            false,
        );
    }
    let unowned = stages.iter().filter(|s| s.team.is_none()).count();
    item(
        "Team",
        format!(
            "{} team{} own the stages: {}{}.",
            teams.len(),
            plural(teams.len()),
            list(&teams, 6),
            if unowned > 0 {
                format!(
                    "; {unowned} stage{} still without an owner",
                    plural(unowned)
                )
            } else {
                String::new()
            }
        ),
        true,
    )
}

fn competency_audit(served: &[&Pbc]) -> RoadmapItem {
    let pbc_teams = distinct(served.iter().filter_map(|p| p.team.as_deref()));
    item(
        "Competency audit",
        if served.is_empty() {
            "Product mindset and API management skills of the teams that will own the stream's capabilities (no PBC is assigned yet).".into()
        } else {
            format!(
                "Product ownership and API management for the {} PBC{} serving the stream{}.",
                served.len(),
                plural(served.len()),
                if pbc_teams.is_empty() {
                    String::new()
                } else {
                    format!(" (teams: {})", list(&pbc_teams, 5))
                }
            )
        },
        !served.is_empty(),
    )
}

/// Month 2: bounded contexts, what to decompose, the flow metrics, batch integrations.
fn month_2(s: &Subject, served: &[&Pbc]) -> Vec<RoadmapItem> {
    let sm = &s.sm;
    let mut m2 = vec![bounded_contexts(served)];
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
            dur(sm.lead_time, s.unit()),
            percent(sm.flow_efficiency),
            number(sm.throughput_per_week),
            number(sm.wip)
        ),
        true,
    ));
    let batch = matrix::batch_integrations(s.model, &s.stream.id);
    if batch > 0 {
        m2.push(item(
            "Integration",
            format!(
                "{batch} batch integration{} touch the stream's PBCs: candidates for events or APIs.",
                plural(batch)
            ),
            true,
        ));
    }
    m2
}

/// The business domains of the PBCs serving the stream.
fn bounded_contexts(served: &[&Pbc]) -> RoadmapItem {
    let mut domains: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut no_domain = 0;
    for p in served {
        match p.domain.as_deref() {
            Some(d) => domains.entry(d).or_default().push(p.name.as_str()),
            None => no_domain += 1,
        }
    }
    if domains.is_empty() {
        return item(
            "Bounded contexts",
            "No PBC domains are recorded: agree one business domain per PBC so each capability has one bounded context and one owner.".into(),
            false,
        );
    }
    let parts: Vec<String> = domains
        .iter()
        .take(6)
        .map(|(d, names)| format!("{d} ({})", list(names, 3)))
        .collect();
    item(
        "Bounded contexts",
        format!(
            "{} domain{}: {}{}{}.",
            domains.len(),
            plural(domains.len()),
            parts.join("; "),
            if domains.len() > 6 { "; …" } else { "" },
            if no_domain > 0 {
                format!("; {no_domain} PBC{} without a domain", plural(no_domain))
            } else {
                String::new()
            }
        ),
        true,
    )
}

/// Month 3: measure, review with the business, and what to start next.
fn month_3(s: &Subject, p: &Prioritization) -> Vec<RoadmapItem> {
    let u = s.unit();
    let analytics = item(
        "Analytics",
        format!(
            "Measure flow time per stage from the delivery and ticketing tools for all {} stages, and compare it with this model.",
            s.stream.stages.len()
        ),
        true,
    );
    let feedback = match (&s.comparison, &s.after) {
        (Some(c), Some(a)) => item(
            "Feedback loop",
            format!(
                "Review monthly with the business: target lead time {} (from {}) and {} a year of benefit from “{}”.",
                dur(a.lead_time, u),
                dur(s.sm.lead_time, u),
                money_short(c.annual_benefit, s.currency()),
                c.scenario_name
            ),
            true,
        ),
        _ => item(
            "Feedback loop",
            "Review monthly with the business; add a scenario to this model to set a lead-time target.".into(),
            false,
        ),
    };
    let next = match p.cd3.first() {
        Some(top) => item(
            "Next",
            format!(
                "Start {} (highest CD3, {}), then follow the ranked sequence.",
                top.name,
                number(top.score)
            ),
            true,
        ),
        None => item(
            "Next",
            "No initiatives are recorded: list candidates with cost of delay and duration to rank them.".into(),
            false,
        ),
    };
    vec![analytics, feedback, next]
}

/// What the board decides at day 90, against which figures.
fn decision(s: &Subject) -> String {
    let (sm, u) = (&s.sm, s.unit());
    match (&s.comparison, &s.after) {
        (Some(c), Some(a)) => format!(
            "Day 90: scale to the next stream if measured lead time is on course for {} (from {}) and flow efficiency for {} (from {}); the case assumes {} a year of benefit for {}.",
            dur(a.lead_time, u),
            dur(sm.lead_time, u),
            percent(a.flow_efficiency),
            percent(sm.flow_efficiency),
            money_short(c.annual_benefit, s.currency()),
            money_short(c.investment, s.currency())
        ),
        _ => format!(
            "Day 90: scale to the next stream once measured flow time confirms the modelled {} and a scenario sets the target.",
            dur(sm.lead_time, u)
        ),
    }
}

/// With telemetry in the model, month 3's analytics starts from data already measured.
pub fn measured_roadmap(s: &Subject, m: &MeasuredFlow, roadmap: &mut Roadmap) {
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
