//! Streams without randomness in time (fixed arrivals, fixed times) against the paper map
//! (`metrics::compute`, REFERENCE.md E1, E3, E4), and rework against its expectation.

use tributary_core::metrics;
use tributary_core::*;
use tributary_sim::{Control, Options, Simulation, simulate};

use crate::*;

fn deterministic(mut model: Model) -> Model {
    for s in &mut model.streams {
        s.arrivals = Some(Arrivals::Fixed);
        for st in &mut s.stages {
            st.pca = 1.0;
        }
    }
    model
}

fn run(model: &Model, items: u32, runs: u32) -> Simulation {
    let opts = Options {
        items,
        runs,
        seed: 5,
        ..Options::default()
    };
    simulate(model, &opts, &Control::new()).unwrap()
}

/// Every item takes exactly the analytic lead time, and so do all percentiles.
fn assert_exact(model: &Model) {
    let analytic = &metrics::compute(model).unwrap().streams[0];
    let sim = run(model, 500, 2);
    let s = &sim.streams[0];
    let lt = &s.lead_time;
    for (what, v) in [
        ("mean", lt.mean),
        ("p50", lt.p50),
        ("p85", lt.p85),
        ("p95", lt.p95),
        ("min", lt.min),
        ("max", lt.max),
    ] {
        assert_eq!(v, analytic.lead_time, "{what} lead time");
    }
    assert_eq!(s.analytic_lead_time, analytic.lead_time);
    assert_eq!(s.flow_efficiency.min, analytic.flow_efficiency);
    assert_eq!(s.flow_efficiency.max, analytic.flow_efficiency);
    assert_eq!(s.reworked_share.value, 0.0);
    // one bar holds every item
    assert_eq!(s.lead_time_histogram.len(), 1);
    assert_eq!(s.lead_time_histogram[0].count, 1000);
    // Little's law with exact numbers: WIP = demand x lead time (analytic `wip`)
    assert!(
        (s.wip.value - analytic.wip).abs() <= 1e-9 * analytic.wip,
        "WIP {} vs {}",
        s.wip.value,
        analytic.wip
    );
    // cost of delay as the paper map has it
    assert!((s.delay_cost_per_item.p85 - analytic.delay_cost_per_item).abs() < 1e-9);
    assert!((s.annual_delay_cost.mean - analytic.annual_delay_cost).abs() < 1e-6);
}

// E1: lead time 94.5 h, flow efficiency 0.068783, annual delay cost 1,228,500.
#[test]
fn e1_simulated_without_rework_is_the_paper_map() {
    let model = deterministic(e1());
    assert_exact(&model);
    let s = &run(&model, 100, 1).streams[0];
    assert_eq!(s.lead_time.p85, 94.5);
    assert!((s.annual_delay_cost.mean - 1_228_500.0).abs() < 1e-6);
}

// E4: the critical path Start-B1-End gives 17; the item waits at End for both branches.
#[test]
fn e4_parallel_branches_join_on_the_critical_path() {
    let model = deterministic(e4());
    assert_exact(&model);
    let s = &run(&model, 100, 1).streams[0];
    assert_eq!(s.lead_time.p50, 17.0);
    assert_eq!(s.flow_efficiency.p50, 4.0 / 17.0);
    // B2 (lead 8) waits at the join; B1 (lead 12) decides. Make B2 the longer branch and the
    // lead time follows it: 1+2 + 4+9 + 1+1 = 18.
    let mut longer = model.clone();
    stage_mut(&mut longer, "s", "b2").wait_time = 9.0;
    assert_eq!(run(&longer, 100, 1).streams[0].lead_time.p50, 18.0);
    assert_exact(&longer);
}

// Parallel branches that never merge: the item is done when both ends are done.
#[test]
fn an_item_ends_when_every_branch_has_ended() {
    let mut model = deterministic(e4());
    let s = stream_mut(&mut model, "s");
    s.edges.retain(|e| e.to != "end");
    s.edges.push(Edge {
        from: "b1".into(),
        to: "end".into(),
    });
    // Start -> B1 -> End, and Start -> B2 (a second end): 3 + 12 + 2 = 17 vs 3 + 8 = 11.
    assert_exact(&model);
    stage_mut(&mut model, "s", "b2").wait_time = 30.0; // now B2's end decides: 3 + 34 = 37
    assert_eq!(run(&model, 100, 1).streams[0].lead_time.max, 37.0);
    assert_exact(&model);
}

