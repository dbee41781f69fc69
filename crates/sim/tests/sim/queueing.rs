//! The simulator against queueing theory (REFERENCE.md section 2, E7 and E11): M/M/1,
//! M/M/c (Erlang C), a WIP limit acting as c servers, blocking between two stages, and
//! Little's law on a whole stream.

use tributary_core::queue::{mm1, mmc};
use tributary_core::*;
use tributary_sim::{Control, Options, simulate};

use crate::*;

const QUANTILES: usize = 20_000;

fn options(items: u32, runs: u32, seed: u64) -> Options {
    Options {
        items,
        runs,
        seed,
        warmup: Some(items / 5),
        ..Options::default()
    }
}

/// Pollaczek-Khinchine: mean wait in queue of an M/G/1 queue with service moments m1, m2.
fn pk_wq(lambda: f64, m1: f64, m2: f64) -> f64 {
    lambda * m2 / (2.0 * (1.0 - lambda * m1))
}

fn check_mm1(lambda: f64, mu: f64, seed: u64) {
    let values = exponential(mu, QUANTILES);
    let (m1, m2) = moments(&values);
    let model = single_queue(lambda, Some(1.0), values);
    let sim = simulate(&model, &options(50_000, 40, seed), &Control::new()).unwrap();
    let s = &sim.streams[0];
    let stage = &s.stages[0];
    let theory = mm1(lambda, mu).unwrap();
    // What 20,000 quantiles of the exponential change, by Pollaczek-Khinchine (exact for
    // M/G/1): the allowance for discretising the service distribution.
    let wq_bias = (pk_wq(lambda, m1, m2) - theory.wq).abs();
    let w_bias = wq_bias + (m1 - 1.0 / mu).abs();
    within("Wq", stage.queue_time, theory.wq, wq_bias, 0.02);
    within(
        "W",
        tributary_sim::Estimate {
            value: s.lead_time.mean,
            std_error: s.lead_time.std_error,
        },
        theory.w,
        w_bias,
        0.02,
    );
    within("Lq", stage.queue_length, theory.lq, lambda * wq_bias, 0.03);
    within("L", s.wip, theory.l, lambda * w_bias, 0.03);
    within(
        "utilisation",
        stage.utilisation.unwrap(),
        theory.rho,
        lambda * (m1 - 1.0 / mu).abs(),
        0.01,
    );
}

// E7: lambda 8/h, mu 10/h: W 0.5 h, Wq 0.4 h, Lq 3.2, L 4.
#[test]
fn e7_an_mm1_stage_waits_as_theory_says() {
    let q = mm1(8.0, 10.0).unwrap();
    assert!((q.w - 0.5).abs() < 1e-12 && (q.wq - 0.4).abs() < 1e-12);
    check_mm1(8.0, 10.0, 7);
}

// E11: lambda 15/h, mu 17.5/h: L 6, W 24 min, Wq 0.342857 h.
#[test]
fn e11_a_busy_single_server() {
    check_mm1(15.0, 17.5, 11);
}

fn check_mmc(model: &Model, lambda: f64, mu: f64, c: u32, m1: f64, m2: f64, seed: u64) {
    let sim = simulate(model, &options(50_000, 40, seed), &Control::new()).unwrap();
    let s = &sim.streams[0];
    let theory = mmc(lambda, mu, c).unwrap();
    // Discretisation allowance from the M/G/c approximation Wq ~ Wq(M/M/c) (1 + cs^2) / 2
    // with the mean and squared coefficient of variation of the quantiles actually used.
    let cs2 = m2 / (m1 * m1) - 1.0;
    let approx = mmc(lambda, 1.0 / m1, c).unwrap().wq * (1.0 + cs2) / 2.0;
    let wq_bias = (approx - theory.wq).abs();
    within(
        "W",
        tributary_sim::Estimate {
            value: s.lead_time.mean,
            std_error: s.lead_time.std_error,
        },
        theory.w,
        wq_bias + (m1 - 1.0 / mu).abs(),
        0.02,
    );
    within(
        "L",
        s.wip,
        theory.l,
        lambda * (wq_bias + (m1 - 1.0 / mu).abs()),
        0.03,
    );
}

// E7: M/M/3 with lambda 8/h, mu 3/h: Erlang C 0.797508, Wq 0.797508 h, W 1.130841 h,
// Lq 6.380062.
#[test]
fn e7_an_mm3_stage_follows_erlang_c() {
    let values = exponential(3.0, QUANTILES);
    let (m1, m2) = moments(&values);
    let model = single_queue(8.0, Some(3.0), values);
    check_mmc(&model, 8.0, 3.0, 3, m1, m2, 73);
    let sim = simulate(&model, &options(50_000, 40, 74), &Control::new()).unwrap();
    let stage = &sim.streams[0].stages[0];
    let theory = mmc(8.0, 3.0, 3).unwrap();
    let cs2 = m2 / (m1 * m1) - 1.0;
    let bias = (mmc(8.0, 1.0 / m1, 3).unwrap().wq * (1.0 + cs2) / 2.0 - theory.wq).abs();
    within("Wq", stage.queue_time, theory.wq, bias, 0.02);
    within("Lq", stage.queue_length, theory.lq, 8.0 * bias, 0.03);
    within(
        "utilisation",
        stage.utilisation.unwrap(),
        8.0 / 9.0,
        8.0 * (m1 - 1.0 / 3.0).abs() / 3.0,
        0.01,
    );
}

