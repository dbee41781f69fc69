//! Aggregation speed: a million spans of generated OTLP JSON lines (100,000 traces of ten
//! spans over five services, written lazily so the text never sits in memory), from bytes
//! to summary. The floor is 3 s; docs/traces.md has the figures.

#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_traces::testkit::OtlpLines;
use tributary_traces::{ImportOptions, TraceFormat, import};

fn million_spans(c: &mut Criterion) {
    let mut g = c.benchmark_group("traces");
    g.sample_size(10);
    g.bench_function("import 1,000,000 spans (otlp-json lines)", |b| {
        b.iter(|| {
            let s = import(
                TraceFormat::OtlpJson,
                OtlpLines::new(100_000, 1),
                ImportOptions::default(),
            )
            .unwrap();
            assert_eq!(s.counts.used, 1_000_000);
            s
        })
    });
    g.finish();
}

criterion_group!(benches, million_spans);
criterion_main!(benches);
