//! Fetch of 10,000 Jira issues from a loopback server (issue 15): is it limited by the server
//! or by Tributary? Three figures over the same 100 pages of 100 issues: a bare HTTP client
//! that only downloads them (what the server allows), the fetch (download, JSON, the export
//! assembled), and fetch + import into a new model file. The issues are the 25 real ones of
//! shared/external's Jira search, copied under new keys. Figures: docs/performance/telemetry.md.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use tributary_api::Session;
use tributary_api::telemetry::{FetchOptions, FetchQuery, ImportControl, ImportOptions, JiraQuery};
use tributary_core::Model;
use tributary_telemetry::fetch::{Auth, fetch};

const ISSUES: usize = 10_000;
const PAGE: usize = 100;

/// The 100 pages of Jira Server's search, as its `startAt` asks.
fn pages() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/external/jira/actionableagile-jira-to-analytics_search-with-changelog.json"
    );
    let text = std::fs::read_to_string(path).expect("the real exports of ../shared/external");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let real = doc["issues"].as_array().unwrap();
    let issue = |k: usize| {
        let mut i = real[k % real.len()].clone();
        i["key"] = format!("B-{k}").into();
        i["id"] = (100_000 + k).to_string().into();
        i
    };
    (0..ISSUES / PAGE)
        .map(|p| {
            let page: Vec<Value> = (p * PAGE..(p + 1) * PAGE).map(issue).collect();
            json!({"startAt": p * PAGE, "maxResults": PAGE, "total": ISSUES, "issues": page})
                .to_string()
        })
        .collect()
}

/// Serves the pages on 127.0.0.1 from two threads until the process ends.
fn serve(pages: Vec<String>) -> String {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let pages = Arc::new(pages);
    for _ in 0..2 {
        let (server, pages) = (server.clone(), pages.clone());
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let start: usize = req
                    .url()
                    .split(['?', '&'])
                    .find_map(|kv| kv.strip_prefix("startAt="))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let body = pages.get(start / PAGE).cloned().unwrap_or_default();
                let _ = req.respond(tiny_http::Response::from_string(body));
            }
        });
    }
    base
}

fn query(base: &str) -> FetchQuery {
    FetchQuery::Jira(JiraQuery {
        site: base.to_owned(),
        jql: "project = B".into(),
        user: None,
        cloud: Some(false),
    })
}

fn options() -> FetchOptions {
    FetchOptions {
        page_size: PAGE as u32,
        ..FetchOptions::default()
    }
}

/// A model with the one stream "s", as the exchange format gives it.
fn model() -> Model {
    let mut m = Model::new("bench");
    m.streams.push(
        serde_json::from_value(json!({"id": "s", "name": "S", "stages": []})).expect("a stream"),
    );
    m
}

fn benches(c: &mut Criterion) {
    let base = serve(pages());
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("fetch");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    let agent = ureq::Agent::new_with_defaults();
    g.bench_function("download only, 10k issues (100 pages)", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for p in 0..ISSUES / PAGE {
                let url = format!("{base}/rest/api/2/search?startAt={}", p * PAGE);
                let mut resp = agent.get(&url).call().unwrap();
                bytes += resp
                    .body_mut()
                    .with_config()
                    .limit(1 << 30)
                    .read_to_vec()
                    .unwrap()
                    .len();
            }
            bytes
        })
    });
    g.bench_function("fetch, 10k issues", |b| {
        b.iter(|| {
            let (f, _) = fetch(
                &query(&base),
                &Auth::None,
                None,
                &options(),
                Default::default(),
            )
            .unwrap();
            assert_eq!(f[0].items, ISSUES);
            f
        })
    });
    let mut n = 0;
    g.bench_function("fetch and import, 10k issues", |b| {
        b.iter_batched(
            || {
                n += 1;
                Session::create(&dir.path().join(format!("m{n}.tributary")), &model()).unwrap()
            },
            |mut doc| {
                let o = ImportOptions::new(
                    "s",
                    tributary_api::telemetry::Format::JiraJson,
                    "2025-01-01T00:00:00Z",
                );
                let out = doc
                    .fetch(
                        &query(&base),
                        None,
                        &o,
                        &options(),
                        ImportControl::default(),
                    )
                    .unwrap();
                assert_eq!(out.imports[0].items_added as usize, ISSUES);
                doc
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(fetch_benches, benches);
criterion_main!(fetch_benches);
