//! Properties on any input: no panic, and the counts and figures hold together.

use proptest::prelude::*;
use tributary_traces::TraceFormat::{self, *};

use crate::common::{external, import_str};
use crate::generated::{S, write};

const NAMES: [&str; 4] = ["a", "b", "c", "d"];

fn spans() -> impl Strategy<Value = Vec<S>> {
    // ids 1..=12 (repeats make pieces and halves), parents 0..=14 (0 root, >12 missing,
    // loops possible), times that may end before they start.
    prop::collection::vec(
        (
            0usize..4,
            1u64..=12,
            0u64..=14,
            -50.0f64..500.0,
            -50.0f64..500.0,
            any::<bool>(),
        ),
        1..30,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(s, id, p, a, b, e)| (NAMES[s], id, p, a, b, e))
            .collect()
    })
}

fn format() -> impl Strategy<Value = TraceFormat> {
    prop_oneof![Just(OtlpJson), Just(JaegerJson), Just(ZipkinJson)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn figures_hold_together(f in format(), spans in spans()) {
        let text = write(f, 42, &spans);
        let s = import_str(f, &text).unwrap();
        let c = &s.counts;
        prop_assert_eq!(c.read, spans.len() as u64);
        prop_assert_eq!(c.read, c.merged + c.used + c.refused);
        prop_assert!(c.repaired <= c.used);
        let used: u64 = s.services.iter().map(|x| x.used).sum();
        prop_assert_eq!(used, c.used);
        let spans_kept: u64 = s.services.iter().map(|x| x.spans).sum();
        prop_assert_eq!(spans_kept, c.used + c.refused);
        let calls: u64 = s.calls.iter().map(|x| x.calls).sum();
        prop_assert!(calls <= c.used);
        for x in &s.services {
            prop_assert!(x.own.max_ms <= x.inclusive.max_ms + 1e-9);
            prop_assert!(x.own.total_ms <= x.inclusive.total_ms + 1e-9);
            prop_assert!(x.own.p50_ms >= 0.0);
        }
    }

    /// Any prefix of a real export, and any byte changed in it, gives a summary or an
    /// error, never a panic.
    #[test]
    fn damaged_real_files_never_panic(cut in 0.0f64..1.0, flip in 0usize..100_000, byte in any::<u8>()) {
        for (f, rel) in [
            (OtlpJson, "otlp-json/jaeger_oteldemo_error_timeout_masked.json"),
            (JaegerJson, "jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json"),
            (ZipkinJson, "zipkin-json-v2/zipkin-lens_yelp.json"),
        ] {
            let mut bytes = std::fs::read(external(rel)).unwrap();
            let k = flip % bytes.len();
            bytes[k] = byte;
            bytes.truncate(((bytes.len() as f64) * (0.5 + cut / 2.0)) as usize);
            let _ = tributary_traces::import(f, bytes.as_slice(), Default::default());
        }
    }
}
