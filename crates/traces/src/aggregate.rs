//! Streaming aggregation: readers push spans into an [`Importer`], which keeps the spans of
//! each trace only while the trace is open, closes it (see [`crate::tree`]) once it has been
//! idle for a while or memory calls for it, and adds the measured figures to accumulators
//! per service and per call. So memory holds open traces and accumulators, never the input.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};
use crate::span::{Names, OTHER_NAME, RawSpan, span_hex, trace_hex};
use crate::stats::Dist;
use crate::summary::*;

/// Limits that keep memory bounded, and the cancel switch.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// A trace with no new span in this many spans read is closed (its spans measured and
    /// dropped). A span of it that comes later is measured as a separate part (`late_span`).
    pub idle_spans: u64,
    /// At most this many spans are held in open traces; past it the longest-idle traces are
    /// closed early. About 100 bytes each.
    pub max_open_spans: usize,
    /// Set from another thread to stop; the import then fails with `Cancelled`.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            idle_spans: 500_000,
            max_open_spans: 1_000_000,
            cancel: None,
        }
    }
}

/// Span names counted per service before the rest count as "other".
const NAMES_PER_SERVICE: usize = 1_000;
/// Span names a summary lists per service.
const NAMES_SHOWN: usize = 20;
/// Closed trace ids remembered, to tell a late span from a new trace.
const CLOSED_REMEMBERED: usize = 200_000;

#[derive(Debug, Default)]
pub(crate) struct ServiceAcc {
    pub spans: u64,
    pub used: u64,
    pub errors: u64,
    pub traces: u64,
    pub own: Dist,
    pub inclusive: Dist,
    pub own_per_trace: Dist,
    pub names: HashMap<u32, u64>,
    pub other_names: u64,
}

#[derive(Debug, Default)]
pub(crate) struct PairAcc {
    pub errors: u64,
    pub traces: u64,
    pub inclusive: Dist,
    pub own: Dist,
}

/// The accumulators: everything a summary is made from.
#[derive(Debug)]
pub(crate) struct Aggregator {
    pub names: Names,
    pub services: Vec<ServiceAcc>,
    pub pairs: HashMap<(u32, u32), PairAcc>,
    pub counts: SpanCounts,
    reasons: BTreeMap<Reason, (u64, String)>,
    pub window: Option<(i64, i64)>,
    unknown_service: Option<u32>,
}

impl Aggregator {
    fn new() -> Aggregator {
        Aggregator {
            names: Names::default(),
            services: Vec::new(),
            pairs: HashMap::new(),
            counts: SpanCounts::default(),
            reasons: BTreeMap::new(),
            window: None,
            unknown_service: None,
        }
    }

    pub fn service_acc(&mut self, id: u32) -> &mut ServiceAcc {
        let i = id as usize;
        if self.services.len() <= i {
            self.services.resize_with(i + 1, ServiceAcc::default);
        }
        &mut self.services[i]
    }

    /// The service id of `unknown_service`, for spans whose input names none.
    pub fn unknown_service(&mut self) -> Result<u32> {
        if let Some(id) = self.unknown_service {
            return Ok(id);
        }
        let id = self.names.service("unknown_service").ok_or_else(too_many)?;
        self.unknown_service = Some(id);
        Ok(id)
    }

    pub fn note(&mut self, reason: Reason, span: &RawSpan) {
        let e = self.reasons.entry(reason).or_insert_with(|| {
            (
                0,
                format!(
                    "trace {}, span {}",
                    trace_hex(span.trace),
                    span_hex(span.id)
                ),
            )
        });
        e.0 += 1;
    }

    pub fn count_name(&mut self, service: u32, name: u32) {
        let acc = self.service_acc(service);
        let full = acc.names.len() >= NAMES_PER_SERVICE && !acc.names.contains_key(&name);
        if name == OTHER_NAME || full {
            acc.other_names += 1;
        } else {
            *acc.names.entry(name).or_insert(0) += 1;
        }
    }

    pub fn widen(&mut self, from: i64, to: i64) {
        self.window = Some(match self.window {
            None => (from, to),
            Some((a, b)) => (a.min(from), b.max(to)),
        });
    }

    fn summary(&self, format: TraceFormat) -> TraceSummary {
        let mut counts = self.counts.clone();
        counts.reasons = self
            .reasons
            .iter()
            .map(|(r, (n, ex))| ReasonCount {
                reason: *r,
                refused: r.refused(),
                count: *n,
                example: ex.clone(),
            })
            .collect();
        let mut services: Vec<ServiceFigures> = (0..self.services.len())
            .filter(|&i| self.services[i].spans > 0)
            .map(|i| self.service_figures(i))
            .collect();
        services.sort_by(|a, b| a.service.cmp(&b.service));
        let mut calls: Vec<CallFigures> = self
            .pairs
            .iter()
            .map(|(&(f, t), acc)| self.call_figures(f, t, acc))
            .collect();
        calls.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        TraceSummary {
            format,
            window: self.window.map(|(a, b)| TraceWindow {
                from: rfc3339(a),
                to: rfc3339(b),
            }),
            counts,
            services,
            calls,
        }
    }

