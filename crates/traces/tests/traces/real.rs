//! The real exports of SOURCES.md, each checked against the figures of an independent
//! script: `check_real.py` beside this file (Python's json module only; it reimplements the
//! rules of docs/traces.md apart from the Rust code). Its output is the table below.

use tributary_traces::Reason;
use tributary_traces::TraceFormat::{self, *};

use crate::common::{import_file, reason};

struct Expected {
    format: TraceFormat,
    file: &'static str,
    /// read, merged, used, refused, spans repaired for a missing parent, for clock skew
    counts: [u64; 6],
    /// service, used, errors, own p50, inclusive p95, own per trace p50 (ms)
    services: &'static [(&'static str, u64, u64, f64, f64, f64)],
    /// from, to, calls, errors, inclusive p50, inclusive p99, own p50 (ms)
    calls: &'static [(&'static str, &'static str, u64, u64, f64, f64, f64)],
}

const EXPECTED: &[Expected] = &[
    Expected {
        format: OtlpJson,
        file: "otlp-json/jaeger_hotrod_n_plus_one_full_concurrent.json",
        counts: [40, 0, 40, 0, 0, 0],
        services: &[
            ("customer", 1, 0, 0.224046, 282.611346, 0.224046),
            ("driver", 1, 0, 0.503787, 226.946800, 0.503787),
            ("frontend", 13, 0, 0.455186, 447.466966, 6.277898),
            ("mysql", 1, 0, 282.387300, 282.387300, 282.387300),
            ("redis-manual", 14, 3, 11.348504, 33.610497, 226.443013),
            ("route", 10, 0, 51.303041, 60.643246, 494.816023),
        ],
        calls: &[
            (
                "customer", "mysql", 1, 0, 282.387300, 282.387300, 282.387300,
            ),
            (
                "driver",
                "redis-manual",
                14,
                3,
                11.348504,
                33.612493,
                11.348504,
            ),
            (
                "frontend", "customer", 1, 0, 282.611346, 282.611346, 0.224046,
            ),
            ("frontend", "driver", 1, 0, 226.946800, 226.946800, 0.503787),
            ("frontend", "route", 10, 0, 51.303041, 61.428273, 51.303041),
        ],
    },
    Expected {
        format: OtlpJson,
        file: "otlp-json/jaeger_oteldemo_error_timeout_masked.json",
        counts: [26, 0, 26, 0, 0, 1],
        services: &[
            ("cart", 6, 0, 0.216800, 0.790550, 1.332400),
            ("frontend", 10, 0, 1.076256, 8267.232989, 15030.130133),
            ("frontend-proxy", 6, 1, 0.362234, 15001.323000, 2.341566),
            ("load-generator", 2, 0, 17.495482, 14328.954728, 34.990963),
            ("product-catalog", 2, 0, 6.446523, 12.342245, 12.893046),
        ],
        calls: &[
            ("frontend", "cart", 2, 0, 0.666200, 0.909926, 0.176700),
            (
                "frontend",
                "product-catalog",
                1,
                0,
                12.893046,
                12.893046,
                11.016026,
            ),
            (
                "frontend-proxy",
                "frontend",
                3,
                0,
                37.137902,
                14701.670967,
                0.560402,
            ),
            (
                "load-generator",
                "frontend-proxy",
                3,
                1,
                38.034000,
                14702.193440,
                0.234000,
            ),
        ],
    },
    Expected {
        format: JaegerJson,
        file: "jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json",
        counts: [17, 0, 17, 0, 0, 0],
        services: &[
            ("api-gateway", 2, 0, 1.012000, 3.682850, 2.024000),
            ("customers-service", 15, 0, 0.019000, 0.541000, 1.905000),
        ],
        calls: &[(
            "api-gateway",
            "customers-service",
            1,
            0,
            1.696000,
            1.696000,
            1.560000,
        )],
    },
    Expected {
        format: JaegerJson,
        file: "jaeger-json/jaeger-ui_genaiTestTrace.json",
        counts: [57, 0, 57, 0, 0, 0],
        services: &[
            ("api-edge", 1, 0, 1000.000000, 44000.000000, 1000.000000),
            ("auth-service", 7, 0, 40.000000, 40.000000, 280.000000),
            ("coding-agent", 19, 0, 50.000000, 7800.000000, 45705.000000),
            (
                "graphql-gateway",
                2,
                0,
                21500.500000,
                43000.000000,
                43001.000000,
            ),
            ("k8s-api", 3, 1, 80.000000, 80.000000, 240.000000),
            ("mcp-gateway", 7, 0, 349.000000, 2985.000000, 2893.000000),
            ("metrics-backend", 6, 0, 150.000000, 300.000000, 900.000000),
            (
                "summarizer-agent",
                3,
                0,
                200.000000,
                3680.000000,
                3700.000000,
            ),
            ("trace-store", 6, 0, 250.000000, 500.000000, 1500.000000),
            ("vector-store", 3, 0, 200.000000, 200.000000, 600.000000),
        ],
        calls: &[
            (
                "api-edge",
                "graphql-gateway",
                1,
                0,
                43000.000000,
                43000.000000,
                1.000000,
            ),
            (
                "coding-agent",
                "mcp-gateway",
                7,
                0,
                850.000000,
                3717.000000,
                349.000000,
            ),
            (
                "coding-agent",
                "vector-store",
                3,
                0,
                200.000000,
                200.000000,
                200.000000,
            ),
            (
                "graphql-gateway",
                "coding-agent",
                1,
                0,
                42000.000000,
                42000.000000,
                37955.000000,
            ),
            (
                "mcp-gateway",
                "auth-service",
                7,
                0,
                40.000000,
                40.000000,
                40.000000,
            ),
            (
                "mcp-gateway",
                "metrics-backend",
                3,
                0,
                300.000000,
                300.000000,
                180.000000,
            ),
            (
                "mcp-gateway",
                "summarizer-agent",
                1,
                0,
                3700.000000,
                3700.000000,
                200.000000,
            ),
            (
                "mcp-gateway",
                "trace-store",
                3,
                0,
                500.000000,
                500.000000,
                300.000000,
            ),
            (
                "trace-store",
                "k8s-api",
                3,
                1,
                80.000000,
                80.000000,
                80.000000,
            ),
        ],
    },
    Expected {
        format: JaegerJson,
        file: "jaeger-json/jaeger-analytics-java_ui-trace.json",
        counts: [2, 0, 2, 0, 0, 0],
        services: &[("jaeger-query", 2, 0, 2.099500, 4.182700, 4.199000)],
        calls: &[],
    },
    Expected {
        format: ZipkinJson,
        file: "zipkin-json-v2/zipkin-lens_smartthings-mobile-web-install.json",
        counts: [1041, 4, 866, 171, 0, 16],
        services: &[
            ("account", 30, 0, 13.666500, 34.663350, 304.840000),
            ("alice", 1, 1, 1.501000, 1.501000, 1.501000),
            ("auth", 188, 0, 1.057000, 5.231150, 375.409000),
            ("bookie", 198, 0, 3.076500, 145.121800, 1824.587000),
            ("bouncer", 2, 0, 29.890000, 64.405050, 59.780000),
            ("coreSrv", 29, 0, 15.935000, 42.982600, 454.541000),
            ("dove", 1, 0, 4350.232000, 4350.232000, 4350.232000),
            ("execution", 51, 1, 2.822000, 58.075500, 203.563000),
            ("gizmo", 52, 0, 46.390500, 53.625600, 2439.482000),
            ("guardian", 15, 0, 0.797000, 228.840300, 303.316000),
            ("oreck", 1, 0, 41.509000, 41.509000, 41.509000),
            ("paperboy", 2, 0, 36.706000, 75.025500, 73.412000),
            ("platformapi", 168, 0, 34.742500, 204.309400, 7956.956000),
            ("pusher", 6, 0, 0.700500, 4351.628000, 5.050000),
            ("stLogin", 69, 0, 87.497000, 232.346800, 6088.370000),
            ("strongman", 53, 0, 21.883000, 545.194400, 3404.294000),
        ],
        calls: &[
            ("account", "auth", 15, 0, 3.087000, 3.791900, 1.459000),
            ("bookie", "account", 15, 0, 20.214000, 38.246400, 2.472000),
            ("bookie", "auth", 14, 0, 3.333000, 4.737460, 1.320000),
            ("bookie", "coreSrv", 13, 0, 36.396000, 52.224520, 13.864000),
            ("bookie", "execution", 2, 0, 10.898000, 21.338920, 0.326000),
            ("bouncer", "auth", 1, 0, 4.684000, 4.684000, 0.902000),
            ("coreSrv", "auth", 15, 0, 3.535000, 11.421900, 1.508000),
            ("execution", "alice", 1, 1, 1.501000, 1.501000, 1.501000),
            ("execution", "auth", 3, 0, 4.869000, 5.241400, 0.791000),
            ("execution", "bookie", 16, 0, 11.804000, 20.074300, 7.944500),
            ("execution", "bouncer", 1, 0, 64.464000, 64.464000, 1.179000),
            (
                "execution",
                "guardian",
                14,
                0,
                0.785000,
                361.938230,
                0.785000,
            ),
            (
                "guardian",
                "platformapi",
                1,
                0,
                123.648000,
                123.648000,
                123.648000,
            ),
            ("paperboy", "auth", 1, 0, 2.337000, 2.337000, 1.148000),
            (
                "platformapi",
                "bookie",
                17,
                0,
                147.501000,
                245.921320,
                23.834000,
            ),
            (
                "platformapi",
                "execution",
                14,
                0,
                23.485000,
                480.007060,
                4.846000,
            ),
            (
                "platformapi",
                "gizmo",
                52,
                0,
                46.390500,
                59.099040,
                46.390500,
            ),
            (
                "platformapi",
                "paperboy",
                1,
                0,
                75.749000,
                75.749000,
                14.470000,
            ),
            (
                "pusher",
                "dove",
                1,
                0,
                4350.232000,
                4350.232000,
                4350.232000,
            ),
            ("pusher", "oreck", 1, 0, 41.509000, 41.509000, 41.509000),
            ("stLogin", "auth", 5, 0, 2.121000, 76.511440, 1.362000),
            (
                "stLogin",
                "platformapi",
                53,
                0,
                50.628000,
                63.927720,
                50.628000,
            ),
            (
                "stLogin",
                "strongman",
                1,
                0,
                957.480000,
                957.480000,
                97.387000,
            ),
            ("strongman", "auth", 2, 0, 50.985500, 98.807050, 1.790000),
            (
                "strongman",
                "platformapi",
                30,
                0,
                133.287500,
                507.801540,
                133.287500,
            ),
            (
                "strongman",
                "stLogin",
                1,
                0,
                128.393000,
                128.393000,
                1.411000,
            ),
        ],
    },
    Expected {
        format: ZipkinJson,
        file: "zipkin-json-v2/zipkin-lens_messaging2.json",
        counts: [11, 0, 11, 0, 6, 0],
        services: &[
            ("auth-service", 2, 0, 2.028500, 3.916200, 4.057000),
            ("mobile-gateway", 2, 0, 12.497000, 28.689100, 24.994000),
            ("notification-service", 2, 0, 7.950000, 15.069000, 15.900000),
            (
                "transfer-service",
                5,
                0,
                132.879000,
                2200.551200,
                3547.301000,
            ),
        ],
        calls: &[(
            "mobile-gateway",
            "auth-service",
            1,
            0,
            4.057000,
            4.057000,
            2.816000,
        )],
    },
];

