//! Invariants over random valid models (core's `arb_model`).

use proptest::prelude::*;
use tributary_core::metrics;
use tributary_core::testkit::arb_model;
use tributary_core::*;
use tributary_sim::{Control, Error, Options, simulate};

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    // With fixed stage times, queues and rework only ever add time: no item is faster than
    // the paper map's first-pass lead time. Every refusal names a stream.
    #[test]
    fn no_item_beats_the_paper_map(mut model in arb_model(), light in any::<bool>()) {
        for s in &mut model.streams {
            if light {
                // mostly light load, so that most cases run rather than being refused
                s.demand_per_week /= 100.0;
            }
            for st in &mut s.stages {
                st.uncertainty = None;
            }
        }
        let opts = Options { items: 200, runs: 2, seed: 3, ..Options::default() };
        match simulate(&model, &opts, &Control::new()) {
            Ok(sim) => {
                let m = metrics::compute(&model).unwrap();
                for s in &sim.streams {
                    let analytic = m.streams.iter().find(|a| a.id == s.id).unwrap();
                    let lt = &s.lead_time;
                    prop_assert!(lt.min >= analytic.lead_time * (1.0 - 1e-9) - 1e-9,
                        "{}: {} < {}", s.id, lt.min, analytic.lead_time);
                    prop_assert!(lt.min <= lt.p50 && lt.p50 <= lt.p85 && lt.p85 <= lt.p95 && lt.p95 <= lt.max);
                    prop_assert!(s.flow_efficiency.min >= 0.0 && s.flow_efficiency.max <= 1.0 + 1e-9);
                    prop_assert!((0.0..=1.0).contains(&s.reworked_share.value));
                    for st in &s.stages {
                        prop_assert!(st.visits_per_item.value >= 1.0 - 1e-9);
                        if let Some(u) = st.utilisation {
                            prop_assert!(u.value <= 1.0 + 1e-9, "{}: {}", st.id, u.value);
                        }
                    }
                }
            }
            Err(Error::Check(problems)) => {
                prop_assert!(!problems.is_empty());
                for p in problems.iter().filter(|p| p.severity == Severity::Error) {
                    prop_assert!(p.message.contains("stream \""), "{}", p.message);
                    prop_assert!(p.path.starts_with("streams["), "{}", p.path);
                }
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
