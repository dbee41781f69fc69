//! Time to produce the board report (PDF bytes) for the example models and for a 300-stage
//! stream, and the other exports of the largest example. Figures and how to run them:
//! docs/performance/reports.md.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_core::Model;
use tributary_core::exchange::from_json;
use tributary_report::{MapOptions, ReportDate, ReportOptions, Table};

/// The mortgage example with its generated telemetry (imported before timing starts).
#[path = "../tests/report/telemetry_data.rs"]
mod telemetry_data;

fn example(name: &str) -> Model {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// typst memoises compilation (comemo); a fresh report for a new model starts cold, so each
/// iteration empties that cache first.
fn cold() {
    typst::comemo::evict(0);
}

fn options(model: &Model) -> ReportOptions {
    ReportOptions {
        stream: model.streams[0].id.clone(),
        scenario: model.scenarios.first().map(|s| s.id.clone()),
        date: ReportDate::new(2026, 5, 4).unwrap_or_else(|e| panic!("{e}")),
        author: None,
        measured: None,
    }
}

fn pdf(c: &mut Criterion) {
    let mut g = c.benchmark_group("report_pdf");
    g.sample_size(10);
    for name in ["mortgage", "distributor", "returns", "telecom"] {
        let model = example(&format!("{name}.json"));
        let opts = options(&model);
        g.bench_function(name, |b| {
            b.iter(|| {
                cold();
                black_box(tributary_report::report_pdf(&model, &opts).unwrap_or_default())
            })
        });
    }
    // the mortgage report with the measured-flow page from its telemetry (one page more)
    let (model, flow) = telemetry_data::mortgage_measured();
    let opts = ReportOptions {
        measured: Some(telemetry_data::measured_of(flow)),
        ..options(model)
    };
    g.bench_function("mortgage_measured", |b| {
        b.iter(|| {
            cold();
            black_box(tributary_report::report_pdf(model, &opts).unwrap_or_default())
        })
    });
    let large = tributary_core::testkit::large_model(1, 300, 40, 600);
    let opts = options(&large);
    g.bench_function("stream_300_stages", |b| {
        b.iter(|| {
            cold();
            black_box(tributary_report::report_pdf(&large, &opts).unwrap_or_default())
        })
    });
    g.finish();
}

fn exports(c: &mut Criterion) {
    let mut g = c.benchmark_group("export");
    g.sample_size(10);
    let large = tributary_core::testkit::large_model(1, 300, 40, 600);
    let map = MapOptions::default();
    g.bench_function("svg_300_stages", |b| {
        b.iter(|| black_box(tributary_report::map_svg(&large, &map).unwrap_or_default()))
    });
    g.bench_function("png_300_stages", |b| {
        b.iter(|| black_box(tributary_report::map_png(&large, &map, 1.0).unwrap_or_default()))
    });
    g.bench_function("xlsx_300_stages", |b| {
        b.iter(|| black_box(tributary_report::workbook(&large, None).unwrap_or_default()))
    });
    g.bench_function("csv_300_stages", |b| {
        b.iter(|| {
            black_box(tributary_report::csv_table(&large, Table::Stages, None).unwrap_or_default())
        })
    });
    let model = example("mortgage.json");
    let opts = options(&model);
    g.bench_function("preview_png_mortgage", |b| {
        b.iter(|| {
            cold();
            black_box(tributary_report::preview_png(&model, &opts, 1.0).unwrap_or_default())
        })
    });
    g.finish();
}

criterion_group!(benches, pdf, exports);
criterion_main!(benches);
