//! The model file on the large model of issue 2: 200 streams, 2,000 stages, 5,000 PBCs,
//! 20,000 assignments. Targets: open under 100 ms, one edit saved under 5 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_core::edit::Command;
use tributary_core::testkit::large_model;
use tributary_store::Document;

fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.tributary");
    let model = large_model(200, 10, 5_000, 20_000);
    Document::create(&path, &model)
        .expect("create")
        .close()
        .expect("close");

    let mut g = c.benchmark_group("large model file");
    g.bench_function("open (check, load, validate)", |b| {
        b.iter(|| Document::open(&path).expect("open"))
    });

    let mut doc = Document::open(&path).expect("open");
    let mut stage = doc.model().streams[100].stages[5].clone();
    let mut n = 0u64;
    g.bench_function("save one edit (a stage's wait time)", |b| {
        b.iter(|| {
            n += 1;
            stage.wait_time = (n % 40) as f64;
            doc.execute(&Command::UpdateStage {
                stream: "stream-100".into(),
                stage: stage.clone(),
            })
            .expect("edit")
        })
    });
    let a = doc.model().assignments[10_000].clone();
    g.bench_function("save one edit (an assignment's time)", |b| {
        let mut a = a.clone();
        b.iter(|| {
            n += 1;
            a.wait_time = (n % 8) as f64;
            doc.execute(&Command::UpdateAssignment {
                assignment: a.clone(),
            })
            .expect("edit")
        })
    });
    g.bench_function("undo and redo one edit", |b| {
        b.iter(|| {
            doc.undo().expect("undo");
            doc.redo().expect("redo");
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = store
}
criterion_main!(benches);
