//! Diff and merge on the large model of issue 2 (200 streams, 2,000 stages, 5,000 PBCs,
//! 20,000 assignments). Target: under 100 ms each. Two copies are edited as two architects
//! would: one changes 100 wait times and adds a PBC on 20 stages, the other changes 200
//! assignments' times, renames 50 stages and takes a PBC off every stage it served; both touch
//! one stage's wait, which is a conflict.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tributary_core::testkit::large_model;
use tributary_core::{Assignment, Lifecycle, Model, Pbc, PbcKind};
use tributary_diff::{deltas, diff, merge};

fn ours(base: &Model) -> Model {
    let mut m = base.clone();
    for (i, s) in m.streams.iter_mut().enumerate().take(100) {
        s.stages[i % 10].wait_time += 1.0;
    }
    m.pbcs.push(Pbc {
        id: "new-capability".into(),
        name: "New capability".into(),
        domain: None,
        team: None,
        kind: PbcKind::Saas,
        lifecycle: Lifecycle::Invest,
        annual_run_cost: 50_000.0,
        systems: vec![],
    });
    for s in 0..20 {
        m.assignments.push(Assignment {
            pbc: "new-capability".into(),
            stream: format!("stream-{s}"),
            stage: "stage-3".into(),
            process_time: 0.1,
            wait_time: 0.0,
            note: None,
        });
    }
    m
}

fn theirs(base: &Model) -> Model {
    let mut m = base.clone();
    for a in m.assignments.iter_mut().step_by(100) {
        a.wait_time += 0.5;
    }
    for s in m.streams.iter_mut().skip(150) {
        s.stages[1].name.push_str(" (renamed)");
    }
    m.assignments.retain(|a| a.pbc != "pbc-7");
    m.streams[0].stages[0].wait_time += 2.0;
    m
}

fn bench(c: &mut Criterion) {
    let base = large_model(200, 10, 5_000, 20_000);
    let (o, t) = (ours(&base), theirs(&base));
    let m = merge(&base, &o, &t);
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let mut g = c
        .benchmark_group("large model (200 streams, 2,000 stages, 5,000 PBCs, 20,000 assignments)");
    g.bench_function("diff, with the numbers before and after", |b| {
        b.iter(|| diff(black_box(&base), black_box(&o)))
    });
    g.bench_function("three-way merge (one conflict)", |b| {
        b.iter(|| merge(black_box(&base), black_box(&o), black_box(&t)))
    });
    g.bench_function("deltas from one copy to the other", |b| {
        b.iter(|| deltas(black_box(&o), black_box(&t)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
