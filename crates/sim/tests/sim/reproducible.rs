//! Seeds, threads, progress and cancellation.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tributary_core::*;
use tributary_sim::{Control, Error, Options, simulate};

use crate::*;

/// E1 with random times, capacities and Poisson arrivals: every source of randomness on.
pub fn random_model() -> Model {
    let mut model = e1();
    stream_mut(&mut model, "s").arrivals = Some(Arrivals::Poisson);
    for (id, cap) in [
        ("intake", 1.0),
        ("assess", 2.0),
        ("approve", 1.5),
        ("fulfil", 2.0),
    ] {
        let st = stage_mut(&mut model, "s", id);
        st.capacity = Some(cap);
        let (pt, wt) = (st.process_time, st.wait_time);
        st.uncertainty = Some(Uncertainty {
            process: Some(Distribution::Uniform {
                min: pt / 2.0,
                max: pt * 1.5,
            }),
            wait: Some(Distribution::Empirical {
                values: vec![wt / 2.0, wt, wt * 1.5],
            }),
            wip_limit: Some(6),
            rework_to: (id == "approve").then(|| "assess".to_owned()),
        });
    }
    model
}

pub fn opts(seed: u64, threads: Option<u32>) -> Options {
    Options {
        items: 2_000,
        runs: 6,
        seed,
        threads,
        ..Options::default()
    }
}

#[test]
fn the_same_seed_gives_the_same_result_on_any_number_of_threads() {
    let model = random_model();
    let one = simulate(&model, &opts(9, Some(1)), &Control::new()).unwrap();
    let two = simulate(&model, &opts(9, Some(2)), &Control::new()).unwrap();
    let three = simulate(&model, &opts(9, Some(3)), &Control::new()).unwrap();
    let default = simulate(&model, &opts(9, None), &Control::new()).unwrap();
    assert_eq!(one, two);
    assert_eq!(one, three);
    assert_eq!(one, default);
    // and it is a real simulation: items differ
    let lt = &one.streams[0].lead_time;
    assert!(
        lt.min < lt.p50 && lt.p50 < lt.p95 && lt.p95 < lt.max,
        "{lt:?}"
    );
}

#[test]
fn another_seed_gives_other_draws() {
    let model = random_model();
    let a = simulate(&model, &opts(1, None), &Control::new()).unwrap();
    let b = simulate(&model, &opts(2, None), &Control::new()).unwrap();
    assert_ne!(a.streams[0].lead_time, b.streams[0].lead_time);
    // but the same system: the means agree within their standard errors
    let (x, y) = (&a.streams[0].lead_time, &b.streams[0].lead_time);
    let se = (x.std_error.unwrap().powi(2) + y.std_error.unwrap().powi(2)).sqrt();
    assert!(
        (x.mean - y.mean).abs() <= Z * se,
        "{} vs {}",
        x.mean,
        y.mean
    );
}

#[test]
fn one_stream_alone_is_simulated_as_in_the_whole_model() {
    let mut model = random_model();
    let mut other = model.streams[0].clone();
    other.id = "t".into();
    other.demand_per_week = 10.0;
    model.streams.insert(0, other);
    let all = simulate(&model, &opts(4, None), &Control::new()).unwrap();
    let only = simulate(
        &model,
        &Options {
            stream: Some("s".into()),
            ..opts(4, None)
        },
        &Control::new(),
    )
    .unwrap();
    assert_eq!(all.streams.len(), 2);
    assert_eq!(only.streams.len(), 1);
    assert_eq!(all.streams[1], only.streams[0]);
    // the two streams draw from different random streams
    assert_ne!(all.streams[0].lead_time, all.streams[1].lead_time);
}

#[test]
fn progress_counts_every_item_and_calls_back() {
    let model = random_model();
    let seen = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let (s, c) = (seen.clone(), calls.clone());
    let control = Control::with_callback(move |p| {
        s.fetch_max(p.done, Ordering::Relaxed);
        c.fetch_add(1, Ordering::Relaxed);
        assert!(p.done <= p.total);
    });
    let sim = simulate(&model, &opts(3, None), &control).unwrap();
    let p = control.progress();
    // every item of every run counts, warm-up included
    assert_eq!(p.total, u64::from(2_000 + sim.streams[0].warmup_items) * 6);
    assert_eq!(p.done, p.total);
    assert_eq!(p.share(), 1.0);
    assert_eq!(seen.load(Ordering::Relaxed), p.total);
    let calls = calls.load(Ordering::Relaxed);
    assert!((2..=1002).contains(&calls), "{calls} callbacks");
}

#[test]
fn a_cancelled_run_stops_early() {
    let model = random_model();
    // cancelled before it starts
    let control = Control::new();
    control.cancel();
    assert_eq!(
        simulate(&model, &opts(3, None), &control),
        Err(Error::Cancelled)
    );
    // cancelled from another thread once a tenth is done, as the app's Cancel button would
    let control = Arc::new(Control::new());
    let watcher = {
        let c = control.clone();
        std::thread::spawn(move || {
            loop {
                let p = c.progress();
                if p.total > 0 && p.done * 10 >= p.total {
                    break;
                }
                std::thread::yield_now();
            }
            c.cancel();
        })
    };
    let big = Options {
        items: 200_000,
        runs: 4,
        ..opts(3, None)
    };
    let r = simulate(&model, &big, &control);
    watcher.join().unwrap();
    assert_eq!(r, Err(Error::Cancelled));
    let p = control.progress();
    assert!(p.done * 10 >= p.total && p.done < p.total, "{p:?}");
}
