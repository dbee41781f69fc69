//! Summary statistics of simulated samples: percentiles (REFERENCE.md section 6: linear
//! interpolation between closest ranks, "type 7", as numpy and pandas by default), means with
//! their standard error across independent runs, and histograms.

use crate::result::{Bin, Estimate};

/// The `q`-th quantile (q in [0, 1]) of `sorted` (ascending), type 7. `None` when empty.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let (h, lo, hi) = ranks(n, q);
    Some(between(sorted[lo], sorted[hi], h, lo))
}

/// Where quantile q of n values falls: h = (n - 1) q and the ranks on either side of it.
fn ranks(n: usize, q: f64) -> (f64, usize, usize) {
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    (h, lo, (lo + 1).min(n - 1))
}

/// Linear interpolation from the value of rank `lo`, `a`, to the next one, `b`.
fn between(a: f64, b: f64, h: f64, lo: usize) -> f64 {
    // a + (h - lo) (b - a) would turn equal neighbours into a rounding error; keep them exact
    if a == b {
        a
    } else {
        a + (h - lo as f64) * (b - a)
    }
}

/// The type-7 quantiles of `values` at each of `qs` (NaN when empty), the same as
/// [`quantile`] gives on the sorted values, found by selection: a few linear passes instead
/// of a sort. Reorders `values`.
pub(crate) fn quantiles(values: &mut [f64], qs: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::NAN; qs.len()];
    }
    let mut wanted: Vec<usize> = qs
        .iter()
        .flat_map(|&q| {
            let (_, lo, hi) = ranks(n, q);
            [lo, hi]
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    // each selection puts rank r in place with nothing larger before it and nothing smaller
    // after it, so the next rank is found in the part after r
    let mut start = 0;
    for &r in &wanted {
        values[start..].select_nth_unstable_by(r - start, f64::total_cmp);
        start = r + 1;
    }
    qs.iter()
        .map(|&q| {
            let (h, lo, hi) = ranks(n, q);
            between(values[lo], values[hi], h, lo)
        })
        .collect()
}

pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// The mean of per-run values and its standard error (sample standard deviation of the run
/// values / sqrt(runs)); no standard error with fewer than two runs. Runs are independent
/// (their random numbers come from disjoint streams), which is what makes this valid.
pub fn estimate(per_run: &[f64]) -> Estimate {
    let n = per_run.len();
    let m = mean(per_run);
    let std_error = (n >= 2).then(|| {
        let ss: f64 = per_run.iter().map(|v| (v - m) * (v - m)).sum();
        (ss / (n - 1) as f64).sqrt() / (n as f64).sqrt()
    });
    Estimate {
        value: m,
        std_error,
    }
}

/// `bins` equal-width bins from `lo` to `hi` (the last one closed), with counts and shares.
/// Values outside [lo, hi] are not counted. One bin when lo == hi.
pub fn histogram(values: &[f64], lo: f64, hi: f64, bins: u32) -> Vec<Bin> {
    if values.is_empty() || !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let k = if hi > lo { bins.max(1) as usize } else { 1 };
    let width = (hi - lo) / k as f64;
    let mut counts = vec![0u64; k];
    for &v in values {
        if !(lo..=hi).contains(&v) {
            continue;
        }
        let i = if width > 0.0 {
            (((v - lo) / width) as usize).min(k - 1)
        } else {
            0
        };
        counts[i] += 1;
    }
    let total = values.len() as f64;
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            from: lo + width * i as f64,
            to: if i + 1 == k {
                hi
            } else {
                lo + width * (i + 1) as f64
            },
            count,
            share: count as f64 / total,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // REFERENCE.md E12: flow times 4, 5, 5, 5, 5, 5: p10 4.5, p50 5, p85 5.
    #[test]
    fn e12_percentiles_are_type_7() {
        let v = [4.0, 5.0, 5.0, 5.0, 5.0, 5.0];
        assert_eq!(quantile(&v, 0.10), Some(4.5));
        assert_eq!(quantile(&v, 0.50), Some(5.0));
        assert_eq!(quantile(&v, 0.85), Some(5.0));
        // numpy.percentile([1, 2, 3, 4], 85) = 3.55
        let q = quantile(&[1.0, 2.0, 3.0, 4.0], 0.85).unwrap();
        assert!((q - 3.55).abs() < 1e-12, "{q}");
        assert_eq!(quantile(&[], 0.5), None);
    }

    proptest::proptest! {
        // Selection gives the quantiles that sorting gives, ties and all.
        #[test]
        fn quantiles_by_selection_are_those_of_the_sorted_values(
            values in proptest::collection::vec(
                proptest::prop_oneof![0.0..100.0f64, proptest::sample::select(vec![0.0, 1.0, 5.0])],
                0..300,
            ),
            qs in proptest::collection::vec(0.0..=1.0f64, 1..8),
        ) {
            let mut sorted = values.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let mut shuffled = values;
            let got = quantiles(&mut shuffled, &qs);
            for (q, g) in qs.iter().zip(got) {
                let want = quantile(&sorted, *q).unwrap_or(f64::NAN);
                proptest::prop_assert!(g.to_bits() == want.to_bits(), "q {}: {} vs {}", q, g, want);
            }
        }
    }

    #[test]
    fn the_standard_error_is_that_of_a_mean_of_runs() {
        // values 1..=4: mean 2.5, sample variance 5/3, SE sqrt(5/3)/2
        let e = estimate(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(e.value, 2.5);
        let se = e.std_error.unwrap();
        assert!((se - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-15);
        assert_eq!(estimate(&[7.0]).std_error, None);
    }

    #[test]
    fn a_histogram_counts_every_value_once() {
        let v: Vec<f64> = (0..100).map(f64::from).collect();
        let h = histogram(&v, 0.0, 99.0, 10);
        assert_eq!(h.len(), 10);
        assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 100);
        assert_eq!(h[0].from, 0.0);
        assert_eq!(h[9].to, 99.0);
        let same = histogram(&[3.0, 3.0], 3.0, 3.0, 40);
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].count, 2);
        assert_eq!(same[0].share, 1.0);
    }
}