// A WIP limit of 3 on a stage with unlimited servers lets three items in at a time and
// holds the rest in line before it: the same queue as three servers (Erlang C again).
#[test]
fn a_wip_limit_of_three_queues_like_three_servers() {
    let values = exponential(3.0, QUANTILES);
    let (m1, m2) = moments(&values);
    let mut model = single_queue(8.0, None, values);
    stage_mut(&mut model, "q", "serve")
        .uncertainty
        .as_mut()
        .unwrap()
        .wip_limit = Some(3);
    check_mmc(&model, 8.0, 3.0, 3, m1, m2, 303);
}

// Two single servers in tandem with no room between them (the second's WIP limit is 1):
// the first is blocked while the second works. With exponential times of rate 1 at both and
// more demand than the pair can take, the line completes 2/3 items per hour (Avi-Itzhak and
// Yadin 1965; Hillier and Boling 1967), although each server alone could do 1.
#[test]
fn blocking_between_two_stages_cuts_throughput_to_two_thirds() {
    let values = exponential(1.0, QUANTILES);
    let mut model = single_queue(0.9, Some(1.0), values.clone());
    let s = stream_mut(&mut model, "q");
    let mut second = s.stages[0].clone();
    second.id = "second".into();
    second.name = "Second".into();
    second.uncertainty = Some(Uncertainty {
        process: Some(Distribution::Empirical { values }),
        wip_limit: Some(1),
        ..Uncertainty::default()
    });
    s.stages.push(second);
    let opts = Options {
        items: 20_000,
        runs: 10,
        seed: 2,
        warmup: Some(2_000),
        ..Options::default()
    };
    let sim = simulate(&model, &opts, &Control::new()).unwrap();
    let per_hour = tributary_sim::Estimate {
        value: sim.streams[0].throughput_per_week.value / 40.0,
        std_error: sim.streams[0]
            .throughput_per_week
            .std_error
            .map(|e| e / 40.0),
    };
    // No bias allowance: by the first measured arrival the backlog before the line has grown
    // to hundreds of items (0.9 - 2/3 a hour for 2,000 items' time), so the first server
    // never runs dry in the window and the line is saturated, as the formula assumes.
    within("throughput", per_hour, 2.0 / 3.0, 0.0, 0.01);
    // the first server spends about a third of its time blocked (Hillier and Boling: busy
    // 2/3, blocked 1/3 when saturated)
    let first = &sim.streams[0].stages[0];
    within("blocked", first.blocked, 1.0 / 3.0, 0.0, 0.02);
    assert!(
        sim.warnings
            .iter()
            .any(|w| w.message.contains("cannot keep up")),
        "{:?}",
        sim.warnings
    );
}

// Little's law (L = lambda W) on a whole stream with random times, limited capacity and
// rework: time-average WIP against throughput x mean lead time, measured independently.
#[test]
fn littles_law_holds_on_a_simulated_stream() {
    let mut model = e1();
    for (id, cap) in [
        ("intake", 1.0),
        ("assess", 2.0),
        ("approve", 1.0),
        ("fulfil", 2.0),
    ] {
        let st = stage_mut(&mut model, "s", id);
        st.capacity = Some(cap);
        let (pt, wt) = (st.process_time, st.wait_time);
        st.uncertainty = Some(Uncertainty {
            process: Some(Distribution::Lognormal {
                median: pt,
                p90: pt * 2.0,
            }),
            wait: Some(Distribution::Triangular {
                min: 0.0,
                mode: wt,
                max: 2.0 * wt,
            }),
            ..Uncertainty::default()
        });
    }
    stream_mut(&mut model, "s").arrivals = Some(Arrivals::Poisson);
    let opts = Options {
        items: 10_000,
        runs: 16,
        seed: 42,
        ..Options::default()
    };
    let sim = simulate(&model, &opts, &Control::new()).unwrap();
    let s = &sim.streams[0];
    let lambda = s.throughput_per_week.value / 40.0;
    let w = s.lead_time.mean;
    let (se_l, se_lambda, se_w) = (
        s.wip.std_error.unwrap(),
        s.throughput_per_week.std_error.unwrap() / 40.0,
        s.lead_time.std_error.unwrap(),
    );
    // independent errors added in quadrature (conservative: L and lambda W are positively
    // correlated within a run)
    let se = (se_l.powi(2) + (lambda * se_w).powi(2) + (w * se_lambda).powi(2)).sqrt();
    assert!(
        (s.wip.value - lambda * w).abs() <= Z * se,
        "L {} vs lambda W {} (SE {se})",
        s.wip.value,
        lambda * w
    );
    assert!(
        se < 0.02 * s.wip.value,
        "SE {se} too large for a sharp test"
    );
    // and the stream keeps up with its demand (20 a week)
    within("throughput", s.throughput_per_week, 20.0, 0.0, 0.01);
}
