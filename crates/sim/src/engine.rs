//! The event loop of one run of one stream: items arrive, wait, queue for a server, are
//! worked, pass or fail %C&A, split at forks, meet again at joins, and leave. Events sit in a
//! queue ordered by (time, sequence number) (`queue.rs`), so ties resolve in the order events
//! were scheduled and a run is the same on every machine.
//!
//! Flow of an item through stage x (a "token"; an item has one token per parallel branch):
//! offer -> (entry line while x is at its WIP limit) -> enter (counts in x's WIP) -> wait
//! time -> (the batches attached to x, each to the end of its next run: `gate.rs`) -> queue
//! -> service (process time) -> pass: hand off downstream, holding the server
//! while a downstream stage is full (blocking after service); fail: redo the wait and the
//! work of x, or go back to the rework stage and repeat the stages from there to x.

use std::collections::VecDeque;

use tributary_core::Arrivals;

use crate::control::Control;
use crate::draw::Stream;
use crate::error::{Error, Result};
use crate::gate;
use crate::plan::{Batch, StreamPlan};
use crate::queue::EventQueue;

/// How to run: items measured, items simulated before them, and the WIP sampling grid.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunSpec {
    pub items: u32,
    pub warmup: u32,
    pub sample_every: f64,
    pub samples: u32,
}

/// Time integrals over the measurement window and per-visit sums of one stage.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StageTotals {
    pub busy: f64,
    pub queue: f64,
    pub wip: f64,
    pub blocked: f64,
    /// Over the visits of measured items.
    pub wait_time: f64,
    pub queue_time: f64,
    pub visits: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct RunOutput {
    /// Per measured item, in order of arrival.
    pub lead: Vec<f64>,
    pub efficiency: Vec<f64>,
    pub reworked: u64,
    /// Length of the measurement window: from the first to the last measured arrival.
    pub window: f64,
    /// Items completed in the window.
    pub completions: u64,
    /// Integral of the number of items in the stream over the window.
    pub wip: f64,
    pub stages: Vec<StageTotals>,
    pub wip_samples: Vec<f64>,
}

/// The random-number stream of one component (0: arrivals; 1 + 3i, 2 + 3i, 3 + 3i: stage i's
/// wait times, process times and %C&A draws; 0xFFFF: the batches' phases, `gate.rs`) of one
/// run of one stream (see `draw.rs`).
/// Results therefore depend on the seed alone, not on threads or run order; and since each
/// kind of draw has its own stream, a scenario that changes one stage leaves the draws of
/// the others where they were (common random numbers).
fn rng(seed: u64, stream: usize, run: u32, component: usize) -> Stream {
    Stream::new(seed, stream, run, component)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Arrival,
    WaitDone,
    ServiceDone,
}

/// One branch of one item at one stage.
#[derive(Debug, Default)]
struct Token {
    item: u32,
    stage: u16,
    /// Whether it is repeating its way back to failed stages (`Sim::targets`).
    repeating: bool,
    /// Process time along the branch's critical path so far.
    active: f64,
    queued_at: f64,
    /// Hand-offs still waiting for room downstream (the token holds its server meanwhile).
    holds: u16,
    /// The item's, kept here so that a visit need not look the item up.
    measured: bool,
}

#[derive(Debug, Clone, Copy)]
struct Join {
    pending: u16,
    /// The branch that arrived last (ties: the earlier-listed stage), as on the paper map's
    /// critical path.
    best_time: f64,
    best_pred: u16,
    best_active: f64,
}

#[derive(Debug, Default)]
struct Item {
    arrival: f64,
    index: u64,
    measured: bool,
    reworked: bool,
    sinks_left: u16,
    best_time: f64,
    best_sink: u16,
    best_active: f64,
    joins: Vec<Join>,
}

struct StageRngs {
    wait: Batch,
    process: Batch,
    pass: Stream,
}

/// A count that changes at events, with its integral over time kept as one sum: from 0 to
/// T, the integral of the count is count(T) x T - (the sum of +t at each rise and -t at each
/// fall). So a change costs one addition, and nothing needs bringing up to date in between.
#[derive(Debug, Default, Clone, Copy)]
struct Level {
    n: u32,
    sum: f64,
}

impl Level {
    #[inline]
    fn up(&mut self, t: f64) {
        self.n += 1;
        self.sum += t;
    }

