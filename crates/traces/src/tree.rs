//! Measuring one closed trace: merge the pieces of each span, link every span to its parent,
//! repair what can be repaired (missing parents, cycles, clock skew between services), then
//! compute each span's own time (its duration minus the union of its children's time inside
//! it) and add the figures per service and per call to the accumulators.

use std::collections::HashMap;

use crate::aggregate::Aggregator;
use crate::error::Result;
use crate::span::{Kind, NO_NAME, NO_SERVICE, RawSpan};
use crate::summary::Reason;

const NONE: u32 = u32::MAX;

/// Repairs made to a span, one bit per reason.
#[derive(Debug, Clone, Copy, Default)]
struct Repairs(u8);

impl Repairs {
    const LIST: [Reason; 5] = [
        Reason::ParentMissing,
        Reason::ClockSkew,
        Reason::ParentCycle,
        Reason::NoServiceName,
        Reason::LateSpan,
    ];

    fn add(&mut self, r: Reason) {
        if let Some(i) = Self::LIST.iter().position(|x| *x == r) {
            self.0 |= 1 << i;
        }
    }

    fn iter(self) -> impl Iterator<Item = Reason> {
        Self::LIST
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, r)| r)
    }
}

/// One trace, linked.
struct Trace {
    spans: Vec<RawSpan>,
    parent: Vec<u32>,
    repairs: Vec<Repairs>,
    /// Children of span i: `kids[first[i]..first[i + 1]]`.
    first: Vec<u32>,
    kids: Vec<u32>,
}

pub(crate) fn measure(spans: Vec<RawSpan>, agg: &mut Aggregator) -> Result<()> {
    agg.counts.traces += 1;
    let spans = merge(spans, agg);
    let mut t = link(spans);
    name_unknown_services(&mut t, agg)?;
    let order = order(&mut t);
    let offset = deskew(&mut t, &order);
    let own = own_times(&t, &offset);
    emit(&t, &offset, &own, agg);
    Ok(())
}

/// Records with the same span id, shared flag and service are one span sent in pieces
/// (Zipkin) or sent twice: the first value of each field wins. A record naming no service
/// joins a record of the same id and shared flag that names one.
fn merge(mut spans: Vec<RawSpan>, agg: &mut Aggregator) -> Vec<RawSpan> {
    spans.sort_by_key(|s| (s.id, s.shared, s.service));
    let mut out: Vec<RawSpan> = Vec::with_capacity(spans.len());
    let mut group = 0;
    for s in spans {
        if let Some(last) = out.last_mut()
            && last.id == s.id
            && last.shared == s.shared
        {
            if last.service == s.service {
                fill(last, &s);
                agg.counts.merged += 1;
                continue;
            }
            if s.service == NO_SERVICE {
                fill(&mut out[group], &s);
                agg.counts.merged += 1;
                continue;
            }
            out.push(s);
            continue;
        }
        group = out.len();
        out.push(s);
    }
    out
}

fn fill(a: &mut RawSpan, b: &RawSpan) {
    if a.start.is_none() {
        a.start = b.start;
    }
    if a.duration.is_none() {
        a.duration = b.duration;
    }
    if a.parent == 0 {
        a.parent = b.parent;
    }
    if a.name == NO_NAME {
        a.name = b.name;
    }
    if a.kind == Kind::Unspecified {
        a.kind = b.kind;
    }
    a.error |= b.error;
    a.bad_time |= b.bad_time;
    a.late &= b.late;
}

