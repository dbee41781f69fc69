//! Fetching from Jaeger's and Tempo's query APIs, against a loopback server (127.0.0.1
//! only, a bounded number of requests) that answers with recorded responses in the real
//! shapes: the real Jaeger trace objects of shared/external, and the real HotROD OTLP trace
//! re-encoded as Tempo serves it (`batches`, base64 ids).

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use serde_json::Value;
use tributary_traces::fetch::{FetchOptions, Query, fetch_jaeger, fetch_tempo};
use tributary_traces::{Error, TraceFormat};

use crate::common::{external, import_file};

type Route = Box<dyn Fn(&str) -> (u16, String, u64) + Send>;

struct Mock {
    base: String,
    urls: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

/// Serves at most `max` requests on 127.0.0.1, each answered by `route(url)` with a status,
/// a body and a delay in ms; stops by itself after 10 s without a request.
fn serve(max: usize, route: Route) -> Mock {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    let urls = Arc::new(Mutex::new(Vec::new()));
    let log = urls.clone();
    let thread = std::thread::spawn(move || {
        for _ in 0..max {
            let Ok(Some(req)) = server.recv_timeout(Duration::from_secs(10)) else {
                return;
            };
            let url = req.url().to_owned();
            log.lock().unwrap().push(url.clone());
            let (status, body, delay) = route(&url);
            std::thread::sleep(Duration::from_millis(delay));
            let header =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
                    .unwrap();
            let _ = req.respond(
                tiny_http::Response::from_string(body)
                    .with_status_code(status)
                    .with_header(header),
            );
        }
    });
    Mock {
        base: format!("http://{addr}"),
        urls,
        thread: Some(thread),
    }
}

impl Mock {
    fn urls(mut self) -> Vec<String> {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.urls.lock().unwrap().clone()
    }
}

fn read_json(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(external(rel)).unwrap()).unwrap()
}

fn query(base: &str) -> Query {
    Query {
        base_url: base.to_owned(),
        service: "frontend".into(),
        start_us: 1_500_000_000_000_000,
        end_us: 1_800_000_000_000_000,
    }
}

/// Three pages of two traces (limit 2): the real PetClinic and GenAI traces, then the real
/// jaeger-query trace with the GenAI one again, then none. 17 + 57 + 2 spans; the second
/// request ends at PetClinic's first span (1573131432955000 µs), the third at the
/// jaeger-query trace's (1571326774777373 µs).
#[test]
fn jaeger_pages_are_followed_and_deduplicated() {
    let pet = read_json("jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json");
    let genai = read_json("jaeger-json/jaeger-ui_genaiTestTrace.json");
    let ui = read_json("jaeger-json/jaeger-analytics-java_ui-trace.json")["data"][0].clone();
    let page = |traces: Vec<Value>| {
        serde_json::json!({"data": traces, "total": 0, "limit": 0, "offset": 0, "errors": null})
            .to_string()
    };
    let pages = [
        page(vec![pet, genai.clone()]),
        page(vec![ui, genai]),
        page(vec![]),
    ];
    let n = Mutex::new(0usize);
    let mock = serve(
        3,
        Box::new(move |_| {
            let mut k = n.lock().unwrap();
            *k += 1;
            (200, pages[*k - 1].clone(), 0)
        }),
    );
    let opts = FetchOptions {
        page_size: 2,
        ..FetchOptions::default()
    };
    let r = fetch_jaeger(&query(&mock.base), &opts).unwrap();
    assert_eq!((r.requests, r.traces, r.cut), (3, 3, false));
    assert_eq!(r.summary.counts.read, 76);
    assert_eq!(r.summary.counts.traces, 3);
    let urls = mock.urls();
    assert!(
        urls[0].starts_with(
            "/api/traces?service=frontend&start=1500000000000000&end=1800000000000000&limit=2"
        ),
        "{}",
        urls[0]
    );
    assert!(urls[1].contains("end=1573131432955000"), "{}", urls[1]);
    assert!(urls[2].contains("end=1571326774777373"), "{}", urls[2]);
}

