//! Measured flow of a stream over a window of days (REFERENCE.md section 6).
//!
//! - Flow time (cycle time) of an item: from its first entry into a committed state (waiting
//!   or active) to its final entry into done, in elapsed calendar time, stored exactly and
//!   shown in days. An item reopened after done is in progress again; it counts once, when it
//!   is finally done. Items whose history begins in a committed state have no known start and
//!   are left out of flow times (counted). Canceled items are left out of flow time and
//!   throughput.
//! - Time in each state is summed over every visit. Blocked time counts as waiting whatever
//!   the status (Kersten: waiting includes blocked). Time in new (after commitment), in done
//!   before a reopen and in unmapped statuses is "other": in the flow time, neither active
//!   nor waiting.
//! - Measured flow efficiency of an item = active time / flow time; of the stream = the sum of
//!   active time / the sum of flow times of the items done in the window (the activity ratio,
//!   never an average of ratios); the per-item median is given beside it.
//! - Throughput: items entering done per UTC day of the window, days with none counted as 0;
//!   per ISO week (Monday first) with the number of window days each week covers.
//! - WIP on a day: items whose status at the end of the day is committed (waiting or active).
//!   Aging WIP: age since commitment at the end of the window.
//! - Cumulative flow: for each day and each status of the workflow (the mapping's order;
//!   canceled and unmapped statuses left out), the number of items whose status at the end of
//!   the day is that one or a later one.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tributary_core::{Model, TimeUnit};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::history::{History, Item};
use crate::import::Count;
use crate::mapping::{FlowState, ItemKind, Mapping};
use crate::stats::{Summary, median};
use crate::time::{MS_PER_DAY, day_of, days, format_day, format_instant};

/// The longest window computed (100 years of days).
pub const MAX_WINDOW_DAYS: i64 = 36_525;

/// A gap between drawn and measured stage lead time larger than this share of the drawn
/// one is flagged.
pub const GAP_THRESHOLD: f64 = 0.25;

/// The days a computation covers, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: i64,
    pub to: i64,
}

impl DayRange {
    pub fn len(&self) -> usize {
        (self.to - self.from + 1).max(0) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.to < self.from
    }

    pub fn contains(&self, day: i64) -> bool {
        self.from <= day && day <= self.to
    }

