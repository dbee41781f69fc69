//! What the app waits for after an edit: the edit saved, the view (model and metrics)
//! recomputed, and the reply the desktop shell sends.

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_api::{ModelView, Outbox, Reply, Session, Workspace};
use tributary_core::edit::Command;
use tributary_core::testkit::large_model;

/// One edit as a user makes it in the inspector: a stage's wait time set to a new value.
struct Edits {
    stream: String,
    stage: tributary_core::Stage,
    n: u64,
}

impl Edits {
    fn new(s: &Session, stream: usize, stage: usize) -> Edits {
        Edits {
            stream: s.model().streams[stream].id.clone(),
            stage: s.model().streams[stream].stages[stage].clone(),
            n: 0,
        }
    }

    fn next(&mut self, s: &mut Session) -> ModelView {
        self.n += 1;
        self.stage.wait_time = 1.0 + (self.n % 5) as f64;
        s.execute(&Command::UpdateStage {
            stream: self.stream.clone(),
            stage: self.stage.clone(),
        })
        .expect("edit")
    }
}

fn workspace(view: ModelView) -> Workspace {
    Workspace {
        snapshot: Session::snapshot_of(view, None).expect("snapshot"),
        untitled: false,
        edited: true,
        read_only: false,
        recent: Vec::new(),
        notice: None,
    }
}

fn api(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.tributary");
    let model = large_model(200, 10, 5_000, 20_000);
    let mut s = Session::create(&path, &model).expect("create");
    let mut edits = Edits::new(&s, 7, 3);
    let mut g = c.benchmark_group("large model session");
    g.sample_size(20);
    g.bench_function("edit, save and return the view", |b| {
        b.iter(|| edits.next(&mut s))
    });
    g.finish();

    // Issue 3's large canvas: one stream of 300 stages with 1,000 assignments. What the desktop
    // shell does for an edit: save it, compute the view once, wrap it as the workspace, and
    // send either all of it or (since 2026-12-01) only what changed since the last reply.
    let path = dir.path().join("canvas.tributary");
    let model = large_model(1, 300, 200, 1_000);
    let mut s = Session::create(&path, &model).expect("create");
    let mut edits = Edits::new(&s, 0, 1);
    let mut out = Outbox::new();
    out.full(&workspace(s.view().expect("view")))
        .expect("first reply");
    let whole = serde_json::to_vec(&workspace(s.view().expect("view")))
        .expect("json")
        .len();
    let patch = serde_json::to_vec(&out.update(&workspace(edits.next(&mut s))).expect("reply"))
        .expect("json")
        .len();
    eprintln!("300-stage canvas: the whole workspace is {whole} bytes, an edit's patch {patch}");

    let mut g = c.benchmark_group("one canvas of 300 stages");
    g.sample_size(50);
    g.bench_function(
        "edit, save, snapshot and serialise the whole workspace",
        |b| {
            b.iter(|| {
                serde_json::to_vec(&workspace(edits.next(&mut s)))
                    .expect("json")
                    .len()
            })
        },
    );
    g.bench_function("edit, save, snapshot and serialise a patch", |b| {
        b.iter(|| {
            let reply = out.update(&workspace(edits.next(&mut s))).expect("reply");
            assert!(matches!(reply, Reply::Patch { .. }));
            serde_json::to_vec(&reply).expect("json").len()
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
