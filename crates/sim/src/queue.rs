//! The pending events of one run, in the order of (time, scheduling order): a timing wheel
//! (a calendar queue whose buckets are sorted only when they are reached) that sizes itself to
//! the run. A binary heap pays about log2(n) unpredictable comparisons per event; here an
//! event is pushed onto its bucket unsorted, and each bucket is sorted once, with a few events
//! in it. The order is exact whatever the sizes chosen: they change the speed only.
//!
//! Bucket `a` holds the events whose time t gives floor(t / width) = a. That map never
//! decreases as t grows, so taking the buckets in turn, each sorted by (time, sequence
//! number), gives the events in order. Buckets are a ring of `2^k` slots covering one "year"
//! ahead of the current bucket; later events wait in a binary heap until the year reaches them.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Pops between two looks at the queue's size and the spacing of its events.
const CHECK_EVERY: u32 = 4096;
/// Fewest slots in the ring.
const MIN_SLOTS: usize = 64;
/// Bucket width, in mean gaps between consecutive events: a handful of events per bucket.
const GAPS_PER_BUCKET: f64 = 4.0;

/// One event: its time as an order-preserving integer, its sequence number, what it is.
#[derive(Debug, Clone, Copy)]
struct Entry<P> {
    time: u64,
    seq: u64,
    payload: P,
}

impl<P> Entry<P> {
    fn key(&self) -> (u64, u64) {
        (self.time, self.seq)
    }
}

/// Times as unsigned integers in the order of `f64::total_cmp` (so -0.0 comes before 0.0).
fn ordered_bits(t: f64) -> u64 {
    let b = t.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

fn time_of(bits: u64) -> f64 {
    f64::from_bits(if bits >> 63 == 1 {
        bits & !(1 << 63)
    } else {
        !bits
    })
}

/// The event queue of one run: `push` an event at a time no earlier than the last popped
/// one, `pop` the earliest (ties: the first pushed).
#[derive(Debug)]
pub(crate) struct EventQueue<P> {
    /// The ring: slot `a & mask` holds bucket `a`, for `cur < a <= cur + mask`, unsorted.
    slots: Vec<Vec<Entry<P>>>,
    /// One bit per slot: whether it holds anything.
    occupied: Vec<u64>,
    mask: u64,
    inv_width: f64,
    /// The bucket being popped, and its events sorted, from `head` on.
    cur: u64,
    current: Vec<Entry<P>>,
    head: usize,
    /// The last value read ahead (see `advance`): kept so that the read is not dropped.
    warm: u64,
    in_slots: usize,
    /// Events beyond the ring's year.
    far: BinaryHeap<Reverse<FarEntry<P>>>,
    len: usize,
    seq: u64,
    pops: u32,
    check_time: f64,
}

/// A far event, ordered by its key alone.
#[derive(Debug, Clone, Copy)]
struct FarEntry<P>(Entry<P>);

impl<P> PartialEq for FarEntry<P> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key() == other.0.key()
    }
}
impl<P> Eq for FarEntry<P> {}
impl<P> PartialOrd for FarEntry<P> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<P> Ord for FarEntry<P> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.key().cmp(&other.0.key())
    }
}

impl<P: Copy> EventQueue<P> {
    pub(crate) fn new() -> Self {
        Self::sized(MIN_SLOTS, 1.0, 0.0)
    }

