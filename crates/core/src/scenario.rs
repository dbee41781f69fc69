//! Scenarios: the baseline with a scenario's changes applied on read, and the comparison of
//! the two (REFERENCE.md sections 4 and 5).
//!
//! The annual benefit of a scenario is the annual delay cost it saves plus the run cost it
//! saves (PBCs count while they serve at least one stage). Benefits start when the longest
//! investment is done; the investment falls at t = 0.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::entity::Entity;
use crate::error::{Error, Result};
use crate::finance;
use crate::metrics::{self, ModelMetrics, WEEKS_PER_YEAR};
use crate::model::{Assignment, Change, Model, Scenario};

/// The baseline with `scenario`'s changes applied, and notes on changes that had nothing to
/// act on (a swap of a PBC that serves nowhere, say).
pub fn apply(model: &Model, scenario: &Scenario) -> Result<(Model, Vec<String>)> {
    let mut m = model.clone();
    let mut notes = Vec::new();
    for (n, change) in scenario.changes.iter().enumerate() {
        let which = || format!("change {} of scenario {:?}", n + 1, scenario.id);
        if let Some(note) = apply_change(&mut m, change, &which)? {
            notes.push(format!("{}: {note}", which()));
        }
    }
    Ok((m, notes))
}

/// Applies one change; a note where it had nothing to act on.
fn apply_change(
    m: &mut Model,
    change: &Change,
    which: &dyn Fn() -> String,
) -> Result<Option<String>> {
    match change {
        Change::SwapPbc { .. } => return swap_pbc(m, change, which),
        Change::AssignPbc { .. } => assign_pbc(m, change, which)?,
        Change::UnassignPbc { pbc, stream, stage } => {
            let before = m.assignments.len();
            m.assignments
                .retain(|a| a.key() != [pbc.as_str(), stream.as_str(), stage.as_str()]);
            if m.assignments.len() == before {
                return Ok(Some(format!(
                    "PBC {pbc:?} does not serve stage {stage:?} of stream {stream:?}"
                )));
            }
        }
        Change::SetStage { .. } => set_stage(m, change, which)?,
        Change::SetStream {
            stream,
            demand_per_week,
            cost_of_delay_per_week,
        } => {
            let s = m
                .streams
                .iter_mut()
                .find(|s| s.id == *stream)
                .ok_or_else(|| Error::NotFound(format!("stream {stream:?} in {}", which())))?;
            set(&mut s.demand_per_week, *demand_per_week);
            set(&mut s.cost_of_delay_per_week, *cost_of_delay_per_week);
        }
        Change::SetPbcRunCost {
            pbc,
            annual_run_cost,
        } => {
            let p = m
                .pbcs
                .iter_mut()
                .find(|p| p.id == *pbc)
                .ok_or_else(|| Error::NotFound(format!("PBC {pbc:?} in {}", which())))?;
            p.annual_run_cost = *annual_run_cost;
        }
        Change::SetIntegration { .. } => set_integration(m, change, which)?,
        Change::Investment { .. } => {}
    }
    Ok(None)
}

fn set<T: Copy>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

fn swap_pbc(m: &mut Model, change: &Change, which: &dyn Fn() -> String) -> Result<Option<String>> {
    let Change::SwapPbc {
        from,
        to,
        stream,
        process_time,
        wait_time,
    } = change
    else {
        return Ok(None);
    };
    require_pbc(m, to, which)?;
    let mut swapped = 0;
    let mut i = 0;
    while i < m.assignments.len() {
        let a = &m.assignments[i];
        if a.pbc != *from || stream.as_ref().is_some_and(|s| *s != a.stream) {
            i += 1;
            continue;
        }
        swapped += 1;
        let taken = m
            .assignments
            .iter()
            .any(|b| b.pbc == *to && b.stream == a.stream && b.stage == a.stage);
        if taken {
            // `to` already serves this stage: the swap just retires `from` here.
            m.assignments.remove(i);
            continue;
        }
        let a = &mut m.assignments[i];
        a.pbc = to.clone();
        set(&mut a.process_time, *process_time);
        set(&mut a.wait_time, *wait_time);
        i += 1;
    }
    Ok((swapped == 0).then(|| {
        let of = stream
            .as_ref()
            .map(|s| format!(" of stream {s:?}"))
            .unwrap_or_default();
        format!("PBC {from:?} serves no stage{of}, so the swap changes nothing")
    }))
}

