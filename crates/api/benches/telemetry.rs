//! The telemetry budgets (issue 7), through the api as the CLI and the app import: import 1,000,000 events of 100,000 items in under 10 s,
//! flow metrics over 100,000 items in under 100 ms, a 10,000-trial forecast in under 50 ms.
//! Data comes from the seeded generator. Figures: docs/performance/telemetry.md.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tributary_api::Session;
use tributary_core::{Model, Stage, Stream};
use tributary_telemetry::flow::{self, DayRange, FlowOptions};
use tributary_telemetry::forecast::{self, Question};
use tributary_telemetry::history::from_rows;
use tributary_telemetry::testkit::{self, GenOptions};
use tributary_telemetry::{Control, Format, ImportOptions, Mapping, MappingToml};

const ITEMS: usize = 100_000;

fn model() -> Model {
    let stage = |id: &str| Stage {
        id: id.into(),
        name: id.into(),
        process_time: 4.0,
        wait_time: 8.0,
        pca: 1.0,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
        note: None,
    };
    let mut m = Model::new("bench");
    m.streams.push(Stream {
        id: "s".into(),
        name: "S".into(),
        trigger: None,
        value: None,
        demand_per_week: 10.0,
        cost_of_delay_per_week: 0.0,
        urgency: Default::default(),
        stages: vec![
            stage("analyse"),
            stage("build"),
            stage("test"),
            stage("release"),
        ],
        edges: Vec::new(),
        arrivals: None,
    });
    m
}

fn mapping() -> Mapping {
    let stages = [
        ("Selected", "analyse"),
        ("Analysis", "analyse"),
        ("Ready for Dev", "build"),
        ("In Development", "build"),
        ("Code Review", "build"),
        ("In Test", "test"),
        ("Ready to Release", "release"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()));
    Mapping::from_toml(&testkit::mapping_toml(&stages)).expect("the generator's mapping")
}

fn options() -> GenOptions {
    GenOptions {
        seed: 1,
        items: ITEMS,
        arrivals_per_day: 60.0,
        ..GenOptions::default()
    }
}

/// CPU time (user + system) of the process so far, all threads, in ms, from /proc (Linux;
/// USER_HZ 100). Wall-clock figures rise when other builds share the two cores; CPU time much
/// less so, so both are reported. Flow metrics run on both cores: their CPU time is the sum.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

fn report_cpu(what: &str, iters: u32, mut f: impl FnMut()) {
    let Some(start) = cpu_ms() else { return };
    let wall = std::time::Instant::now();
    for _ in 0..iters {
        f();
    }
    let wall = wall.elapsed().as_secs_f64() * 1000.0 / iters as f64;
    if let Some(end) = cpu_ms() {
        eprintln!(
            "{what}: {:.1} ms CPU, {wall:.1} ms wall per run (mean of {iters})",
            (end - start) / iters as f64
        );
    }
}

fn benches(c: &mut Criterion) {
    let rows = testkit::events(&options());
    // Trim to exactly one million events (the last items lose their latest events, as in an
    // export taken while they are in progress).
    let rows = &rows[..rows.len().min(1_000_000)];
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = dir.path().join("events.csv");
    std::fs::write(&csv, testkit::events_csv(rows)).expect("the events file");
    eprintln!(
        "generated {} events of {} items ({} MB)",
        rows.len(),
        ITEMS,
        std::fs::metadata(&csv)
            .map(|m| m.len() / 1_000_000)
            .unwrap_or(0)
    );

    let mut k = 0;
    report_cpu("import 1M events", 3, || {
        k += 1;
        let path = dir.path().join(format!("cpu{k}.tributary"));
        let mut doc = Session::create(&path, &model()).expect("a model file");
        let mut opts = ImportOptions::new("s", Format::EventsCsv, "2025-01-01T00:00:00Z");
        opts.mapping = Some(mapping());
        doc.import_with(&csv, &opts, Control::default())
            .expect("import");
    });

    let mut g = c.benchmark_group("telemetry");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(60));
    let mut n = 0;
    g.bench_function("import 1M events (100k items)", |b| {
        b.iter_batched(
            || {
                n += 1;
                let path = dir.path().join(format!("m{n}.tributary"));
                Session::create(&path, &model()).expect("a model file")
            },
            |mut doc| {
                let mut opts = ImportOptions::new("s", Format::EventsCsv, "2025-01-01T00:00:00Z");
                opts.mapping = Some(mapping());
                let r = doc
                    .import_with(&csv, &opts, Control::default())
                    .expect("the import");
                assert_eq!(r.events_added as usize, rows.len());
                doc
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let history = from_rows("s", rows).expect("a history");
    let m = mapping();
    let md = model();
    let mut g = c.benchmark_group("telemetry");
    g.sample_size(20);
    // The report is handed to the caller; freeing it (100,000 scatterplot points) happens
    // when the caller is done with it and is not timed.
    g.bench_function("flow metrics, 100k items", |b| {
        b.iter_with_large_drop(|| {
            flow::compute(&history, &m, Some(&md), FlowOptions::default()).expect("flow")
        })
    });
    // Reports are kept until the timing is over: freeing them is the caller's business.
    let mut kept = Vec::new();
    report_cpu("flow metrics, 100k items", 20, || {
        kept.push(flow::compute(&history, &m, Some(&md), FlowOptions::default()).expect("flow"));
    });
    drop(kept);
    let span = history.span().expect("a span");
    let window = DayRange {
        from: span.1 - 89,
        to: span.1,
    };
    let samples = flow::daily_throughput(&history, &m, window);
    report_cpu("forecast when 100 items, 10k trials", 50, || {
        std::hint::black_box(
            forecast::forecast(&samples, window, Question::When { items: 100 }, 10_000, 1)
                .expect("forecast"),
        );
    });
    g.bench_function("forecast when 100 items, 10k trials", |b| {
        b.iter(|| {
            forecast::forecast(&samples, window, Question::When { items: 100 }, 10_000, 1)
                .expect("forecast")
        })
    });
    g.bench_function("forecast how many in 30 days, 10k trials", |b| {
        b.iter(|| {
            forecast::forecast(&samples, window, Question::HowMany { days: 30 }, 10_000, 1)
                .expect("forecast")
        })
    });
    g.finish();
}

criterion_group!(telemetry, benches);
criterion_main!(telemetry);
