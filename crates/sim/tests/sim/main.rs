//! One integration-test binary for the simulator (keeps link time down).
//!
//! Statistical checks compare a simulated mean with a formula within
//!   Z x standard error + bias allowance,   Z = 4,
//! where the standard error comes from the spread of independent runs (each run has its own
//! random-number stream) and the bias allowance is computed, not guessed: the difference the
//! formula itself predicts between the simulated distribution and the ideal one (e.g. an
//! exponential approximated by 20,000 quantiles). A correct simulator misses a 4-sigma bound
//! with probability about 6e-5; seeds are fixed, so a run is repeatable. Each check also
//! asserts that the standard error is small against the value, so that the bound is sharp.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod bad_input;
mod deterministic;
mod integrations;
mod pinned;
mod properties;
mod queueing;
mod reproducible;
mod scenario;

use tributary_core::exchange::from_json;
use tributary_core::*;
use tributary_sim::Estimate;

/// Standard errors a statistical check allows.
pub const Z: f64 = 4.0;

/// Asserts |estimate - expected| <= Z se + bias, and se <= `sharp` x |expected|.
pub fn within(what: &str, got: Estimate, expected: f64, bias: f64, sharp: f64) {
    let se = got
        .std_error
        .unwrap_or_else(|| panic!("{what}: no standard error (one run?)"));
    let tol = Z * se + bias;
    assert!(
        (got.value - expected).abs() <= tol,
        "{what}: simulated {} vs expected {expected}: off by {}, more than {Z} x SE {se} + bias {bias}",
        got.value,
        (got.value - expected).abs()
    );
    assert!(
        se <= sharp * expected.abs(),
        "{what}: SE {se} is too large against {expected} for a sharp test"
    );
}

/// REFERENCE.md E1: a line stream of four stages, demand 20 a week, 8 h x 5 d.
pub fn e1() -> Model {
    from_json(
        r#"{"format":"tributary/1","name":"E1 line stream","currency":"EUR","time_unit":"hours",
        "calendar":{"hours_per_day":8,"days_per_week":5},
        "streams":[{"id":"s","name":"E1","demand_per_week":20,"cost_of_delay_per_week":500,
        "stages":[{"id":"intake","name":"Intake","process_time":0.5,"wait_time":8,"pca":0.90},
                  {"id":"assess","name":"Assess","process_time":2,"wait_time":24,"pca":0.80},
                  {"id":"approve","name":"Approve","process_time":1,"wait_time":40,"pca":0.95},
                  {"id":"fulfil","name":"Fulfil","process_time":3,"wait_time":16,"pca":0.98}]}]}"#,
    )
    .unwrap()
}

/// REFERENCE.md E4: Start (1, 2) forks into B1 (2, 10) and B2 (4, 4), which join at End
/// (1, 1). Demand 40 a week (one item an hour).
pub fn e4() -> Model {
    from_json(
        r#"{"format":"tributary/1","name":"E4 branches","time_unit":"hours",
        "streams":[{"id":"s","name":"E4","demand_per_week":40,"cost_of_delay_per_week":100,
        "stages":[{"id":"start","name":"Start","process_time":1,"wait_time":2},
                  {"id":"b1","name":"B1","process_time":2,"wait_time":10},
                  {"id":"b2","name":"B2","process_time":4,"wait_time":4},
                  {"id":"end","name":"End","process_time":1,"wait_time":1}],
        "edges":[{"from":"start","to":"b1"},{"from":"start","to":"b2"},
                 {"from":"b1","to":"end"},{"from":"b2","to":"end"}]}]}"#,
    )
    .unwrap()
}

pub fn stream_mut<'a>(m: &'a mut Model, id: &str) -> &'a mut Stream {
    m.streams.iter_mut().find(|s| s.id == id).unwrap()
}

pub fn stage_mut<'a>(m: &'a mut Model, stream: &str, stage: &str) -> &'a mut Stage {
    stream_mut(m, stream)
        .stages
        .iter_mut()
        .find(|s| s.id == stage)
        .unwrap()
}

/// An exponential distribution with rate `mu`, as the model can hold it: `n` observed values
/// at the quantiles (i + 0.5) / n.
pub fn exponential(mu: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| -(1.0 - (i as f64 + 0.5) / n as f64).ln() / mu)
        .collect()
}

/// The first two moments of a list of values.
pub fn moments(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    (
        values.iter().sum::<f64>() / n,
        values.iter().map(|v| v * v).sum::<f64>() / n,
    )
}

/// A model with one stream of one stage: Poisson arrivals at `lambda` per hour, `servers`
/// servers, service times drawn from `values`, no wait, no rework.
pub fn single_queue(lambda: f64, servers: Option<f64>, values: Vec<f64>) -> Model {
    let mut m = Model::new("queue");
    m.streams.push(Stream {
        id: "q".into(),
        name: "Queue".into(),
        trigger: None,
        value: None,
        demand_per_week: lambda * m.calendar.hours_per_week(),
        cost_of_delay_per_week: 0.0,
        urgency: Urgency::Standard,
        stages: vec![Stage {
            id: "serve".into(),
            name: "Serve".into(),
            process_time: values.iter().sum::<f64>() / values.len() as f64,
            wait_time: 0.0,
            pca: 1.0,
            capacity: servers,
            team: None,
            position: None,
            uncertainty: Some(Uncertainty {
                process: Some(Distribution::Empirical { values }),
                ..Uncertainty::default()
            }),
            note: None,
        }],
        edges: vec![],
        arrivals: Some(Arrivals::Poisson),
    });
    m
}