/// Finds each span's parent. Among records sharing a span id (Zipkin's client and server
/// halves), the client (else the first non-shared) is the span and the others are its
/// server halves, children of it; a child names the half on its own service if there is
/// one, else the span of that id.
fn link(mut spans: Vec<RawSpan>) -> Trace {
    let n = spans.len();
    let mut primary: HashMap<u64, u32> = HashMap::with_capacity(n);
    let mut halves: HashMap<(u64, u32), u32> = HashMap::new();
    let mut i = 0;
    while i < n {
        let id = spans[i].id;
        let end = (i..n).find(|&j| spans[j].id != id).unwrap_or(n);
        let group = i..end;
        let main = group
            .clone()
            .find(|&j| !spans[j].shared && spans[j].kind == Kind::Client)
            .or_else(|| group.clone().find(|&j| !spans[j].shared));
        for j in group {
            if Some(j) == main {
                primary.insert(id, j as u32);
            } else {
                spans[j].shared = true;
                halves.entry((id, spans[j].service)).or_insert(j as u32);
            }
        }
        i = end;
    }
    let mut parent = vec![NONE; n];
    let mut repairs = vec![Repairs::default(); n];
    for (i, s) in spans.iter().enumerate() {
        let own_client = primary.get(&s.id).copied().filter(|&p| p as usize != i);
        parent[i] = match own_client.filter(|_| s.shared) {
            Some(p) => p,
            None if s.parent == 0 => NONE,
            None => halves
                .get(&(s.parent, s.service))
                .or_else(|| primary.get(&s.parent))
                .copied()
                .unwrap_or_else(|| {
                    repairs[i].add(Reason::ParentMissing);
                    NONE
                }),
        };
        if s.late {
            repairs[i].add(Reason::LateSpan);
        }
    }
    let (first, kids) = children(&parent);
    Trace {
        spans,
        parent,
        repairs,
        first,
        kids,
    }
}