    #[inline]
    fn down(&mut self, t: f64) {
        self.n -= 1;
        self.sum -= t;
    }

    /// The integral of the count from time 0 to `t` (no earlier than the last change).
    fn integral(&self, t: f64) -> f64 {
        f64::from(self.n) * t - self.sum
    }
}

#[derive(Debug, Default)]
struct StageState {
    /// Tokens in the stage (its WIP), at work, and holding a server while blocked.
    in_stage: Level,
    busy: Level,
    blocked: Level,
    /// The length of `queue`.
    queued: Level,
    queue: VecDeque<u32>,
    /// Tokens waiting to enter while the stage is at its WIP limit, with the upstream token
    /// whose server they hold.
    entry: VecDeque<(u32, Option<u32>)>,
    /// Over the visits of measured items.
    wait_time: f64,
    queue_time: f64,
    visits: u64,
}

impl StageState {
    fn totals(&self, t: f64) -> StageTotals {
        StageTotals {
            busy: self.busy.integral(t),
            queue: self.queued.integral(t),
            wip: self.in_stage.integral(t),
            blocked: self.blocked.integral(t),
            wait_time: self.wait_time,
            queue_time: self.queue_time,
            visits: self.visits,
        }
    }
}

struct Sim<'a> {
    plan: &'a StreamPlan,
    control: &'a Control,
    spec: RunSpec,
    now: f64,
    events: EventQueue<(Kind, u32)>,
    tokens: Vec<Token>,
    /// Per token, the failed stages it is repeating its way back to (innermost last): apart
    /// from the tokens, which stay small and so in the cache, as rework back to an earlier
    /// stage is rare.
    targets: Vec<Vec<u16>>,
    free_tokens: Vec<u32>,
    items: Vec<Item>,
    free_items: Vec<u32>,
    st: Vec<StageState>,
    rngs: Vec<StageRngs>,
    arrivals_rng: Stream,
    /// This run's phase draws for the batches (`gate::phases`), by integration.
    phases: Vec<f64>,
    join_preds: Vec<u16>,
    arrived: u64,
    /// Items in the stream.
    wip: Level,
    /// When the next point of WIP over time is due.
    next_sample: f64,
    completions: u64,
    measured_done: u32,
    /// Completed items among the first warmup + items (what progress counts), and how
    /// many of those are not yet reported to the control.
    counted: u64,
    unreported: u64,
    start: Option<(f64, f64, u64, Vec<StageTotals>)>,
    out: RunOutput,
}

/// Runs one replication of `plan`.
pub(crate) fn run(
    plan: &StreamPlan,
    spec: RunSpec,
    seed: u64,
    run: u32,
    control: &Control,
) -> Result<RunOutput> {
    let mut sim = Sim::new(plan, spec, seed, run, control);
    let first = match plan.arrivals {
        Arrivals::Poisson => sim.arrivals_rng.exponential(plan.rate),
        Arrivals::Fixed => 0.0,
    };
    sim.schedule(first, Kind::Arrival, 0);
    let mut events: u32 = 0;
    while let Some((time, (kind, token))) = sim.events.pop() {
        sim.now = time;
        if time >= sim.next_sample {
            sim.sample_wip();
        }
        match kind {
            Kind::Arrival => sim.arrive(),
            Kind::WaitDone => {
                let x = sim.tokens[token as usize].stage as usize;
                sim.queue_up(x, token);
            }
            Kind::ServiceDone => sim.service_done(token),
        }
        if sim.measured_done == spec.items {
            break;
        }
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) && control.is_cancelled() {
            return Err(Error::Cancelled);
        }
    }
    Ok(sim.finish())
}

