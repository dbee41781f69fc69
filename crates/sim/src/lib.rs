//! Discrete-event simulation of value streams: work items run through a stream's stages
//! (baseline or scenario) with times drawn from the stages' distributions, limited servers,
//! WIP limits and rework, and the results are distributions: lead time percentiles, flow
//! efficiency, cost of delay, utilisation and queues. Pure (no I/O, no clock), seeded and
//! reproducible: the same model, options and seed give the same result on any machine and
//! with any number of threads. See `docs/simulation.md` for the model of the world.
//!
//! Call [`simulate`] for the baseline, [`compare`] for a scenario beside the baseline, and
//! [`check`] to list what would stop or weaken a run before starting it. Long runs report
//! progress and can be cancelled through a [`Control`].

mod control;
mod draw;
mod engine;
mod error;
mod gate;
mod plan;
mod queue;
mod result;
mod stats;

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::metrics::{self, Contributions};
use tributary_core::{Model, Problem, Severity, scenario, validate};
use ts_rs::TS;

pub use control::{Control, Progress};
pub use error::{Error, Result};
pub use plan::{MAX_EXPECTED_VISITS, MAX_STAGES, WARN_EXPECTED_VISITS, WARN_UTILISATION};
pub use result::{
    Bin, Estimate, SimComparison, Simulation, Spread, StageSimulation, StreamSimComparison,
    StreamSimulation, Summary, WipPoint,
};
pub use stats::quantile;

use engine::{RunOutput, RunSpec};
use plan::StreamPlan;

/// The simulator's parts, for its own benchmarks (`benches/parts.rs`): not part of the API,
/// and free to change.
#[doc(hidden)]
pub mod bench {
    pub use crate::draw::Stream;

    /// The event queue of a run, with a number for each event.
    pub struct EventQueue(crate::queue::EventQueue<u32>);

    impl EventQueue {
        #[allow(clippy::new_without_default)]
        pub fn new() -> EventQueue {
            EventQueue(crate::queue::EventQueue::new())
        }

        pub fn push(&mut self, time: f64, event: u32) {
            self.0.push(time, event);
        }

        pub fn pop(&mut self) -> Option<(f64, u32)> {
            self.0.pop()
        }
    }

    /// How a stage's time is drawn from a model's distribution.
    pub struct Sampler(crate::plan::Sampler);

    impl Sampler {
        pub fn new(d: &tributary_core::Distribution) -> Result<Sampler, String> {
            crate::plan::Sampler::of(d, 0.0).map(Sampler)
        }

        pub fn sample(&self, s: &mut Stream) -> f64 {
            self.0.sample(s)
        }
    }

    /// Draws of one sampler a batch at a time, as a run makes them.
    pub struct Batch(crate::plan::Batch);

    impl Batch {
        pub fn new(s: Stream) -> Batch {
            Batch(crate::plan::Batch::new(s))
        }

        pub fn draw(&mut self, sampler: &Sampler) -> f64 {
            self.0.draw(&sampler.0)
        }
    }
}

/// Most measured items per stream over all runs (items x runs): bounds memory at a few
/// hundred megabytes.
pub const MAX_ITEMS_TOTAL: u64 = 20_000_000;

/// Most warm-up items per run, given or automatic.
pub const MAX_WARMUP: u32 = 10_000_000;

/// What to simulate and how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "SimOptions")]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Items measured per run (and per stream).
    pub items: u32,
    /// Independent runs; their spread gives the standard errors.
    pub runs: u32,
    /// Master seed: the same seed gives the same results.
    #[ts(type = "number")]
    pub seed: u64,
    /// Items simulated before measuring starts, so that the stream fills up first. Default,
    /// per stream: the larger of a tenth of `items` and the items that arrive in twice the
    /// stream's expected time through (rework included, queueing not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub warmup: Option<u32>,
    /// Only this stream (default: every stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    /// Worker threads (default: rayon's, one per core). Results do not depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub threads: Option<u32>,
    /// Bars of the lead-time histogram.
    pub histogram_bins: u32,
    /// Points of the WIP-over-time series.
    pub wip_samples: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            items: 10_000,
            runs: 10,
            seed: 1,
            warmup: None,
            stream: None,
            threads: None,
            histogram_bins: 40,
            wip_samples: 200,
        }
    }
}