fn assign_pbc(m: &mut Model, change: &Change, which: &dyn Fn() -> String) -> Result<()> {
    let Change::AssignPbc {
        pbc,
        stream,
        stage,
        process_time,
        wait_time,
    } = change
    else {
        return Ok(());
    };
    require_pbc(m, pbc, which)?;
    require_stage(m, stream, stage, which)?;
    let key = [pbc.as_str(), stream.as_str(), stage.as_str()];
    match m.assignments.iter_mut().find(|a| a.key() == key) {
        Some(a) => {
            a.process_time = *process_time;
            a.wait_time = *wait_time;
        }
        None => m.assignments.push(Assignment {
            pbc: pbc.clone(),
            stream: stream.clone(),
            stage: stage.clone(),
            process_time: *process_time,
            wait_time: *wait_time,
            note: None,
        }),
    }
    Ok(())
}

fn set_stage(m: &mut Model, change: &Change, which: &dyn Fn() -> String) -> Result<()> {
    let Change::SetStage {
        stream,
        stage,
        process_time,
        wait_time,
        pca,
        capacity,
    } = change
    else {
        return Ok(());
    };
    require_stage(m, stream, stage, which)?;
    let st = m
        .streams
        .iter_mut()
        .find(|s| s.id == *stream)
        .and_then(|s| s.stages.iter_mut().find(|x| x.id == *stage))
        .ok_or_else(|| Error::NotFound(format!("stage {stage:?} in {}", which())))?;
    set(&mut st.process_time, *process_time);
    set(&mut st.wait_time, *wait_time);
    set(&mut st.pca, *pca);
    if let Some(v) = capacity {
        st.capacity = Some(*v);
    }
    Ok(())
}

fn set_integration(m: &mut Model, change: &Change, which: &dyn Fn() -> String) -> Result<()> {
    let Change::SetIntegration {
        integration,
        style,
        latency,
        interval,
        calls_per_item,
    } = change
    else {
        return Ok(());
    };
    let x = m
        .integrations
        .iter_mut()
        .find(|x| x.id == *integration)
        .ok_or_else(|| Error::NotFound(format!("integration {integration:?} in {}", which())))?;
    set(&mut x.style, *style);
    set(&mut x.latency, *latency);
    if interval.is_some() {
        x.interval = *interval;
    }
    if calls_per_item.is_some() {
        x.calls_per_item = *calls_per_item;
    }
    Ok(())
}

fn require_pbc(m: &Model, id: &str, which: &dyn Fn() -> String) -> Result<()> {
    m.pbc(id)
        .map(|_| ())
        .ok_or_else(|| Error::NotFound(format!("PBC {id:?} in {}", which())))
}

fn require_stage(m: &Model, stream: &str, stage: &str, which: &dyn Fn() -> String) -> Result<()> {
    m.stream(stream)
        .and_then(|s| s.stage(stage))
        .map(|_| ())
        .ok_or_else(|| {
            Error::NotFound(format!(
                "stage {stage:?} of stream {stream:?} in {}",
                which()
            ))
        })
}

/// The stages a scenario touches, as (stream, stage) ids: where a kaizen burst goes on the
/// map. A swap touches every stage the swapped PBC serves.
pub fn affected_stages(model: &Model, scenario: &Scenario) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for c in &scenario.changes {
        for hit in stages_of_change(model, c) {
            if !out.contains(&hit) {
                out.push(hit);
            }
        }
    }
    out
}

/// The stages one change acts on, as (stream, stage) ids, each once.
pub fn stages_of_change(model: &Model, change: &Change) -> Vec<(String, String)> {
    let pair = |s: &str, st: &str| (s.to_owned(), st.to_owned());
    let mut out: Vec<(String, String)> = match change {
        Change::SetStage { stream, stage, .. }
        | Change::AssignPbc { stream, stage, .. }
        | Change::UnassignPbc { stream, stage, .. } => vec![pair(stream, stage)],
        Change::SwapPbc { from, stream, .. } => model
            .assignments
            .iter()
            .filter(|a| a.pbc == *from && stream.as_ref().is_none_or(|s| *s == a.stream))
            .map(|a| pair(&a.stream, &a.stage))
            .collect(),
        Change::SetPbcRunCost { pbc, .. } => model
            .assignments
            .iter()
            .filter(|a| a.pbc == *pbc)
            .map(|a| pair(&a.stream, &a.stage))
            .collect(),
        Change::SetIntegration { integration, .. } => model
            .integration(integration)
            .and_then(|x| x.at.as_ref())
            .map(|at| pair(&at.stream, &at.stage))
            .into_iter()
            .collect(),
        Change::SetStream { .. } | Change::Investment { .. } => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    out.retain(|x| seen.insert(x.clone()));
    out
}

/// Looks a scenario up by id.
pub fn find<'a>(model: &'a Model, id: &str) -> Result<&'a Scenario> {
    model.scenario(id).ok_or_else(|| {
        let known: Vec<&str> = model.scenarios.iter().map(|s| s.id.as_str()).collect();
        Error::NotFound(if known.is_empty() {
            format!("scenario {id:?} (the model has no scenarios)")
        } else {
            format!("scenario {id:?} (the model has: {})", known.join(", "))
        })
    })
}