impl<'a> Sim<'a> {
    /// A run at time 0 with nothing scheduled yet: empty stages, each drawing from its own
    /// random-number streams.
    fn new(plan: &'a StreamPlan, spec: RunSpec, seed: u64, run: u32, control: &'a Control) -> Self {
        let n = plan.stages.len();
        let mut join_preds = vec![0u16; plan.joins];
        for s in &plan.stages {
            if let Some(j) = s.join {
                join_preds[j] = s.preds as u16;
            }
        }
        Sim {
            plan,
            control,
            spec,
            now: 0.0,
            events: EventQueue::new(),
            tokens: Vec::with_capacity(1024),
            targets: Vec::with_capacity(1024),
            free_tokens: Vec::new(),
            items: Vec::with_capacity(1024),
            free_items: Vec::new(),
            st: (0..n).map(|_| StageState::default()).collect(),
            rngs: (0..n)
                .map(|i| StageRngs {
                    wait: Batch::new(rng(seed, plan.index, run, 1 + 3 * i)),
                    process: Batch::new(rng(seed, plan.index, run, 2 + 3 * i)),
                    pass: rng(seed, plan.index, run, 3 + 3 * i),
                })
                .collect(),
            arrivals_rng: rng(seed, plan.index, run, 0),
            phases: gate::phases(seed, plan.index, run, plan.phase_draws),
            join_preds,
            arrived: 0,
            wip: Level::default(),
            next_sample: if spec.samples > 0 { 0.0 } else { f64::INFINITY },
            completions: 0,
            measured_done: 0,
            counted: 0,
            unreported: 0,
            start: None,
            out: RunOutput {
                lead: vec![0.0; spec.items as usize],
                efficiency: vec![0.0; spec.items as usize],
                reworked: 0,
                window: 0.0,
                completions: 0,
                wip: 0.0,
                stages: vec![StageTotals::default(); n],
                wip_samples: Vec::with_capacity(spec.samples as usize),
            },
        }
    }

    /// The output of a run whose last measured item is done. Warm-up items may still be
    /// in the stream: the run is complete all the same, and progress counts them.
    fn finish(self) -> RunOutput {
        let reported = self.counted - self.unreported;
        let all = u64::from(self.spec.warmup) + u64::from(self.spec.items);
        self.control.advance(all.saturating_sub(reported));
        let mut out = self.out;
        for (o, s) in out.stages.iter_mut().zip(&self.st) {
            o.wait_time = s.wait_time;
            o.queue_time = s.queue_time;
            o.visits = s.visits;
        }
        out
    }
}