impl Options {
    fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Options(m));
        if self.items < 2 {
            return bad(format!(
                "items is {}; measure at least 2 items per run",
                self.items
            ));
        }
        if self.runs == 0 {
            return bad("runs is 0; make at least one run".into());
        }
        let total = u64::from(self.items) * u64::from(self.runs);
        if total > MAX_ITEMS_TOTAL {
            return bad(format!(
                "{} items x {} runs = {total} items per stream; the most is {MAX_ITEMS_TOTAL}",
                self.items, self.runs
            ));
        }
        if let Some(w) = self.warmup
            && w > MAX_WARMUP
        {
            return bad(format!("warmup is {w} items; the most is {MAX_WARMUP}"));
        }
        if !(1..=1000).contains(&self.histogram_bins) {
            return bad(format!(
                "histogram_bins is {}; use 1 to 1000",
                self.histogram_bins
            ));
        }
        if self.wip_samples > 100_000 {
            return bad(format!(
                "wip_samples is {}; the most is 100,000",
                self.wip_samples
            ));
        }
        if self.threads == Some(0) {
            return bad("threads is 0; use at least 1, or leave it out".into());
        }
        Ok(())
    }
}

/// Every finding that would stop (errors) or weaken (warnings) a simulation of `model`:
/// the model's own validation errors, then the simulator's checks (queues that grow without
/// bound, rework loops that almost never exit, streams without demand). Runs nothing.
pub fn check(model: &Model, options: &Options) -> Vec<Problem> {
    if let Err(e) = options.check() {
        return vec![Problem::new(Severity::Error, String::new(), e.to_string())];
    }
    let report = validate::validate(model);
    if report.has_errors() {
        return report
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
    }
    match prepare(model, options) {
        Ok((_, warnings)) => warnings,
        Err(Error::Check(problems)) => problems,
        Err(e) => vec![Problem::new(Severity::Error, String::new(), e.to_string())],
    }
}

/// Simulates the baseline: every stream of `model`, or `options.stream`.
pub fn simulate(model: &Model, options: &Options, control: &Control) -> Result<Simulation> {
    options.check()?;
    validate::ensure_valid(model)?;
    let (plans, mut warnings) = prepare(model, options)?;
    let jobs: Vec<(&StreamPlan, u32)> = plans.iter().map(|p| (p, warmup(p, options))).collect();
    let outputs = run_all(&jobs, options, control)?;
    let streams: Vec<StreamSimulation> = jobs
        .iter()
        .zip(outputs)
        .map(|(&(p, w), runs)| {
            let pooled = Pooled::of(&runs);
            let (lo, hi) = pooled.range();
            summarise(p, w, &runs, &pooled, lo, hi, options)
        })
        .collect();
    warnings.extend(
        plans
            .iter()
            .zip(&streams)
            .filter_map(|(p, s)| shortfall(p, s)),
    );
    Ok(Simulation {
        unit: model.time_unit,
        currency: model.currency.clone(),
        seed: options.seed,
        items: options.items,
        runs: options.runs,
        streams,
        warnings,
    })
}