/// Metrics of the model as a scenario makes it.
pub fn metrics(model: &Model, scenario: &Scenario) -> Result<ModelMetrics> {
    let (m, _) = apply(model, scenario)?;
    metrics::compute(&m)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Comparison {
    pub scenario_id: String,
    pub scenario_name: String,
    pub currency: String,
    pub unit: crate::model::TimeUnit,
    pub streams: Vec<StreamComparison>,
    pub annual_delay_cost_saved: f64,
    pub annual_run_cost_baseline: f64,
    pub annual_run_cost_scenario: f64,
    /// Baseline run cost - scenario run cost.
    pub annual_run_cost_saved: f64,
    /// Delay cost saved + run cost saved, per year once the scenario is in place.
    pub annual_benefit: f64,
    pub investment: f64,
    /// Weeks until the longest investment is done and benefits start.
    pub build_weeks: f64,
    pub discount_rate: f64,
    pub horizon_years: u32,
    /// Cash flows by year from t = 0: -investment, then each year's benefit.
    pub cash_flows: Vec<f64>,
    pub npv: f64,
    /// Years to pay back; `None` if it never does.
    pub payback_years: Option<f64>,
    /// `None` where the cash flows never change sign.
    pub irr: Option<f64>,
    /// One line per change, for people.
    pub changes: Vec<String>,
    /// Changes that had nothing to act on.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamComparison {
    pub id: String,
    pub name: String,
    pub baseline: StreamFigures,
    pub scenario: StreamFigures,
    /// Baseline lead time - scenario lead time (positive: faster).
    pub lead_time_saved: f64,
    pub lead_time_saved_weeks: f64,
    pub flow_efficiency_change: f64,
    pub throughput_change: f64,
    pub annual_delay_cost_saved: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamFigures {
    pub lead_time: f64,
    pub process_time: f64,
    pub wait_time: f64,
    pub flow_efficiency: f64,
    pub rolled_pca: f64,
    pub throughput_per_week: f64,
    pub annual_delay_cost: f64,
    pub bottleneck: Option<String>,
}

/// A figure before and after a scenario, and how it moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub before: f64,
    pub after: f64,
    /// After - before.
    pub change: f64,
    /// The change as a share of the figure before; `None` where that figure is zero.
    pub relative: Option<f64>,
}

impl Difference {
    pub fn of(before: f64, after: f64) -> Difference {
        let change = after - before;
        Difference {
            before,
            after,
            change,
            relative: (before.abs() > 1e-12).then(|| change / before),
        }
    }

    /// Too small to be anything but rounding (under 1e-9).
    pub fn unchanged(&self) -> bool {
        self.change.abs() < 1e-9
    }
}

/// One year of a business case: its cash flow, discounted to t = 0, and the discounted sum
/// from year 0 up to it (the last one is the NPV).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CashFlowYear {
    pub year: u32,
    pub cash_flow: f64,
    pub discounted: f64,
    pub cumulative: f64,
}

impl Comparison {
    /// The comparison of one stream.
    pub fn stream(&self, id: &str) -> Option<&StreamComparison> {
        self.streams.iter().find(|s| s.id == id)
    }

    /// The cash flows year by year, discounted as the NPV discounts them.
    pub fn years(&self) -> Vec<CashFlowYear> {
        let mut cumulative = 0.0;
        self.cash_flows
            .iter()
            .enumerate()
            .map(|(t, &cash_flow)| {
                let discounted = cash_flow / (1.0 + self.discount_rate).powi(t as i32);
                cumulative += discounted;
                CashFlowYear {
                    year: t as u32,
                    cash_flow,
                    discounted,
                    cumulative,
                }
            })
            .collect()
    }
}

