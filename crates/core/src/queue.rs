//! Steady-state queueing formulas (REFERENCE.md section 2): M/M/1, M/M/c (Erlang C) and
//! Kingman's G/G/1 approximation. The simulator is validated against these.

/// Steady state of a queue; times in the unit of the rates' reciprocal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueStats {
    /// Utilisation per server.
    pub rho: f64,
    /// Probability an arrival waits (1 server: rho).
    pub p_wait: f64,
    /// Mean time in queue.
    pub wq: f64,
    /// Mean time in system.
    pub w: f64,
    /// Mean number in queue.
    pub lq: f64,
    /// Mean number in system.
    pub l: f64,
}

/// M/M/c with arrival rate `lambda` and service rate `mu` per server. `None` when the queue
/// is unstable (lambda >= c mu) or the inputs are not positive.
pub fn mmc(lambda: f64, mu: f64, c: u32) -> Option<QueueStats> {
    if !(lambda > 0.0 && mu > 0.0 && c >= 1) {
        return None;
    }
    let a = lambda / mu;
    let cf = c as f64;
    let rho = a / cf;
    if rho >= 1.0 {
        return None;
    }
    // sum_{k<c} a^k/k! and a^c/c!, built term by term to avoid overflow of factorials.
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / (k as f64 + 1.0);
    }
    let top = term / (1.0 - rho);
    let p_wait = top / (sum + top);
    let wq = p_wait / (cf * mu - lambda);
    let w = wq + 1.0 / mu;
    Some(QueueStats {
        rho,
        p_wait,
        wq,
        w,
        lq: lambda * wq,
        l: lambda * w,
    })
}

/// M/M/1: the c = 1 case of [`mmc`].
pub fn mm1(lambda: f64, mu: f64) -> Option<QueueStats> {
    mmc(lambda, mu, 1)
}

/// Kingman's approximation of the mean wait in a G/G/1 queue, given utilisation, the
/// coefficients of variation of inter-arrival (`ca`) and service (`cs`) times, and the mean
/// service time.
pub fn kingman_wq(rho: f64, ca: f64, cs: f64, mean_service: f64) -> Option<f64> {
    if !(rho > 0.0 && rho < 1.0) {
        return None;
    }
    Some(rho / (1.0 - rho) * (ca * ca + cs * cs) / 2.0 * mean_service)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    // REFERENCE.md E7, first part.
    #[test]
    fn e7_mm1() {
        let q = mm1(8.0, 10.0).unwrap();
        close(q.w, 0.5, 1e-12);
        close(q.wq, 0.4, 1e-12);
        close(q.lq, 3.2, 1e-12);
        close(q.l, 4.0, 1e-12);
        // the closed forms of REFERENCE.md: Lq = rho^2/(1-rho), L = rho/(1-rho)
        close(q.lq, 0.8 * 0.8 / 0.2, 1e-12);
    }

    // REFERENCE.md E7, second part.
    #[test]
    fn e7_mm3_erlang_c() {
        let q = mmc(8.0, 3.0, 3).unwrap();
        close(q.p_wait, 0.797508, 5e-7);
        close(q.wq, 0.797508, 5e-7);
        close(q.w, 1.130841, 5e-7);
        close(q.lq, 6.380062, 5e-7);
    }

    // REFERENCE.md E11.
    #[test]
    fn e11_busy_single_server() {
        let q = mm1(15.0, 17.5).unwrap();
        close(q.l, 6.0, 1e-9);
        close(q.w * 60.0, 24.0, 1e-9);
        close(q.wq, 0.342857, 5e-7);
    }

    #[test]
    fn unstable_queues_have_no_steady_state() {
        assert!(mm1(10.0, 10.0).is_none());
        assert!(mmc(9.0, 3.0, 3).is_none());
        assert!(mmc(0.0, 3.0, 3).is_none());
    }

    #[test]
    fn kingman_is_exact_for_mm1() {
        // exponential arrivals and service: ca = cs = 1
        let q = mm1(8.0, 10.0).unwrap();
        close(kingman_wq(0.8, 1.0, 1.0, 0.1).unwrap(), q.wq, 1e-12);
    }
}
