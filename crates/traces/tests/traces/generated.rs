//! Generated inputs with answers worked out by hand (in each test's comment), written in all
//! three formats from one description so the readers must agree.

use tributary_traces::TraceFormat::{self, *};

use crate::common::import_str;

/// One span of a test trace: service, span id, parent id (0: root), start and end in ms
/// from an arbitrary epoch, error.
pub type S = (&'static str, u64, u64, f64, f64, bool);

const EPOCH_NS: i64 = 1_700_000_000_000_000_000;

fn ns(ms: f64) -> i64 {
    EPOCH_NS + (ms * 1e6).round() as i64
}

pub fn otlp(trace: u128, spans: &[S]) -> String {
    let mut blocks = Vec::new();
    for &(svc, id, parent, a, b, err) in spans {
        let parent = if parent == 0 {
            String::new()
        } else {
            format!("{parent:016x}")
        };
        blocks.push(format!(
            r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{svc}"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"{trace:032x}","spanId":"{id:016x}","parentSpanId":"{parent}","name":"op-{id}","kind":2,"startTimeUnixNano":"{}","endTimeUnixNano":"{}","status":{{"code":{}}}}}]}}]}}"#,
            ns(a),
            ns(b),
            if err { 2 } else { 0 }
        ));
    }
    format!(r#"{{"resourceSpans":[{}]}}"#, blocks.join(","))
}

pub fn jaeger(trace: u128, spans: &[S]) -> String {
    let mut out = Vec::new();
    let mut procs = Vec::new();
    for &(svc, id, parent, a, b, err) in spans {
        let refs = if parent == 0 {
            String::new()
        } else {
            format!(r#"{{"refType":"CHILD_OF","traceID":"{trace:032x}","spanID":"{parent:016x}"}}"#)
        };
        out.push(format!(
            r#"{{"traceID":"{trace:032x}","spanID":"{id:016x}","operationName":"op-{id}","references":[{refs}],"startTime":{},"duration":{},"tags":[{{"key":"error","type":"bool","value":{err}}}],"processID":"p-{svc}"}}"#,
            ns(a) / 1000,
            (ns(b) - ns(a)) / 1000
        ));
        let p = format!(r#""p-{svc}":{{"serviceName":"{svc}","tags":[]}}"#);
        if !procs.contains(&p) {
            procs.push(p);
        }
    }
    format!(
        r#"{{"data":[{{"traceID":"{trace:032x}","spans":[{}],"processes":{{{}}}}}],"total":0,"limit":0,"offset":0,"errors":null}}"#,
        out.join(","),
        procs.join(",")
    )
}

pub fn zipkin(trace: u128, spans: &[S]) -> String {
    let mut out = Vec::new();
    for &(svc, id, parent, a, b, err) in spans {
        let parent = if parent == 0 {
            String::new()
        } else {
            format!(r#""parentId":"{parent:016x}","#)
        };
        let tags = if err {
            r#","tags":{"error":"boom"}"#
        } else {
            ""
        };
        out.push(format!(
            r#"{{"traceId":"{trace:032x}","id":"{id:016x}",{parent}"kind":"SERVER","name":"op-{id}","timestamp":{},"duration":{},"localEndpoint":{{"serviceName":"{svc}"}}{tags}}}"#,
            ns(a) / 1000,
            (ns(b) - ns(a)) / 1000
        ));
    }
    format!("[{}]", out.join(","))
}

pub fn write(format: TraceFormat, trace: u128, spans: &[S]) -> String {
    match format {
        OtlpJson => otlp(trace, spans),
        JaegerJson => jaeger(trace, spans),
        ZipkinJson => zipkin(trace, spans),
    }
}

const ALL: [TraceFormat; 3] = [OtlpJson, JaegerJson, ZipkinJson];

/// The brief's case: frontend 0..200 ms calls backend 40..160 ms, exactly 120 ms. The pair's
/// every percentile is 120 ms; frontend's own time is 200 - 120 = 80 ms, its inclusive 200.
#[test]
fn a_120_ms_call_has_p50_120_ms() {
    let spans: &[S] = &[
        ("frontend", 1, 0, 0.0, 200.0, false),
        ("backend", 2, 1, 40.0, 160.0, false),
    ];
    for f in ALL {
        let s = import_str(f, &write(f, 7, spans)).unwrap();
        let c = s.call("frontend", "backend").unwrap();
        assert_eq!(c.calls, 1, "{f:?}");
        assert_eq!(c.inclusive.p50_ms, 120.0, "{f:?}");
        assert_eq!(c.inclusive.p99_ms, 120.0, "{f:?}");
        assert!(c.inclusive.exact);
        let fe = s.service("frontend").unwrap();
        assert_eq!((fe.own.p50_ms, fe.inclusive.p50_ms), (80.0, 200.0), "{f:?}");
        assert_eq!(s.service("backend").unwrap().own.p50_ms, 120.0);
        assert_eq!(s.counts.used, 2);
    }
}

/// Own time with overlapping children: A 0..100 ms has children B 10..40 and C 30..60 on
/// service b (they overlap 30..40), and D 90..130 on A's own service (async, past A's end).
/// The children cover [10, 60] (50 ms) and [90, 100] (10 ms) of A: own = 100 - 60 = 40 ms.
/// B and C have no children: own = inclusive = 30 ms each. D: 40 ms.
#[test]
fn own_time_counts_concurrent_children_once() {
    let spans: &[S] = &[
        ("a", 1, 0, 0.0, 100.0, false),
        ("b", 2, 1, 10.0, 40.0, false),
        ("b", 3, 1, 30.0, 60.0, false),
        ("a", 4, 1, 90.0, 130.0, false),
    ];
    for f in ALL {
        let s = import_str(f, &write(f, 9, spans)).unwrap();
        let a = s.service("a").unwrap();
        // a's own times: A 40, D 40; inclusive 100 and 40.
        assert_eq!((a.own.p50_ms, a.own.max_ms), (40.0, 40.0), "{f:?}");
        assert_eq!(a.inclusive.max_ms, 100.0);
        assert_eq!(a.own_per_trace.p50_ms, 80.0, "A + D own in the one trace");
        let c = s.call("a", "b").unwrap();
        assert_eq!((c.calls, c.inclusive.p50_ms, c.own.p50_ms), (2, 30.0, 30.0));
        assert!(
            s.call("a", "a").is_none(),
            "a span's child on its own service is no call"
        );
        assert_eq!(s.window.as_ref().unwrap().from, "2023-11-14T22:13:20Z");
    }
}

/// Five calls of 10, 20, 30, 40, 50 ms, one failed. Type 7 with n = 5: h = 4q, so p50 = 30,
/// p85 (h 3.4) = 40 + 0.4 x 10 = 44, p95 (h 3.8) = 48, p99 (h 3.96) = 49.6; mean 30; error
/// share 1/5.
#[test]
fn percentiles_of_several_calls_follow_type_7() {
    let mut spans: Vec<S> = vec![("caller", 1, 0, 0.0, 1000.0, false)];
    for (k, d) in [10.0, 20.0, 30.0, 40.0, 50.0].into_iter().enumerate() {
        let at = 100.0 * k as f64;
        spans.push(("callee", 2 + k as u64, 1, at, at + d, k == 3));
    }
    for f in ALL {
        let s = import_str(f, &write(f, 11, &spans)).unwrap();
        let c = s.call("caller", "callee").unwrap();
        let i = &c.inclusive;
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{f:?}: {a} vs {b}");
        close(i.p50_ms, 30.0);
        close(i.p85_ms, 44.0);
        close(i.p95_ms, 48.0);
        close(i.p99_ms, 49.6);
        close(i.mean_ms, 30.0);
        close(i.total_ms, 150.0);
        close(c.error_share, 0.2);
        assert_eq!(c.traces, 1);
        // The caller's own time: 1000 - 150 = 850 ms.
        close(s.service("caller").unwrap().own.p50_ms, 850.0);
    }
}
