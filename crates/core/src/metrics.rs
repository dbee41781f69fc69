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
use crate::integration::{Attached, IntegrationPart};
use crate::model::{Calendar, IntegrationStyle, Model, Stream, TimeUnit};

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
    /// Integration time along the critical path (process and wait).
    pub integration_time: f64,
    /// Every integration attached to the stream, the costliest first: the slowest
    /// interfaces.
    pub integrations: Vec<IntegrationCost>,
    pub warnings: Vec<String>,
}

/// What one integration costs a stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct IntegrationCost {
    pub id: String,
    pub label: String,
    pub style: IntegrationStyle,
    /// The stage it is attached to.
    pub stage: String,
    pub stage_name: String,
    /// The time it adds at its stage (process + wait).
    pub time: f64,
    /// How much shorter the stream's lead time would be without it: its time where it is
    /// on the critical path, less (or nothing) where a parallel branch takes over.
    pub lead_time: f64,
    /// `lead_time` as a share of the stream's lead time.
    pub share_of_lead_time: f64,
    /// Cost of delay of `lead_time` for a year of demand.
    pub annual_delay_cost: f64,
    pub on_critical_path: bool,
    pub explanation: String,
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
    /// Of `process_time`, the part integrations attached here add (synchronous calls).
    pub integration_process_time: f64,
    /// Of `wait_time`, the part integrations attached here add (batches, events).
    pub integration_wait_time: f64,
    /// The integrations attached here, each with its part, in the model's order.
    pub integrations: Vec<IntegrationPart>,
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

/// Stages taken together: how many, and their times summed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StageGroup {
    pub stages: usize,
    pub process_time: f64,
    pub wait_time: f64,
    /// Process time + wait time.
    pub lead_time: f64,
}

/// The stages of longest lead time, and the others together (a chart with room for a few).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LongestStages {
    /// Indices into [`StreamMetrics::stages`], in flow order.
    pub shown: Vec<usize>,
    /// Every other stage.
    pub rest: StageGroup,
}

impl StreamMetrics {
    /// `time` as a share of the stream's lead time (0 when there is no lead time).
    pub fn share_of_lead_time(&self, time: f64) -> f64 {
        ratio(time, self.lead_time)
    }

    /// The share of the lead time items spend waiting (wait / lead time, critical path).
    pub fn wait_share(&self) -> f64 {
        self.share_of_lead_time(self.wait_time)
    }

    /// The bottleneck's own figures.
    pub fn bottleneck_stage(&self) -> Option<&StageMetrics> {
        let b = self.bottleneck.as_ref()?;
        self.stages.iter().find(|s| s.id == b.id)
    }

    /// The stage with the longest wait before it (the longest queue); ties go to the earliest
    /// stage, as for the bottleneck.
    pub fn longest_wait(&self) -> Option<&StageMetrics> {
        self.stages.iter().reduce(|best, s| {
            if s.wait_time > best.wait_time {
                s
            } else {
                best
            }
        })
    }

    /// The lead time in elapsed calendar days: a working week of the model's calendar counts
    /// as a calendar week, as the telemetry converts measured time.
    pub fn lead_time_calendar_days(&self) -> f64 {
        self.lead_time_weeks * DAYS_PER_CALENDAR_WEEK
    }

    /// The `keep` stages of longest lead time in flow order (ties to the earlier stage), and
    /// the rest together. Everything is shown when there are no more than `keep + 1` stages.
    pub fn longest_stages(&self, keep: usize) -> LongestStages {
        let n = self.stages.len();
        if n <= keep + 1 {
            return LongestStages {
                shown: (0..n).collect(),
                rest: StageGroup::default(),
            };
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            self.stages[b]
                .lead_time
                .total_cmp(&self.stages[a].lead_time)
                .then(a.cmp(&b))
        });
        let mut shown = order[..keep].to_vec();
        shown.sort_unstable();
        let (process_time, wait_time) = order[keep..].iter().fold((0.0, 0.0), |(p, w), &i| {
            (
                p + self.stages[i].process_time,
                w + self.stages[i].wait_time,
            )
        });
        LongestStages {
            shown,
            rest: StageGroup {
                stages: n - keep,
                process_time,
                wait_time,
                lead_time: process_time + wait_time,
            },
        }
    }
}