impl StreamComparison {
    /// The share of the baseline lead time the scenario saves (0 where it is no faster).
    pub fn lead_time_cut(&self) -> f64 {
        (self.lead_time_saved / self.baseline.lead_time.max(1e-12)).max(0.0)
    }
}

impl From<&metrics::StreamMetrics> for StreamFigures {
    fn from(s: &metrics::StreamMetrics) -> Self {
        StreamFigures {
            lead_time: s.lead_time,
            process_time: s.process_time,
            wait_time: s.wait_time,
            flow_efficiency: s.flow_efficiency,
            rolled_pca: s.rolled_pca,
            throughput_per_week: s.throughput_per_week,
            annual_delay_cost: s.annual_delay_cost,
            bottleneck: s.bottleneck.as_ref().map(|b| b.id.clone()),
        }
    }
}

/// Compares the scenario `id` with the baseline.
pub fn compare(model: &Model, id: &str) -> Result<Comparison> {
    let baseline = metrics::compute(model)?;
    compare_with(model, &baseline, find(model, id)?)
}

/// Compares with baseline metrics computed already (the app keeps them).
pub fn compare_with(
    model: &Model,
    baseline: &ModelMetrics,
    scenario: &Scenario,
) -> Result<Comparison> {
    let (variant, notes) = apply(model, scenario)?;
    let after = metrics::compute(&variant)?;
    let streams: Vec<StreamComparison> = baseline
        .streams
        .iter()
        .zip(&after.streams)
        .map(|(b, a)| StreamComparison {
            id: b.id.clone(),
            name: b.name.clone(),
            baseline: b.into(),
            scenario: a.into(),
            lead_time_saved: b.lead_time - a.lead_time,
            lead_time_saved_weeks: b.lead_time_weeks - a.lead_time_weeks,
            flow_efficiency_change: a.flow_efficiency - b.flow_efficiency,
            throughput_change: a.throughput_per_week - b.throughput_per_week,
            annual_delay_cost_saved: b.annual_delay_cost - a.annual_delay_cost,
        })
        .collect();
    let annual_delay_cost_saved = baseline.annual_delay_cost - after.annual_delay_cost;
    let annual_run_cost_saved = baseline.annual_run_cost - after.annual_run_cost;
    let annual_benefit = annual_delay_cost_saved + annual_run_cost_saved;

    let (investment, build_weeks) =
        scenario
            .changes
            .iter()
            .fold((0.0, 0.0_f64), |(sum, weeks), c| match c {
                Change::Investment {
                    amount,
                    duration_weeks,
                    ..
                } => (sum + amount, weeks.max(*duration_weeks)),
                _ => (sum, weeks),
            });
    let years = model.finance.horizon_years;
    let rate = model.finance.discount_rate;
    let benefits = finance::ramped_benefits(annual_benefit, build_weeks / WEEKS_PER_YEAR, years);
    let mut cash_flows = Vec::with_capacity(benefits.len() + 1);
    cash_flows.push(-investment);
    cash_flows.extend(&benefits);

    Ok(Comparison {
        scenario_id: scenario.id.clone(),
        scenario_name: scenario.name.clone(),
        currency: model.currency.clone(),
        unit: model.time_unit,
        streams,
        annual_delay_cost_saved,
        annual_run_cost_baseline: baseline.annual_run_cost,
        annual_run_cost_scenario: after.annual_run_cost,
        annual_run_cost_saved,
        annual_benefit,
        investment,
        build_weeks,
        discount_rate: rate,
        horizon_years: years,
        npv: finance::npv(rate, &cash_flows),
        payback_years: finance::payback(investment, &benefits, annual_benefit),
        irr: finance::irr(&cash_flows),
        cash_flows,
        changes: scenario
            .changes
            .iter()
            .map(|c| describe(model, c))
            .collect(),
        notes,
    })
}