    fn sized(slots: usize, inv_width: f64, now: f64) -> Self {
        let mut q = EventQueue {
            slots: (0..slots).map(|_| Vec::new()).collect(),
            occupied: vec![0; slots.div_ceil(64)],
            mask: slots as u64 - 1,
            inv_width,
            cur: 0,
            current: Vec::new(),
            head: 0,
            warm: 0,
            in_slots: 0,
            far: BinaryHeap::new(),
            len: 0,
            seq: 0,
            pops: 0,
            check_time: now,
        };
        q.cur = q.bucket(now);
        q
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The bucket of time `t`: floor(t / width), never decreasing in t. (Through i64, whose
    /// conversion is cheaper than u64's; times are never negative or NaN.)
    #[inline]
    fn bucket(&self, t: f64) -> u64 {
        debug_assert!(t >= 0.0, "event time {t}");
        (t * self.inv_width) as i64 as u64
    }

    /// Schedules `payload` at `time` (not before the last popped event's time).
    #[inline(always)]
    pub(crate) fn push(&mut self, time: f64, payload: P) {
        self.seq += 1;
        let e = Entry {
            time: ordered_bits(time),
            seq: self.seq,
            payload,
        };
        self.len += 1;
        let a = self.bucket(time);
        if a > self.cur && a - self.cur <= self.mask {
            // the usual case, inline: a later bucket within the ring's year
            self.put_in_slot(e, a);
        } else {
            self.place(e, a);
        }
    }

    #[inline]
    fn put_in_slot(&mut self, e: Entry<P>, a: u64) {
        let s = (a & self.mask) as usize;
        self.slots[s].push(e);
        self.occupied[s >> 6] |= 1 << (s & 63);
        self.in_slots += 1;
    }

    fn place(&mut self, e: Entry<P>, a: u64) {
        if a <= self.cur {
            // the bucket being popped: in order, usually at its end
            let i = self.head + self.current[self.head..].partition_point(|x| x.key() < e.key());
            self.current.insert(i, e);
        } else if a - self.cur <= self.mask {
            self.put_in_slot(e, a);
        } else {
            self.far.push(Reverse(FarEntry(e)));
        }
    }

    /// The earliest event (ties: the first scheduled) and its time.
    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Option<(f64, P)> {
        if self.head == self.current.len() && !self.advance() {
            return None;
        }
        let e = self.current[self.head];
        self.head += 1;
        self.len -= 1;
        self.pops += 1;
        let t = time_of(e.time);
        if self.pops == CHECK_EVERY {
            self.resize(t);
        }
        Some((t, e.payload))
    }

    /// Moves on to the next bucket that holds events and sorts it; false when none is left.
    #[inline(never)]
    fn advance(&mut self) -> bool {
        self.current.clear();
        self.head = 0;
        if self.in_slots == 0 {
            let Some(Reverse(FarEntry(e))) = self.far.peek() else {
                return false;
            };
            self.cur = self.bucket(time_of(e.time));
        } else {
            self.cur = self.next_occupied();
            let s = (self.cur & self.mask) as usize;
            std::mem::swap(&mut self.current, &mut self.slots[s]);
            self.occupied[s >> 6] &= !(1 << (s & 63));
            self.in_slots -= self.current.len();
        }
        // the year has moved on: far events that fall in it now come in
        while let Some(Reverse(FarEntry(e))) = self.far.peek() {
            let a = self.bucket(time_of(e.time));
            if a > self.cur.saturating_add(self.mask) {
                break;
            }
            let e = *e;
            self.far.pop();
            if a <= self.cur {
                self.current.push(e);
            } else {
                self.place(e, a);
            }
        }
        sort(&mut self.current);
        // Read the next bucket's first event now, so that its memory is in the cache by the
        // time this bucket's few events are done: otherwise sorting it begins with a miss.
        if self.in_slots > 0 {
            let s = (self.next_occupied() & self.mask) as usize;
            self.warm = self.slots[s].first().map_or(0, |e| e.time);
        }
        true
    }

    /// The first bucket after `cur` whose slot holds events (there is one).
    fn next_occupied(&self) -> u64 {
        let mut a = self.cur + 1;
        loop {
            let s = (a & self.mask) as usize;
            let bits = self.occupied[s >> 6] >> (s & 63);
            if bits != 0 {
                return a + u64::from(bits.trailing_zeros());
            }
            a += 64 - (s & 63) as u64;
        }
    }

    /// Every few thousand events: refits the ring to the number of pending events (about two
    /// slots each) and the bucket width to the spacing of the last events, when either is
    /// off by more than a factor of two. The events and their order stay as they are.
    #[inline(never)]
    fn resize(&mut self, now: f64) {
        let gap = (now - self.check_time) / f64::from(self.pops);
        self.pops = 0;
        self.check_time = now;
        let slots = self.slots.len();
        let want_slots = (2 * self.len).next_power_of_two().max(MIN_SLOTS);
        let want_inv = 1.0 / (GAPS_PER_BUCKET * gap);
        let ratio = want_inv / self.inv_width;
        let sized_ok = self.len <= slots && (self.len * 8 >= slots || slots == MIN_SLOTS);
        let width_ok = !(want_inv.is_finite() && want_inv > 0.0) || (0.5..=2.0).contains(&ratio);
        if sized_ok && width_ok {
            return;
        }
        let inv = if width_ok { self.inv_width } else { want_inv };
        let mut q = EventQueue::sized(want_slots, inv, now);
        q.seq = self.seq;
        q.len = self.len;
        let mut pending: Vec<Entry<P>> = self.current.drain(self.head..).collect();
        for s in &mut self.slots {
            pending.append(s);
        }
        pending.extend(self.far.drain().map(|Reverse(FarEntry(e))| e));
        for e in pending {
            let a = q.bucket(time_of(e.time));
            if a <= q.cur {
                q.current.push(e);
            } else {
                q.place(e, a);
            }
        }
        sort(&mut q.current);
        *self = q;
    }
}

/// Sorts a bucket by key: by insertion while it is small, which it nearly always is.
fn sort<P: Copy>(v: &mut [Entry<P>]) {
    if v.len() > 16 {
        v.sort_unstable_by_key(Entry::key);
        return;
    }
    for i in 1..v.len() {
        let e = v[i];
        let mut j = i;
        while j > 0 && v[j - 1].key() > e.key() {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BinaryHeap;

    /// The reference: a binary heap of (time, sequence number), as the engine had before.
    fn reference(ops: &[(bool, f64)]) -> Vec<(f64, u32)> {
        let mut heap = BinaryHeap::new();
        let (mut seq, mut now, mut out) = (0u64, 0.0f64, Vec::new());
        for (i, &(pop, dt)) in ops.iter().enumerate() {
            if pop {
                if let Some(Reverse((t, _, p))) = heap.pop() {
                    now = f64::from_bits(t);
                    out.push((now, p));
                }
            } else {
                seq += 1;
                heap.push(Reverse(((now + dt).to_bits(), seq, i as u32)));
            }
        }
        out
    }

    fn wheel(ops: &[(bool, f64)]) -> Vec<(f64, u32)> {
        let mut q = EventQueue::new();
        let (mut now, mut out) = (0.0f64, Vec::new());
        for (i, &(pop, dt)) in ops.iter().enumerate() {
            if pop {
                if let Some((t, p)) = q.pop() {
                    assert!(t >= now, "{t} popped after {now}");
                    now = t;
                    out.push((t, p));
                }
            } else {
                q.push(now + dt, i as u32);
            }
        }
        assert_eq!(q.len(), 0, "every event is popped in the end");
        out
    }

    /// Delays that stress the queue: many equal times (fixed durations), zero delays (the
    /// bucket being popped), rare long ones (the far heap) and spacings that change by
    /// orders of magnitude (resizing).
    fn delay() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => 0.0..2.0f64,
            2 => Just(0.0),
            2 => prop::sample::select(vec![0.25, 1.0, 8.0]),
            1 => 0.0..1e-6f64,
            1 => 1e3..1e6f64,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn pops_in_the_order_of_time_then_scheduling(
            ops in prop::collection::vec((any::<bool>(), delay()), 1..8_000)
        ) {
            let mut ops = ops;
            // drain at the end, so that every event is popped
            ops.extend(std::iter::repeat_n((true, 0.0), ops.len()));
            prop_assert_eq!(wheel(&ops), reference(&ops));
        }
    }

    // The steady state of a run: a few hundred events pending, each popped event scheduling
    // the next (the "hold" model), through several resizes of the ring.
    #[test]
    fn a_long_hold_run_matches_the_heap() {
        let mut x = 1u64;
        let mut next = || {
            // xorshift: any spread of delays will do
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64 * 4.0
        };
        let mut ops: Vec<(bool, f64)> = (0..300).map(|_| (false, next())).collect();
        for _ in 0..200_000 {
            ops.push((true, 0.0));
            ops.push((false, next()));
        }
        ops.extend(std::iter::repeat_n((true, 0.0), 300));
        assert_eq!(wheel(&ops), reference(&ops));
    }

    #[test]
    fn times_map_to_integers_in_order() {
        let ts = [-0.0, 0.0, 1e-300, 0.5, 1.0, 3.0, 1e300, f64::INFINITY];
        for w in ts.windows(2) {
            assert!(ordered_bits(w[0]) < ordered_bits(w[1]), "{w:?}");
            assert_eq!(time_of(ordered_bits(w[0])).to_bits(), w[0].to_bits());
        }
    }
}