/// Days in a calendar week.
pub const DAYS_PER_CALENDAR_WEEK: f64 = 7.0;

/// How much working time (in `unit`) one elapsed calendar day counts for, when a calendar
/// week counts as one working week (the telemetry's conversion of measured time).
pub fn working_time_per_calendar_day(calendar: &Calendar, unit: TimeUnit) -> f64 {
    calendar.convert(
        calendar.hours_per_week() / DAYS_PER_CALENDAR_WEEK,
        TimeUnit::Hours,
        unit,
    )
}

/// What the PBCs at one stage add: process time, wait time, and their ids.
type StageShare<'a> = (f64, f64, Vec<&'a str>);

/// Per (stream, stage): the time PBCs and integrations add, and which they are.
#[derive(Default)]
pub struct Contributions<'a> {
    /// stream id -> stage id -> share
    map: HashMap<&'a str, HashMap<&'a str, StageShare<'a>>>,
    integrations: Attached<'a>,
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
        Contributions {
            map,
            integrations: Attached::of(model),
        }
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

/// A stage's times: its own, what its PBCs add and what the integrations attached to it add.
fn stage_metrics(
    model: &Model,
    stream: &Stream,
    i: usize,
    contributions: &Contributions,
    per_week: f64,
) -> StageMetrics {
    let st = &stream.stages[i];
    let (pbc_pt, pbc_wt, pbcs) = contributions.get(&stream.id, &st.id);
    let integrations: Vec<IntegrationPart> = contributions
        .integrations
        .at(&stream.id, &st.id)
        .iter()
        .map(|x| IntegrationPart::of(model, x))
        .collect();
    // folded from +0 (an empty f64 sum is -0, which would show as "-0")
    let int_pt = integrations.iter().fold(0.0, |t, x| t + x.process_time);
    let int_wt = integrations.iter().fold(0.0, |t, x| t + x.wait_time);
    let process_time = st.process_time + pbc_pt + int_pt;
    let wait_time = st.wait_time + pbc_wt + int_wt;
    let lead_time = process_time + wait_time;
    let demand = stream.demand_per_week;
    StageMetrics {
        id: st.id.clone(),
        name: st.name.clone(),
        process_time,
        wait_time,
        lead_time,
        pbc_process_time: pbc_pt,
        pbc_wait_time: pbc_wt,
        integration_process_time: int_pt,
        integration_wait_time: int_wt,
        integrations,
        pca: st.pca,
        capacity: st.capacity,
        utilisation: st.capacity.map(|c| demand * (process_time / per_week) / c),
        expected_lead_time: lead_time / st.pca,
        flow_efficiency: ratio(process_time, lead_time),
        on_critical_path: false,
        pbcs: pbcs.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Items the stream can complete per week: its slowest stage, where stages have capacities.
fn capacity_per_week(stages: &[StageMetrics], per_week: f64) -> Option<f64> {
    stages
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
        .filter(|c| c.is_finite())
}

fn overload_warnings(stages: &[StageMetrics]) -> Vec<String> {
    stages
        .iter()
        .filter_map(|s| {
            let u = s.utilisation.filter(|u| *u >= 1.0)?;
            Some(format!(
                "stage {:?} is loaded at {:.0} % of its capacity: its queue grows without bound",
                s.id,
                u * 100.0
            ))
        })
        .collect()
}

/// What each integration costs the stream: the lead time it adds (the critical path with
/// and without it), the costliest first.
fn integration_costs(
    flow: &Flow,
    stages: &[StageMetrics],
    lead_time: f64,
    annual_cost_per_unit: f64,
) -> Vec<IntegrationCost> {
    let weights: Vec<f64> = stages.iter().map(|s| s.lead_time).collect();
    let mut out = Vec::new();
    for (i, st) in stages.iter().enumerate() {
        for part in &st.integrations {
            let mut without = weights.clone();
            without[i] -= part.lead_time();
            let saved = (lead_time - flow.longest_path(&without).1).max(0.0);
            out.push(IntegrationCost {
                id: part.id.clone(),
                label: part.label.clone(),
                style: part.style,
                stage: st.id.clone(),
                stage_name: st.name.clone(),
                time: part.lead_time(),
                lead_time: saved,
                share_of_lead_time: ratio(saved, lead_time),
                annual_delay_cost: saved * annual_cost_per_unit,
                on_critical_path: st.on_critical_path,
                explanation: part.explanation.clone(),
            });
        }
    }
    // stable: ties keep the order of the stages and of the model
    out.sort_by(|a, b| {
        b.lead_time
            .total_cmp(&a.lead_time)
            .then(b.time.total_cmp(&a.time))
    });
    out
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
    let mut stages: Vec<StageMetrics> = (0..stream.stages.len())
        .map(|i| stage_metrics(model, stream, i, contributions, per_week))
        .collect();

    let weights: Vec<f64> = stages.iter().map(|s| s.lead_time).collect();
    let (path, lead_time) = flow.longest_path(&weights);
    let (mut process_time, mut expected_lead_time, mut integration_time) = (0.0, 0.0, 0.0);
    for &i in &path {
        let s = &mut stages[i];
        s.on_critical_path = true;
        process_time += s.process_time;
        expected_lead_time += s.expected_lead_time;
        integration_time += s.integration_process_time + s.integration_wait_time;
    }
    let capacity_per_week = capacity_per_week(&stages, per_week);
    let throughput_per_week = capacity_per_week.map_or(demand, |c| demand.min(c));
    let lead_time_weeks = lead_time / per_week;
    let delay_cost_per_item = stream.cost_of_delay_per_week * lead_time_weeks;
    let annual_cost_per_unit = demand * WEEKS_PER_YEAR * stream.cost_of_delay_per_week / per_week;
    Ok(StreamMetrics {
        id: stream.id.clone(),
        name: stream.name.clone(),
        unit,
        lead_time,
        process_time,
        wait_time: lead_time - process_time,
        flow_efficiency: ratio(process_time, lead_time),
        rolled_pca: stages.iter().map(|s| s.pca).product(),
        expected_lead_time,
        rework_time: expected_lead_time - lead_time,
        work_content: stages.iter().map(|s| s.process_time).sum(),
        critical_path: path.iter().map(|&i| stages[i].id.clone()).collect(),
        demand_per_week: demand,
        capacity_per_week,
        throughput_per_week,
        takt_time: (demand > 0.0).then(|| per_week / demand),
        wip: demand * lead_time_weeks,
        lead_time_weeks,
        cost_of_delay_per_week: stream.cost_of_delay_per_week,
        delay_cost_per_item,
        annual_delay_cost: demand * WEEKS_PER_YEAR * delay_cost_per_item,
        bottleneck: bottleneck(&stages, demand, unit),
        integration_time,
        integrations: integration_costs(&flow, &stages, lead_time, annual_cost_per_unit),
        warnings: overload_warnings(&stages),
        stages,
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

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::{Value, json};

    /// REFERENCE.md E1: four stages in a line (PT h, WT h, %C&A), 8 h x 5 d, 20 items a week
    /// at a cost of delay of 500 per item-week.
    pub(crate) fn e1() -> Model {
        let stages: Vec<Value> = [
            ("intake", "Intake", 0.5, 8.0, 0.90),
            ("assess", "Assess", 2.0, 24.0, 0.80),
            ("approve", "Approve", 1.0, 40.0, 0.95),
            ("fulfil", "Fulfil", 3.0, 16.0, 0.98),
        ]
        .map(|(id, name, pt, wt, pca)| {
            json!({"id": id, "name": name, "process_time": pt, "wait_time": wt, "pca": pca})
        })
        .into();
        let doc = json!({
            "format": "tributary/1", "name": "E1 line stream", "time_unit": "hours",
            "calendar": {"hours_per_day": 8, "days_per_week": 5},
            "streams": [{"id": "s", "name": "E1", "demand_per_week": 20,
                "cost_of_delay_per_week": 500, "stages": stages}]
        });
        crate::exchange::from_json(&doc.to_string()).unwrap()
    }

    pub(crate) fn close(got: f64, want: f64, tol: f64, what: &str) {
        assert!((got - want).abs() <= tol, "{what}: got {got}, want {want}");
    }

    fn e1_metrics() -> StreamMetrics {
        compute(&e1()).unwrap().streams.remove(0)
    }

    #[test]
    fn shares_of_the_lead_time() {
        let s = e1_metrics();
        // 88 h of 94.5 h waiting; Approve's 41 h of lead time and 40 h of wait
        close(s.wait_share(), 88.0 / 94.5, 1e-15, "wait share");
        close(s.wait_share(), 0.931217, 5e-7, "wait share, rounded");
        close(s.share_of_lead_time(41.0), 0.433862, 5e-7, "Approve's lead");
        let b = s.bottleneck_stage().unwrap();
        assert_eq!(b.id, "approve");
        close(
            s.share_of_lead_time(b.wait_time),
            0.423280,
            5e-7,
            "wait there",
        );
        // no lead time at all: no share, rather than a division by zero
        let mut m = e1();
        for st in &mut m.streams[0].stages {
            (st.process_time, st.wait_time) = (0.0, 0.0);
        }
        let zero = compute(&m).unwrap().streams.remove(0);
        assert_eq!(zero.wait_share(), 0.0);
    }

    #[test]
    fn the_longest_queue_goes_to_the_earliest_stage_on_a_tie() {
        let s = e1_metrics();
        assert_eq!(s.longest_wait().unwrap().id, "approve");
        let mut m = e1();
        m.streams[0].stages[0].wait_time = 40.0;
        let s = compute(&m).unwrap().streams.remove(0);
        assert_eq!(s.longest_wait().unwrap().id, "intake");
        assert_eq!(s.bottleneck_stage().unwrap().id, "intake", "the same stage");
    }

    #[test]
    fn lead_time_in_calendar_days() {
        // 94.5 h / 40 h a week = 2.3625 weeks = 16.5375 calendar days
        close(
            e1_metrics().lead_time_calendar_days(),
            16.5375,
            1e-12,
            "days",
        );
        // a calendar day counts for 40 h / 7 = 5.714286 h, or 5 / 7 working days
        let cal = Calendar::default();
        close(
            working_time_per_calendar_day(&cal, TimeUnit::Hours),
            5.714286,
            5e-7,
            "hours",
        );
        close(
            working_time_per_calendar_day(&cal, TimeUnit::Days),
            5.0 / 7.0,
            1e-12,
            "days",
        );
    }

    #[test]
    fn the_longest_stages_and_the_rest_together() {
        // lead times 8.5, 26, 41, 19: the two longest are Assess and Approve
        let s = e1_metrics();
        let l = s.longest_stages(2);
        assert_eq!(l.shown, vec![1, 2], "flow order");
        // Intake and Fulfil together: PT 0.5 + 3, WT 8 + 16
        assert_eq!(
            l.rest,
            StageGroup {
                stages: 2,
                process_time: 3.5,
                wait_time: 24.0,
                lead_time: 27.5
            }
        );
        // a "rest" of one stage is that stage: everything is shown
        let all = s.longest_stages(3);
        assert_eq!(all.shown, vec![0, 1, 2, 3]);
        assert_eq!(all.rest, StageGroup::default());
    }
}
