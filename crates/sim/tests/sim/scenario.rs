//! A scenario simulated beside the baseline (REFERENCE.md E2 on E1).

use tributary_core::*;
use tributary_sim::{Control, Options, compare};

use crate::*;

/// E2: a decision-automation PBC cuts Approve's wait from 40 h to 8 h.
fn with_e2(mut model: Model) -> Model {
    model.scenarios.push(Scenario {
        id: "auto".into(),
        name: "Decision automation".into(),
        description: None,
        changes: vec![Change::SetStage {
            stream: "s".into(),
            stage: "approve".into(),
            process_time: None,
            wait_time: Some(8.0),
            pca: None,
            capacity: None,
        }],
    });
    model
}

fn opts(items: u32, runs: u32) -> Options {
    Options {
        items,
        runs,
        seed: 21,
        ..Options::default()
    }
}

// Without randomness the simulation gives E2's figures: lead time 94.5 -> 62.5 h, 0.8 weeks
// saved per item, 416,000 a year of delay cost saved.
#[test]
fn e2_side_by_side_with_the_baseline() {
    let mut model = with_e2(e1());
    let s = stream_mut(&mut model, "s");
    s.arrivals = Some(Arrivals::Fixed);
    for st in &mut s.stages {
        st.pca = 1.0;
    }
    let c = compare(&model, "auto", &opts(200, 2), &Control::new()).unwrap();
    assert_eq!(c.scenario_name, "Decision automation");
    let s = &c.streams[0];
    assert_eq!(s.baseline.lead_time.p85, 94.5);
    assert_eq!(s.scenario.lead_time.p85, 62.5);
    assert_eq!(s.lead_time_saved.p85, 32.0);
    assert_eq!(s.lead_time_saved.mean / 40.0, 0.8);
    assert!(
        (s.annual_delay_cost_saved.mean - 416_000.0).abs() < 1e-6,
        "{}",
        s.annual_delay_cost_saved.mean
    );
    assert_eq!(s.headline, "85 % of items within 62.5 h, down from 94.5 h");
    // the two histograms share their bins, for an overlaid chart
    let (b, a) = (
        &s.baseline.lead_time_histogram,
        &s.scenario.lead_time_histogram,
    );
    assert_eq!(b.len(), a.len());
    for (x, y) in b.iter().zip(a) {
        assert_eq!((x.from, x.to), (y.from, y.to));
    }
    assert_eq!(b.first().unwrap().from, 62.5);
    assert_eq!(b.last().unwrap().to, 94.5);
    assert_eq!(b.last().unwrap().count, 400);
    assert_eq!(a.first().unwrap().count, 400);
    // with equal random numbers in both and nothing random, the saving has no spread
    assert_eq!(s.annual_delay_cost_saved_std_error, Some(0.0));
}

// When Approve draws its wait from a distribution, the scenario's 40 -> 8 h scales the
// distribution by 0.2. Everything else fixed (fixed arrivals, no rework), item k gets the
// same k-th draw W_k in both runs (common random numbers: one random stream per stage and
// kind of draw), so its lead time is 54.5 + W_k in the baseline and 54.5 + 0.2 W_k in the
// scenario: the saving is exactly 0.8 x (baseline lead time - 54.5), item by item, hence at
// the mean and at every percentile.
#[test]
fn a_scenario_scales_a_stage_distribution_it_changes() {
    let mut model = with_e2(e1());
    let s = stream_mut(&mut model, "s");
    s.arrivals = Some(Arrivals::Fixed);
    for st in &mut s.stages {
        st.pca = 1.0;
    }
    stage_mut(&mut model, "s", "approve").uncertainty = Some(Uncertainty {
        wait: Some(Distribution::Uniform {
            min: 20.0,
            max: 60.0,
        }),
        ..Uncertainty::default()
    });
    let c = compare(&model, "auto", &opts(5_000, 10), &Control::new()).unwrap();
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("\"approve\"") && n.contains("scaled by 0.2")),
        "{:?}",
        c.notes
    );
    let s = &c.streams[0];
    let b = &s.baseline.lead_time;
    let saved = &s.lead_time_saved;
    for (what, got, base) in [
        ("mean", saved.mean, b.mean),
        ("p50", saved.p50, b.p50),
        ("p85", saved.p85, b.p85),
        ("p95", saved.p95, b.p95),
    ] {
        let want = 0.8 * (base - 54.5);
        assert!((got - want).abs() < 1e-9, "{what}: saved {got} vs {want}");
    }
    // and the mean saving is 0.8 x the uniform's mean of 40 h, up to sampling noise
    within(
        "mean saved",
        Estimate {
            value: saved.mean,
            std_error: b.std_error.map(|e| 0.8 * e),
        },
        32.0,
        0.0,
        0.01,
    );
    assert!(s.headline.contains("down from"), "{}", s.headline);
}

#[test]
fn a_scenario_that_overloads_a_stage_is_named_as_the_scenario() {
    let mut model = e1();
    stage_mut(&mut model, "s", "approve").capacity = Some(1.0);
    model.scenarios.push(Scenario {
        id: "slow".into(),
        name: "Slower approval".into(),
        description: None,
        changes: vec![Change::SetStage {
            stream: "s".into(),
            stage: "approve".into(),
            process_time: Some(2.5),
            wait_time: None,
            pca: None,
            capacity: None,
        }],
    });
    let e = compare(&model, "slow", &opts(100, 2), &Control::new()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("in scenario \"slow\"") && text.contains("stage \"approve\""),
        "{text}"
    );
}
