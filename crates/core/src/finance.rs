//! The business case (REFERENCE.md section 5): NPV, payback and IRR.
//!
//! Convention: the investment falls at t = 0 and is not discounted; each year's benefit falls
//! at that year's end. Excel users get the same NPV with `=NPV(r, benefits) - investment`.

/// NPV of cash flows where `flows[0]` is at t = 0 (undiscounted) and `flows[t]` at the end of
/// year t.
pub fn npv(rate: f64, flows: &[f64]) -> f64 {
    flows
        .iter()
        .enumerate()
        .map(|(t, v)| v / (1.0 + rate).powi(t as i32))
        .sum()
}

/// Excel's `NPV(rate, v1..vn)`: every value discounted, the first by one period.
pub fn excel_npv(rate: f64, values: &[f64]) -> f64 {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| v / (1.0 + rate).powi(i as i32 + 1))
        .sum()
}

/// Years until the cumulative benefit reaches the investment: the last full year before it
/// does, plus the remaining amount over that next year's benefit. Past the given years the
/// benefit stays at `steady` (the last year's level). `None` if it never pays back.
pub fn payback(investment: f64, benefits: &[f64], steady: f64) -> Option<f64> {
    if investment <= 0.0 {
        return Some(0.0);
    }
    let mut cumulative = 0.0;
    for (t, b) in benefits.iter().enumerate() {
        if cumulative + b >= investment && *b > 0.0 {
            return Some(t as f64 + (investment - cumulative) / b);
        }
        cumulative += b;
    }
    if steady <= 0.0 {
        return None;
    }
    Some(benefits.len() as f64 + (investment - cumulative) / steady)
}

/// The rate at which the NPV of `flows` (t = 0 first) is zero. `None` where the flows never
/// change sign or no rate in (-99 %, 1,000,000 %) gives zero.
pub fn irr(flows: &[f64]) -> Option<f64> {
    let has_neg = flows.iter().any(|v| *v < 0.0);
    let has_pos = flows.iter().any(|v| *v > 0.0);
    if !(has_neg && has_pos) {
        return None;
    }
    // Scan for a bracket where the NPV changes sign, then bisect it: robust where Newton's
    // method wanders off on unusual flows.
    let grid: Vec<f64> = {
        let mut g = vec![-0.99, -0.9, -0.75, -0.5, -0.25, -0.1, 0.0];
        let mut r = 0.05;
        while r < 10_000.0 {
            g.push(r);
            r *= 1.5;
        }
        g
    };
    let f = |r: f64| npv(r, flows);
    for w in grid.windows(2) {
        let (mut lo, mut hi) = (w[0], w[1]);
        let (mut flo, fhi) = (f(lo), f(hi));
        if flo == 0.0 {
            return Some(lo);
        }
        if flo.signum() == fhi.signum() {
            continue;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            let fm = f(mid);
            if fm == 0.0 || (hi - lo) < 1e-12 {
                return Some(mid);
            }
            if fm.signum() == flo.signum() {
                lo = mid;
                flo = fm;
            } else {
                hi = mid;
            }
        }
        return Some(0.5 * (lo + hi));
    }
    None
}

/// Benefit in each year 1..=years when a steady annual `benefit` starts after `build_years`
/// (year t earns the part of it that falls after the build).
pub fn ramped_benefits(benefit: f64, build_years: f64, years: u32) -> Vec<f64> {
    (1..=years)
        .map(|t| benefit * (t as f64 - build_years).clamp(0.0, 1.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    // REFERENCE.md E9.
    #[test]
    fn e9_npv_conventions() {
        close(
            npv(0.08, &[-40_000.0, 5_000.0, 8_000.0, 12_000.0, 30_000.0]),
            3_065.22,
            0.005,
        );
        close(npv(0.10, &[-1_000.0, 500.0, 500.0, 500.0]), 243.43, 0.005);
        // Excel discounts the investment too, and gives a different figure ...
        close(
            excel_npv(0.10, &[-1_000.0, 500.0, 500.0, 500.0]),
            221.30,
            0.005,
        );
        // ... unless used as =NPV(r, benefits) - investment, which agrees with ours.
        close(
            excel_npv(0.10, &[500.0, 500.0, 500.0]) - 1_000.0,
            npv(0.10, &[-1_000.0, 500.0, 500.0, 500.0]),
            1e-9,
        );
        close(
            excel_npv(0.065, &[-10_000.0, 3_000.0, 3_400.0, 7_700.0]),
            2_055.38,
            0.005,
        );
    }

    #[test]
    fn e9_irr() {
        let r = irr(&[-100.0, 39.0, 59.0, 55.0, 20.0]).unwrap();
        close(r, 0.28095, 0.000005);
        close(npv(r, &[-100.0, 39.0, 59.0, 55.0, 20.0]), 0.0, 1e-6);
        assert_eq!(irr(&[100.0, 10.0]), None);
        assert_eq!(irr(&[-100.0, -10.0]), None);
    }

    // REFERENCE.md E10.
    #[test]
    fn e10_ramping_benefits() {
        let b = [50.0, 60.0, 70.0, 200.0];
        close(payback(200.0, &b, 200.0).unwrap(), 3.10, 1e-9);
        close(npv(0.10, &[-200.0, 50.0, 60.0, 70.0, 200.0]), 84.24, 0.005);
    }

    // REFERENCE.md E2: constant benefit, payback = investment / benefit.
    #[test]
    fn e2_payback_and_npv() {
        let b = ramped_benefits(416_000.0, 0.0, 5);
        assert_eq!(b, vec![416_000.0; 5]);
        close(payback(600_000.0, &b, 416_000.0).unwrap(), 1.4423, 0.00005);
        let mut flows = vec![-600_000.0];
        flows.extend(&b);
        close(npv(0.08, &flows), 1_060_967.38, 0.005);
    }

    #[test]
    fn payback_beyond_the_horizon_and_never() {
        // 1,000 at 100 a year: ten years, past a five-year horizon.
        let b = ramped_benefits(100.0, 0.0, 5);
        close(payback(1_000.0, &b, 100.0).unwrap(), 10.0, 1e-9);
        assert_eq!(payback(1_000.0, &[0.0; 5], 0.0), None);
        assert_eq!(payback(0.0, &[0.0; 5], 0.0), Some(0.0));
    }

    #[test]
    fn a_build_period_delays_the_benefit() {
        // Half a year of build: year 1 earns half.
        let b = ramped_benefits(100.0, 0.5, 3);
        assert_eq!(b, vec![50.0, 100.0, 100.0]);
        // payback of 100: 50 in year 1, the rest in half of year 2.
        close(payback(100.0, &b, 100.0).unwrap(), 1.5, 1e-9);
    }
}
