//! From a model's stream to what the event loop runs: samplers for each stage's times, servers,
//! WIP limits, routing (forks, joins, rework regions), and the pre-run checks that refuse a
//! stream whose queues would grow without bound or whose rework would (almost) never end.

use rand::RngExt;
use rand::distr::{Distribution as _, Uniform};
use rand_distr::Triangular;
use tributary_core::graph::Flow;
use tributary_core::metrics::{StageMetrics, StreamMetrics, WEEKS_PER_YEAR};
use tributary_core::{Arrivals, Distribution, Model, Problem, Severity};

use crate::draw::Stream;
use crate::gate::{Attached, Gate};

/// The 90th percentile of the standard normal distribution, Phi^-1(0.9).
const Z90: f64 = 1.281_551_565_544_600_5;

/// More expected passes through a stage than this is a rework loop that almost never exits:
/// refused. (%C&A 1 % on a stage that redoes itself gives 100 passes.)
pub const MAX_EXPECTED_VISITS: f64 = 100.0;
/// More expected passes than this earns a warning.
pub const WARN_EXPECTED_VISITS: f64 = 10.0;
/// Utilisation from which a warning says queues are long and slow to settle.
pub const WARN_UTILISATION: f64 = 0.95;
/// Most stages in one stream.
pub const MAX_STAGES: usize = 20_000;
/// Capacities from this size on are simulated as unlimited servers.
const UNLIMITED_SERVERS: f64 = 100_000.0;

/// How one kind of time is drawn.
#[derive(Debug, Clone)]
enum Draw {
    Fixed(f64),
    Uniform(Uniform<f64>),
    /// min, mode, max: checked by rand_distr's `Triangular` and drawn with its arithmetic
    /// (see `triangular`).
    Triangular(f64, f64, f64),
    /// mu and sigma of the underlying normal distribution.
    LogNormal(f64, f64),
    Empirical(Vec<f64>),
}

/// A time drawn from a distribution, plus what PBCs add, times a slow-down for fractional
/// capacities: (draw + add) x scale.
#[derive(Debug, Clone)]
pub(crate) struct Sampler {
    draw: Draw,
    add: f64,
    scale: f64,
}

impl Sampler {
    fn fixed(v: f64) -> Sampler {
        Sampler {
            draw: Draw::Fixed(v),
            add: 0.0,
            scale: 1.0,
        }
    }

    pub(crate) fn of(d: &Distribution, add: f64) -> Result<Sampler, String> {
        let draw = match d {
            Distribution::Fixed { value } => Draw::Fixed(*value),
            Distribution::Uniform { min, max } if min == max => Draw::Fixed(*min),
            Distribution::Uniform { min, max } => Draw::Uniform(
                Uniform::new_inclusive(*min, *max)
                    .map_err(|e| format!("uniform from {min} to {max}: {e}"))?,
            ),
            Distribution::Triangular { min, max, .. } if min == max => Draw::Fixed(*min),
            Distribution::Triangular { min, mode, max } => {
                Triangular::new(*min, *max, *mode)
                    .map_err(|e| format!("triangular ({min}, {mode}, {max}): {e}"))?;
                Draw::Triangular(*min, *mode, *max)
            }
            Distribution::Lognormal { median, p90 } => {
                // median = e^mu, p90 = e^(mu + Z90 sigma)
                let mu = libm::log(*median);
                let sigma = libm::log(p90 / median) / Z90;
                Draw::LogNormal(mu, sigma)
            }
            Distribution::Empirical { values } if values.is_empty() => {
                return Err("an empirical distribution has no values".into());
            }
            Distribution::Empirical { values } if values.iter().all(|v| *v == values[0]) => {
                Draw::Fixed(values[0])
            }
            Distribution::Empirical { values } => Draw::Empirical(values.clone()),
        };
        Ok(Sampler {
            draw,
            add,
            scale: 1.0,
        })
    }

    pub(crate) fn sample(&self, s: &mut Stream) -> f64 {
        let mut v = [0.0];
        self.fill(s, &mut v);
        v[0]
    }