/// Simulates scenario `scenario_id` beside the baseline, with the same random numbers for
/// both, and reports what changes: "85 % of items within 9 d, down from 21 d".
///
/// A scenario that sets a stage's own process or wait time where the stage draws that time
/// from a distribution scales the distribution by new / old (a note says so).
pub fn compare(
    model: &Model,
    scenario_id: &str,
    options: &Options,
    control: &Control,
) -> Result<SimComparison> {
    options.check()?;
    validate::ensure_valid(model)?;
    let sc = scenario::find(model, scenario_id)?;
    let (mut variant, mut notes) = scenario::apply(model, sc)?;
    notes.extend(scale_changed_distributions(
        model,
        &mut variant,
        scenario_id,
    ));
    validate::ensure_valid(&variant)?;

    let base = prepare(model, options);
    let after = prepare(&variant, options).map_err(|e| in_scenario(e, scenario_id));
    let ((base_plans, mut warnings), (plans, scenario_warnings)) = match (base, after) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(Error::Check(mut p)), Err(Error::Check(q))) => {
            p.extend(q);
            return Err(Error::Check(p));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    warnings.extend(scenario_warnings.into_iter().map(|mut p| {
        p.message = format!("in scenario {scenario_id:?}: {}", p.message);
        p
    }));

    // one warm-up for both, so that the same items are measured in each
    let warmups: Vec<u32> = base_plans
        .iter()
        .zip(&plans)
        .map(|(b, s)| warmup(b, options).max(warmup(s, options)))
        .collect();
    let jobs: Vec<(&StreamPlan, u32)> = base_plans
        .iter()
        .zip(&warmups)
        .chain(plans.iter().zip(&warmups))
        .map(|(p, &w)| (p, w))
        .collect();
    let mut outputs = run_all(&jobs, options, control)?;
    let scenario_outputs = outputs.split_off(base_plans.len());
    let mut streams = Vec::with_capacity(plans.len());
    for (((bp, sp), (b_runs, s_runs)), &w) in base_plans
        .iter()
        .zip(&plans)
        .zip(outputs.iter().zip(&scenario_outputs))
        .zip(&warmups)
    {
        let c = side_by_side((bp, b_runs), (sp, s_runs), w, options, model);
        warnings.extend(shortfall(bp, &c.baseline));
        warnings.extend(shortfall(sp, &c.scenario).map(|mut p| {
            p.message = format!("in scenario {scenario_id:?}: {}", p.message);
            p
        }));
        streams.push(c);
    }
    Ok(SimComparison {
        scenario_id: sc.id.clone(),
        scenario_name: sc.name.clone(),
        unit: model.time_unit,
        currency: model.currency.clone(),
        seed: options.seed,
        items: options.items,
        runs: options.runs,
        streams,
        notes,
        warnings,
    })
}

/// One stream's baseline and scenario, summarised on common histogram bars, and what changes.
fn side_by_side(
    (bp, b_runs): (&StreamPlan, &[RunOutput]),
    (sp, s_runs): (&StreamPlan, &[RunOutput]),
    warmup: u32,
    options: &Options,
    model: &Model,
) -> StreamSimComparison {
    let (bpool, spool) = (Pooled::of(b_runs), Pooled::of(s_runs));
    let (b_lo, b_hi) = bpool.range();
    let (s_lo, s_hi) = spool.range();
    let (lo, hi) = (b_lo.min(s_lo), b_hi.max(s_hi));
    let baseline = summarise(bp, warmup, b_runs, &bpool, lo, hi, options);
    let scenario = summarise(sp, warmup, s_runs, &spool, lo, hi, options);
    let diff = |a: &Spread, b: &Spread| Spread {
        mean: a.mean - b.mean,
        p50: a.p50 - b.p50,
        p85: a.p85 - b.p85,
        p95: a.p95 - b.p95,
    };
    let lead = |s: &Summary| Spread {
        mean: s.mean,
        p50: s.p50,
        p85: s.p85,
        p95: s.p95,
    };
    // Paired runs (same random numbers): the spread of the saving over runs.
    let annual = |p: &StreamPlan, r: &RunOutput| {
        plan::annual_factor(p) * p.cost_of_delay_per_week * stats::mean(&r.lead) / p.units_per_week
    };
    let saving_per_run: Vec<f64> = b_runs
        .iter()
        .zip(s_runs)
        .map(|(b, s)| annual(bp, b) - annual(sp, s))
        .collect();
    let u = model.time_unit.suffix();
    let (was, now) = (baseline.lead_time.p85, scenario.lead_time.p85);
    let num = tributary_core::format::number;
    let headline = if num(now) == num(was) {
        format!("85 % of items within {} {u}, as in the baseline", num(now))
    } else {
        format!(
            "85 % of items within {} {u}, {} from {} {u}",
            num(now),
            if now < was { "down" } else { "up" },
            num(was)
        )
    };
    StreamSimComparison {
        id: baseline.id.clone(),
        name: baseline.name.clone(),
        lead_time_saved: diff(&lead(&baseline.lead_time), &lead(&scenario.lead_time)),
        annual_delay_cost_saved: diff(&baseline.annual_delay_cost, &scenario.annual_delay_cost),
        annual_delay_cost_saved_std_error: stats::estimate(&saving_per_run).std_error,
        headline,
        baseline,
        scenario,
    }
}