    fn service_figures(&self, i: usize) -> ServiceFigures {
        let acc = &self.services[i];
        let mut names: Vec<NameCount> = acc
            .names
            .iter()
            .map(|(&n, &c)| NameCount {
                name: self.names.span_name(n).unwrap_or("").to_owned(),
                spans: c,
            })
            .collect();
        names.sort_by(|a, b| b.spans.cmp(&a.spans).then_with(|| a.name.cmp(&b.name)));
        let shown: u64 = names.iter().take(NAMES_SHOWN).map(|n| n.spans).sum();
        let listed: u64 = names.iter().map(|n| n.spans).sum();
        names.truncate(NAMES_SHOWN);
        ServiceFigures {
            service: self.names.service_name(i as u32).to_owned(),
            spans: acc.spans,
            used: acc.used,
            errors: acc.errors,
            error_share: share(acc.errors, acc.used),
            traces: acc.traces,
            own: acc.own.figures(),
            inclusive: acc.inclusive.figures(),
            own_per_trace: acc.own_per_trace.figures(),
            own_per_trace_sketch: acc.own_per_trace.sketch(),
            names,
            other_names: acc.other_names + (listed - shown),
        }
    }

    fn call_figures(&self, from: u32, to: u32, acc: &PairAcc) -> CallFigures {
        let calls = acc.inclusive.count();
        CallFigures {
            from: self.names.service_name(from).to_owned(),
            to: self.names.service_name(to).to_owned(),
            calls,
            errors: acc.errors,
            error_share: share(acc.errors, calls),
            traces: acc.traces,
            inclusive: acc.inclusive.figures(),
            own: acc.own.figures(),
            inclusive_sketch: acc.inclusive.sketch(),
        }
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn rfc3339(ns: i64) -> String {
    jiff::Timestamp::from_nanosecond(i128::from(ns))
        .map(|t| t.to_string())
        .unwrap_or_default()
}

pub(crate) fn too_many() -> Error {
    Error::Invalid(format!(
        "more than {} distinct service names: the service name seems to carry something else (an instance or request id)",
        crate::span::MAX_SERVICES
    ))
}

struct OpenTrace {
    spans: Vec<RawSpan>,
    last_seen: u64,
}

/// Receives spans from the readers, in any order, and measures each trace once it closes.
pub struct Importer {
    pub(crate) agg: Aggregator,
    opts: ImportOptions,
    open: HashMap<u128, OpenTrace>,
    /// Open traces by the sequence number of their last span: the oldest first.
    idle: BTreeMap<u64, u128>,
    open_spans: usize,
    seq: u64,
    last_trace: Option<u128>,
    closed: HashSet<u128>,
    closed_order: VecDeque<u128>,
}

impl Importer {
    pub fn new(opts: ImportOptions) -> Importer {
        Importer {
            agg: Aggregator::new(),
            opts,
            open: HashMap::new(),
            idle: BTreeMap::new(),
            open_spans: 0,
            seq: 0,
            last_trace: None,
            closed: HashSet::new(),
            closed_order: VecDeque::new(),
        }
    }

    pub(crate) fn names(&mut self) -> &mut Names {
        &mut self.agg.names
    }

    pub(crate) fn limits(&self) -> &ImportOptions {
        &self.opts
    }

    /// Takes one span; may close idle traces.
    pub(crate) fn push(&mut self, mut span: RawSpan) -> Result<()> {
        self.seq += 1;
        self.agg.counts.read += 1;
        let seq = self.seq;
        let trace = span.trace;
        if !self.open.contains_key(&trace) && self.closed.contains(&trace) {
            span.late = true;
        }
        let t = self.open.entry(trace).or_insert_with(|| OpenTrace {
            // Most traces of a file are small; growth from 1 doubles as usual.
            spans: Vec::with_capacity(1),
            last_seen: seq,
        });
        t.spans.push(span);
        self.open_spans += 1;
        if self.last_trace != Some(trace) || t.spans.len() == 1 {
            self.idle.remove(&t.last_seen);
            t.last_seen = seq;
            self.idle.insert(seq, trace);
            self.last_trace = Some(trace);
        }
        self.close_idle()
    }

    fn close_idle(&mut self) -> Result<()> {
        while let Some((&last, &trace)) = self.idle.first_key_value() {
            let idle = self.seq - last > self.opts.idle_spans;
            let full = self.open_spans > self.opts.max_open_spans;
            if !idle && !full {
                break;
            }
            // The trace being appended to is not idle: its last span is the newest. Its
            // position is refreshed only here, which saves a map update per span.
            if idle && self.last_trace == Some(trace) {
                self.idle.remove(&last);
                self.idle.insert(self.seq, trace);
                if let Some(t) = self.open.get_mut(&trace) {
                    t.last_seen = self.seq;
                }
                continue;
            }
            if full && !idle {
                self.agg.counts.traces_closed_early += 1;
            }
            self.close(trace)?;
        }
        Ok(())
    }

    /// Closes a trace the reader knows is complete (a Jaeger trace object).
    pub(crate) fn close(&mut self, trace: u128) -> Result<()> {
        if self.cancelled() {
            return Err(Error::Cancelled);
        }
        let Some(t) = self.open.remove(&trace) else {
            return Ok(());
        };
        self.idle.remove(&t.last_seen);
        self.open_spans -= t.spans.len();
        if self.last_trace == Some(trace) {
            self.last_trace = None;
        }
        if self.closed.insert(trace) {
            self.closed_order.push_back(trace);
            if self.closed_order.len() > CLOSED_REMEMBERED
                && let Some(old) = self.closed_order.pop_front()
            {
                self.closed.remove(&old);
            }
        }
        crate::tree::measure(t.spans, &mut self.agg)
    }

    fn cancelled(&self) -> bool {
        self.opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Closes every open trace and returns the aggregates.
    pub fn finish(mut self, format: TraceFormat) -> Result<TraceSummary> {
        let mut left: Vec<(u64, u128)> = self.idle.iter().map(|(&s, &t)| (s, t)).collect();
        left.sort_unstable();
        for (_, trace) in left {
            self.close(trace)?;
        }
        Ok(self.agg.summary(format))
    }
}
