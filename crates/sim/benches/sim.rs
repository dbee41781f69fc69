//! 100,000 items through a 20-stage stream with random times, capacities 1-3, rework
//! (every stage, two loops back three stages) and WIP limits: the workload of issue 5, the
//! same model `simpy_compare.py` runs. Targets: under 1 s (issue 5), and 100 times faster
//! than SimPy on one thread (issue 19: `compare.py` measures that ratio); the default
//! 10 runs on every core. Figures and how to reproduce them: docs/performance/simulation.md.
//!
//!     cargo bench -p tributary-sim --bench sim

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use tributary_sim::{Control, Options, simulate};

fn workload() -> tributary_core::Model {
    let text = include_str!("workload.json");
    match tributary_core::exchange::from_json(text) {
        Ok(m) => m,
        Err(e) => panic!("benches/workload.json: {e}"),
    }
}

/// The workload with a batch every 8 h running 0.5 h at four stages without a WIP limit:
/// the event loop with batch departures. (Not at a WIP-limited stage: its items wait for the
/// batch inside the limit, and 40 arrivals in 8 h do not fit in 28 places.)
fn with_batches(mut m: tributary_core::Model) -> tributary_core::Model {
    use tributary_core::{Integration, IntegrationAt, IntegrationStyle, Pbc};
    m.pbcs = vec![Pbc::new("a", "A"), Pbc::new("b", "B")];
    for k in [2, 6, 10, 13] {
        m.integrations.push(Integration {
            interval: Some(8.0),
            at: Some(IntegrationAt {
                stream: m.streams[0].id.clone(),
                stage: format!("stage-{k}"),
                after: None,
            }),
            ..Integration::new(format!("batch-{k}"), "a", "b", IntegrationStyle::Batch, 0.5)
        });
    }
    m
}

fn bench(c: &mut Criterion) {
    let model = workload();
    let batches = with_batches(model.clone());
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10).measurement_time(Duration::from_secs(20));

    // one run, one thread: the serial speed of the event loop
    let one_run = Options {
        items: 100_000,
        runs: 1,
        warmup: Some(0),
        seed: 1,
        threads: Some(1),
        ..Options::default()
    };
    g.bench_function("100k items, 20 stages, 1 run", |b| {
        b.iter(|| {
            let sim = simulate(black_box(&model), &one_run, &Control::new());
            black_box(sim.map(|s| s.streams[0].lead_time.p85))
        })
    });

    g.bench_function("100k items, 20 stages with 4 batches, 1 run", |b| {
        b.iter(|| {
            let sim = simulate(black_box(&batches), &one_run, &Control::new());
            black_box(sim.map(|s| s.streams[0].lead_time.p85))
        })
    });

    // the same 100,000 items as 4 runs of 25,000 over both cores
    let four_runs = Options {
        items: 25_000,
        runs: 4,
        threads: None,
        ..one_run.clone()
    };
    g.bench_function("4 x 25k items, 20 stages, parallel", |b| {
        b.iter(|| {
            let sim = simulate(black_box(&model), &four_runs, &Control::new());
            black_box(sim.map(|s| s.streams[0].lead_time.p85))
        })
    });

    // the app's and the CLI's default: 10 runs of 10,000 items with the automatic warm-up,
    // on every core
    let default = Options::default();
    g.bench_function("10 x 10k items (the default), 20 stages, parallel", |b| {
        b.iter(|| {
            let sim = simulate(black_box(&model), &default, &Control::new());
            black_box(sim.map(|s| s.streams[0].lead_time.p85))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
