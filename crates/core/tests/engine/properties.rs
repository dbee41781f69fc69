//! Invariants that must hold for every model, checked on random ones (proptest).

use proptest::prelude::*;
use tributary_core::edit::{self, Command};
use tributary_core::exchange::{from_json, to_json};
use tributary_core::metrics;
use tributary_core::scenario;
use tributary_core::testkit::arb_model;
use tributary_core::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Converting the time unit changes the numbers, not what they mean: every lead time in
    /// weeks and every cost stays, and converting back gives the model again (to rounding).
    #[test]
    fn converting_the_time_unit_keeps_what_the_numbers_mean(m in arb_model(), to in 0usize..4) {
        let to = [TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::Days, TimeUnit::Weeks][to];
        let before = metrics::compute(&m).unwrap();
        let mut c = m.clone();
        let d = edit::plan(&c, &Command::ConvertTimeUnit { time_unit: to }).unwrap();
        edit::apply(&mut c, &d).unwrap();
        prop_assert_eq!(c.time_unit, to);
        let after = metrics::compute(&c).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        prop_assert!(close(after.annual_delay_cost, before.annual_delay_cost));
        for (a, b) in after.streams.iter().zip(&before.streams) {
            prop_assert!(close(a.lead_time_weeks, b.lead_time_weeks), "{} vs {}", a.lead_time_weeks, b.lead_time_weeks);
            prop_assert!(close(a.flow_efficiency, b.flow_efficiency));
        }
        let back = edit::plan(&c, &Command::ConvertTimeUnit { time_unit: m.time_unit }).unwrap();
        edit::apply(&mut c, &back).unwrap();
        for (a, b) in c.streams.iter().flat_map(|s| &s.stages).zip(m.streams.iter().flat_map(|s| &s.stages)) {
            prop_assert!(close(a.wait_time, b.wait_time) && close(a.process_time, b.process_time));
        }
        // and undo is exact
        let mut u = m.clone();
        edit::apply(&mut u, &d).unwrap();
        edit::apply(&mut u, &edit::invert(&d)).unwrap();
        prop_assert_eq!(u, m);
    }

    #[test]
    fn flow_numbers_are_within_their_bounds(m in arb_model()) {
        let mm = metrics::compute(&m).unwrap();
        for s in &mm.streams {
            prop_assert!((0.0..=1.0).contains(&s.flow_efficiency), "flow efficiency {}", s.flow_efficiency);
            prop_assert!(s.lead_time >= s.process_time - 1e-9);
            prop_assert!(s.expected_lead_time >= s.lead_time - 1e-9);
            let min_pca = s.stages.iter().map(|x| x.pca).fold(1.0, f64::min);
            prop_assert!(s.rolled_pca <= min_pca + 1e-12);
            for st in &s.stages {
                // the critical path is the longest: no stage alone is longer
                prop_assert!(s.lead_time >= st.lead_time - 1e-9);
            }
            prop_assert!(s.work_content >= s.process_time - 1e-9);
        }
    }

    #[test]
    fn adding_wait_never_shortens_lead_time(m in arb_model(), extra in 0.0..100.0f64, pick in 0usize..64) {
        let before = metrics::compute(&m).unwrap();
        let mut m2 = m.clone();
        let si = pick % m2.streams.len();
        let n = m2.streams[si].stages.len();
        m2.streams[si].stages[pick % n].wait_time += extra;
        let after = metrics::compute(&m2).unwrap();
        prop_assert!(after.streams[si].lead_time >= before.streams[si].lead_time - 1e-9);
        prop_assert!(after.annual_delay_cost >= before.annual_delay_cost - 1e-6);
    }

    #[test]
    fn json_round_trip_is_the_identity(m in arb_model()) {
        let text = to_json(&m);
        let back = from_json(&text).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(to_json(&back), text);
    }

    #[test]
    fn a_scenario_with_no_changes_equals_the_baseline(m in arb_model()) {
        let mut m = m;
        m.scenarios.push(Scenario { id: "none".into(), name: "No change".into(), description: None, changes: vec![] });
        let c = scenario::compare(&m, "none").unwrap();
        prop_assert_eq!(c.annual_benefit, 0.0);
        for s in &c.streams {
            prop_assert_eq!(&s.baseline, &s.scenario);
        }
        prop_assert_eq!(scenario::metrics(&m, &m.scenarios[0]).unwrap(), metrics::compute(&m).unwrap());
    }

    #[test]
    fn every_delete_undoes_exactly(m in arb_model(), pick in 0usize..64) {
        let s = &m.streams[pick % m.streams.len()];
        let st = &s.stages[pick % s.stages.len()];
        let mut cmds = vec![
            Command::DeleteStage { stream: s.id.clone(), id: st.id.clone() },
            Command::DeleteStream { id: s.id.clone() },
        ];
        if let Some(p) = m.pbcs.get(pick % m.pbcs.len().max(1)) {
            cmds.push(Command::DeletePbc { id: p.id.clone() });
        }
        for cmd in cmds {
            let mut x = m.clone();
            let d = edit::plan(&x, &cmd).unwrap();
            edit::apply(&mut x, &d).unwrap();
            tributary_core::validate::ensure_valid(&x).unwrap();
            edit::apply(&mut x, &edit::invert(&d)).unwrap();
            prop_assert_eq!(&x, &m);
        }
    }
}