fn close(a: f64, b: f64, what: &str) {
    // The script prints 6 decimals of a millisecond.
    assert!((a - b).abs() < 2e-6, "{what}: {a} (Rust) vs {b} (script)");
}

fn check(e: &Expected) {
    let s = import_file(e.format, e.file);
    let c = &s.counts;
    let [read, merged, used, refused, missing, skew] = e.counts;
    assert_eq!(
        [
            c.read,
            c.merged,
            c.used,
            c.refused,
            reason(&s, Reason::ParentMissing),
            reason(&s, Reason::ClockSkew)
        ],
        [read, merged, used, refused, missing, skew],
        "{}: read, merged, used, refused, parent missing, clock skew",
        e.file
    );
    assert_eq!(c.read, c.merged + c.used + c.refused, "{}", e.file);
    let measured: Vec<&str> = s
        .services
        .iter()
        .filter(|x| x.used > 0)
        .map(|x| x.service.as_str())
        .collect();
    let listed: Vec<&str> = e.services.iter().map(|x| x.0).collect();
    assert_eq!(measured, listed, "{}: services", e.file);
    for &(name, n, err, own50, incl95, pt50) in e.services {
        let f = s.service(name).unwrap();
        let at = format!("{} {name}", e.file);
        assert_eq!((f.used, f.errors), (n, err), "{at}");
        assert!(
            f.own.exact && f.inclusive.exact,
            "{at}: small inputs are exact"
        );
        close(f.own.p50_ms, own50, &format!("{at} own p50"));
        close(f.inclusive.p95_ms, incl95, &format!("{at} inclusive p95"));
        close(
            f.own_per_trace.p50_ms,
            pt50,
            &format!("{at} own per trace p50"),
        );
    }
    assert_eq!(s.calls.len(), e.calls.len(), "{}: calls", e.file);
    for &(from, to, n, err, p50, p99, own50) in e.calls {
        let f = s
            .call(from, to)
            .unwrap_or_else(|| panic!("{}: no call {from} -> {to}", e.file));
        let at = format!("{} {from} -> {to}", e.file);
        assert_eq!((f.calls, f.errors), (n, err), "{at}");
        close(f.inclusive.p50_ms, p50, &format!("{at} p50"));
        close(f.inclusive.p99_ms, p99, &format!("{at} p99"));
        close(f.own.p50_ms, own50, &format!("{at} own p50"));
    }
}

#[test]
fn otlp_hotrod_matches_the_script() {
    check(&EXPECTED[0]);
}

#[test]
fn otlp_otel_demo_matches_the_script() {
    check(&EXPECTED[1]);
}

#[test]
fn jaeger_petclinic_bare_trace_matches_the_script() {
    check(&EXPECTED[2]);
}

#[test]
fn jaeger_genai_many_services_matches_the_script() {
    check(&EXPECTED[3]);
}

#[test]
fn jaeger_query_api_wrapper_matches_the_script() {
    check(&EXPECTED[4]);
}

#[test]
fn zipkin_smartthings_shared_spans_match_the_script() {
    check(&EXPECTED[5]);
}

#[test]
fn zipkin_messaging_orphans_match_the_script() {
    check(&EXPECTED[6]);
}
