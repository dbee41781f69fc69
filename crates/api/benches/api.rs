//! What the app waits for after an edit on the large model: the edit saved and the whole view
//! (model and metrics) recomputed.

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_api::Session;
use tributary_core::edit::Command;
use tributary_core::testkit::large_model;

fn api(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.tributary");
    let model = large_model(200, 10, 5_000, 20_000);
    let mut s = Session::create(&path, &model).expect("create");
    let mut stage = s.model().streams[7].stages[3].clone();
    let mut n = 0u64;
    let mut g = c.benchmark_group("large model session");
    g.sample_size(20);
    g.bench_function("edit, save and return the view", |b| {
        b.iter(|| {
            n += 1;
            stage.process_time = 1.0 + (n % 5) as f64;
            s.execute(&Command::UpdateStage {
                stream: "stream-7".into(),
                stage: stage.clone(),
            })
            .expect("edit")
        })
    });
    g.finish();

    // Issue 3's large canvas: one stream of 300 stages with 1,000 assignments. What the desktop
    // shell does for an edit: save it, compute the view once, wrap it as the snapshot and
    // serialise it for the WebView.
    let path = dir.path().join("canvas.tributary");
    let model = large_model(1, 300, 200, 1_000);
    let mut s = Session::create(&path, &model).expect("create");
    let stream = s.model().streams[0].id.clone();
    let mut stage = s.model().streams[0].stages[1].clone();
    let mut g = c.benchmark_group("one canvas of 300 stages");
    g.sample_size(50);
    g.bench_function("edit, save, snapshot and serialise", |b| {
        b.iter(|| {
            n += 1;
            stage.wait_time = 1.0 + (n % 5) as f64;
            let view = s
                .execute(&Command::UpdateStage {
                    stream: stream.clone(),
                    stage: stage.clone(),
                })
                .expect("edit");
            let snap = Session::snapshot_of(view, None).expect("snapshot");
            serde_json::to_vec(&snap).expect("json").len()
        })
    });
    g.bench_function("snapshot and serialise, no edit", |b| {
        b.iter(|| {
            serde_json::to_vec(&s.snapshot(None).expect("snapshot"))
                .expect("json")
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, api);
criterion_main!(benches);