/// One line for people: "Approve: wait 40 -> 8 h".
pub fn describe(model: &Model, change: &Change) -> String {
    use crate::format::{money, number};
    let unit = model.time_unit.suffix();
    let pbc_name = |id: &str| model.pbc(id).map_or(id.to_owned(), |p| p.name.clone());
    let stage_name = |stream: &str, stage: &str| {
        model
            .stream(stream)
            .and_then(|s| s.stage(stage))
            .map_or(stage.to_owned(), |s| s.name.clone())
    };
    match change {
        Change::SwapPbc { .. } => describe_swap(model, change),
        Change::AssignPbc {
            pbc,
            stream,
            stage,
            process_time,
            wait_time,
        } => format!(
            "Add {} at {} (process {} {unit}, wait {} {unit})",
            pbc_name(pbc),
            stage_name(stream, stage),
            number(*process_time),
            number(*wait_time)
        ),
        Change::UnassignPbc { pbc, stream, stage } => {
            format!(
                "Remove {} from {}",
                pbc_name(pbc),
                stage_name(stream, stage)
            )
        }
        Change::SetStage { .. } => describe_set_stage(model, change),
        Change::SetStream { .. } => describe_set_stream(model, change),
        Change::SetPbcRunCost {
            pbc,
            annual_run_cost,
        } => format!(
            "{}: run cost {} a year",
            pbc_name(pbc),
            money(*annual_run_cost, &model.currency)
        ),
        Change::SetIntegration { .. } => describe_set_integration(model, change),
        Change::Investment {
            name,
            amount,
            duration_weeks,
        } => {
            let amount = money(*amount, &model.currency);
            if *duration_weeks > 0.0 {
                let weeks = number(*duration_weeks);
                format!("Invest {amount} in {name} over {weeks} weeks")
            } else {
                format!("Invest {amount} in {name}")
            }
        }
    }
}

/// "Swap ERP returns module for Returns management (wait 0.1 d)".
fn describe_swap(model: &Model, change: &Change) -> String {
    use crate::format::number;
    let Change::SwapPbc {
        from,
        to,
        process_time,
        wait_time,
        ..
    } = change
    else {
        return String::new();
    };
    let unit = model.time_unit.suffix();
    let pbc_name = |id: &str| model.pbc(id).map_or(id.to_owned(), |p| p.name.clone());
    let mut times = Vec::new();
    if let Some(p) = process_time {
        times.push(format!("process {} {unit}", number(*p)));
    }
    if let Some(w) = wait_time {
        times.push(format!("wait {} {unit}", number(*w)));
    }
    let swap = format!("Swap {} for {}", pbc_name(from), pbc_name(to));
    if times.is_empty() {
        swap
    } else {
        format!("{swap} ({})", times.join(", "))
    }
}

/// "Return to refund: demand 400 a week, cost of delay EUR 18 a week".
fn describe_set_stream(model: &Model, change: &Change) -> String {
    use crate::format::{money, number};
    let Change::SetStream {
        stream,
        demand_per_week,
        cost_of_delay_per_week,
    } = change
    else {
        return String::new();
    };
    let name = model
        .stream(stream)
        .map_or(stream.clone(), |s| s.name.clone());
    let mut parts = Vec::new();
    if let Some(d) = demand_per_week {
        parts.push(format!("demand {} a week", number(*d)));
    }
    if let Some(c) = cost_of_delay_per_week {
        parts.push(format!(
            "cost of delay {} a week",
            money(*c, &model.currency)
        ));
    }
    format!("{name}: {}", parts.join(", "))
}

/// "was -> now" where the old figure is known, else the new one.
fn arrow(label: &str, was: Option<f64>, now: f64, suffix: &str) -> String {
    use crate::format::number;
    match was {
        Some(w) => format!("{label} {} -> {}{suffix}", number(w), number(now)),
        None => format!("{label} {}{suffix}", number(now)),
    }
}

fn describe_set_stage(model: &Model, change: &Change) -> String {
    let Change::SetStage {
        stream,
        stage,
        process_time,
        wait_time,
        pca,
        capacity,
    } = change
    else {
        return String::new();
    };
    let unit = format!(" {}", model.time_unit.suffix());
    let old = model.stream(stream).and_then(|s| s.stage(stage));
    let mut parts = Vec::new();
    if let Some(v) = process_time {
        parts.push(arrow("process", old.map(|s| s.process_time), *v, &unit));
    }
    if let Some(v) = wait_time {
        parts.push(arrow("wait", old.map(|s| s.wait_time), *v, &unit));
    }
    if let Some(v) = pca {
        parts.push(format!(
            "%C&A {} -> {}",
            old.map_or("?".into(), |s| crate::format::percent(s.pca)),
            crate::format::percent(*v)
        ));
    }
    if let Some(v) = capacity {
        parts.push(arrow("capacity", old.and_then(|s| s.capacity), *v, ""));
    }
    let name = old.map_or(stage.clone(), |s| s.name.clone());
    format!("{name}: {}", parts.join(", "))
}