/// A stream that completes clearly fewer items than its demand: WIP limits and blocking (which
/// the pre-run checks cannot see) cut its capacity, so its backlog grows for as long as the
/// run lasts; or a warm-up too short for the stream to fill. Clearly: more than 5 % short,
/// and (with several runs) beyond 4 standard errors.
fn shortfall(plan: &StreamPlan, s: &StreamSimulation) -> Option<Problem> {
    let t = s.throughput_per_week;
    let short = t.value < 0.95 * plan.demand_per_week
        && t.std_error
            .is_none_or(|se| t.value + 4.0 * se < plan.demand_per_week);
    let why = if plan.stages.iter().any(|s| s.wip_limit.is_some()) {
        "WIP limits hold work upstream and cut its capacity"
    } else {
        "the run may be too short to reach a steady state; give more --warmup items"
    };
    short.then(|| Problem::new(
        Severity::Warning,
        format!("streams[{}]", plan.index),
        format!(
            "stream {:?} completes {} items a week against a demand of {}: it cannot keep up ({why}), so its backlog and lead times grow with the length of the run",
            plan.id,
            tributary_core::format::number(t.value),
            tributary_core::format::number(plan.demand_per_week)
        ),
    ))
}

/// Prefixes the findings of a scenario's checks with the scenario, so that the user knows
/// which of the two models is at fault.
fn in_scenario(e: Error, id: &str) -> Error {
    match e {
        Error::Check(problems) => Error::Check(
            problems
                .into_iter()
                .map(|mut p| {
                    p.message = format!("in scenario {id:?}: {}", p.message);
                    p
                })
                .collect(),
        ),
        other => other,
    }
}

/// Where a scenario sets a stage's own time and the stage draws that time from a
/// distribution, scales the distribution by new / old (or fixes it at the new time when the
/// old one was 0), so that the simulation sees the change. Returns a note per stage.
fn scale_changed_distributions(model: &Model, variant: &mut Model, id: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let unit = model.time_unit.suffix();
    let num = tributary_core::format::number;
    for (stream, changed) in model.streams.iter().zip(variant.streams.iter_mut()) {
        for (old, new) in stream.stages.iter().zip(changed.stages.iter_mut()) {
            let Some(u) = new.uncertainty.as_mut() else {
                continue;
            };
            let pairs = [
                (
                    "process",
                    old.process_time,
                    new.process_time,
                    &mut u.process,
                ),
                ("wait", old.wait_time, new.wait_time, &mut u.wait),
            ];
            for (what, was, now, dist) in pairs {
                let Some(d) = dist.as_mut() else { continue };
                if was == now {
                    continue;
                }
                let how = if was > 0.0 {
                    *d = plan::scale(d, now / was);
                    format!("scaled by {}", num(now / was))
                } else {
                    *d = tributary_core::Distribution::Fixed { value: now };
                    format!("replaced by a fixed {} {unit}", num(now))
                };
                notes.push(format!(
                    "scenario {id:?} sets the {what} time of stage {:?} of stream {:?} from {} to {} {unit}: its {what}-time distribution is {how} for the simulation",
                    old.id,
                    stream.id,
                    num(was),
                    num(now)
                ));
            }
        }
    }
    notes
}

/// Plans of the streams to simulate, and the warnings of their checks; `Error::Check` with
/// every finding when any is an error.
fn prepare(model: &Model, options: &Options) -> Result<(Vec<StreamPlan>, Vec<Problem>)> {
    let indices: Vec<usize> = match &options.stream {
        Some(id) => vec![
            model
                .streams
                .iter()
                .position(|s| &s.id == id)
                .ok_or_else(|| tributary_core::Error::NotFound(format!("stream {id:?}")))?,
        ],
        None => (0..model.streams.len()).collect(),
    };
    if indices.is_empty() {
        return Err(Error::Check(vec![Problem::new(
            Severity::Error,
            "streams",
            format!("the model {:?} has no streams to simulate", model.name),
        )]));
    }
    if model.streams.len() > usize::from(u16::MAX) {
        return Err(Error::Options(format!(
            "the model has {} streams; the simulator handles up to {}",
            model.streams.len(),
            u16::MAX
        )));
    }
    let contributions = Contributions::of(model);
    let mut problems = Vec::new();
    let mut plans = Vec::with_capacity(indices.len());
    for i in indices {
        let m = metrics::stream_metrics(model, &model.streams[i], &contributions)?;
        if let Some(p) = plan::plan_stream(model, i, &m, &mut problems) {
            plans.push(p);
        }
    }
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(Error::Check(problems));
    }
    Ok((plans, problems))
}

