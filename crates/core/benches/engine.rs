//! The engine on the large model of issue 2: 200 streams, 2,000 stages, 5,000 PBCs, 20,000
//! assignments. Targets: all metrics under 20 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tributary_core::testkit::large_model;
use tributary_core::{matrix, metrics, scenario};

fn engine(c: &mut Criterion) {
    let model = large_model(200, 10, 5_000, 20_000);
    assert_eq!(model.assignments.len(), 20_000);
    let mut g = c
        .benchmark_group("large model (200 streams, 2,000 stages, 5,000 PBCs, 20,000 assignments)");
    g.bench_function("all metrics", |b| {
        b.iter(|| metrics::compute(black_box(&model)).expect("valid model"))
    });
    g.bench_function("compare a scenario", |b| {
        b.iter(|| scenario::compare(black_box(&model), "future").expect("scenario exists"))
    });
    g.bench_function("dependency matrix and PBC impacts", |b| {
        b.iter(|| matrix::dependency_matrix(black_box(&model)).expect("valid model"))
    });
    g.bench_function("validate", |b| {
        b.iter(|| tributary_core::validate::validate(black_box(&model)))
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
