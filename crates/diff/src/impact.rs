//! What a difference does to the numbers: each stream's lead time, flow efficiency and annual
//! delay cost, the model's totals, and each scenario's business case, before and after, from
//! the engine's own metrics and comparisons. Only what moved is listed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::format::{money_short, number, percent};
use tributary_core::metrics::{self, ModelMetrics};
use tributary_core::scenario::{self, StreamFigures};
use tributary_core::{Model, Scenario, TimeUnit};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Impact {
    pub currency: String,
    /// The unit of the first model's times, and of the second's.
    pub unit_before: TimeUnit,
    pub unit_after: TimeUnit,
    /// Streams whose figures differ (or that only one model has).
    pub streams: Vec<StreamImpact>,
    /// Annual delay cost of every stream together, before and after.
    pub annual_delay_cost: [f64; 2],
    pub annual_run_cost: [f64; 2],
    /// Scenarios whose business case differs (or that only one model has).
    pub scenarios: Vec<ScenarioImpact>,
    /// Figures that could not be computed, and why.
    pub notes: Vec<String>,
}

impl Impact {
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
            && self.scenarios.is_empty()
            && self.annual_delay_cost[0] == self.annual_delay_cost[1]
            && self.annual_run_cost[0] == self.annual_run_cost[1]
    }

    /// The changes in the numbers, one line each.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.streams.iter().map(|s| s.text.clone()).collect();
        let [d0, d1] = self.annual_delay_cost;
        let [r0, r1] = self.annual_run_cost;
        // only the totals that change: "run cost EUR 1.2m -> EUR 1.2m" says nothing
        let mut totals = Vec::new();
        if d0 != d1 {
            totals.push(format!(
                "annual delay cost {} -> {}",
                money_short(d0, &self.currency),
                money_short(d1, &self.currency)
            ));
        }
        if r0 != r1 {
            totals.push(format!(
                "run cost {} -> {} a year",
                money_short(r0, &self.currency),
                money_short(r1, &self.currency)
            ));
        }
        if !totals.is_empty() {
            out.push(format!("all streams: {}", totals.join(", ")));
        }
        out.extend(self.scenarios.iter().map(|s| s.text.clone()));
        out.extend(self.notes.iter().cloned());
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamImpact {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<StreamFigures>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<StreamFigures>,
    /// "Mortgage decision: lead time 62.5 h -> 40 h, ..."
    pub text: String,
}

/// The headline of a scenario's business case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct BusinessCase {
    pub annual_benefit: f64,
    pub investment: f64,
    pub npv: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub payback_years: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ScenarioImpact {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<BusinessCase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<BusinessCase>,
    pub text: String,
}

/// The numbers of `a` and `b` side by side.
pub fn of(a: &Model, b: &Model) -> Impact {
    let mut notes = Vec::new();
    let mut figures = |m: &Model, which: &str| match metrics::compute(m) {
        Ok(x) => Some(x),
        Err(e) => {
            notes.push(format!(
                "the {which} model's figures cannot be computed: {e}"
            ));
            None
        }
    };
    let (ma, mb) = (figures(a, "first"), figures(b, "second"));
    let total = |m: &Option<ModelMetrics>, f: fn(&ModelMetrics) -> f64| m.as_ref().map_or(0.0, f);
    let mut impact = Impact {
        currency: b.currency.clone(),
        unit_before: a.time_unit,
        unit_after: b.time_unit,
        streams: streams(a, b, ma.as_ref(), mb.as_ref()),
        annual_delay_cost: [
            total(&ma, |m| m.annual_delay_cost),
            total(&mb, |m| m.annual_delay_cost),
        ],
        annual_run_cost: [
            total(&ma, |m| m.annual_run_cost),
            total(&mb, |m| m.annual_run_cost),
        ],
        scenarios: Vec::new(),
        notes,
    };
    impact.scenarios = scenarios(a, b, ma.as_ref(), mb.as_ref(), &mut impact.notes);
    impact
}