    /// `from..=to` given either end or none; the defaults come from `data` (first and last
    /// day with data). Refuses a window that ends before it starts or is absurdly long.
    pub fn resolve(
        from: Option<i64>,
        to: Option<i64>,
        data: Option<(i64, i64)>,
    ) -> Result<DayRange> {
        let (lo, hi) = match (from, to, data) {
            (Some(f), Some(t), _) => (f, t),
            (f, t, Some((a, b))) => (f.unwrap_or(a), t.unwrap_or(b)),
            (Some(f), None, None) => (f, f),
            (None, Some(t), None) => (t, t),
            (None, None, None) => {
                return Err(Error::NoData(
                    "there is no data to choose a window from".into(),
                ));
            }
        };
        if hi < lo {
            return Err(Error::Invalid(format!(
                "the window ends ({}) before it starts ({})",
                format_day(hi),
                format_day(lo)
            )));
        }
        if hi - lo + 1 > MAX_WINDOW_DAYS {
            return Err(Error::Invalid(format!(
                "the window {}..{} is {} days long; choose a shorter one with --from and --to",
                format_day(lo),
                format_day(hi),
                hi - lo + 1
            )));
        }
        Ok(DayRange { from: lo, to: hi })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Window {
    /// First day, YYYY-MM-DD (UTC).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    pub days: u32,
}

impl From<DayRange> for Window {
    fn from(r: DayRange) -> Window {
        Window {
            from: format_day(r.from),
            to: format_day(r.to),
            days: r.len() as u32,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayCount {
    pub date: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekCount {
    /// The Monday of the ISO week.
    pub week_start: String,
    /// Days of the week inside the window (7 for a full week).
    pub days: u32,
    pub count: u64,
}

/// Flow time of the items done in the window, in calendar days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CycleTime {
    /// Always "days" (elapsed calendar days, fractional).
    pub unit: String,
    pub count: u64,
    // The percentiles are `null` when no item is done: present, so that a script can read
    // them without checking for the key.
    #[serde(default)]
    pub p50: Option<f64>,
    #[serde(default)]
    pub p70: Option<f64>,
    #[serde(default)]
    pub p85: Option<f64>,
    #[serde(default)]
    pub p95: Option<f64>,
    #[serde(default)]
    pub mean: Option<f64>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

impl From<Summary> for CycleTime {
    fn from(s: Summary) -> CycleTime {
        CycleTime {
            unit: "days".into(),
            count: s.count,
            p50: s.p50,
            p70: s.p70,
            p85: s.p85,
            p95: s.p95,
            mean: s.mean,
            min: s.min,
            max: s.max,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Throughput {
    /// Items done in the window.
    pub total: u64,
    pub mean_per_day: f64,
    /// Median of the weekly counts over the ISO weeks wholly inside the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub median_per_week: Option<f64>,
}

/// An item done in the window: a dot of the cycle-time scatterplot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DoneItem {
    pub item_id: String,
    /// The item's flow item kind; `None` when its raw type is not mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<ItemKind>,
    /// The day it was (finally) done.
    pub done: String,
    /// `None` when its start is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub flow_time_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub active_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub waiting_days: Option<f64>,
}

/// An item in progress at the end of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgingItem {
    pub item_id: String,
    pub item_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    pub status: String,
    pub state: FlowState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<String>,
    /// When it was committed to (its first known event when the start is not known).
    pub since: String,
    /// Days since commitment at the end of the window.
    pub age_days: f64,
    /// The history begins in progress: the age is at least this.
    pub start_unknown: bool,
    /// Older than the 85th percentile of flow time: at risk.
    pub beyond_p85: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KindShare {
    /// feature, defect, risk, debt, or "unmapped".
    pub kind: String,
    pub items: u64,
    pub share: f64,
}

/// Time the items done in the window spent in one status, per item that visited it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusTime {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub state: Option<FlowState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<String>,
    pub days: Summary,
}

/// The map's times of a stage, working time in the model's unit (own plus PBCs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Drawn {
    pub process_time: f64,
    pub wait_time: f64,
    pub lead_time: f64,
}

/// Measured times of a stage converted to working time in the model's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Measured {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub process_p50: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub process_p85: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub process_mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wait_p50: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wait_p85: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wait_mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lead_p50: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lead_p85: Option<f64>,
}

/// Measured median minus drawn, in the model's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Gap {
    pub process_time: f64,
    pub wait_time: f64,
    pub lead_time: f64,
    /// |lead time gap| above [`GAP_THRESHOLD`] of the drawn lead time.
    pub flagged: bool,
}

/// Drawn against measured, for one stage of the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StageFlow {
    pub stage: String,
    pub name: String,
    /// The raw statuses mapped to the stage.
    pub statuses: Vec<String>,
    /// Items done in the window that passed through the stage.
    pub items: u64,
    /// Calendar days per item: active (not blocked), waiting (incl. blocked), both.
    pub active_days: Summary,
    pub waiting_days: Summary,
    pub total_days: Summary,
    pub unit: TimeUnit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub drawn: Option<Drawn>,
    pub measured: Measured,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub gap: Option<Gap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Cfd {
    /// The workflow's statuses, in order; each count is of items at that status or a later one.
    pub statuses: Vec<String>,
    pub days: Vec<CfdDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CfdDay {
    pub date: String,
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemCounts {
    /// Items in the history.
    pub items: u64,
    /// Done in the window.
    pub done: u64,
    /// Of those, with a known start (in the flow-time figures).
    pub done_with_start: u64,
    /// Done in the window, but the history begins in progress.
    pub done_start_unknown: u64,
    /// Done in the window without ever being in a committed state.
    pub done_never_committed: u64,
    /// Canceled in the window.
    pub canceled: u64,
    /// In progress at the end of the window.
    pub in_progress: u64,
}

/// Everything the Flow view and `tributary flow` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FlowReport {
    pub stream: String,
    pub window: Window,
    /// The end of the window: the moment WIP and ages are taken at.
    pub as_of: String,
    pub cycle_time: CycleTime,
    pub throughput_per_day: Vec<DayCount>,
    pub throughput_per_week: Vec<WeekCount>,
    pub throughput: Throughput,
    pub wip_per_day: Vec<DayCount>,
    /// Items in progress at the end of the window.
    pub wip: u64,
    /// In progress at the end of the window, oldest first.
    pub aging_wip: Vec<AgingItem>,
    /// Sum of active time / sum of flow time over the items done in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub flow_efficiency: Option<f64>,
    /// Median of the items' own active / flow time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub flow_efficiency_median: Option<f64>,
    /// Days over the items done in the window, summed.
    pub active_days: f64,
    pub waiting_days: f64,
    pub blocked_days: f64,
    pub other_days: f64,
    pub distribution: Vec<KindShare>,
    pub statuses: Vec<StatusTime>,
    pub stages: Vec<StageFlow>,
    pub cfd: Cfd,
    pub done_items: Vec<DoneItem>,
    pub counts: ItemCounts,
    pub unmapped_statuses: Vec<Count>,
    pub unmapped_types: Vec<Count>,
    /// Messages for people: missing data, what could not be measured.
    pub notes: Vec<String>,
}

/// The mapping applied to a history's interned statuses and types.
pub(crate) struct Resolved {
    pub state: Vec<Option<FlowState>>,
    pub stage: Vec<Option<usize>>,
    pub kind: Vec<Option<ItemKind>>,
    pub stage_ids: Vec<String>,
    /// Position of each status in the CFD, if it is drawn there.
    pub cfd_pos: Vec<Option<usize>>,
    pub cfd_statuses: Vec<String>,
}

impl Resolved {
    pub fn new(h: &History, m: &Mapping, stage_order: &[String]) -> Resolved {
        let mut stage_ids: Vec<String> = stage_order.to_vec();
        for s in &m.stages {
            if !stage_ids.contains(&s.stage) {
                stage_ids.push(s.stage.clone());
            }
        }
        let state: Vec<Option<FlowState>> = h.statuses.iter().map(|s| m.state_of(s)).collect();
        let stage = h
            .statuses
            .iter()
            .map(|s| {
                m.stage_of(s)
                    .and_then(|id| stage_ids.iter().position(|x| x == id))
            })
            .collect();
        let kind = h.types.iter().map(|t| m.kind_of(t)).collect();
        let mut cfd_statuses = Vec::new();
        let mut cfd_pos = vec![None; h.statuses.len()];
        for sm in &m.states {
            if sm.state == FlowState::Canceled {
                continue;
            }
            if let Some(i) = h.statuses.iter().position(|s| *s == sm.status) {
                cfd_pos[i] = Some(cfd_statuses.len());
                cfd_statuses.push(sm.status.clone());
            }
        }
        Resolved {
            state,
            stage,
            kind,
            stage_ids,
            cfd_pos,
            cfd_statuses,
        }
    }

    fn state(&self, s: u32) -> Option<FlowState> {
        self.state.get(s as usize).copied().flatten()
    }
}

/// The facts of one item that do not depend on the window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// First entry into a committed state, when the start is known.
    pub commit: Option<i64>,
    pub start_unknown: bool,
    /// Final entry into done, if the item is done now.
    pub done: Option<i64>,
    pub canceled: Option<i64>,
}

pub(crate) fn facts(item: &Item, r: &Resolved) -> Facts {
    let ev = &item.events;
    let Some(first) = ev.first() else {
        return Facts {
            commit: None,
            start_unknown: false,
            done: None,
            canceled: None,
        };
    };
    let start_unknown = first
        .from
        .is_some_and(|f| r.state(f) != Some(FlowState::New));
    let commit = if start_unknown {
        None
    } else {
        ev.iter()
            .find(|e| r.state(e.to).is_some_and(FlowState::in_progress))
            .map(|e| e.at)
    };
    let trailing = |want: FlowState| -> Option<i64> {
        let mut at = None;
        for e in ev.iter().rev() {
            if r.state(e.to) == Some(want) {
                at = Some(e.at);
            } else {
                break;
            }
        }
        at
    };
    Facts {
        commit,
        start_unknown,
        done: trailing(FlowState::Done),
        canceled: trailing(FlowState::Canceled),
    }
}

/// Time of a done item between commitment and done, by kind of time, status and stage.
#[derive(Default)]
pub(crate) struct Split {
    pub active: i64,
    pub waiting: i64,
    pub blocked: i64,
    pub other: i64,
    /// (status, ms), each status once.
    pub statuses: Vec<(u32, i64)>,
    /// (stage, active ms, waiting ms), each stage once.
    pub stages: Vec<(usize, i64, i64)>,
}

/// Splits an item's time in `start..end` into reused buffers (the hot loop over 100,000
/// items allocates nothing).
pub(crate) fn split_into(item: &Item, r: &Resolved, start: i64, end: i64, out: &mut Split) {
    out.active = 0;
    out.waiting = 0;
    out.blocked = 0;
    out.other = 0;
    out.statuses.clear();
    out.stages.clear();
    let mut blocked = false;
    let ev = &item.events;
    for (i, e) in ev.iter().enumerate() {
        if let Some(b) = e.blocked {
            blocked = b;
        }
        let a = e.at;
        let b = ev.get(i + 1).map_or(end, |n| n.at);
        let (lo, hi) = (a.max(start), b.min(end));
        let len = hi - lo;
        let inside = len > 0 || (a == b && start <= a && a < end);
        if !inside || len < 0 {
            continue;
        }
        let st = r.state(e.to);
        let (act, wait) = match st {
            Some(FlowState::Active) if !blocked => (len, 0),
            Some(FlowState::Active) | Some(FlowState::Waiting) => (0, len),
            _ => (0, 0),
        };
        out.active += act;
        out.waiting += wait;
        if blocked && st.is_some_and(FlowState::in_progress) {
            out.blocked += len;
        }
        if act == 0 && wait == 0 {
            out.other += len;
        }
        match out.statuses.iter_mut().find(|(s, _)| *s == e.to) {
            Some(x) => x.1 += len,
            None => out.statuses.push((e.to, len)),
        }
        if let Some(stage) = r.stage.get(e.to as usize).copied().flatten() {
            match out.stages.iter_mut().find(|x| x.0 == stage) {
                Some(x) => {
                    x.1 += act;
                    x.2 += wait;
                }
                None => out.stages.push((stage, act, wait)),
            }
        }
    }
}

/// What every chunk of a flow computation reads.
struct ScanContext<'a> {
    h: &'a History,
    r: &'a Resolved,
    range: DayRange,
    n_days: usize,
    as_of: i64,
    day_names: &'a [String],
}

/// The tallies of a flow computation over some of the items; two merge into the tallies of
/// both, in item order.
struct Scan {
    flow_days: Vec<f64>,
    done_items: Vec<DoneItem>,
    counts: ItemCounts,
    throughput: Vec<u64>,
    sum_active: i64,
    sum_waiting: i64,
    sum_blocked: i64,
    sum_other: i64,
    sum_flow: i64,
    efficiencies: Vec<f64>,
    /// Items done in the window by kind: `ItemKind::ALL` in order, then unmapped.
    by_kind: [u64; 5],
    status_days: Vec<Vec<f64>>,
    stage_active: Vec<Vec<f64>>,
    stage_waiting: Vec<Vec<f64>>,
    /// Per status, the day-by-day differences of the number of items in it at day's end.
    diff: Vec<i64>,
    aging: Vec<AgingItem>,
    entering: Vec<u64>,
    seen: Vec<bool>,
    type_items: Vec<u64>,
    /// Scratch space reused item after item.
    split: Split,
}

fn kind_index(kind: Option<ItemKind>) -> usize {
    kind.and_then(|k| ItemKind::ALL.iter().position(|x| *x == k))
        .unwrap_or(ItemKind::ALL.len())
}

fn add_to(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

impl Scan {
    /// Empty tallies with room for `items` items done in the window.
    fn new(cx: &ScanContext, items: usize) -> Scan {
        let n_status = cx.h.statuses.len();
        let n_stages = cx.r.stage_ids.len();
        Scan {
            flow_days: Vec::with_capacity(items),
            done_items: Vec::with_capacity(items),
            counts: ItemCounts {
                items: 0,
                done: 0,
                done_with_start: 0,
                done_start_unknown: 0,
                done_never_committed: 0,
                canceled: 0,
                in_progress: 0,
            },
            throughput: vec![0; cx.n_days],
            sum_active: 0,
            sum_waiting: 0,
            sum_blocked: 0,
            sum_other: 0,
            sum_flow: 0,
            efficiencies: Vec::with_capacity(items),
            by_kind: [0; 5],
            status_days: vec![Vec::new(); n_status],
            stage_active: vec![Vec::new(); n_stages],
            stage_waiting: vec![Vec::new(); n_stages],
            diff: vec![0; n_status * (cx.n_days + 1)],
            aging: Vec::new(),
            entering: vec![0; n_status],
            seen: vec![false; n_status],
            type_items: vec![0; cx.h.types.len()],
            split: Split::default(),
        }
    }

    /// The tallies of the parts together, in order; each list is copied once into room made
    /// for all of it.
    fn concat(parts: Vec<Scan>) -> Option<Scan> {
        let mut parts = parts.into_iter();
        let mut first = parts.next()?;
        let rest: Vec<Scan> = parts.collect();
        let more = |f: fn(&Scan) -> usize| rest.iter().map(f).sum::<usize>();
        first.flow_days.reserve(more(|p| p.flow_days.len()));
        first.done_items.reserve(more(|p| p.done_items.len()));
        first.efficiencies.reserve(more(|p| p.efficiencies.len()));
        first.aging.reserve(more(|p| p.aging.len()));
        for (i, v) in first.status_days.iter_mut().enumerate() {
            v.reserve(rest.iter().map(|p| p.status_days[i].len()).sum());
        }
        for (i, v) in first.stage_active.iter_mut().enumerate() {
            v.reserve(rest.iter().map(|p| p.stage_active[i].len()).sum());
        }
        for (i, v) in first.stage_waiting.iter_mut().enumerate() {
            v.reserve(rest.iter().map(|p| p.stage_waiting[i].len()).sum());
        }
        Some(rest.into_iter().fold(first, Scan::merge))
    }

    fn merge(mut self, mut o: Scan) -> Scan {
        self.flow_days.append(&mut o.flow_days);
        self.done_items.append(&mut o.done_items);
        let (c, d) = (&mut self.counts, &o.counts);
        c.done += d.done;
        c.done_with_start += d.done_with_start;
        c.done_start_unknown += d.done_start_unknown;
        c.done_never_committed += d.done_never_committed;
        c.canceled += d.canceled;
        add_to(&mut self.throughput, &o.throughput);
        self.sum_active += o.sum_active;
        self.sum_waiting += o.sum_waiting;
        self.sum_blocked += o.sum_blocked;
        self.sum_other += o.sum_other;
        self.sum_flow += o.sum_flow;
        self.efficiencies.append(&mut o.efficiencies);
        add_to(&mut self.by_kind, &o.by_kind);
        for (a, b) in self.status_days.iter_mut().zip(&mut o.status_days) {
            a.append(b);
        }
        for (a, b) in self.stage_active.iter_mut().zip(&mut o.stage_active) {
            a.append(b);
        }
        for (a, b) in self.stage_waiting.iter_mut().zip(&mut o.stage_waiting) {
            a.append(b);
        }
        for (a, b) in self.diff.iter_mut().zip(&o.diff) {
            *a += b;
        }
        self.aging.append(&mut o.aging);
        add_to(&mut self.entering, &o.entering);
        for (a, b) in self.seen.iter_mut().zip(&o.seen) {
            *a |= b;
        }
        add_to(&mut self.type_items, &o.type_items);
        self
    }

    fn item(&mut self, it: &Item, cx: &ScanContext) {
        let (r, range) = (cx.r, cx.range);
        let f = facts(it, r);
        self.type_items[it.item_type as usize] += 1;
        if let Some(c) = f.canceled
            && range.contains(day_of(c))
        {
            self.counts.canceled += 1;
        }
        if let Some(done) = f.done
            && range.contains(day_of(done))
        {
            self.done_item(it, cx, &f, done);
        }
        self.daily_status(it, cx);
        self.aging_item(it, cx, &f);
    }

    /// Tallies an item done in the window: throughput, kind, and the split of its flow time.
    fn done_item(&mut self, it: &Item, cx: &ScanContext, f: &Facts, done: i64) {
        let (r, range) = (cx.r, cx.range);
        let day = day_of(done);
        self.counts.done += 1;
        self.throughput[(day - range.from) as usize] += 1;
        let kind = r.kind.get(it.item_type as usize).copied().flatten();
        self.by_kind[kind_index(kind)] += 1;
        let mut row = DoneItem {
            item_id: it.id.clone(),
            kind,
            done: cx.day_names[(day - range.from) as usize].clone(),
            flow_time_days: None,
            active_days: None,
            waiting_days: None,
        };
        match f.commit {
            Some(c) if c <= done && !f.start_unknown => {
                self.counts.done_with_start += 1;
                let ft = done - c;
                let s = &mut self.split;
                split_into(it, r, c, done, s);
                self.sum_flow += ft;
                self.sum_active += s.active;
                self.sum_waiting += s.waiting;
                self.sum_blocked += s.blocked;
                self.sum_other += s.other;
                self.flow_days.push(days(ft));
                if ft > 0 {
                    self.efficiencies.push(s.active as f64 / ft as f64);
                }
                for (st, ms) in &s.statuses {
                    self.status_days[*st as usize].push(days(*ms));
                }
                for (stage, a, w) in &s.stages {
                    self.stage_active[*stage].push(days(*a));
                    self.stage_waiting[*stage].push(days(*w));
                }
                row.flow_time_days = Some(days(ft));
                row.active_days = Some(days(s.active));
                row.waiting_days = Some(days(s.waiting));
            }
            _ if f.start_unknown => self.counts.done_start_unknown += 1,
            _ => self.counts.done_never_committed += 1,
        }
        self.done_items.push(row);
    }

    /// The status at the end of each day, into the difference arrays.
    fn daily_status(&mut self, it: &Item, cx: &ScanContext) {
        let (range, n_days) = (cx.range, cx.n_days);
        let diff = &mut self.diff;
        let mut mark = |from_day: i64, to_day: i64, st: u32| {
            let (lo, hi) = (from_day.max(range.from), to_day.min(range.to));
            if lo <= hi {
                let base = st as usize * (n_days + 1);
                diff[base + (lo - range.from) as usize] += 1;
                diff[base + (hi - range.from) as usize + 1] -= 1;
            }
        };
        let mut cur: Option<(i64, u32)> = None;
        for e in &it.events {
            self.seen[e.to as usize] = true;
            if let Some(fr) = e.from {
                self.seen[fr as usize] = true;
            }
            if e.from != Some(e.to) {
                self.entering[e.to as usize] += 1;
            }
            let d = day_of(e.at);
            match cur {
                Some((cd, _)) if cd == d => cur = Some((d, e.to)),
                Some((cd, cs)) => {
                    mark(cd, d - 1, cs);
                    cur = Some((d, e.to));
                }
                None => cur = Some((d, e.to)),
            }
        }
        if let Some((cd, cs)) = cur {
            mark(cd, range.to, cs);
        }
    }

    /// An item in progress at the end of the window is aging WIP.
    fn aging_item(&mut self, it: &Item, cx: &ScanContext, f: &Facts) {
        let (r, as_of) = (cx.r, cx.as_of);
        let last = match it.events.last() {
            Some(l) if l.at < as_of => Some(l),
            _ => it.events.iter().rev().find(|e| e.at < as_of),
        };
        if let Some(last) = last
            && let Some(state) = r.state(last.to).filter(|x| x.in_progress())
        {
            let status = last.to;
            let (since, start_unknown) = match f.commit {
                Some(c) if c < as_of => (c, false),
                _ => (it.events.first().map_or(as_of, |e| e.at), true),
            };
            let h = cx.h;
            self.aging.push(AgingItem {
                item_id: it.id.clone(),
                item_type: h
                    .types
                    .get(it.item_type as usize)
                    .cloned()
                    .unwrap_or_default(),
                title: it.title.clone(),
                status: h.statuses[status as usize].clone(),
                state,
                stage: r
                    .stage
                    .get(status as usize)
                    .copied()
                    .flatten()
                    .map(|i| r.stage_ids[i].clone()),
                since: format_instant(since),
                age_days: days(as_of - since),
                start_unknown,
                beyond_p85: false,
            });
        }
    }
}

/// Converts calendar days to working time in `unit`: a calendar week of elapsed time is one
/// working week of the model's calendar, so elapsed hours are scaled by hours per working
/// week / 168.
pub fn calendar_days_to_working(days: f64, model: &Model) -> f64 {
    let cal = model.calendar;
    let working_hours = days * 24.0 * cal.hours_per_week() / 168.0;
    cal.convert(working_hours, TimeUnit::Hours, model.time_unit)
}

/// The options of a flow computation.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlowOptions {
    /// First day of the window (UTC day number); default: the first day with data.
    pub from: Option<i64>,
    /// Last day, inclusive; default: the last day with data.
    pub to: Option<i64>,
}

/// Computes the measured flow of a history under a mapping. `model` adds the drawn stage
/// times and the stage order; `limitations` are repeated in the notes.
pub fn compute(
    h: &History,
    m: &Mapping,
    model: Option<&Model>,
    opts: FlowOptions,
) -> Result<FlowReport> {
    let chunk = h
        .items
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(4096);
    compute_in_chunks(h, m, model, opts, chunk)
}

/// [`compute`], scanning the items in chunks of `chunk` on all cores.
fn compute_in_chunks(
    h: &History,
    m: &Mapping,
    model: Option<&Model>,
    opts: FlowOptions,
    chunk: usize,
) -> Result<FlowReport> {
    let stream = model.and_then(|md| md.stream(&h.stream));
    let stage_order: Vec<String> = stream
        .map(|s| s.stages.iter().map(|st| st.id.clone()).collect())
        .unwrap_or_default();
    let r = Resolved::new(h, m, &stage_order);
    let range = window_of(h, opts)?;
    let n_days = range.len();
    let as_of = (range.to + 1) * MS_PER_DAY;
    let day_names: Vec<String> = (range.from..=range.to).map(format_day).collect();
    let cx = ScanContext {
        h,
        r: &r,
        range,
        n_days,
        as_of,
        day_names: &day_names,
    };
    let mut scan = scan_items(&cx, chunk);
    scan.counts.items = h.items.len() as u64;
    let (cycle, efficiency_median) = rayon::join(
        || Summary::of(&scan.flow_days),
        || median(&scan.efficiencies),
    );
    let aging = rank_aging(std::mem::take(&mut scan.aging), cycle.p85);
    scan.counts.in_progress = aging.len() as u64;
    let (wip_per_day, cfd_days) = daily_counts(&cx, &scan.diff);
    let tp = throughput_of(range, &scan.throughput, &day_names);
    let stages = stage_flows(h, m, &r, model, &scan);
    let (unmapped_statuses, unmapped_types) = unmapped(h, &r, &scan);
    let notes = flow_notes(
        h,
        m,
        range,
        &scan.counts,
        &unmapped_statuses,
        !stages.is_empty(),
    );
    let counts = scan.counts.clone();
    Ok(FlowReport {
        stream: h.stream.clone(),
        window: range.into(),
        as_of: format_instant(as_of),
        cycle_time: cycle.into(),
        throughput_per_day: tp.0,
        throughput_per_week: tp.1,
        throughput: tp.2,
        wip_per_day,
        wip: counts.in_progress,
        aging_wip: aging,
        flow_efficiency: (scan.sum_flow > 0).then(|| scan.sum_active as f64 / scan.sum_flow as f64),
        flow_efficiency_median: efficiency_median,
        active_days: days(scan.sum_active),
        waiting_days: days(scan.sum_waiting),
        blocked_days: days(scan.sum_blocked),
        other_days: days(scan.sum_other),
        distribution: distribution(&scan.by_kind, counts.done),
        statuses: status_times(h, m, &r, &scan.status_days),
        stages,
        cfd: Cfd {
            statuses: r.cfd_statuses.clone(),
            days: cfd_days,
        },
        done_items: std::mem::take(&mut scan.done_items),
        counts,
        unmapped_statuses,
        unmapped_types,
        notes,
    })
}

/// The window asked for, by default the days with data.
fn window_of(h: &History, opts: FlowOptions) -> Result<DayRange> {
    DayRange::resolve(opts.from, opts.to, h.span()).map_err(|e| match e {
        Error::NoData(_) => Error::NoData(format!(
            "stream {:?} has no work-item telemetry; import some with `tributary telemetry import`",
            h.stream
        )),
        e => e,
    })
}

/// One pass over the items (they can be 100,000 with a million events): facts, the items
/// done in the window, each day's status, the items in progress at the end, and counts.
/// Chunks of items are scanned on all cores and their tallies merged in item order, so the
/// result is the same as one sequential pass.
fn scan_items(cx: &ScanContext<'_>, chunk: usize) -> Scan {
    let scans =
        cx.h.items
            .par_chunks(chunk.max(1))
            .map(|items| {
                let mut acc = Scan::new(cx, items.len());
                for it in items {
                    acc.item(it, cx);
                }
                acc
            })
            .collect::<Vec<Scan>>();
    Scan::concat(scans).unwrap_or_else(|| Scan::new(cx, 0))
}

/// Aging WIP, oldest first, flagged when older than the 85th percentile of flow time.
fn rank_aging(mut aging: Vec<AgingItem>, p85: Option<f64>) -> Vec<AgingItem> {
    for a in &mut aging {
        a.beyond_p85 = p85.is_some_and(|p| a.age_days > p);
    }
    aging.sort_by(|a, b| {
        b.age_days
            .total_cmp(&a.age_days)
            .then(a.item_id.cmp(&b.item_id))
    });
    aging
}

/// WIP per day and the cumulative flow diagram, from the per-status day differences.
fn daily_counts(cx: &ScanContext<'_>, diff: &[i64]) -> (Vec<DayCount>, Vec<CfdDay>) {
    let (r, n_days, day_names) = (cx.r, cx.n_days, cx.day_names);
    let n_status = cx.h.statuses.len();
    let mut per_status = vec![vec![0u64; n_days]; n_status];
    for (s, row) in per_status.iter_mut().enumerate() {
        let mut acc = 0i64;
        for (d, v) in row.iter_mut().enumerate() {
            acc += diff[s * (n_days + 1) + d];
            *v = acc.max(0) as u64;
        }
    }
    let in_progress: Vec<usize> = (0..n_status)
        .filter(|&s| r.state(s as u32).is_some_and(FlowState::in_progress))
        .collect();
    let wip_per_day: Vec<DayCount> = (0..n_days)
        .map(|d| DayCount {
            date: day_names[d].clone(),
            count: in_progress.iter().map(|&s| per_status[s][d]).sum(),
        })
        .collect();
    let k = r.cfd_statuses.len();
    let mut cfd_days = Vec::with_capacity(n_days);
    for d in 0..n_days {
        let mut counts_d = vec![0u64; k];
        for (s, pos) in r.cfd_pos.iter().enumerate() {
            if let Some(p) = pos {
                counts_d[*p] += per_status[s][d];
            }
        }
        for j in (0..k.saturating_sub(1)).rev() {
            counts_d[j] += counts_d[j + 1];
        }
        cfd_days.push(CfdDay {
            date: day_names[d].clone(),
            counts: counts_d,
        });
    }
    (wip_per_day, cfd_days)
}

/// Throughput per day and per ISO week, and its summary.
fn throughput_of(
    range: DayRange,
    throughput: &[u64],
    day_names: &[String],
) -> (Vec<DayCount>, Vec<WeekCount>, Throughput) {
    let per_day: Vec<DayCount> = throughput
        .iter()
        .enumerate()
        .map(|(d, c)| DayCount {
            date: day_names[d].clone(),
            count: *c,
        })
        .collect();
    let weeks = crate::time::weekly(range.from, throughput);
    let full: Vec<f64> = weeks
        .iter()
        .filter(|w| w.1 == 7)
        .map(|w| w.2 as f64)
        .collect();
    let total: u64 = throughput.iter().sum();
    let per_week = weeks
        .iter()
        .map(|w| WeekCount {
            week_start: format_day(w.0),
            days: w.1,
            count: w.2,
        })
        .collect();
    let summary = Throughput {
        total,
        mean_per_day: total as f64 / range.len() as f64,
        median_per_week: median(&full),
    };
    (per_day, per_week, summary)
}

/// The share of each item kind among the items done in the window.
fn distribution(by_kind: &[u64; 5], done: u64) -> Vec<KindShare> {
    let mut out = Vec::new();
    for (i, kind) in ItemKind::ALL
        .map(Some)
        .into_iter()
        .chain([None])
        .enumerate()
    {
        let n = by_kind[i];
        if n == 0 && kind.is_none() {
            continue;
        }
        out.push(KindShare {
            kind: kind.map_or("unmapped", ItemKind::as_str).into(),
            items: n,
            share: if done > 0 {
                n as f64 / done as f64
            } else {
                0.0
            },
        });
    }
    out
}

/// Time per status, in the mapping's order then the rest.
fn status_times(
    h: &History,
    m: &Mapping,
    r: &Resolved,
    status_days: &[Vec<f64>],
) -> Vec<StatusTime> {
    let mut order: Vec<u32> = (0..h.statuses.len() as u32)
        .filter(|&s| !status_days[s as usize].is_empty())
        .collect();
    order.sort_by_key(|s| {
        (
            m.states
                .iter()
                .position(|x| x.status == h.statuses[*s as usize])
                .unwrap_or(usize::MAX),
            h.statuses[*s as usize].clone(),
        )
    });
    let mut statuses: Vec<StatusTime> = Vec::new();
    statuses.par_extend(order.into_par_iter().map(|s| StatusTime {
        status: h.statuses[s as usize].clone(),
        state: r.state(s),
        stage: r.stage[s as usize].map(|i| r.stage_ids[i].clone()),
        days: Summary::of(&status_days[s as usize]),
    }));
    statuses
}

/// Stages: drawn against measured.
fn stage_flows(
    h: &History,
    m: &Mapping,
    r: &Resolved,
    model: Option<&Model>,
    scan: &Scan,
) -> Vec<StageFlow> {
    let drawn_metrics =
        model.and_then(|md| tributary_core::metrics::compute_stream(md, &h.stream).ok());
    let (stage_active, stage_waiting) = (&scan.stage_active, &scan.stage_waiting);
    // Each stage's summaries select order statistics over up to every item: on all cores.
    let summaries: Vec<(Summary, Summary, Summary)> = (0..r.stage_ids.len())
        .into_par_iter()
        .map(|i| {
            let totals: Vec<f64> = stage_active[i]
                .iter()
                .zip(&stage_waiting[i])
                .map(|(a, w)| a + w)
                .collect();
            (
                Summary::of(&stage_active[i]),
                Summary::of(&stage_waiting[i]),
                Summary::of(&totals),
            )
        })
        .collect();
    let stream = model.and_then(|md| md.stream(&h.stream));
    let mut stages = Vec::new();
    for (id, (active, waiting, total_s)) in r.stage_ids.iter().zip(summaries) {
        let mapped: Vec<String> = m
            .stages
            .iter()
            .filter(|s| s.stage == *id)
            .map(|s| s.status.clone())
            .collect();
        let drawn = drawn_metrics
            .as_ref()
            .and_then(|dm| dm.stages.iter().find(|s| s.id == *id))
            .map(|s| Drawn {
                process_time: s.process_time,
                wait_time: s.wait_time,
                lead_time: s.lead_time,
            });
        if mapped.is_empty() && drawn.is_none() {
            continue;
        }
        let measured = measured(model, &active, &waiting, &total_s);
        let gap = gap(drawn.as_ref(), &measured);
        stages.push(StageFlow {
            stage: id.clone(),
            name: stream
                .and_then(|s| s.stage(id))
                .map_or(id.clone(), |s| s.name.clone()),
            statuses: mapped,
            items: active.count,
            active_days: active,
            waiting_days: waiting,
            total_days: total_s,
            unit: model.map_or(TimeUnit::Hours, |md| md.time_unit),
            drawn,
            measured,
            gap,
        });
    }
    stages
}

/// A stage's measured times in the model's working time (hours without a model).
fn measured(
    model: Option<&Model>,
    active: &Summary,
    waiting: &Summary,
    total: &Summary,
) -> Measured {
    let conv = |x: Option<f64>| -> Option<f64> {
        match model {
            Some(md) => x.map(|v| calendar_days_to_working(v, md)),
            None => x.map(|v| v * 24.0),
        }
    };
    Measured {
        process_p50: conv(active.p50),
        process_p85: conv(active.p85),
        process_mean: conv(active.mean),
        wait_p50: conv(waiting.p50),
        wait_p85: conv(waiting.p85),
        wait_mean: conv(waiting.mean),
        lead_p50: conv(total.p50),
        lead_p85: conv(total.p85),
    }
}

/// Measured median less drawn; flagged when the lead time is off by more than the threshold.
fn gap(drawn: Option<&Drawn>, measured: &Measured) -> Option<Gap> {
    match (
        drawn,
        measured.process_p50,
        measured.wait_p50,
        measured.lead_p50,
    ) {
        (Some(d), Some(p), Some(w), Some(l)) => {
            let lead_gap = l - d.lead_time;
            Some(Gap {
                process_time: p - d.process_time,
                wait_time: w - d.wait_time,
                lead_time: lead_gap,
                flagged: if d.lead_time > 0.0 {
                    lead_gap.abs() > GAP_THRESHOLD * d.lead_time
                } else {
                    l > 0.0
                },
            })
        }
        _ => None,
    }
}

/// Unmapped statuses and types, never guessed; statuses in the order items go through them.
fn unmapped(h: &History, r: &Resolved, scan: &Scan) -> (Vec<Count>, Vec<Count>) {
    let n_status = h.statuses.len();
    let statuses = crate::import::workflow_order(h)
        .into_iter()
        .filter(|&s| s < n_status && scan.seen[s] && r.state[s].is_none())
        .map(|s| Count {
            name: h.statuses[s].clone(),
            count: scan.entering[s],
        })
        .collect();
    let types = (0..h.types.len())
        .filter(|&t| r.kind[t].is_none())
        .map(|t| Count {
            name: h.types[t].clone(),
            count: scan.type_items[t],
        })
        .collect();
    (statuses, types)
}

/// What the figures cannot say, in the user's words.
fn flow_notes(
    h: &History,
    m: &Mapping,
    range: DayRange,
    counts: &ItemCounts,
    unmapped_statuses: &[Count],
    has_stages: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    if !m.states.iter().any(|s| s.state == FlowState::Done) {
        notes.push(
            "no status is mapped to done, so nothing counts as finished: map statuses with `tributary telemetry map`".into(),
        );
    }
    if !unmapped_statuses.is_empty() {
        // a long list is summarised: the list itself is in `unmapped_statuses`
        const SHOWN: usize = 10;
        let mut names: Vec<String> = unmapped_statuses
            .iter()
            .take(SHOWN)
            .map(|c| format!("{:?} ({})", c.name, c.count))
            .collect();
        if unmapped_statuses.len() > SHOWN {
            names.push(format!("and {} more", unmapped_statuses.len() - SHOWN));
        }
        notes.push(format!(
            "unmapped statuses, counted neither as active nor waiting nor done: {}",
            names.join(", ")
        ));
    }
    if counts.done == 0 {
        notes.push(format!(
            "no item of stream {:?} was done between {} and {}: flow time, throughput and forecasts need completed items",
            h.stream,
            format_day(range.from),
            format_day(range.to)
        ));
    } else if counts.done_with_start == 0 {
        notes.push(
            "no item done in the window has a known start: flow time cannot be measured".into(),
        );
    }
    if counts.done_start_unknown > 0 {
        notes.push(format!(
            "{} item(s) done in the window have a history that begins in progress: their start is unknown and they are left out of flow times",
            counts.done_start_unknown
        ));
    }
    if counts.done_never_committed > 0 {
        notes.push(format!(
            "{} item(s) went to done without a committed (waiting or active) status: left out of flow times",
            counts.done_never_committed
        ));
    }
    if m.stages.is_empty() && has_stages {
        notes.push(
            "no status is mapped to a stage: add a [stages] table to the mapping to measure the stages".into(),
        );
    }
    notes
}

/// Items done per day over `range` (zero days included): the samples of a forecast.
pub fn daily_throughput(h: &History, m: &Mapping, range: DayRange) -> Vec<u32> {
    let r = Resolved::new(h, m, &[]);
    let mut out = vec![0u32; range.len()];
    for it in &h.items {
        if let Some(done) = facts(it, &r).done {
            let d = day_of(done);
            if range.contains(d) {
                out[(d - range.from) as usize] += 1;
            }
        }
    }
    out
}

#[cfg(all(test, feature = "testkit"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::testkit::{self, GenOptions};

    /// Scanning the items in many uneven chunks on several threads gives exactly the report of
    /// one sequential pass: merging keeps item order, so even the lists come out the same.
    #[test]
    fn chunked_scan_equals_one_pass() {
        let rows = testkit::events(&GenOptions {
            seed: 3,
            items: 20_000,
            arrivals_per_day: 40.0,
            // an export taken while the last items are in progress
            end: Some((20_094 + 450) * MS_PER_DAY),
            ..GenOptions::default()
        });
        let h = crate::history::from_rows("s", &rows).expect("a history");
        let stages = [("In Development", "build"), ("In Test", "test")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()));
        let m = <Mapping as crate::MappingToml>::from_toml(&testkit::mapping_toml(&stages))
            .expect("a mapping");
        let opts = FlowOptions::default();
        let one = compute_in_chunks(&h, &m, None, opts, usize::MAX).expect("one pass");
        let many = compute_in_chunks(&h, &m, None, opts, 997).expect("chunks");
        assert!(one.counts.done > 10_000, "{:?}", one.counts);
        assert!(one.aging_wip.len() > 10, "{:?}", one.counts);
        assert_eq!(one.stages.len(), 2);
        assert_eq!(one, many);
    }
}
