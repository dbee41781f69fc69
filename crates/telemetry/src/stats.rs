//! Percentiles and summaries. Percentiles interpolate linearly between closest ranks
//! (Hyndman & Fan's type 7, the default of numpy and pandas): for sorted x_1..x_n and
//! p in [0, 1], h = (n - 1) p, and the value is x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h)).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The type-7 percentile of values in any order.
/// By selection of the two order statistics it needs (O(n)), not a sort.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let ks = if hi == lo { vec![lo] } else { vec![lo, hi] };
    let x = order_stats(&mut v, &ks);
    let (a, b) = (x[0], *x.last()?);
    Some(a + (h - lo as f64) * (b - a))
}

pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// The median as the type-7 50th percentile (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 0.5)
}

/// Count, the percentiles charts mark (50, 70, 85, 95), mean, minimum and maximum. Every
/// value is `None` when there is nothing to summarise: never NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Summary {
    pub count: u64,
    pub p50: Option<f64>,
    pub p70: Option<f64>,
    pub p85: Option<f64>,
    pub p95: Option<f64>,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// The order statistics of `v` at the ascending positions `ks` (the values a sort would put
/// there), by successive selection: O(n) per position instead of a sort.
fn order_stats(v: &mut [f64], ks: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(ks.len());
    let mut start = 0;
    let mut last: Option<(usize, f64)> = None;
    for &k in ks {
        if let Some((lk, lv)) = last
            && lk == k
        {
            out.push(lv);
            continue;
        }
        let (_, x, _) = v[start..].select_nth_unstable_by(k - start, f64::total_cmp);
        let x = *x;
        out.push(x);
        last = Some((k, x));
        start = k + 1;
    }
    out
}

impl Summary {
    pub fn of(values: &[f64]) -> Summary {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        if n == 0 {
            return Summary {
                count: 0,
                p50: None,
                p70: None,
                p85: None,
                p95: None,
                mean: None,
                min: None,
                max: None,
            };
        }
        const PS: [f64; 4] = [0.50, 0.70, 0.85, 0.95];
        // Type 7 needs the order statistics at floor(h) and floor(h) + 1 for each p.
        let mut ks: Vec<usize> = vec![0, n - 1];
        for p in PS {
            let lo = ((n - 1) as f64 * p).floor() as usize;
            ks.push(lo);
            ks.push((lo + 1).min(n - 1));
        }
        ks.sort_unstable();
        ks.dedup();
        let stats = order_stats(&mut v, &ks);
        let at = |k: usize| ks.iter().position(|&x| x == k).map(|i| stats[i]);
        let pct = |p: f64| -> Option<f64> {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let (a, b) = (at(lo)?, at((lo + 1).min(n - 1))?);
            Some(a + (h - lo as f64) * (b - a))
        };
        Summary {
            count: n as u64,
            p50: pct(PS[0]),
            p70: pct(PS[1]),
            p85: pct(PS[2]),
            p95: pct(PS[3]),
            mean: mean(&v),
            min: at(0),
            max: at(n - 1),
        }
    }

    /// The same summary with every value multiplied by `k` (a change of unit).
    pub fn scaled(&self, k: f64) -> Summary {
        let s = |x: Option<f64>| x.map(|v| v * k);
        Summary {
            count: self.count,
            p50: s(self.p50),
            p70: s(self.p70),
            p85: s(self.p85),
            p95: s(self.p95),
            mean: s(self.mean),
            min: s(self.min),
            max: s(self.max),
        }
    }
}
