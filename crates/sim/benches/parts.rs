//! The simulator's parts, one at a time: the event queue (against the binary heap it
//! replaced), the random draws, and the queue and draws together as one stage visit needs
//! them. Where the time of a run goes, and what its floor is: docs/performance/simulation.md.
//!
//!     cargo bench -p tributary-sim --bench parts

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use tributary_core::Distribution;
use tributary_sim::bench::{Batch, EventQueue, Sampler, Stream};

/// Events pending in the benchmark's run (its WIP, about 320 items, one event each).
const PENDING: usize = 320;
/// Operations per iteration.
const OPS: usize = 100_000;

/// Delays as the workload schedules them: waits of 1-4 h and process times of 0.1-0.5 h.
fn delays() -> Vec<f64> {
    let mut s = Stream::new(1, 0, 0, 0);
    (0..OPS + PENDING)
        .map(|i| {
            let mean = if i % 2 == 0 { 2.5 } else { 0.3 };
            s.exponential(1.0 / mean)
        })
        .collect()
}

/// A queue holding the first `PENDING` delays as events.
fn pending(d: &[f64]) -> EventQueue {
    let mut q = EventQueue::new();
    for (i, &t) in d[..PENDING].iter().enumerate() {
        q.push(t, i as u32);
    }
    q
}

/// The "hold" model: pop the earliest event, schedule one later; `PENDING` stay pending.
fn queue(c: &mut Criterion) {
    let d = delays();
    let mut g = c.benchmark_group("event queue");
    g.throughput(Throughput::Elements(OPS as u64));
    g.bench_function("timing wheel, hold (pop + push)", |b| {
        b.iter_batched_ref(
            || pending(&d),
            |q| {
                for &dt in &d[PENDING..] {
                    let (t, e) = q.pop().unwrap_or((0.0, 0));
                    q.push(t + dt, e);
                }
            },
            BatchSize::LargeInput,
        )
    });
    // what the engine had before: (time, sequence number) in a binary heap
    g.bench_function("binary heap, hold (pop + push)", |b| {
        b.iter_batched_ref(
            || {
                let mut h = BinaryHeap::with_capacity(1024);
                for (i, &t) in d[..PENDING].iter().enumerate() {
                    h.push(Reverse((t.to_bits(), i as u64, i as u32)));
                }
                (h, PENDING as u64)
            },
            |(h, seq)| {
                for &dt in &d[PENDING..] {
                    let Reverse((t, _, e)) = h.pop().unwrap_or(Reverse((0, 0, 0)));
                    *seq += 1;
                    h.push(Reverse(((f64::from_bits(t) + dt).to_bits(), *seq, e)));
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn draws(c: &mut Criterion) {
    let mut g = c.benchmark_group("draws");
    g.throughput(Throughput::Elements(OPS as u64));
    let mut s = Stream::new(1, 0, 0, 0);
    g.bench_function("uniform", |b| {
        b.iter(|| (0..OPS).map(|_| s.uniform()).sum::<f64>())
    });
    g.bench_function("exponential (inversion)", |b| {
        b.iter(|| (0..OPS).map(|_| s.exponential(5.0)).sum::<f64>())
    });
    g.bench_function("standard normal (ziggurat)", |b| {
        b.iter(|| (0..OPS).map(|_| s.standard_normal()).sum::<f64>())
    });
    let xs: Vec<f64> = (0..OPS).map(|_| -1.0 + 0.5 * s.standard_normal()).collect();
    g.bench_function("exp (libm), of a log-normal's exponent", |b| {
        b.iter(|| xs.iter().map(|&x| libm::exp(x)).sum::<f64>())
    });
    for (name, d) in [
        (
            "log-normal sampler",
            Distribution::Lognormal {
                median: 0.36,
                p90: 0.72,
            },
        ),
        (
            "triangular sampler",
            Distribution::Triangular {
                min: 0.0,
                mode: 2.0,
                max: 4.0,
            },
        ),
    ] {
        let sampler = Sampler::new(&d).unwrap_or_else(|e| panic!("{name}: {e}"));
        g.bench_function(format!("{name}, one at a time"), |b| {
            b.iter(|| (0..OPS).map(|_| sampler.sample(&mut s)).sum::<f64>())
        });
        // as a run draws: 16 at a time from the stream
        let mut batch = Batch::new(Stream::new(1, 0, 0, 1));
        g.bench_function(format!("{name}, in batches"), |b| {
            b.iter(|| (0..OPS).map(|_| batch.draw(&sampler)).sum::<f64>())
        });
    }
    g.finish();
}

/// What one stage visit asks of the queue and the draws: two events (wait done, service
/// done), a wait, a process time and a %C&A draw; the engine's own logic comes on top.
fn visit(c: &mut Criterion) {
    let d = delays();
    let wait = Sampler::new(&Distribution::Triangular {
        min: 0.0,
        mode: 2.0,
        max: 4.0,
    });
    let process = Sampler::new(&Distribution::Lognormal {
        median: 0.36,
        p90: 0.72,
    });
    let (Ok(wait), Ok(process)) = (wait, process) else {
        panic!("samplers");
    };
    let mut g = c.benchmark_group("stage visit");
    g.throughput(Throughput::Elements((OPS / 2) as u64));
    g.bench_function("queue and draws of a visit", |b| {
        let mut s = Stream::new(2, 0, 0, 0);
        let (mut waits, mut works) = (
            Batch::new(Stream::new(2, 0, 0, 1)),
            Batch::new(Stream::new(2, 0, 0, 2)),
        );
        b.iter_batched_ref(
            || pending(&d),
            |q| {
                for i in 0..OPS {
                    let (t, e) = q.pop().unwrap_or((0.0, 0));
                    let dt = if i % 2 == 0 {
                        waits.draw(&wait)
                    } else {
                        black_box(s.uniform() < 0.97);
                        works.draw(&process)
                    };
                    q.push(t + dt, e);
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = queue, draws, visit
}
criterion_main!(benches);