    /// Draws `out.len()` times, in order: one choice of distribution, then a tight loop.
    fn fill(&self, s: &mut Stream, out: &mut [f64]) {
        let (add, scale) = (self.add, self.scale);
        match &self.draw {
            Draw::Fixed(v) => out.fill((v + add) * scale),
            Draw::Uniform(d) => fill_with(out, s, add, scale, |s| d.sample(s.rng())),
            Draw::Triangular(min, mode, max) => fill_with(out, s, add, scale, |s| {
                triangular(s.uniform(), *min, *mode, *max)
            }),
            // exp through libm: the same bits on every machine (see draw.rs)
            Draw::LogNormal(mu, sigma) => fill_with(out, s, add, scale, |s| {
                libm::exp(mu + sigma * s.standard_normal())
            }),
            Draw::Empirical(values) => fill_with(out, s, add, scale, |s| {
                // u32 indices draw the same on 32- and 64-bit machines
                values[s.rng().random_range(0..values.len() as u32) as usize]
            }),
        }
    }
}

/// (draw + add) x scale for each of `out`, in order.
#[inline(always)]
fn fill_with(
    out: &mut [f64],
    s: &mut Stream,
    add: f64,
    scale: f64,
    mut draw: impl FnMut(&mut Stream) -> f64,
) {
    for o in out {
        *o = (draw(s) + add) * scale;
    }
}

/// The triangular draw for the uniform draw `f`, by inversion, with the arithmetic of
/// rand_distr's `Triangular` (so the same values) but both sides computed and one chosen
/// without a jump: for a symmetric triangle the side is a coin toss, and a mispredicted
/// jump costs more than the second square root.
#[inline]
fn triangular(f: f64, min: f64, mode: f64, max: f64) -> f64 {
    let range = max - min;
    let f_range = f * range;
    let below = min + (f_range * (mode - min)).sqrt();
    let above = max - ((range - f_range) * (max - mode)).sqrt();
    // a select of the bits, which the compiler keeps free of jumps
    let pick_below = u64::from(f_range < mode - min).wrapping_neg();
    f64::from_bits((below.to_bits() & pick_below) | (above.to_bits() & !pick_below))
}

/// Draws of one sampler from its own stream, made a batch at a time. A draw's latency
/// (a square root, an `exp`) then overlaps with the next draw's instead of holding up the
/// event that needs it, and the batch loop predicts its branches better. The values are
/// the stream's, in its order, exactly as drawn one by one: batching changes no result.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    stream: Stream,
    values: [f64; BATCH],
    next: usize,
}

/// Draws made at a time.
const BATCH: usize = 16;

impl Batch {
    pub(crate) fn new(stream: Stream) -> Batch {
        Batch {
            stream,
            values: [0.0; BATCH],
            next: BATCH,
        }
    }

    /// The next draw of `sampler` (always the same sampler for one batch).
    #[inline]
    pub(crate) fn draw(&mut self, sampler: &Sampler) -> f64 {
        if self.next == BATCH {
            sampler.fill(&mut self.stream, &mut self.values);
            self.next = 0;
        }
        let v = self.values[self.next];
        self.next += 1;
        v
    }
}