// E3: capacities 1, 2, 1, 2 on E1. Every server keeps up with one item every 2 h, so no item
// ever queues and the lead time stays 94.5; utilisations are 0.25, 0.5, 0.5, 0.75.
#[test]
fn e3_capacities_load_stages_as_the_paper_map_says() {
    let mut model = deterministic(e1());
    for (id, cap) in [
        ("intake", 1.0),
        ("assess", 2.0),
        ("approve", 1.0),
        ("fulfil", 2.0),
    ] {
        stage_mut(&mut model, "s", id).capacity = Some(cap);
    }
    assert_exact(&model);
    let analytic = &metrics::compute(&model).unwrap().streams[0];
    let sim = run(&model, 1000, 1);
    let s = &sim.streams[0];
    // Over a window of n - 1 arrival intervals, a server's busy time differs from its share
    // of the window by at most one item's work in progress at each end.
    let window = 999.0 * 2.0;
    for (st, want) in s.stages.iter().zip(&analytic.stages) {
        let u = st.utilisation.unwrap().value;
        let rho = want.utilisation.unwrap();
        let tol = 2.0 * want.process_time / (want.capacity.unwrap() * window);
        assert!((u - rho).abs() <= tol, "{}: {u} vs {rho}", st.id);
        assert_eq!(st.queue_time.value, 0.0, "{} queued", st.id);
    }
    for (got, want) in s.stages.iter().zip([0.25, 0.5, 0.5, 0.75]) {
        assert!((got.utilisation.unwrap().value - want).abs() < 0.01);
    }
}

// E1 with its %C&A: a failed item redoes its own stage (wait and work again), so the mean
// lead time is sum LT_i / p_i = 104.4901 h and the share of items reworked is
// 1 - rolled %C&A = 1 - 0.67032.
#[test]
fn e1_rework_matches_the_expected_lead_time() {
    let mut model = e1();
    stream_mut(&mut model, "s").arrivals = Some(Arrivals::Fixed);
    let analytic = &metrics::compute(&model).unwrap().streams[0];
    assert!((analytic.expected_lead_time - 104.4901).abs() < 5e-5);
    let sim = run(&model, 20_000, 10);
    let s = &sim.streams[0];
    within(
        "mean lead time",
        Estimate {
            value: s.lead_time.mean,
            std_error: s.lead_time.std_error,
        },
        analytic.expected_lead_time,
        0.0,
        0.01,
    );
    within(
        "share reworked",
        s.reworked_share,
        1.0 - analytic.rolled_pca,
        0.0,
        0.01,
    );
    // passes per item at each stage: 1 / %C&A
    for (st, p) in s.stages.iter().zip([0.9, 0.8, 0.95, 0.98]) {
        assert!((st.expected_visits - 1.0 / p).abs() < 1e-12);
        within(&st.id, st.visits_per_item, 1.0 / p, 0.0, 0.01);
    }
    // no item is faster than the first-pass lead time
    assert_eq!(s.lead_time.min, 94.5);
}

// Rework sent back to an earlier stage repeats every stage from there: with End failing half
// its items back to Start in E4, each pass costs the critical path again (both branches are
// redone in parallel and rejoin), so the mean lead time is 17 / 0.5 = 34, and every stage is
// visited twice per item on average.
#[test]
fn rework_to_an_earlier_stage_repeats_the_branches_between() {
    let mut model = deterministic(e4());
    let end = stage_mut(&mut model, "s", "end");
    end.pca = 0.5;
    end.uncertainty = Some(Uncertainty {
        rework_to: Some("start".into()),
        ..Uncertainty::default()
    });
    let sim = run(&model, 20_000, 10);
    let s = &sim.streams[0];
    within(
        "mean lead time",
        Estimate {
            value: s.lead_time.mean,
            std_error: s.lead_time.std_error,
        },
        34.0,
        0.0,
        0.01,
    );
    for st in &s.stages {
        assert!((st.expected_visits - 2.0).abs() < 1e-12, "{}", st.id);
        within(&st.id, st.visits_per_item, 2.0, 0.0, 0.01);
    }
    // lead times are whole multiples of the 17 h pass
    assert_eq!(s.lead_time.min, 17.0);
    let h = &s.lead_time_histogram;
    assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 200_000);
    within("share reworked", s.reworked_share, 0.5, 0.0, 0.01);

    // A failure on one branch sent back to the fork repeats Start and that branch only:
    // B2 (lead 8) failing half its items back to Start (lead 3) ends its branch at 11 k
    // after k passes (probability 0.5^k), while B1's branch ends at 3 + 12 = 15; End (lead 2)
    // starts when both have ended.
    let mut model = deterministic(e4());
    let b2 = stage_mut(&mut model, "s", "b2");
    b2.pca = 0.5;
    b2.uncertainty = Some(Uncertainty {
        rework_to: Some("start".into()),
        ..Uncertainty::default()
    });
    let expected: f64 = (1..200)
        .map(|k| 0.5f64.powi(k) * (2.0 + f64::max(15.0, 11.0 * f64::from(k))))
        .sum();
    let s = &run(&model, 20_000, 10).streams[0];
    within(
        "mean lead time, branch rework",
        Estimate {
            value: s.lead_time.mean,
            std_error: s.lead_time.std_error,
        },
        expected,
        0.0,
        0.01,
    );
    assert_eq!(s.lead_time.min, 17.0);
}