/// "Underwriting → Offers: batch -> events, latency 0.5 -> 0.01 h".
fn describe_set_integration(model: &Model, change: &Change) -> String {
    let Change::SetIntegration {
        integration,
        style,
        latency,
        interval,
        calls_per_item,
    } = change
    else {
        return String::new();
    };
    let unit = format!(" {}", model.time_unit.suffix());
    let old = model.integration(integration);
    let mut parts = Vec::new();
    if let Some(v) = style {
        parts.push(match old {
            Some(x) if x.style != *v => format!("{} -> {}", style_name(x.style), style_name(*v)),
            _ => style_name(*v).to_owned(),
        });
    }
    if let Some(v) = latency {
        parts.push(arrow("latency", old.map(|x| x.latency), *v, &unit));
    }
    if let Some(v) = interval {
        parts.push(arrow("every", old.and_then(|x| x.interval), *v, &unit));
    }
    if let Some(v) = calls_per_item {
        parts.push(arrow("calls per item", old.map(|x| x.calls()), *v, ""));
    }
    let name = old.map_or(integration.clone(), |x| x.label(model));
    format!("{name}: {}", parts.join(", "))
}

/// A style in a few words: "synchronous call", "events", "batch".
pub fn style_name(style: crate::model::IntegrationStyle) -> &'static str {
    use crate::model::IntegrationStyle::*;
    match style {
        SyncApi => "synchronous call",
        Events => "events",
        Batch => "batch",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::tests::{close, e1};
    use serde_json::json;

    /// REFERENCE.md E2: Approve's wait 40 h -> 8 h for 600,000 at t = 0, 8 % over 5 years.
    fn e2() -> Comparison {
        let mut model = e1();
        model.finance.discount_rate = 0.08;
        model.finance.horizon_years = 5;
        let scenario = json!({"id": "auto", "name": "Decision automation", "changes": [
            {"kind": "set_stage", "stream": "s", "stage": "approve", "wait_time": 8},
            {"kind": "investment", "name": "automation", "amount": 600_000, "duration_weeks": 0}
        ]});
        model
            .scenarios
            .push(serde_json::from_value(scenario).unwrap());
        compare(&model, "auto").unwrap()
    }

    #[test]
    fn the_lead_time_cut_of_e2() {
        let c = e2();
        assert!(c.stream("nowhere").is_none());
        // 94.5 h -> 62.5 h: 32 h saved, 33.8624 % of the lead time
        let s = c.stream("s").unwrap();
        close(s.lead_time_cut(), 32.0 / 94.5, 1e-15, "cut");
        close(s.lead_time_cut(), 0.338624, 5e-7, "cut, rounded");
        let d = Difference::of(94.5, 62.5);
        assert_eq!(d.change, -32.0);
        close(d.relative.unwrap(), -0.338624, 5e-7, "relative change");
        assert!(!d.unchanged());
        // a slower scenario cuts nothing; a figure from zero has no relative change
        let slower = StreamComparison {
            lead_time_saved: -5.0,
            ..s.clone()
        };
        assert_eq!(slower.lead_time_cut(), 0.0);
        assert_eq!(Difference::of(0.0, 5.0).relative, None);
        assert!(Difference::of(1.0, 1.0 + 1e-10).unchanged());
    }

    #[test]
    fn the_years_of_e2_discount_to_its_npv() {
        // -600,000 now, then 416,000 at the end of each of years 1-5, at 8 %:
        // 416,000 / 1.08 = 385,185.19, ..., 416,000 / 1.08^5 = 283,122.61;
        // cumulative -600,000, -214,814.81, 141,838.13, 472,072.35, 777,844.77, 1,060,967.38
        let years = e2().years();
        let want = [
            (-600_000.0, -600_000.0, -600_000.0),
            (416_000.0, 385_185.19, -214_814.81),
            (416_000.0, 356_652.95, 141_838.13),
            (416_000.0, 330_234.21, 472_072.35),
            (416_000.0, 305_772.42, 777_844.77),
            (416_000.0, 283_122.61, 1_060_967.38),
        ];
        assert_eq!(years.len(), want.len());
        for (t, (y, (flow, disc, cum))) in years.iter().zip(want).enumerate() {
            assert_eq!(y.year, t as u32);
            close(y.cash_flow, flow, 1e-6, "cash flow");
            close(y.discounted, disc, 0.005, "discounted");
            close(y.cumulative, cum, 0.005, "cumulative");
        }
        close(years[5].cumulative, e2().npv, 1e-6, "the last is the NPV");
    }
}
