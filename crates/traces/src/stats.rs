//! Durations and their percentiles: exact for small inputs, bounded for large ones.
//!
//! A [`Dist`] keeps every value until it holds [`EXACT_CAP`]; percentiles are then exact
//! (type 7: linear interpolation between closest ranks, as numpy's default and REFERENCE.md
//! section 6). Past the cap the values go into an HdrHistogram with [`SIGFIG`] significant
//! digits: each bucket spans less than 1 % of its values, so every percentile is within 1 %
//! of the true one (nearest rank in the histogram). A [`Sketch`] is the stored, mergeable form.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Values kept one by one before switching to the histogram.
pub const EXACT_CAP: usize = 10_000;
/// HdrHistogram precision: 2 significant digits, a relative error below 1 %.
pub const SIGFIG: u8 = 2;
/// Largest duration the histogram holds: 2^53 ns, about 104 days; longer ones count as that.
pub const MAX_NS: u64 = 1 << 53;
/// Distinct values a stored sketch keeps exactly; more are stored as histogram buckets.
pub const SKETCH_EXACT: usize = 256;
/// Most buckets a stored sketch may have (a histogram of 2 digits to 2^53 has under 7,000).
const SKETCH_MAX: usize = 20_000;

const NS_PER_MS: f64 = 1e6;

/// Percentiles and companions of one set of durations, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DurationFigures {
    pub count: u64,
    pub p50_ms: f64,
    pub p85_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    pub max_ms: f64,
    /// Sum of all durations: what this figure cost in total.
    pub total_ms: f64,
    /// The percentiles are exact (type 7); otherwise within 1 % (HdrHistogram).
    pub exact: bool,
}

/// Durations as a compact, mergeable list of `[nanoseconds, count]`: the distinct values
/// themselves when there are at most [`SKETCH_EXACT`] of them (`exact`), else HdrHistogram
/// buckets (each value is its bucket's highest equivalent value).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(rename = "DurationSketch")]
pub struct Sketch {
    pub exact: bool,
    #[ts(type = "Array<[number, number]>")]
    pub values: Vec<(u64, u64)>,
    /// The exact sum and maximum, which buckets lose.
    pub total_ns: f64,
    pub max_ns: u64,
}

/// Durations being recorded.
#[derive(Debug, Clone, Default)]
pub struct Dist {
    exact: Vec<u64>,
    hist: Option<Histogram<u64>>,
    count: u64,
    sum: u128,
    max: u64,
}

fn new_hist() -> Histogram<u64> {
    // Bounds are constants that hdrhistogram accepts; `new_with_bounds` only fails on
    // low < 1, high < 2 * low or sigfig > 5.
    #[allow(clippy::unwrap_used)]
    Histogram::new_with_bounds(1, MAX_NS, SIGFIG).unwrap()
}