impl Sim<'_> {
    #[inline]
    fn schedule(&mut self, time: f64, kind: Kind, token: u32) {
        self.events.push(time, (kind, token));
    }

    /// The points of WIP over time due by now (the grid's points up to now).
    fn sample_wip(&mut self) {
        let grid = |k: usize| k as f64 * self.spec.sample_every;
        while (self.out.wip_samples.len() as u32) < self.spec.samples
            && grid(self.out.wip_samples.len()) <= self.now
        {
            self.out.wip_samples.push(f64::from(self.wip.n));
        }
        self.next_sample = if (self.out.wip_samples.len() as u32) < self.spec.samples {
            grid(self.out.wip_samples.len())
        } else {
            f64::INFINITY
        };
    }

    fn snapshot(&self) -> (f64, f64, u64, Vec<StageTotals>) {
        (
            self.now,
            self.wip.integral(self.now),
            self.completions,
            self.st.iter().map(|s| s.totals(self.now)).collect(),
        )
    }

    /// A token from the free list (keeping the room its list of targets had), or a new one.
    #[inline]
    fn alloc_token(&mut self, item: u32, stage: usize, active: f64) -> u32 {
        let measured = self.items[item as usize].measured;
        let Some(i) = self.free_tokens.pop() else {
            self.targets.push(Vec::new());
            self.tokens.push(Token {
                item,
                stage: stage as u16,
                repeating: false,
                active,
                queued_at: 0.0,
                holds: 0,
                measured,
            });
            return (self.tokens.len() - 1) as u32;
        };
        let t = &mut self.tokens[i as usize];
        if t.repeating {
            self.targets[i as usize].clear();
        }
        t.item = item;
        t.stage = stage as u16;
        t.repeating = false;
        t.active = active;
        t.queued_at = 0.0;
        t.holds = 0;
        t.measured = measured;
        i
    }

    /// An item from the free list (keeping the room its joins had), or a new one; the caller
    /// sets every field.
    fn alloc_item(&mut self) -> u32 {
        self.free_items.pop().unwrap_or_else(|| {
            self.items.push(Item::default());
            (self.items.len() - 1) as u32
        })
    }

    #[inline]
    fn free_token(&mut self, t: u32) {
        self.free_tokens.push(t);
    }

    fn arrive(&mut self) {
        let plan = self.plan;
        let index = self.arrived;
        self.arrived += 1;
        let warmup = u64::from(self.spec.warmup);
        let id = self.alloc_item();
        let item = &mut self.items[id as usize];
        item.arrival = self.now;
        item.index = index;
        item.measured = index >= warmup && index < warmup + u64::from(self.spec.items);
        item.reworked = false;
        item.sinks_left = plan.sinks as u16;
        item.best_time = f64::NEG_INFINITY;
        item.best_sink = 0;
        item.best_active = 0.0;
        item.joins.clear();
        item.joins.extend(self.join_preds.iter().map(|&p| Join {
            pending: p,
            best_time: f64::NEG_INFINITY,
            best_pred: 0,
            best_active: 0.0,
        }));
        self.wip.up(self.now);
        if index == warmup {
            self.start = Some(self.snapshot());
        }
        if index + 1 == warmup + u64::from(self.spec.items) {
            self.end_window();
        }
        for &s in &plan.sources {
            let t = self.alloc_token(id, s, 0.0);
            self.offer(s, t, None);
        }
        let next = match plan.arrivals {
            Arrivals::Poisson => self.now + self.arrivals_rng.exponential(plan.rate),
            // multiples of the interval, so that arrival times carry no rounding drift
            Arrivals::Fixed => (index + 1) as f64 / plan.rate,
        };
        self.schedule(next, Kind::Arrival, 0);
    }

    fn end_window(&mut self) {
        let (t1, w1, c1, s1) = self.snapshot();
        let Some((t0, w0, c0, s0)) = self.start.take() else {
            return;
        };
        self.out.window = t1 - t0;
        self.out.wip = w1 - w0;
        self.out.completions = c1 - c0;
        for (i, (a, b)) in s0.iter().zip(&s1).enumerate() {
            let o = &mut self.out.stages[i];
            o.busy = b.busy - a.busy;
            o.queue = b.queue - a.queue;
            o.wip = b.wip - a.wip;
            o.blocked = b.blocked - a.blocked;
        }
    }

    /// Token `t` asks to enter stage `x`; it waits in the entry line while `x` is full.
    /// Returns whether it entered.
    #[inline]
    fn offer(&mut self, x: usize, t: u32, parent: Option<u32>) -> bool {
        if let Some(limit) = self.plan.stages[x].wip_limit {
            let s = &mut self.st[x];
            if s.in_stage.n >= limit || !s.entry.is_empty() {
                s.entry.push_back((t, parent));
                return false;
            }
        }
        self.enter(x, t);
        true
    }

    #[inline]
    fn enter(&mut self, x: usize, t: u32) {
        self.st[x].in_stage.up(self.now);
        let tok = &mut self.tokens[t as usize];
        tok.stage = x as u16;
        let measured = tok.measured;
        self.start_wait(x, t, measured);
    }

    /// `measured`: token `t`'s, which the callers have at hand. Inlined: a call here cost
    /// as much again as the rest of the visit's wait (cachegrind).
    #[inline(always)]
    fn start_wait(&mut self, x: usize, t: u32, measured: bool) {
        let stage = &self.plan.stages[x];
        let w = self.rngs[x].wait.draw(&stage.wait);
        if !stage.gates.is_empty() {
            self.wait_for_batches(x, t, w, measured);
            return;
        }
        if measured {
            self.st[x].wait_time += w;
        }
        if w > 0.0 {
            self.schedule(self.now + w, Kind::WaitDone, t);
        } else {
            self.queue_up(x, t);
        }
    }

    /// After its drawn wait `w`, token `t` passes the batches at stage `x`, each at the end
    /// of its next run, one after another. Kept out of line: models without batches never
    /// come here, and `start_wait` stays as small as it was.
    #[inline(never)]
    fn wait_for_batches(&mut self, x: usize, t: u32, w: f64, measured: bool) {
        let mut at = self.now + w;
        for g in &self.plan.stages[x].gates {
            at = g.departure(self.phases[g.integration] * g.interval, at);
        }
        if measured {
            self.st[x].wait_time += at - self.now;
        }
        self.schedule(at, Kind::WaitDone, t);
    }

    #[inline]
    fn queue_up(&mut self, x: usize, t: u32) {
        self.tokens[t as usize].queued_at = self.now;
        let s = &self.st[x];
        let free = match self.plan.stages[x].servers {
            Some(k) => s.busy.n + s.blocked.n < k,
            None => true,
        };
        if free {
            self.start_service(x, t);
        } else {
            let s = &mut self.st[x];
            s.queued.up(self.now);
            s.queue.push_back(t);
        }
    }

    #[inline]
    fn start_service(&mut self, x: usize, t: u32) {
        self.st[x].busy.up(self.now);
        let p = self.rngs[x].process.draw(&self.plan.stages[x].process);
        let tok = &mut self.tokens[t as usize];
        tok.active += p;
        if tok.measured {
            let s = &mut self.st[x];
            s.visits += 1;
            s.queue_time += self.now - tok.queued_at;
        }
        self.schedule(self.now + p, Kind::ServiceDone, t);
    }

    /// A server of `x` comes free: the next queued token starts.
    #[inline]
    fn next_in_queue(&mut self, x: usize) {
        let s = &mut self.st[x];
        if let Some(t) = s.queue.pop_front() {
            s.queued.down(self.now);
            self.start_service(x, t);
        }
    }

    /// A token leaves stage `x`, freeing its server (busy or blocked) and its WIP slot.
    fn leave(&mut self, x: usize, was_blocked: bool) {
        let now = self.now;
        let s = &mut self.st[x];
        s.in_stage.down(now);
        if was_blocked {
            s.blocked.down(now);
        } else {
            s.busy.down(now);
        }
        self.next_in_queue(x);
        self.admit(x);
    }

    /// Lets tokens from the entry line into `x` while it has room.
    fn admit(&mut self, x: usize) {
        let Some(limit) = self.plan.stages[x].wip_limit else {
            return;
        };
        while self.st[x].in_stage.n < limit {
            let Some((t, parent)) = self.st[x].entry.pop_front() else {
                break;
            };
            self.enter(x, t);
            if let Some(p) = parent {
                let holder = &mut self.tokens[p as usize];
                holder.holds -= 1;
                if holder.holds == 0 {
                    let up = holder.stage as usize;
                    self.free_token(p);
                    self.leave(up, true);
                }
            }
        }
    }

    /// Token `t` is done with its work at its stage: it passes %C&A or fails, and a
    /// passed token moves on to the next stages.
    fn service_done(&mut self, t: u32) {
        let plan = self.plan;
        let x = self.tokens[t as usize].stage as usize;
        let stage = &plan.stages[x];
        let passed = stage.pca >= 1.0 || self.rngs[x].pass.uniform() < stage.pca;
        if !passed {
            self.fail(t, x);
            return;
        }
        let item = self.tokens[t as usize].item as usize;
        let active = self.tokens[t as usize].active;
        let target = self.next_target(t, x);
        if stage.succs.is_empty() {
            self.free_token(t);
            self.reach_sink(item, x, active);
            self.leave(x, false);
            return;
        }
        if let [y] = stage.succs[..]
            && target.is_none_or(|goal| plan.reaches(y, goal))
            && self.has_room(y)
        {
            // the usual hand-off, to the one next stage, which has room: the token itself
            // moves on (as a new token would, with the same targets), then x lets it go
            self.enter(y, t);
            self.leave(x, false);
            return;
        }
        self.fork(t, x, active, target);
    }

    /// Token `t` fails %C&A at stage `x`: it redoes the wait and the work of `x`, or goes
    /// back to the rework stage to repeat the stages from there to `x`.
    fn fail(&mut self, t: u32, x: usize) {
        let stage = &self.plan.stages[x];
        let tok = &self.tokens[t as usize];
        let (item, measured) = (tok.item as usize, tok.measured);
        self.items[item].reworked = true;
        let r = stage.rework_to;
        if r == x {
            // redo this stage: its wait and work again, keeping the WIP slot
            self.st[x].busy.down(self.now);
            self.next_in_queue(x);
            self.start_wait(x, t, measured);
            return;
        }
        // already repeating its way back to x: the new round ends at x as well
        let targets = &mut self.targets[t as usize];
        if targets.last() != Some(&(x as u16)) {
            targets.push(x as u16);
        }
        self.tokens[t as usize].repeating = true;
        for &(j, pending) in &stage.region_joins {
            let join = &mut self.items[item].joins[j];
            join.pending = pending;
            join.best_time = f64::NEG_INFINITY;
        }
        self.leave(x, false);
        // returned work goes in even when the stage is at its WIP limit, so that
        // rework can never deadlock the flow
        self.enter(r, t);
    }

    /// The failed stage that token `t`, having passed `x`, repeats its way back to next
    /// (`None`: it is not repeating; its work flows on as usual).
    fn next_target(&mut self, t: u32, x: usize) -> Option<usize> {
        let tok = &mut self.tokens[t as usize];
        if !tok.repeating {
            return None;
        }
        let targets = &mut self.targets[t as usize];
        if targets.last() == Some(&(x as u16)) {
            targets.pop();
        }
        tok.repeating = !targets.is_empty();
        targets.last().map(|&s| s as usize)
    }

    /// Token `t` (with critical-path work `active`) leaves stage `x` for each next stage
    /// on the way to `target`, as a new token per branch. While a branch has no room, `t`
    /// keeps its server (blocking after service).
    fn fork(&mut self, t: u32, x: usize, active: f64, target: Option<usize>) {
        let plan = self.plan;
        let item = self.tokens[t as usize].item;
        let mut blocked = 0u16;
        for &y in &plan.stages[x].succs {
            if let Some(goal) = target
                && !plan.reaches(y, goal)
            {
                continue;
            }
            let child = self.alloc_token(item, y, active);
            if self.tokens[t as usize].repeating {
                let targets = std::mem::take(&mut self.targets[t as usize]);
                self.targets[child as usize].clone_from(&targets);
                self.targets[t as usize] = targets;
                self.tokens[child as usize].repeating = true;
            }
            if !self.deliver(y, child, x, t) {
                blocked += 1;
            }
        }
        if blocked == 0 {
            self.free_token(t);
            self.leave(x, false);
        } else {
            // the token keeps its server until every hand-off has found room
            self.tokens[t as usize].holds = blocked;
            let s = &mut self.st[x];
            s.busy.down(self.now);
            s.blocked.up(self.now);
        }
    }

    /// Whether a token handed to `y` enters it at once: `y` is no join and is below its WIP
    /// limit with nobody in its entry line.
    #[inline]
    fn has_room(&self, y: usize) -> bool {
        let stage = &self.plan.stages[y];
        let s = &self.st[y];
        stage.join.is_none()
            && stage
                .wip_limit
                .is_none_or(|limit| s.in_stage.n < limit && s.entry.is_empty())
    }

    /// Hands token `t` from stage `from` to stage `y`. Returns false when it has to wait for
    /// room in `y` (holding `parent`'s server); true otherwise (it entered, or it waits at
    /// a join for the item's other branches).
    fn deliver(&mut self, y: usize, t: u32, from: usize, parent: u32) -> bool {
        if let Some(j) = self.plan.stages[y].join {
            let now = self.now;
            let active = self.tokens[t as usize].active;
            let item = self.tokens[t as usize].item as usize;
            let join = &mut self.items[item].joins[j];
            if now > join.best_time || (now == join.best_time && (from as u16) < join.best_pred) {
                join.best_time = now;
                join.best_pred = from as u16;
                join.best_active = active;
            }
            join.pending = join.pending.saturating_sub(1);
            if join.pending > 0 {
                self.free_token(t);
                return true;
            }
            self.tokens[t as usize].active = join.best_active;
            join.pending = self.join_preds[j];
            join.best_time = f64::NEG_INFINITY;
        }
        self.offer(y, t, Some(parent))
    }

    fn reach_sink(&mut self, item: usize, x: usize, active: f64) {
        let now = self.now;
        let it = &mut self.items[item];
        if now > it.best_time || (now == it.best_time && (x as u16) < it.best_sink) {
            it.best_time = now;
            it.best_sink = x as u16;
            it.best_active = active;
        }
        it.sinks_left = it.sinks_left.saturating_sub(1);
        if it.sinks_left > 0 {
            return;
        }
        self.wip.down(now);
        self.completions += 1;
        let it = &self.items[item];
        if it.index < u64::from(self.spec.warmup) + u64::from(self.spec.items) {
            self.counted += 1;
            self.unreported += 1;
            if self.unreported >= 1024 {
                // the counter is shared across threads: report in batches
                self.control.advance(self.unreported);
                self.unreported = 0;
            }
        }
        if it.measured {
            let k = (it.index - u64::from(self.spec.warmup)) as usize;
            let lead = now - it.arrival;
            self.out.lead[k] = lead;
            self.out.efficiency[k] = if lead > 0.0 {
                it.best_active / lead
            } else {
                0.0
            };
            if it.reworked {
                self.out.reworked += 1;
            }
            self.measured_done += 1;
        }
        self.free_items.push(item as u32);
    }
}
