//! What a simulation reports: per stream, distributions of lead time, flow efficiency and
//! cost of delay, throughput, WIP over time, rework, and per stage utilisation and queues;
//! for a scenario, the same beside the baseline. Serialised for the CLI's `--json` and typed
//! for the app (ts-rs).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::{Arrivals, Problem, TimeUnit};
use ts_rs::TS;

/// A mean over independent runs and its standard error (`None` with a single run).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Estimate {
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub std_error: Option<f64>,
}

/// A distribution of a per-item quantity, pooled over every measured item of every run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "SimSummary")]
pub struct Summary {
    pub mean: f64,
    /// Standard error of the mean, from the spread of the run means (`None` with one run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub std_error: Option<f64>,
    pub p50: f64,
    pub p85: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

/// The mean and the marked percentiles of a derived quantity (money, savings).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Spread {
    pub mean: f64,
    pub p50: f64,
    pub p85: f64,
    pub p95: f64,
}

/// One bar of a histogram: values in [from, to) (the last bar includes `to`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "SimBin")]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    #[ts(type = "number")]
    pub count: u64,
    /// count / all items.
    pub share: f64,
}

/// Items in the stream (arrived, not yet done) at one moment, over the runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct WipPoint {
    /// Time since the first arrival, in the model's time unit (warm-up included).
    pub time: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// The simulation of every stream (or of one) of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Simulation {
    /// The unit of every duration below (the model's).
    pub unit: TimeUnit,
    pub currency: String,
    #[ts(type = "number")]
    pub seed: u64,
    /// Measured items per run and stream.
    pub items: u32,
    pub runs: u32,
    pub streams: Vec<StreamSimulation>,
    /// Findings of the pre-run checks that did not stop the run.
    pub warnings: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamSimulation {
    pub id: String,
    pub name: String,
    pub arrivals: Arrivals,
    pub demand_per_week: f64,
    /// Items simulated before measuring starts, per run.
    pub warmup_items: u32,
    /// Lead time of an item: from its arrival to the end of its last stage.
    pub lead_time: Summary,
    pub lead_time_histogram: Vec<Bin>,
    /// The paper map's first-pass lead time (`metrics`), for comparison.
    pub analytic_lead_time: f64,
    /// The paper map's expected lead time with rework (`metrics`).
    pub analytic_expected_lead_time: f64,
    /// Items completed per week in the measurement window.
    pub throughput_per_week: Estimate,
    /// Time-average number of items in the stream (Little's L).
    pub wip: Estimate,
    pub wip_over_time: Vec<WipPoint>,
    /// Share of measured items that failed %C&A at least once.
    pub reworked_share: Estimate,
    /// Per item: active (process) time along its critical path / lead time.
    pub flow_efficiency: Summary,
    pub cost_of_delay_per_week: f64,
    /// Cost of delay x lead time in weeks, per item.
    pub delay_cost_per_item: Spread,
    /// demand x 52 x the per-item figure: the annual delay cost if every item took the mean
    /// (or p50, p85, p95) lead time.
    pub annual_delay_cost: Spread,
    pub stages: Vec<StageSimulation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StageSimulation {
    pub id: String,
    pub name: String,
    /// Parallel servers simulated (`None`: unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub servers: Option<u32>,
    /// Share of server time spent working (`None` with unlimited servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub utilisation: Option<Estimate>,
    /// Time-average number of items being worked on.
    pub busy: Estimate,
    /// Mean time an item waits at the stage per visit before it queues for a server: the
    /// stage's wait time with what its PBCs and integrations add, batches included (drawn
    /// at their runs), so that it compares with the paper map's wait time.
    pub wait_time: Estimate,
    /// Time-average number of items queued for a server (after their wait time).
    pub queue_length: Estimate,
    /// Mean time an item spends queued for a server, per visit.
    pub queue_time: Estimate,
    /// Time-average number of items in the stage: waiting, queued, in work, or done and
    /// blocked by a full stage downstream.
    pub wip: Estimate,
    /// Time-average number of servers held by items blocked downstream.
    pub blocked: Estimate,
    /// Visits per measured item (1 without rework).
    pub visits_per_item: Estimate,
    /// Expected visits per item from the rework structure (the pre-run check's figure).
    pub expected_visits: f64,
}

/// A scenario simulated beside the baseline, with the same random numbers (common random
/// numbers), so that differences come from the scenario and not from chance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SimComparison {
    pub scenario_id: String,
    pub scenario_name: String,
    pub unit: TimeUnit,
    pub currency: String,
    #[ts(type = "number")]
    pub seed: u64,
    pub items: u32,
    pub runs: u32,
    pub streams: Vec<StreamSimComparison>,
    /// How the scenario was applied (changes with nothing to act on, distributions scaled).
    pub notes: Vec<String>,
    pub warnings: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamSimComparison {
    pub id: String,
    pub name: String,
    /// Baseline and scenario; their lead-time histograms share the same bins.
    pub baseline: StreamSimulation,
    pub scenario: StreamSimulation,
    /// Baseline - scenario lead time (positive: faster), at the mean and each percentile.
    pub lead_time_saved: Spread,
    /// Baseline - scenario annual delay cost (positive: saved).
    pub annual_delay_cost_saved: Spread,
    /// Standard error of the mean annual saving, from the paired runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub annual_delay_cost_saved_std_error: Option<f64>,
    /// "85 % of items within 9 d, down from 21 d".
    pub headline: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::{Config, TS};

    // The app reads these types through generated TypeScript: optional fields stay optional,
    // 64-bit counts and seeds become numbers, and nested types are referenced by name.
    #[test]
    fn the_typescript_declarations_are_what_the_app_reads() {
        let cfg = Config::new();
        let sim = Simulation::decl(&cfg);
        assert!(sim.contains("seed: number"), "{sim}");
        assert!(sim.contains("streams: Array<StreamSimulation>"), "{sim}");
        let est = Estimate::decl(&cfg);
        assert!(est.contains("std_error?: number"), "{est}");
        let stage = StageSimulation::decl(&cfg);
        assert!(stage.contains("utilisation?: Estimate"), "{stage}");
        let bin = Bin::decl(&cfg);
        assert!(bin.contains("count: number"), "{bin}");
        let opts = crate::Options::decl(&cfg);
        assert!(
            opts.contains("warmup?: number") && opts.contains("seed: number"),
            "{opts}"
        );
        let p = crate::Progress::decl(&cfg);
        assert!(
            p.contains("done: number") && p.contains("total: number"),
            "{p}"
        );
    }

    #[test]
    fn results_have_a_json_schema() {
        let schema = schemars::schema_for!(SimComparison);
        let props = schema
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        assert!(props.contains(&"streams".to_owned()), "{props:?}");
        assert!(props.contains(&"notes".to_owned()), "{props:?}");
    }
}