/// Children lists in compressed form (counts, prefix sums, fill).
fn children(parent: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let n = parent.len();
    let mut first = vec![0u32; n + 1];
    for &p in parent {
        if p != NONE {
            first[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut next = first.clone();
    let mut kids = vec![0u32; first[n] as usize];
    for (c, &p) in parent.iter().enumerate() {
        if p != NONE {
            kids[next[p as usize] as usize] = c as u32;
            next[p as usize] += 1;
        }
    }
    (first, kids)
}

fn name_unknown_services(t: &mut Trace, agg: &mut Aggregator) -> Result<()> {
    for i in 0..t.spans.len() {
        if t.spans[i].service == NO_SERVICE {
            t.spans[i].service = agg.unknown_service()?;
            t.repairs[i].add(Reason::NoServiceName);
        }
    }
    Ok(())
}

/// Parents before children (breadth first from the roots). Spans never reached sit on a
/// cycle of parents, or below one: the cycle is cut at the first span found on it.
fn order(t: &mut Trace) -> Vec<u32> {
    let n = t.spans.len();
    let mut seen = vec![false; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    for r in 0..n {
        if t.parent[r] == NONE {
            visit(t, r as u32, &mut seen, &mut order);
        }
    }
    let mut walk = vec![0u32; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        // Walk up until a span repeats: that span is on the cycle.
        let stamp = start as u32 + 1;
        let mut i = start;
        while walk[i] != stamp {
            walk[i] = stamp;
            // Every ancestor of an unreached span is unreached too, so the walk meets no
            // root; the guard only keeps a broken invariant from indexing out of bounds.
            match t.parent[i] {
                NONE => break,
                p => i = p as usize,
            }
        }
        t.parent[i] = NONE;
        t.repairs[i].add(Reason::ParentCycle);
        visit(t, i as u32, &mut seen, &mut order);
    }
    order
}

fn visit(t: &Trace, root: u32, seen: &mut [bool], order: &mut Vec<u32>) {
    let from = order.len();
    seen[root as usize] = true;
    order.push(root);
    let mut k = from;
    while k < order.len() {
        let p = order[k];
        for &c in &t.kids[t.first[p as usize] as usize..t.first[p as usize + 1] as usize] {
            // A span whose cycle was cut is a root now, not its old parent's child.
            if !seen[c as usize] && t.parent[c as usize] == p {
                seen[c as usize] = true;
                order.push(c);
            }
        }
        k += 1;
    }
}

/// Clock skew: a span on another service than its parent runs on another clock. When it
/// does not lie within its (already adjusted) parent but could (it is not longer), it is
/// shifted to the parent's middle, as Jaeger's clock-skew adjuster does, and the shift
/// carries to its descendants on the same service. Messaging spans are left alone: a
/// consumer may run after its producer is done.
fn deskew(t: &mut Trace, order: &[u32]) -> Vec<i64> {
    let mut offset = vec![0i64; t.spans.len()];
    for &c in order {
        let c = c as usize;
        let p = t.parent[c];
        if p == NONE {
            continue;
        }
        let p = p as usize;
        let (cs, ps) = (&t.spans[c], &t.spans[p]);
        if cs.service == ps.service {
            offset[c] = offset[p];
            continue;
        }
        if !cs.measurable() || !ps.measurable() || cs.kind.is_async() || ps.kind.is_async() {
            continue;
        }
        let (Some(c0), Some(cd), Some(p0), Some(pd)) =
            (cs.start, cs.duration, ps.start, ps.duration)
        else {
            continue;
        };
        let p0 = p0.saturating_add(offset[p]);
        let inside = c0 >= p0 && c0.saturating_add(cd) <= p0.saturating_add(pd);
        if inside || cd > pd {
            continue;
        }
        offset[c] = p0.saturating_add((pd - cd) / 2).saturating_sub(c0);
        t.repairs[c].add(Reason::ClockSkew);
    }
    offset
}

fn interval(s: &RawSpan, off: i64) -> Option<(i64, i64)> {
    if !s.measurable() {
        return None;
    }
    let a = s.start?.saturating_add(off);
    Some((a, a.saturating_add(s.duration?)))
}

/// Own time of each measurable span: its duration less the union of its children's
/// intervals clipped to its own (concurrent children count once).
fn own_times(t: &Trace, offset: &[i64]) -> Vec<u64> {
    let mut own = vec![0u64; t.spans.len()];
    let mut parts: Vec<(i64, i64)> = Vec::new();
    for (p, s) in t.spans.iter().enumerate() {
        let Some((a, b)) = interval(s, offset[p]) else {
            continue;
        };
        parts.clear();
        for &c in &t.kids[t.first[p] as usize..t.first[p + 1] as usize] {
            if t.parent[c as usize] as usize != p {
                continue;
            }
            if let Some((x, y)) = interval(&t.spans[c as usize], offset[c as usize]) {
                let (x, y) = (x.max(a), y.min(b));
                if x < y {
                    parts.push((x, y));
                }
            }
        }
        own[p] = (b - a).saturating_sub(union(&mut parts)) as u64;
    }
    own
}

fn union(parts: &mut [(i64, i64)]) -> i64 {
    parts.sort_unstable();
    let mut total = 0i64;
    let mut cur: Option<(i64, i64)> = None;
    for &(x, y) in parts.iter() {
        cur = match cur {
            Some((a, b)) if x <= b => Some((a, b.max(y))),
            Some((a, b)) => {
                total += b - a;
                Some((x, y))
            }
            None => Some((x, y)),
        };
    }
    total + cur.map_or(0, |(a, b)| b - a)
}

/// Adds each span's figures to its service, and to the call from its parent's service
/// when that differs.
fn emit(t: &Trace, offset: &[i64], own: &[u64], agg: &mut Aggregator) {
    let mut per_service: HashMap<u32, u64> = HashMap::new();
    let mut pairs_here: HashMap<(u32, u32), ()> = HashMap::new();
    for (i, s) in t.spans.iter().enumerate() {
        agg.service_acc(s.service).spans += 1;
        if let Some(reason) = s.refusal() {
            agg.counts.refused += 1;
            agg.note(reason, s);
            continue;
        }
        agg.counts.used += 1;
        if t.repairs[i].0 != 0 {
            agg.counts.repaired += 1;
            for r in t.repairs[i].iter() {
                agg.note(r, s);
            }
        }
        let Some((a, b)) = interval(s, offset[i]) else {
            continue;
        };
        agg.widen(a, b);
        let dur = (b - a) as u64;
        agg.count_name(s.service, s.name);
        let acc = agg.service_acc(s.service);
        acc.used += 1;
        acc.errors += u64::from(s.error);
        acc.own.record(own[i]);
        acc.inclusive.record(dur);
        *per_service.entry(s.service).or_insert(0) += own[i];
        let p = t.parent[i];
        if p == NONE || t.spans[p as usize].service == s.service {
            continue;
        }
        let key = (t.spans[p as usize].service, s.service);
        let pair = agg.pairs.entry(key).or_default();
        pair.inclusive.record(dur);
        pair.own.record(own[i]);
        pair.errors += u64::from(s.error);
        if pairs_here.insert(key, ()).is_none() {
            pair.traces += 1;
        }
    }
    for (svc, total) in per_service {
        let acc = agg.service_acc(svc);
        acc.traces += 1;
        acc.own_per_trace.record(total);
    }
}
