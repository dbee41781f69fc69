//! Flow metrics of a value stream map (REFERENCE.md sections 1, 2 and 4).
//!
//! Every duration is working time in the model's time unit. A stage's times are its own
//! work plus what each PBC assigned to it contributes. The stream's lead time runs along the
//! critical path (the longest path through the flow graph); its process time is summed along
//! that same path, so flow efficiency is the share of the critical path that is hands-on work.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::graph::Flow;
use crate::model::{Model, Stream, TimeUnit};

/// Weeks in a year, for annual figures.
pub const WEEKS_PER_YEAR: f64 = 52.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ModelMetrics {
    /// The unit of every duration below.
    pub unit: TimeUnit,
    pub currency: String,
    pub streams: Vec<StreamMetrics>,
    /// Sum over streams of the annual cost of delay of their lead time.
    pub annual_delay_cost: f64,
    /// Sum of the annual run cost of the PBCs that serve at least one stage.
    pub annual_run_cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamMetrics {
    pub id: String,
    pub name: String,
    pub unit: TimeUnit,
    /// First-pass lead time along the critical path.
    pub lead_time: f64,
    /// Process time along the critical path.
    pub process_time: f64,
    /// Wait time along the critical path (lead time - process time).
    pub wait_time: f64,
    /// Process time / lead time (the VSM activity ratio), in [0, 1].
    pub flow_efficiency: f64,
    /// Product of %C&A over all stages: the share of items that pass with no rework.
    pub rolled_pca: f64,
    /// Expected lead time when a failed item redoes its own stage: sum of LT_i / %C&A_i
    /// along the critical path.
    pub expected_lead_time: f64,
    /// Expected time lost to rework per item (expected - first-pass lead time).
    pub rework_time: f64,
    /// Process time of every stage, parallel branches included.
    pub work_content: f64,
    /// Stage ids along the critical path, in flow order.
    pub critical_path: Vec<String>,
    pub demand_per_week: f64,
    /// Items the stream can complete per week: the lowest stage capacity, or the demand where
    /// no stage has a capacity.
    pub capacity_per_week: Option<f64>,
    /// Items delivered per week: the demand, capped by capacity.
    pub throughput_per_week: f64,
    /// Available working time per item of demand; `None` without demand.
    pub takt_time: Option<f64>,
    /// Items in progress by Little's law (throughput x lead time).
    pub wip: f64,
    pub lead_time_weeks: f64,
    pub cost_of_delay_per_week: f64,
    /// Cost of delay of one item's lead time.
    pub delay_cost_per_item: f64,
    /// demand x 52 x cost of delay x lead time in weeks.
    pub annual_delay_cost: f64,
    pub bottleneck: Option<Bottleneck>,
    pub stages: Vec<StageMetrics>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StageMetrics {
    pub id: String,
    pub name: String,
    /// Own process time plus PBC contributions.
    pub process_time: f64,
    /// Own wait time plus PBC contributions.
    pub wait_time: f64,
    pub lead_time: f64,
    /// Of `process_time`, the part PBCs contribute.
    pub pbc_process_time: f64,
    /// Of `wait_time`, the part PBCs contribute.
    pub pbc_wait_time: f64,
    pub pca: f64,
    pub capacity: Option<f64>,
    /// Demand x process time / (capacity x working time per week); `None` without capacity.
    pub utilisation: Option<f64>,
    /// Lead time / %C&A: expected time here including redoing failed items.
    pub expected_lead_time: f64,
    pub flow_efficiency: f64,
    pub on_critical_path: bool,
    /// Ids of the PBCs that serve the stage, in the model's order.
    pub pbcs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Bottleneck {
    pub id: String,
    pub name: String,
    pub reason: BottleneckReason,
    /// One sentence for people: "Approve has the longest wait: 40 h".
    pub explanation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum BottleneckReason {
    /// Every stage has a capacity: the most loaded one.
    HighestUtilisation,
    /// Otherwise: the stage where items wait longest.
    LongestWait,
}

/// What the PBCs at one stage add: process time, wait time, and their ids.
type StageShare<'a> = (f64, f64, Vec<&'a str>);

/// Per (stream, stage): the time PBCs add and which PBCs they are.
#[derive(Default)]
pub struct Contributions<'a> {
    /// stream id -> stage id -> share
    map: HashMap<&'a str, HashMap<&'a str, StageShare<'a>>>,
}

impl<'a> Contributions<'a> {
    pub fn of(model: &'a Model) -> Contributions<'a> {
        let mut map: HashMap<&str, HashMap<&str, StageShare>> = HashMap::new();
        for a in &model.assignments {
            let e = map
                .entry(a.stream.as_str())
                .or_default()
                .entry(a.stage.as_str())
                .or_default();
            e.0 += a.process_time;
            e.1 += a.wait_time;
            e.2.push(&a.pbc);
        }
        Contributions { map }
    }

    fn get(&self, stream: &str, stage: &str) -> (f64, f64, &[&'a str]) {
        match self.map.get(stream).and_then(|m| m.get(stage)) {
            Some((p, w, ids)) => (*p, *w, ids),
            None => (0.0, 0.0, &[]),
        }
    }
}

/// Metrics of every stream of a (valid) model.
pub fn compute(model: &Model) -> Result<ModelMetrics> {
    let contributions = Contributions::of(model);
    let streams = model
        .streams
        .iter()
        .map(|s| stream_metrics(model, s, &contributions))
        .collect::<Result<Vec<_>>>()?;
    Ok(ModelMetrics {
        unit: model.time_unit,
        currency: model.currency.clone(),
        annual_delay_cost: streams.iter().map(|s| s.annual_delay_cost).sum(),
        annual_run_cost: annual_run_cost(model),
        streams,
    })
}

/// Metrics of one stream by id.
pub fn compute_stream(model: &Model, id: &str) -> Result<StreamMetrics> {
    let stream = model
        .stream(id)
        .ok_or_else(|| Error::NotFound(format!("stream {id:?}")))?;
    stream_metrics(model, stream, &Contributions::of(model))
}

/// Run cost of the PBCs in service (serving at least one stage).
pub fn annual_run_cost(model: &Model) -> f64 {
    let used: std::collections::HashSet<&str> =
        model.assignments.iter().map(|a| a.pbc.as_str()).collect();
    model
        .pbcs
        .iter()
        .filter(|p| used.contains(p.id.as_str()))
        .map(|p| p.annual_run_cost)
        .sum()
}

pub fn stream_metrics(
    model: &Model,
    stream: &Stream,
    contributions: &Contributions,
) -> Result<StreamMetrics> {
    let flow = Flow::of(stream)?;
    let unit = model.time_unit;
    let per_week = model.calendar.units_per_week(unit);
    let demand = stream.demand_per_week;
    let mut warnings = Vec::new();

    let mut stages: Vec<StageMetrics> = stream
        .stages
        .iter()
        .map(|st| {
            let (pbc_pt, pbc_wt, pbcs) = contributions.get(&stream.id, &st.id);
            let process_time = st.process_time + pbc_pt;
            let wait_time = st.wait_time + pbc_wt;
            let lead_time = process_time + wait_time;
            let utilisation = st.capacity.map(|c| demand * (process_time / per_week) / c);
            StageMetrics {
                id: st.id.clone(),
                name: st.name.clone(),
                process_time,
                wait_time,
                lead_time,
                pbc_process_time: pbc_pt,
                pbc_wait_time: pbc_wt,
                pca: st.pca,
                capacity: st.capacity,
                utilisation,
                expected_lead_time: lead_time / st.pca,
                flow_efficiency: ratio(process_time, lead_time),
                on_critical_path: false,
                pbcs: pbcs.iter().map(|s| (*s).to_owned()).collect(),
            }
        })
        .collect();

    let weights: Vec<f64> = stages.iter().map(|s| s.lead_time).collect();
    let (path, lead_time) = flow.longest_path(&weights);
    let mut process_time = 0.0;
    let mut expected_lead_time = 0.0;
    for &i in &path {
        stages[i].on_critical_path = true;
        process_time += stages[i].process_time;
        expected_lead_time += stages[i].expected_lead_time;
    }
    let wait_time = lead_time - process_time;
    let rolled_pca: f64 = stages.iter().map(|s| s.pca).product();
    let work_content: f64 = stages.iter().map(|s| s.process_time).sum();

    // Capacity of the stream: its slowest stage, where stages have capacities.
    let capacity_per_week = stages
        .iter()
        .filter_map(|s| {
            let c = s.capacity?;
            Some(if s.process_time > 0.0 {
                c * per_week / s.process_time
            } else {
                f64::INFINITY
            })
        })
        .reduce(f64::min)
        .filter(|c| c.is_finite());
    let throughput_per_week = capacity_per_week.map_or(demand, |c| demand.min(c));
    let takt_time = (demand > 0.0).then(|| per_week / demand);
    let lead_time_weeks = lead_time / per_week;
    let wip = demand * lead_time_weeks;
    let delay_cost_per_item = stream.cost_of_delay_per_week * lead_time_weeks;
    let annual_delay_cost = demand * WEEKS_PER_YEAR * delay_cost_per_item;

    for s in &stages {
        if let Some(u) = s.utilisation
            && u >= 1.0
        {
            warnings.push(format!(
                "stage {:?} is loaded at {:.0} % of its capacity: its queue grows without bound",
                s.id,
                u * 100.0
            ));
        }
    }

    let bottleneck = bottleneck(&stages, demand, unit);

    Ok(StreamMetrics {
        id: stream.id.clone(),
        name: stream.name.clone(),
        unit,
        lead_time,
        process_time,
        wait_time,
        flow_efficiency: ratio(process_time, lead_time),
        rolled_pca,
        expected_lead_time,
        rework_time: expected_lead_time - lead_time,
        work_content,
        critical_path: path.iter().map(|&i| stages[i].id.clone()).collect(),
        demand_per_week: demand,
        capacity_per_week,
        throughput_per_week,
        takt_time,
        wip,
        lead_time_weeks,
        cost_of_delay_per_week: stream.cost_of_delay_per_week,
        delay_cost_per_item,
        annual_delay_cost,
        bottleneck,
        stages,
        warnings,
    })
}

/// `a / b`, or 0 when there is no time at all.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// REFERENCE.md 2: where every stage has a capacity (and there is demand), the stage of highest
/// utilisation; otherwise the stage with the largest wait. Ties go to the earliest stage. Where
/// nothing waits at all there is no queue to point at, so there is no bottleneck by wait.
fn bottleneck(stages: &[StageMetrics], demand: f64, unit: TimeUnit) -> Option<Bottleneck> {
    let all_capacities = !stages.is_empty() && stages.iter().all(|s| s.utilisation.is_some());
    let pick = |key: &dyn Fn(&StageMetrics) -> f64| {
        stages
            .iter()
            .fold(None::<&StageMetrics>, |best, s| match best {
                Some(b) if key(b) >= key(s) => Some(b),
                _ => Some(s),
            })
    };
    if all_capacities && demand > 0.0 {
        let s = pick(&|s| s.utilisation.unwrap_or(0.0))?;
        let u = s.utilisation.unwrap_or(0.0);
        Some(Bottleneck {
            id: s.id.clone(),
            name: s.name.clone(),
            reason: BottleneckReason::HighestUtilisation,
            explanation: format!(
                "{} is the most loaded stage: {:.0} % utilised",
                s.name,
                u * 100.0
            ),
        })
    } else {
        let s = pick(&|s| s.wait_time)?;
        if s.wait_time <= 0.0 {
            return None;
        }
        Some(Bottleneck {
            id: s.id.clone(),
            name: s.name.clone(),
            reason: BottleneckReason::LongestWait,
            explanation: format!(
                "{} has the longest wait: {} {}",
                s.name,
                crate::format::number(s.wait_time),
                unit.suffix()
            ),
        })
    }
}