/// Items simulated before measuring (see [`Options::warmup`]).
fn warmup(plan: &StreamPlan, options: &Options) -> u32 {
    options.warmup.unwrap_or_else(|| {
        let fill = (2.0 * plan.rate * plan.fill_time).ceil();
        let fill = if fill.is_finite() {
            fill.min(f64::from(MAX_WARMUP)) as u32
        } else {
            MAX_WARMUP
        };
        (options.items / 10).max(fill)
    })
}

/// The run spec of a stream: WIP sampled over the expected duration of a run.
fn spec(plan: &StreamPlan, warmup: u32, options: &Options) -> RunSpec {
    let duration = f64::from(warmup + options.items) / plan.rate;
    let samples = options.wip_samples;
    RunSpec {
        items: options.items,
        warmup,
        sample_every: if samples > 1 {
            duration / f64::from(samples - 1)
        } else {
            duration
        },
        samples,
    }
}

/// Runs every (stream, run) job, in parallel, and returns the outputs per stream in order.
fn run_all(
    plans: &[(&StreamPlan, u32)],
    options: &Options,
    control: &Control,
) -> Result<Vec<Vec<RunOutput>>> {
    let runs = options.runs;
    let jobs: Vec<(usize, u32)> = (0..plans.len())
        .flat_map(|p| (0..runs).map(move |r| (p, r)))
        .collect();
    let total: u64 = plans
        .iter()
        .map(|(_, w)| u64::from(runs) * (u64::from(*w) + u64::from(options.items)))
        .sum();
    control.start(total);
    let work = || {
        jobs.par_iter()
            .map(|&(p, r)| {
                if control.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                let (plan, w) = plans[p];
                engine::run(plan, spec(plan, w, options), options.seed, r, control)
            })
            .collect::<Result<Vec<RunOutput>>>()
    };
    let flat = match options.threads {
        None => work()?,
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build()
            .map_err(|e| Error::Options(format!("cannot start {n} worker threads: {e}")))?
            .install(work)?,
    };
    let mut it = flat.into_iter();
    Ok(plans
        .iter()
        .map(|_| it.by_ref().take(runs as usize).collect())
        .collect())
}

/// Every measured item of every run, for the means, percentiles and histograms.
struct Pooled {
    lead: Sample,
    efficiency: Sample,
}

/// One per-item quantity pooled over the runs, and its order statistics.
struct Sample {
    values: Vec<f64>,
    /// min, p50, p85, p95, max (NaN when there are no values).
    quantiles: [f64; 5],
}

impl Sample {
    fn of(runs: &[RunOutput], f: fn(&RunOutput) -> &Vec<f64>) -> Sample {
        let mut values: Vec<f64> = runs.iter().flat_map(|r| f(r).iter().copied()).collect();
        let q = stats::quantiles(&mut values, &[0.0, 0.50, 0.85, 0.95, 1.0]);
        Sample {
            values,
            quantiles: [q[0], q[1], q[2], q[3], q[4]],
        }
    }
}

impl Pooled {
    fn of(runs: &[RunOutput]) -> Pooled {
        Pooled {
            lead: Sample::of(runs, |r| &r.lead),
            efficiency: Sample::of(runs, |r| &r.efficiency),
        }
    }

    fn range(&self) -> (f64, f64) {
        let [min, .., max] = self.lead.quantiles;
        if self.lead.values.is_empty() {
            (0.0, 0.0)
        } else {
            (min, max)
        }
    }
}

fn summary(sample: &Sample, per_run_means: &[f64]) -> Summary {
    let [min, p50, p85, p95, max] = sample.quantiles;
    Summary {
        mean: stats::mean(&sample.values),
        std_error: stats::estimate(per_run_means).std_error,
        p50,
        p85,
        p95,
        min,
        max,
    }
}