impl Dist {
    pub fn record(&mut self, ns: u64) {
        self.count += 1;
        self.sum += u128::from(ns);
        self.max = self.max.max(ns);
        match &mut self.hist {
            Some(h) => h.saturating_record(ns.min(MAX_NS)),
            None => {
                self.exact.push(ns);
                if self.exact.len() > EXACT_CAP {
                    let mut h = new_hist();
                    for v in self.exact.drain(..) {
                        h.saturating_record(v.min(MAX_NS));
                    }
                    self.exact = Vec::new();
                    self.hist = Some(h);
                }
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn figures(&self) -> DurationFigures {
        match &self.hist {
            Some(h) => hist_figures(h, self.count, self.sum as f64, self.max),
            None => {
                let mut v = self.exact.clone();
                v.sort_unstable();
                exact_figures(&runs(&v), self.sum as f64, self.max)
            }
        }
    }

    pub fn sketch(&self) -> Sketch {
        match &self.hist {
            Some(h) => hist_sketch(h, self.sum as f64, self.max),
            None => {
                let mut v = self.exact.clone();
                v.sort_unstable();
                let values = runs(&v);
                if values.len() <= SKETCH_EXACT {
                    Sketch {
                        exact: true,
                        values,
                        total_ns: self.sum as f64,
                        max_ns: self.max,
                    }
                } else {
                    let mut h = new_hist();
                    for (x, n) in values {
                        h.saturating_record_n(x.min(MAX_NS), n);
                    }
                    hist_sketch(&h, self.sum as f64, self.max)
                }
            }
        }
    }
}

/// Sorted values as (value, how many times).
fn runs(sorted: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &x in sorted {
        match out.last_mut() {
            Some((v, n)) if *v == x => *n += 1,
            _ => out.push((x, 1)),
        }
    }
    out
}

fn hist_sketch(h: &Histogram<u64>, total_ns: f64, max_ns: u64) -> Sketch {
    Sketch {
        exact: false,
        values: h
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect(),
        total_ns,
        max_ns,
    }
}

/// Type 7 percentile over sorted (value, count) runs: h = (n - 1) q, interpolating between
/// the values of ranks floor(h) and floor(h) + 1 (0-based).
fn type7(runs: &[(u64, u64)], n: u64, q: f64) -> f64 {
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as u64;
    let frac = h - lo as f64;
    let a = value_at_rank(runs, lo);
    if frac == 0.0 {
        return a as f64;
    }
    let b = value_at_rank(runs, lo + 1);
    a as f64 + frac * (b as f64 - a as f64)
}

fn value_at_rank(runs: &[(u64, u64)], rank: u64) -> u64 {
    let mut seen = 0u64;
    for &(v, c) in runs {
        seen += c;
        if rank < seen {
            return v;
        }
    }
    runs.last().map_or(0, |r| r.0)
}

fn exact_figures(runs: &[(u64, u64)], total_ns: f64, max_ns: u64) -> DurationFigures {
    let n: u64 = runs.iter().map(|r| r.1).sum();
    figures(n, total_ns, max_ns, true, |q| type7(runs, n, q))
}

fn hist_figures(h: &Histogram<u64>, n: u64, total_ns: f64, max_ns: u64) -> DurationFigures {
    figures(n, total_ns, max_ns, false, |q| {
        h.value_at_quantile(q) as f64
    })
}

/// The figures of `n` durations, given their quantile function (in ns).
fn figures(
    n: u64,
    total_ns: f64,
    max_ns: u64,
    exact: bool,
    quantile: impl Fn(f64) -> f64,
) -> DurationFigures {
    if n == 0 {
        return empty_figures();
    }
    let p = |q| quantile(q) / NS_PER_MS;
    DurationFigures {
        count: n,
        p50_ms: p(0.50),
        p85_ms: p(0.85),
        p95_ms: p(0.95),
        p99_ms: p(0.99),
        mean_ms: total_ns / n as f64 / NS_PER_MS,
        max_ms: max_ns as f64 / NS_PER_MS,
        total_ms: total_ns / NS_PER_MS,
        exact,
    }
}

fn empty_figures() -> DurationFigures {
    DurationFigures {
        count: 0,
        p50_ms: 0.0,
        p85_ms: 0.0,
        p95_ms: 0.0,
        p99_ms: 0.0,
        mean_ms: 0.0,
        max_ms: 0.0,
        total_ms: 0.0,
        exact: true,
    }
}

impl Sketch {
    /// Checks a sketch read back from a model file (untrusted): sorted distinct values
    /// within range, a bounded number of them, counts that add up without overflow.
    pub fn check(&self) -> Result<(), String> {
        if self.values.len() > SKETCH_MAX {
            return Err(format!(
                "a duration sketch has {} entries (at most {SKETCH_MAX})",
                self.values.len()
            ));
        }
        let mut total = 0u64;
        for w in self.values.windows(2) {
            if w[0].0 >= w[1].0 {
                return Err("a duration sketch's values are not in increasing order".into());
            }
        }
        for &(v, c) in &self.values {
            if v > MAX_NS.saturating_mul(2) || c == 0 {
                return Err(format!("a duration sketch holds {c} x {v} ns"));
            }
            total = total
                .checked_add(c)
                .ok_or("a duration sketch's counts overflow")?;
        }
        if !self.total_ns.is_finite() || self.total_ns < 0.0 {
            return Err("a duration sketch's total is not a finite duration".into());
        }
        Ok(())
    }

    pub fn count(&self) -> u64 {
        self.values.iter().map(|v| v.1).sum()
    }

    /// Adds several sketches: exact while every part is exact and the distinct values stay
    /// few, otherwise into one histogram.
    pub fn merge<'a>(parts: impl IntoIterator<Item = &'a Sketch>) -> Sketch {
        let parts: Vec<&Sketch> = parts.into_iter().collect();
        let total_ns = parts.iter().map(|s| s.total_ns).sum();
        let max_ns = parts.iter().map(|s| s.max_ns).max().unwrap_or(0);
        let mut all: Vec<(u64, u64)> = parts.iter().flat_map(|s| s.values.clone()).collect();
        all.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::new();
        for (v, c) in all {
            match merged.last_mut() {
                Some((x, n)) if *x == v => *n = n.saturating_add(c),
                _ => merged.push((v, c)),
            }
        }
        if parts.iter().all(|s| s.exact) && merged.len() <= SKETCH_EXACT {
            return Sketch {
                exact: true,
                values: merged,
                total_ns,
                max_ns,
            };
        }
        let mut h = new_hist();
        for (v, c) in merged {
            h.saturating_record_n(v.min(MAX_NS), c);
        }
        hist_sketch(&h, total_ns, max_ns)
    }

    pub fn figures(&self) -> DurationFigures {
        if self.exact {
            return exact_figures(&self.values, self.total_ns, self.max_ns);
        }
        let mut h = new_hist();
        for &(v, c) in &self.values {
            h.saturating_record_n(v.min(MAX_NS), c);
        }
        hist_figures(&h, h.len(), self.total_ns, self.max_ns)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// E12 of REFERENCE.md: 4, 5, 5, 5, 5, 5 gives p50 5 and p10 4.5 (type 7).
    #[test]
    fn type7_matches_reference_e12() {
        let r = runs(&[4, 5, 5, 5, 5, 5]);
        assert_eq!(type7(&r, 6, 0.5), 5.0);
        assert!((type7(&r, 6, 0.1) - 4.5).abs() < 1e-12);
    }

    /// numpy.percentile([10, 20, 30, 40], 85) = 10 + 30 * ... : h = 3 * 0.85 = 2.55, between
    /// 30 and 40: 35.5.
    #[test]
    fn type7_interpolates() {
        let r = runs(&[10, 20, 30, 40]);
        assert!((type7(&r, 4, 0.85) - 35.5).abs() < 1e-9);
    }

    /// Past the cap, percentiles come from the histogram and stay within 1 %: 1..=20,000 µs
    /// has its true median at 10,000.5 µs.
    #[test]
    fn histogram_is_within_one_percent() {
        let mut d = Dist::default();
        for us in 1..=20_000u64 {
            d.record(us * 1000);
        }
        let f = d.figures();
        assert!(!f.exact);
        let truth = 10.0005;
        assert!((f.p50_ms - truth).abs() / truth < 0.01, "{}", f.p50_ms);
        let truth99 = 19.80001;
        assert!((f.p99_ms - truth99).abs() / truth99 < 0.01, "{}", f.p99_ms);
        assert_eq!(f.count, 20_000);
        assert!((f.mean_ms - truth).abs() < 1e-9);
    }

    #[test]
    fn exact_sketches_merge_exactly() {
        let mut a = Dist::default();
        let mut b = Dist::default();
        for v in [1_000_000, 3_000_000] {
            a.record(v);
        }
        b.record(2_000_000);
        let m = Sketch::merge([&a.sketch(), &b.sketch()]);
        assert!(m.exact);
        let f = m.figures();
        assert_eq!(f.p50_ms, 2.0);
        assert_eq!(f.count, 3);
    }

    #[test]
    fn bad_sketches_are_refused() {
        let s = Sketch {
            exact: true,
            values: vec![(5, 1), (3, 1)],
            total_ns: 8.0,
            max_ns: 5,
        };
        assert!(s.check().is_err());
    }
}