/// The mean of a distribution as the model gives it.
fn distribution_mean(d: &Distribution) -> f64 {
    match d {
        Distribution::Fixed { value } => *value,
        Distribution::Uniform { min, max } => (min + max) / 2.0,
        Distribution::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        Distribution::Lognormal { median, p90 } => {
            let sigma = libm::log(p90 / median) / Z90;
            median * libm::exp(sigma * sigma / 2.0)
        }
        Distribution::Empirical { values } => {
            values.iter().sum::<f64>() / values.len().max(1) as f64
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct StagePlan {
    pub id: String,
    pub name: String,
    pub process: Sampler,
    pub wait: Sampler,
    /// Mean process time per visit, as drawn (PBC contributions and slow-down included).
    pub mean_process: f64,
    /// Mean wait time per visit (PBC and integration contributions included, batches at
    /// their mean T/2 + R).
    pub mean_wait: f64,
    /// The batches an item passes after its drawn wait, one after another.
    pub gates: Vec<Gate>,
    pub pca: f64,
    /// `None`: unlimited servers.
    pub servers: Option<u32>,
    pub wip_limit: Option<u32>,
    /// Where a failed item goes (this stage itself when it redoes its own work).
    pub rework_to: usize,
    pub succs: Vec<usize>,
    /// Index into an item's join states, for stages with two or more predecessors.
    pub join: Option<usize>,
    pub preds: usize,
    /// When this stage fails and sends the item back to an earlier stage: the joins inside
    /// the rework region and how many region branches each must wait for again.
    pub region_joins: Vec<(usize, u16)>,
    pub expected_visits: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct StreamPlan {
    /// Position of the stream in the model (part of its random-number stream ids).
    pub index: usize,
    pub id: String,
    pub name: String,
    pub arrivals: Arrivals,
    /// Items arriving per time unit.
    pub rate: f64,
    pub demand_per_week: f64,
    pub units_per_week: f64,
    pub cost_of_delay_per_week: f64,
    pub stages: Vec<StagePlan>,
    /// Stages with no predecessors: an arriving item starts at each of them.
    pub sources: Vec<usize>,
    /// Stages with no successors: an item is done when each has finished with it.
    pub sinks: usize,
    pub joins: usize,
    /// `reach[a * n + b]`: work can flow from stage a to stage b (a stage reaches itself).
    reach: Vec<bool>,
    pub analytic_lead_time: f64,
    pub analytic_expected_lead_time: f64,
    /// Expected time through the stream before any queueing: the longest path weighted by
    /// each stage's expected passes x (mean wait + mean process time). Sets the warm-up.
    pub fill_time: f64,
    /// Phase draws a run makes (see `gate::phases`): 0 without batches.
    pub phase_draws: usize,
}

impl StreamPlan {
    pub(crate) fn reaches(&self, from: usize, to: usize) -> bool {
        self.reach[from * self.stages.len() + to]
    }
}

/// Builds the plan of stream `index` and runs its pre-run checks. Findings go to
/// `problems`; `None` when there is an error.
pub(crate) fn plan_stream(
    model: &Model,
    index: usize,
    metrics: &StreamMetrics,
    problems: &mut Vec<Problem>,
) -> Option<StreamPlan> {
    let stream = &model.streams[index];
    let subject = Subject::stream(index, &stream.id);
    let (flow, demand) = match check_stream(model, stream, &subject) {
        Ok(checked) => checked,
        Err(p) => {
            problems.push(p);
            return None;
        }
    };
    let reach = Reach::of(&flow, stream.stages.len());
    let mut stages = plan_stages(model, index, metrics, &flow, &reach, &subject, problems)?;
    let joins = number_joins(&mut stages);
    mark_rework_regions(&mut stages, &flow, &reach);
    count_visits(&mut stages, &flow, &reach);
    let unit = model.time_unit.suffix();
    if !check_stages(stream, &stages, &reach, demand, unit, &subject, problems) {
        return None;
    }

    let weights: Vec<f64> = stages
        .iter()
        .map(|s| s.expected_visits * (s.mean_wait + s.mean_process))
        .collect();
    let (_, fill_time) = flow.longest_path(&weights);
    let n = stages.len();
    let sources = (0..n).filter(|&i| flow.preds[i].is_empty()).collect();
    let sinks = (0..n).filter(|&i| flow.succs[i].is_empty()).count();
    let phase_draws = stages
        .iter()
        .flat_map(|s| &s.gates)
        .map(|g| g.integration + 1)
        .max()
        .unwrap_or(0);
    Some(StreamPlan {
        index,
        id: stream.id.clone(),
        name: stream.name.clone(),
        arrivals: stream.arrivals.unwrap_or_default(),
        rate: demand.rate,
        demand_per_week: demand.per_week,
        units_per_week: demand.units_per_week,
        cost_of_delay_per_week: stream.cost_of_delay_per_week,
        stages,
        sources,
        sinks,
        joins,
        reach: reach.cells,
        analytic_lead_time: metrics.lead_time,
        analytic_expected_lead_time: metrics.expected_lead_time,
        fill_time,
        phase_draws,
    })
}

/// What a finding is about: its path in the model file and its name in the user's words.
struct Subject {
    path: String,
    who: String,
}

impl Subject {
    fn stream(index: usize, id: &str) -> Subject {
        Subject {
            path: format!("streams[{index}]"),
            who: format!("stream {id:?}"),
        }
    }

    fn stage(&self, i: usize, id: &str) -> Subject {
        Subject {
            path: format!("{}.stages[{i}]", self.path),
            who: format!("stage {id:?} of {}", self.who),
        }
    }

    /// A finding at `field` of the subject (`""`: the subject itself).
    fn problem(&self, severity: Severity, field: &str, message: String) -> Problem {
        Problem::new(severity, format!("{}{field}", self.path), message)
    }

    fn error(&self, field: &str, message: String) -> Problem {
        self.problem(Severity::Error, field, message)
    }
}

/// How much work arrives at a stream.
#[derive(Debug, Clone, Copy)]
struct Demand {
    per_week: f64,
    /// Items per time unit.
    rate: f64,
    /// Time units in a working week.
    units_per_week: f64,
}

/// Which stages work can flow between: `cells[a * n + b]` says whether it can flow from
/// stage a to stage b (a stage reaches itself).
struct Reach {
    n: usize,
    cells: Vec<bool>,
}

impl Reach {
    fn of(flow: &Flow, n: usize) -> Reach {
        let mut cells = vec![false; n * n];
        for a in 0..n {
            for b in 0..n {
                cells[a * n + b] = flow.reaches(a, b);
            }
        }
        Reach { n, cells }
    }

    fn reaches(&self, from: usize, to: usize) -> bool {
        self.cells[from * self.n + to]
    }

    /// Whether stage `x` is in the rework region of a failure at stage `i` sent back to
    /// stage `r`: on the way from r to i, so repeated.
    fn in_region(&self, r: usize, i: usize, x: usize) -> bool {
        self.reaches(r, x) && self.reaches(x, i)
    }
}

/// The checks on the stream as a whole: it has stages, not too many, demand, and a flow
/// graph without cycles.
fn check_stream(
    model: &Model,
    stream: &tributary_core::Stream,
    subject: &Subject,
) -> Result<(Flow, Demand), Problem> {
    let who = &subject.who;
    let n = stream.stages.len();
    if n == 0 {
        let message = format!("{who} has no stages to simulate");
        return Err(subject.error(".stages", message));
    }
    // three random-number streams per stage must fit in 16 bits of the stream id
    if n > MAX_STAGES {
        let message = format!("{who} has {n} stages; the simulator handles up to {MAX_STAGES}");
        return Err(subject.error(".stages", message));
    }
    let units_per_week = model.calendar.units_per_week(model.time_unit);
    let per_week = stream.demand_per_week;
    if !(per_week.is_finite() && per_week > 0.0) {
        let message =
            format!("{who} has no demand (demand_per_week is {per_week}): no item would arrive");
        return Err(subject.error(".demand_per_week", message));
    }
    let flow = Flow::of(stream).map_err(|e| subject.error(".edges", e.to_string()))?;
    let demand = Demand {
        per_week,
        rate: per_week / units_per_week,
        units_per_week,
    };
    Ok((flow, demand))
}

/// Each stage's plan, in the stream's order; `None` when any stage has an error (each one
/// goes to `problems`).
fn plan_stages(
    model: &Model,
    index: usize,
    metrics: &StreamMetrics,
    flow: &Flow,
    reach: &Reach,
    subject: &Subject,
    problems: &mut Vec<Problem>,
) -> Option<Vec<StagePlan>> {
    let stream = &model.streams[index];
    let mut stages = Vec::with_capacity(stream.stages.len());
    let mut planned = true;
    for (i, st) in stream.stages.iter().enumerate() {
        let s = subject.stage(i, &st.id);
        let attached = Attached::of(model, &metrics.stages[i]);
        match plan_stage(stream, i, &metrics.stages[i], attached, flow, reach, &s) {
            Ok(plan) => stages.push(plan),
            Err(p) => {
                problems.push(p);
                planned = false;
            }
        }
    }
    planned.then_some(stages)
}

/// The plan of stage `i` on its own: samplers, servers, where its rework goes. Joins,
/// rework regions and expected passes need every stage and come after.
fn plan_stage(
    stream: &tributary_core::Stream,
    i: usize,
    m: &StageMetrics,
    attached: Attached,
    flow: &Flow,
    reach: &Reach,
    subject: &Subject,
) -> Result<StagePlan, Problem> {
    let st = &stream.stages[i];
    let u = st.uncertainty.as_ref();
    let times = || -> Result<_, String> {
        let process = time_of(
            u.and_then(|u| u.process.as_ref()),
            m.process_time,
            m.pbc_process_time + m.integration_process_time,
        )?;
        // the batches are gates, not part of the drawn wait: without a distribution the
        // fixed wait is the paper map's without them (the same sum when there are none)
        let wait = time_of(
            u.and_then(|u| u.wait.as_ref()),
            st.wait_time + m.pbc_wait_time + attached.wait,
            m.pbc_wait_time + attached.wait,
        )?;
        Ok((process, wait))
    };
    let ((mut process, mut mean_process), (wait, mut mean_wait)) =
        times().map_err(|e| subject.error(".uncertainty", format!("{}: {e}", subject.who)))?;
    if !attached.gates.is_empty() {
        mean_wait += attached.mean_gate_wait();
    }
    let (servers, slow_down) = servers(st.capacity);
    process.scale = slow_down;
    mean_process *= slow_down;
    let rework_to = rework_target(
        stream,
        i,
        u.and_then(|u| u.rework_to.as_deref()),
        reach,
        subject,
    )?;
    Ok(StagePlan {
        id: st.id.clone(),
        name: st.name.clone(),
        process,
        wait,
        mean_process,
        mean_wait,
        gates: attached.gates,
        pca: st.pca,
        servers,
        wip_limit: u.and_then(|u| u.wip_limit),
        rework_to,
        succs: flow.succs[i].clone(),
        join: None,
        preds: flow.preds[i].len(),
        region_joins: Vec::new(),
        expected_visits: 1.0,
    })
}

/// The sampler of one kind of a stage's time and its mean per visit: drawn from the
/// stage's distribution with what PBCs and integrations add (`add`) on top, or else the
/// fixed time, which has them in it.
fn time_of(d: Option<&Distribution>, fixed: f64, add: f64) -> Result<(Sampler, f64), String> {
    match d {
        Some(d) => Ok((Sampler::of(d, add)?, distribution_mean(d) + add)),
        None => Ok((Sampler::fixed(fixed), fixed)),
    }
}

/// The servers of a capacity (`None`: unlimited) and how much slower each works than a
/// whole person. A capacity of 2.5 people is 3 servers working at 2.5/3 of the speed, so
/// that the load (demand x process time / capacity) is the paper map's.
fn servers(capacity: Option<f64>) -> (Option<u32>, f64) {
    match capacity {
        Some(c) if c < UNLIMITED_SERVERS => {
            let k = c.ceil().max(1.0);
            let slow_down = if k != c { k / c } else { 1.0 };
            (Some(k as u32), slow_down)
        }
        _ => (None, 1.0),
    }
}

/// Where a failure at stage `i` sends the item: to stage `to`, which must come before it,
/// or by default to `i` itself.
fn rework_target(
    stream: &tributary_core::Stream,
    i: usize,
    to: Option<&str>,
    reach: &Reach,
    subject: &Subject,
) -> Result<usize, Problem> {
    let Some(to) = to else {
        return Ok(i);
    };
    match stream.stages.iter().position(|s| s.id == to) {
        Some(j) if reach.reaches(j, i) => Ok(j),
        _ => {
            let message = format!(
                "{} sends rework to stage {to:?}, which does not come before it",
                subject.who
            );
            Err(subject.error(".uncertainty.rework_to", message))
        }
    }
}

/// Numbers the joins (the stages with two or more predecessors) in stage order: each is an
/// index into an item's join states. Returns how many there are.
fn number_joins(stages: &mut [StagePlan]) -> usize {
    let mut joins = 0;
    for s in stages.iter_mut().filter(|s| s.preds >= 2) {
        s.join = Some(joins);
        joins += 1;
    }
    joins
}

/// Rework regions: a failure at stage i sent back to r repeats every stage on the way
/// from r to i. Joins inside the region wait again for their branches inside it.
fn mark_rework_regions(stages: &mut [StagePlan], flow: &Flow, reach: &Reach) {
    for i in 0..stages.len() {
        let r = stages[i].rework_to;
        if r == i {
            continue;
        }
        let rj = stages
            .iter()
            .enumerate()
            .filter(|&(x, _)| x != r && reach.in_region(r, i, x))
            .filter_map(|(x, st)| {
                let pending = flow.preds[x]
                    .iter()
                    .filter(|&&p| reach.in_region(r, i, p))
                    .count();
                Some((st.join?, pending as u16))
            })
            .collect();
        stages[i].region_joins = rj;
    }
}

/// Expected passes per item. Each visit to stage i fails with probability 1 - p_i and
/// then repeats each stage of its region once, so by linearity
///   V_x = 1 + sum over i with x in region(i) of (1 - p_i) V_i.
/// x in region(i) means x comes before i (or is i), so in reverse flow order every V_i on
/// the right is known but V_x itself: V_x = (1 + sum_{i != x} (1 - p_i) V_i) / p_x.
fn count_visits(stages: &mut [StagePlan], flow: &Flow, reach: &Reach) {
    let n = stages.len();
    let mut visits = vec![1.0_f64; n];
    for &x in flow.order.iter().rev() {
        let mut sum = 1.0;
        for i in 0..n {
            if i != x && reach.in_region(stages[i].rework_to, i, x) {
                sum += (1.0 - stages[i].pca) * visits[i];
            }
        }
        visits[x] = sum / stages[x].pca;
    }
    for (s, v) in stages.iter_mut().zip(visits) {
        s.expected_visits = v;
    }
}

/// The checks that need the whole plan, stage by stage: rework loops that (almost) never
/// exit, and stages loaded to their capacity or near it. Returns false on any error.
fn check_stages(
    stream: &tributary_core::Stream,
    stages: &[StagePlan],
    reach: &Reach,
    demand: Demand,
    unit: &str,
    subject: &Subject,
    problems: &mut Vec<Problem>,
) -> bool {
    let errors_before = count_errors(problems);
    for (i, st) in stages.iter().enumerate() {
        let s = subject.stage(i, &st.id);
        if let Some(p) = check_passes(stages, reach, i, &s) {
            let refused = p.severity == Severity::Error;
            problems.push(p);
            if refused {
                continue;
            }
        }
        let capacity = stream.stages[i].capacity;
        problems.extend(check_load(st, capacity, demand, unit, &s));
        problems.extend(check_batch_fits(st, demand, unit, &s));
    }
    count_errors(problems) == errors_before
}

/// A warning when an item passes through stage `i` many times on average; an error when
/// so many that the rework loop almost never exits.
fn check_passes(stages: &[StagePlan], reach: &Reach, i: usize, s: &Subject) -> Option<Problem> {
    let v = stages[i].expected_visits;
    if v.is_finite() && v <= WARN_EXPECTED_VISITS {
        return None;
    }
    let (who, why) = (&s.who, rework_cause(stages, reach, i));
    if !(v.is_finite() && v <= MAX_EXPECTED_VISITS) {
        let message = format!(
            "{who}: an item would pass through it {} times on average, because {why}: a rework loop that almost never exits cannot be simulated (at most {} passes)",
            number(v),
            MAX_EXPECTED_VISITS
        );
        return Some(s.error("", message));
    }
    let message = format!(
        "{who}: an item passes through it {} times on average, because {why}",
        number(v)
    );
    Some(s.problem(Severity::Warning, "", message))
}

/// Why items pass through stage `i` so often: the failure that sends most of them here.
fn rework_cause(stages: &[StagePlan], reach: &Reach, i: usize) -> String {
    let cause = (0..stages.len())
        .filter(|&k| reach.in_region(stages[k].rework_to, k, i))
        .max_by(|&a, &b| {
            let fa = (1.0 - stages[a].pca) * stages[a].expected_visits;
            let fb = (1.0 - stages[b].pca) * stages[b].expected_visits;
            fa.total_cmp(&fb)
        })
        .unwrap_or(i);
    let c = &stages[cause];
    let subject = if cause == i {
        "it".to_owned()
    } else {
        format!("stage {:?}", c.id)
    };
    if c.rework_to == cause {
        format!(
            "{subject} passes only {} of items (%C&A) and a failed item does it again",
            percent(c.pca)
        )
    } else {
        format!(
            "{subject} passes only {} of items (%C&A) and sends the rest back to stage {:?}",
            percent(c.pca),
            stages[c.rework_to].id
        )
    }
}

/// An error when a stage's servers would be loaded at or over their capacity (its queue
/// grows without bound); a warning when nearly so.
fn check_load(
    st: &StagePlan,
    capacity: Option<f64>,
    demand: Demand,
    unit: &str,
    s: &Subject,
) -> Option<Problem> {
    let k = st.servers?;
    let v = st.expected_visits;
    let load = demand.rate * v * st.mean_process / k as f64;
    let capacity = capacity.unwrap_or(k as f64);
    let explain = format!(
        "{} items a week x {} passes x {} {unit} of work / capacity {}, in {} {unit} a week",
        number(demand.per_week),
        number(v),
        number(st.mean_process * k as f64 / capacity),
        number(capacity),
        number(demand.units_per_week)
    );
    by_load(
        s,
        load,
        || {
            format!(
                "{} would be loaded at {} of its capacity ({explain}): its queue grows without bound. Add capacity, cut its process time or rework, or lower the demand",
                s.who,
                percent(load)
            )
        },
        || {
            format!(
                "{} is loaded at {} of its capacity ({explain}): its queue is long and slow to settle, so results vary from run to run; use more items",
                s.who,
                percent(load)
            )
        },
    )
}

/// An error when a WIP-limited stage cannot pass its items through one of its batches:
/// they wait for the run inside the limit, so the items leaving with one run hold distinct
/// places when it starts, and at most the limit pass each interval T (its queue grows
/// without bound when more arrive); a warning when nearly so.
fn check_batch_fits(st: &StagePlan, demand: Demand, unit: &str, s: &Subject) -> Option<Problem> {
    let limit = st.wip_limit?;
    let g = st
        .gates
        .iter()
        .max_by(|a, b| a.interval.total_cmp(&b.interval))?;
    let per_run = demand.rate * st.expected_visits * g.interval;
    let load = per_run / f64::from(limit);
    let explain = format!(
        "{} items arrive in the {} {unit} between two runs of the batch {:?} ({} a week x {} passes), and they wait for it inside the stage's WIP limit of {limit}",
        number(per_run),
        number(g.interval),
        g.id,
        number(demand.per_week),
        number(st.expected_visits)
    );
    by_load(
        s,
        load,
        || {
            format!(
                "{} cannot let its items through: {explain}, so at most {limit} leave with each run and its queue grows without bound. Raise the WIP limit, run the batch more often, or lower the demand",
                s.who
            )
        },
        || {
            format!(
                "{} barely lets its items through: {explain}; its queue is long and slow to settle",
                s.who
            )
        },
    )
}

/// The problem of a stage loaded at `load` (1: all it can take): an error at or over it,
/// a warning when nearly so.
fn by_load(
    s: &Subject,
    load: f64,
    over: impl FnOnce() -> String,
    nearly: impl FnOnce() -> String,
) -> Option<Problem> {
    if load >= 1.0 || load.is_nan() {
        Some(s.error("", over()))
    } else if load >= WARN_UTILISATION {
        Some(s.problem(Severity::Warning, "", nearly()))
    } else {
        None
    }
}

fn count_errors(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count()
}

fn number(v: f64) -> String {
    tributary_core::format::number(v)
}

fn percent(v: f64) -> String {
    tributary_core::format::percent(v)
}

/// Annual delay cost of one item's lead time at a stream's demand: demand x 52 x cost of
/// delay x lead time in weeks (REFERENCE.md section 4).
pub(crate) fn annual_factor(plan: &StreamPlan) -> f64 {
    plan.demand_per_week * WEEKS_PER_YEAR
}

/// Scales a distribution by `k` (a scenario that sets a stage's own time from `old` to `new`
/// scales the stage's distribution by new / old). `k` = 0 gives a fixed 0.
pub(crate) fn scale(d: &Distribution, k: f64) -> Distribution {
    if k == 0.0 {
        return Distribution::Fixed { value: 0.0 };
    }
    match d {
        Distribution::Fixed { value } => Distribution::Fixed { value: value * k },
        Distribution::Uniform { min, max } => Distribution::Uniform {
            min: min * k,
            max: max * k,
        },
        Distribution::Triangular { min, mode, max } => Distribution::Triangular {
            min: min * k,
            mode: mode * k,
            max: max * k,
        },
        Distribution::Lognormal { median, p90 } => Distribution::Lognormal {
            median: median * k,
            p90: p90 * k,
        },
        Distribution::Empirical { values } => Distribution::Empirical {
            values: values.iter().map(|v| v * k).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::tests::share_below;

    const N: usize = 200_000;

    fn draws(d: &Distribution) -> Vec<f64> {
        let s = Sampler::of(d, 0.0).unwrap();
        let mut rng = Stream::new(17, 0, 0, 0);
        (0..N).map(|_| s.sample(&mut rng)).collect()
    }

    /// The sample mean is `mean`, within 4 standard errors (sample SD / sqrt n).
    fn mean_is(v: &[f64], mean: f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt();
        assert!(
            (m - mean).abs() <= 4.0 * sd / n.sqrt(),
            "mean {m}, want {mean}"
        );
    }

    #[test]
    fn lognormal_draws_have_the_given_median_and_p90() {
        let d = Distribution::Lognormal {
            median: 2.0,
            p90: 5.0,
        };
        let v = draws(&d);
        share_below(&v, 2.0, 0.5);
        share_below(&v, 5.0, 0.9);
        mean_is(&v, distribution_mean(&d));
    }

    #[test]
    fn bounded_draws_stay_in_range_with_the_right_mean() {
        for d in [
            Distribution::Uniform { min: 1.0, max: 3.0 },
            Distribution::Triangular {
                min: 1.0,
                mode: 1.5,
                max: 4.0,
            },
            Distribution::Empirical {
                values: vec![1.0, 2.0, 6.0],
            },
        ] {
            let v = draws(&d);
            assert!(v.iter().all(|x| (1.0..=6.0).contains(x)), "{d:?}");
            mean_is(&v, distribution_mean(&d));
        }
        // PBC time on top, and a slow-down for fractional capacities: (draw + add) x scale
        let mut s = Sampler::of(&Distribution::Fixed { value: 2.0 }, 1.0).unwrap();
        s.scale = 1.5;
        let mut rng = Stream::new(1, 0, 0, 0);
        assert_eq!(s.sample(&mut rng), 4.5);
    }

    // The triangular draw is rand_distr's, bit for bit, on the same random numbers.
    #[test]
    fn triangular_draws_are_rand_distrs() {
        for (min, mode, max) in [
            (0.0, 1.0, 2.0),
            (1.0, 1.5, 4.0),
            (2.0, 2.0, 3.0),
            (0.5, 3.0, 3.0),
        ] {
            let theirs = Triangular::new(min, max, mode).unwrap();
            let (mut a, mut b) = (Stream::new(8, 0, 0, 1), Stream::new(8, 0, 0, 1));
            for _ in 0..10_000 {
                let want = theirs.sample(b.rng());
                assert_eq!(
                    triangular(a.uniform(), min, mode, max).to_bits(),
                    want.to_bits()
                );
            }
        }
    }

    #[test]
    fn a_scaled_distribution_scales_its_mean() {
        for d in [
            Distribution::Uniform { min: 1.0, max: 3.0 },
            Distribution::Lognormal {
                median: 2.0,
                p90: 5.0,
            },
            Distribution::Empirical {
                values: vec![1.0, 2.0, 6.0],
            },
        ] {
            let m = distribution_mean(&scale(&d, 0.2));
            assert!((m - 0.2 * distribution_mean(&d)).abs() < 1e-12, "{d:?}");
        }
    }
}