/// The figures of one stream from its runs; the histogram spans [lo, hi].
fn summarise(
    plan: &StreamPlan,
    warmup: u32,
    runs: &[RunOutput],
    pooled: &Pooled,
    lo: f64,
    hi: f64,
    options: &Options,
) -> StreamSimulation {
    let items = f64::from(options.items);
    let lead_time = summary(&pooled.lead, &per_run(runs, |r| stats::mean(&r.lead)));
    let flow_efficiency = summary(
        &pooled.efficiency,
        &per_run(runs, |r| stats::mean(&r.efficiency)),
    );
    let (delay_cost_per_item, annual_delay_cost) = delay_costs(plan, &lead_time);
    let spec = spec(plan, warmup, options);
    StreamSimulation {
        id: plan.id.clone(),
        name: plan.name.clone(),
        arrivals: plan.arrivals,
        demand_per_week: plan.demand_per_week,
        warmup_items: warmup,
        lead_time_histogram: stats::histogram(&pooled.lead.values, lo, hi, options.histogram_bins),
        lead_time,
        analytic_lead_time: plan.analytic_lead_time,
        analytic_expected_lead_time: plan.analytic_expected_lead_time,
        throughput_per_week: estimate(runs, |r| {
            r.completions as f64 / r.window * plan.units_per_week
        }),
        wip: estimate(runs, |r| r.wip / r.window),
        wip_over_time: wip_over_time(runs, spec.sample_every),
        reworked_share: estimate(runs, |r| r.reworked as f64 / items),
        flow_efficiency,
        cost_of_delay_per_week: plan.cost_of_delay_per_week,
        delay_cost_per_item,
        annual_delay_cost,
        stages: stage_figures(plan, runs, items),
    }
}

/// One figure of each run, in run order.
fn per_run(runs: &[RunOutput], f: impl Fn(&RunOutput) -> f64) -> Vec<f64> {
    runs.iter().map(f).collect()
}

/// A figure of each run, as an estimate over the runs.
fn estimate(runs: &[RunOutput], f: impl Fn(&RunOutput) -> f64) -> Estimate {
    stats::estimate(&per_run(runs, f))
}

/// The cost of delay of one item's lead time, and of a year's items at the stream's demand
/// (REFERENCE.md section 4), at the mean and the percentiles of the lead time.
fn delay_costs(plan: &StreamPlan, lead_time: &Summary) -> (Spread, Spread) {
    let cod = plan.cost_of_delay_per_week;
    let cost = |t: f64| cod * (t / plan.units_per_week);
    let per_item = Spread {
        mean: cost(lead_time.mean),
        p50: cost(lead_time.p50),
        p85: cost(lead_time.p85),
        p95: cost(lead_time.p95),
    };
    let a = plan::annual_factor(plan);
    let annual = Spread {
        mean: a * per_item.mean,
        p50: a * per_item.p50,
        p85: a * per_item.p85,
        p95: a * per_item.p95,
    };
    (per_item, annual)
}

/// WIP at each point of the sampling grid: its mean, least and most over the runs that
/// reached the point.
fn wip_over_time(runs: &[RunOutput], sample_every: f64) -> Vec<WipPoint> {
    let longest = runs.iter().map(|r| r.wip_samples.len()).max().unwrap_or(0);
    (0..longest)
        .map(|k| {
            let v: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.wip_samples.get(k).copied())
                .collect();
            WipPoint {
                time: k as f64 * sample_every,
                mean: stats::mean(&v),
                min: v.iter().copied().fold(f64::INFINITY, f64::min),
                max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        })
        .collect()
}

/// The figures of each stage: time averages over each run's measurement window, and
/// passes per measured item, as estimates over the runs.
fn stage_figures(plan: &StreamPlan, runs: &[RunOutput], items: f64) -> Vec<StageSimulation> {
    let est = |f: &dyn Fn(&RunOutput) -> f64| estimate(runs, f);
    plan.stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let servers = s.servers;
            StageSimulation {
                id: s.id.clone(),
                name: s.name.clone(),
                servers,
                utilisation: servers.map(|k| est(&|r| r.stages[i].busy / r.window / f64::from(k))),
                busy: est(&|r| r.stages[i].busy / r.window),
                wait_time: est(&|r| per_visit(&r.stages[i], r.stages[i].wait_time)),
                queue_length: est(&|r| r.stages[i].queue / r.window),
                queue_time: est(&|r| per_visit(&r.stages[i], r.stages[i].queue_time)),
                wip: est(&|r| r.stages[i].wip / r.window),
                blocked: est(&|r| r.stages[i].blocked / r.window),
                visits_per_item: est(&|r| r.stages[i].visits as f64 / items),
                expected_visits: s.expected_visits,
            }
        })
        .collect()
}

/// A stage's sum over the visits of measured items, per visit (0 without visits).
fn per_visit(st: &engine::StageTotals, sum: f64) -> f64 {
    if st.visits > 0 {
        sum / st.visits as f64
    } else {
        0.0
    }
}