/// The real HotROD trace as Tempo serves it: `batches` instead of `resourceSpans`, ids in
/// base64. Fetched through search then by id, it gives the same figures as the file.
#[test]
fn tempo_search_then_trace_by_id_matches_the_file() {
    let rel = "otlp-json/jaeger_hotrod_n_plus_one_full_concurrent.json";
    let mut doc = read_json(rel);
    let b64 = |v: &mut Value| {
        if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
            let bytes: Vec<u8> = (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect();
            *v = Value::String(base64::engine::general_purpose::STANDARD.encode(bytes));
        }
    };
    for rs in doc["resourceSpans"].as_array_mut().unwrap() {
        for ss in rs["scopeSpans"].as_array_mut().unwrap() {
            for sp in ss["spans"].as_array_mut().unwrap() {
                for k in ["traceId", "spanId", "parentSpanId"] {
                    b64(&mut sp[k]);
                }
            }
        }
    }
    let tempo = serde_json::json!({"batches": doc["resourceSpans"]}).to_string();
    let search = r#"{"traces":[{"traceID":"1a4e4a7b270e9f2a0f716e3ee115218a","rootServiceName":"frontend","rootTraceName":"GET /dispatch","startTimeUnixNano":"1787132404504889477","durationMs":693}],"metrics":{"inspectedTraces":1,"inspectedBytes":"51234"}}"#.to_owned();
    let mock = serve(
        2,
        Box::new(move |url| {
            if url.starts_with("/api/search") {
                (200, search.clone(), 0)
            } else {
                (200, tempo.clone(), 0)
            }
        }),
    );
    let r = fetch_tempo(&query(&mock.base), &FetchOptions::default()).unwrap();
    let file = import_file(TraceFormat::OtlpJson, rel);
    assert_eq!(r.summary.calls, file.calls);
    assert_eq!(r.summary.services, file.services);
    assert_eq!(r.requests, 2);
    let urls = mock.urls();
    assert_eq!(
        urls[0],
        "/api/search?tags=service.name%3Dfrontend&start=1500000000&end=1800000001&limit=100"
    );
    assert_eq!(urls[1], "/api/traces/1a4e4a7b270e9f2a0f716e3ee115218a");
}

fn http_message(e: Error) -> String {
    match e {
        Error::Http { url, message } => format!("{url}: {message}"),
        other => panic!("expected an HTTP error, got {other}"),
    }
}

#[test]
fn a_server_error_is_reported_with_its_body() {
    let mock = serve(
        1,
        Box::new(|_| (500, "storage backend unavailable".into(), 0)),
    );
    let m = http_message(fetch_jaeger(&query(&mock.base), &FetchOptions::default()).unwrap_err());
    assert!(
        m.contains("/api/traces: HTTP 500: storage backend unavailable"),
        "{m}"
    );
    mock.urls();
}

#[test]
fn a_slow_server_times_out() {
    let mock = serve(1, Box::new(|_| (200, r#"{"data":[]}"#.into(), 1500)));
    let opts = FetchOptions {
        timeout: Duration::from_millis(300),
        ..FetchOptions::default()
    };
    let m = http_message(fetch_jaeger(&query(&mock.base), &opts).unwrap_err());
    assert!(m.contains("no answer in time"), "{m}");
    mock.urls();
}

#[test]
fn nobody_listening_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let m = http_message(
        fetch_tempo(
            &query(&format!("http://127.0.0.1:{port}")),
            &FetchOptions::default(),
        )
        .unwrap_err(),
    );
    assert!(m.contains("cannot connect"), "{m}");
}

#[test]
fn an_answer_cut_short_is_an_error() {
    let pet = std::fs::read_to_string(external(
        "jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json",
    ))
    .unwrap();
    let half = pet[..pet.len() / 2].to_owned();
    let mock = serve(1, Box::new(move |_| (200, half.clone(), 0)));
    let m = http_message(fetch_jaeger(&query(&mock.base), &FetchOptions::default()).unwrap_err());
    assert!(
        m.contains("the answer is not valid") && m.contains("cut short"),
        "{m}"
    );
    mock.urls();
}

#[test]
fn a_bad_address_or_window_is_refused_before_any_request() {
    let mut q = query("ftp://example");
    assert!(matches!(
        fetch_jaeger(&q, &FetchOptions::default()),
        Err(Error::Invalid(_))
    ));
    q.base_url = "http://127.0.0.1:9".into();
    q.end_us = q.start_us;
    assert!(matches!(
        fetch_tempo(&q, &FetchOptions::default()),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn an_answer_over_the_size_cap_is_an_error() {
    let pet = std::fs::read_to_string(external(
        "jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json",
    ))
    .unwrap();
    let mock = serve(1, Box::new(move |_| (200, pet.clone(), 0)));
    let opts = FetchOptions {
        max_body_bytes: 1000,
        ..FetchOptions::default()
    };
    let m = http_message(fetch_jaeger(&query(&mock.base), &opts).unwrap_err());
    assert!(m.contains("could not be read to its end"), "{m}");
    mock.urls();
}