fn streams(
    a: &Model,
    b: &Model,
    ma: Option<&ModelMetrics>,
    mb: Option<&ModelMetrics>,
) -> Vec<StreamImpact> {
    let of = |m: Option<&ModelMetrics>, id: &str| {
        m.and_then(|m| m.streams.iter().find(|s| s.id == id))
            .map(StreamFigures::from)
    };
    let ids = b.streams.iter().chain(&a.streams).map(|s| (&s.id, &s.name));
    let mut seen = std::collections::HashSet::new();
    ids.filter(|(id, _)| seen.insert(id.as_str()))
        .filter_map(|(id, name)| {
            let (before, after) = (of(ma, id), of(mb, id));
            (before != after).then(|| StreamImpact {
                text: stream_text(name, before.as_ref(), after.as_ref(), a, b),
                id: id.clone(),
                name: name.clone(),
                before,
                after,
            })
        })
        .collect()
}

fn stream_text(
    name: &str,
    before: Option<&StreamFigures>,
    after: Option<&StreamFigures>,
    a: &Model,
    b: &Model,
) -> String {
    let (ua, ub) = (a.time_unit.suffix(), b.time_unit.suffix());
    match (before, after) {
        (Some(x), Some(y)) => format!(
            "{name}: lead time {} {ua} -> {} {ub}, flow efficiency {} -> {}, annual delay cost {} -> {}",
            number(x.lead_time),
            number(y.lead_time),
            percent(x.flow_efficiency),
            percent(y.flow_efficiency),
            money_short(x.annual_delay_cost, &a.currency),
            money_short(y.annual_delay_cost, &b.currency)
        ),
        (None, Some(y)) => format!(
            "{name} (new): lead time {} {ub}, annual delay cost {}",
            number(y.lead_time),
            money_short(y.annual_delay_cost, &b.currency)
        ),
        (Some(x), None) => format!(
            "{name} (removed): it had lead time {} {ua}, annual delay cost {}",
            number(x.lead_time),
            money_short(x.annual_delay_cost, &a.currency)
        ),
        (None, None) => name.to_owned(),
    }
}

fn case(
    m: &Model,
    base: &ModelMetrics,
    s: &Scenario,
    notes: &mut Vec<String>,
) -> Option<BusinessCase> {
    match scenario::compare_with(m, base, s) {
        Ok(c) => Some(BusinessCase {
            annual_benefit: c.annual_benefit,
            investment: c.investment,
            npv: c.npv,
            payback_years: c.payback_years,
        }),
        Err(e) => {
            notes.push(format!("scenario {}: {e}", s.name));
            None
        }
    }
}

fn scenarios(
    a: &Model,
    b: &Model,
    ma: Option<&ModelMetrics>,
    mb: Option<&ModelMetrics>,
    notes: &mut Vec<String>,
) -> Vec<ScenarioImpact> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in b.scenarios.iter().chain(&a.scenarios) {
        if !seen.insert(s.id.as_str()) {
            continue;
        }
        let before = ma
            .zip(a.scenario(&s.id))
            .and_then(|(m, x)| case(a, m, x, notes));
        let after = mb
            .zip(b.scenario(&s.id))
            .and_then(|(m, x)| case(b, m, x, notes));
        if before != after {
            out.push(ScenarioImpact {
                text: scenario_text(&s.name, before.as_ref(), after.as_ref(), &b.currency),
                id: s.id.clone(),
                name: s.name.clone(),
                before,
                after,
            });
        }
    }
    out
}

fn scenario_text(
    name: &str,
    before: Option<&BusinessCase>,
    after: Option<&BusinessCase>,
    cur: &str,
) -> String {
    let payback = |p: Option<f64>| p.map_or("never".to_owned(), |y| format!("{} years", number(y)));
    let one = |c: &BusinessCase| {
        format!(
            "NPV {}, benefit {} a year, payback {}",
            money_short(c.npv, cur),
            money_short(c.annual_benefit, cur),
            payback(c.payback_years)
        )
    };
    match (before, after) {
        (Some(x), Some(y)) => format!(
            "scenario {name}: NPV {} -> {}, benefit {} -> {} a year, payback {} -> {}",
            money_short(x.npv, cur),
            money_short(y.npv, cur),
            money_short(x.annual_benefit, cur),
            money_short(y.annual_benefit, cur),
            payback(x.payback_years),
            payback(y.payback_years)
        ),
        (None, Some(y)) => format!("scenario {name} (new): {}", one(y)),
        (Some(x), None) => format!("scenario {name} (removed): it had {}", one(x)),
        (None, None) => format!("scenario {name}"),
    }
}
