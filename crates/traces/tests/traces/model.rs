//! Services onto PBCs, drawn beside measured, and calibration as one undoable batch.

use tributary_core::edit::{self, Command};
use tributary_core::{
    Assignment, Integration, IntegrationStyle, Model, Pbc, PbcKind, Stage, Stream, TimeUnit,
};
use tributary_traces::TraceFormat::OtlpJson;
use tributary_traces::calibrate::{self, round6};
use tributary_traces::compare::{MatchKind, compare};
use tributary_traces::{CalibrateOptions, CompareOptions, Statistic};

use crate::common::import_str;
use crate::generated::{S, otlp};

fn pbc(id: &str, systems: &[&str]) -> Pbc {
    Pbc {
        id: id.into(),
        name: id.to_uppercase(),
        domain: None,
        team: None,
        kind: PbcKind::Modern,
        lifecycle: Default::default(),
        annual_run_cost: 0.0,
        systems: systems.iter().map(|s| s.to_string()).collect(),
    }
}

fn stage(id: &str) -> Stage {
    Stage {
        id: id.into(),
        name: id.into(),
        process_time: 1.0,
        wait_time: 1.0,
        pca: 1.0,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
        note: None,
    }
}

/// A loan stream: the portal (service "frontend") calls the legacy authorisation PBC
/// (services "auth-api" and "AUTH-DB") three times per trace; the model draws that call at
/// 0.01 h (36 s) and the legacy PBC's process time at Approve as 0.02 h.
fn model() -> Model {
    let mut m = Model::new("loans");
    m.streams.push(Stream {
        id: "loan".into(),
        name: "Loan".into(),
        trigger: None,
        value: None,
        demand_per_week: 10.0,
        cost_of_delay_per_week: 100.0,
        urgency: Default::default(),
        stages: vec![stage("apply"), stage("approve")],
        edges: vec![],
        arrivals: None,
    });
    m.pbcs = vec![
        pbc("portal", &["frontend"]),
        pbc("legacy", &["auth-api", "auth-db"]),
        pbc("crm", &["crm"]),
    ];
    for (p, s, t) in [("portal", "apply", 0.05), ("legacy", "approve", 0.02)] {
        m.assignments.push(Assignment {
            pbc: p.into(),
            stream: "loan".into(),
            stage: s.into(),
            process_time: t,
            wait_time: 0.0,
            note: None,
        });
    }
    for (id, f, t, l) in [
        ("portal-legacy", "portal", "legacy", 0.01),
        ("legacy-crm", "legacy", "crm", 0.5),
    ] {
        m.integrations
            .push(Integration::new(id, f, t, IntegrationStyle::SyncApi, l));
    }
    m
}

/// Two traces. In each, frontend 0..1000 ms calls auth-api three times (120, 180, 240 ms in
/// trace 1; 120 ms each in trace 2); each auth-api call queries AUTH-DB for 20 ms. An
/// unmapped service "mailer" is called once.
fn traces() -> String {
    let t1: &[S] = &[
        ("frontend", 1, 0, 0.0, 1000.0, false),
        ("auth-api", 2, 1, 10.0, 130.0, false),
        ("AUTH-DB", 3, 2, 20.0, 40.0, false),
        ("auth-api", 4, 1, 200.0, 380.0, false),
        ("AUTH-DB", 5, 4, 210.0, 230.0, false),
        ("auth-api", 6, 1, 400.0, 640.0, true),
        ("AUTH-DB", 7, 6, 410.0, 430.0, false),
        ("mailer", 8, 1, 700.0, 705.0, false),
    ];
    let t2: &[S] = &[
        ("frontend", 1, 0, 0.0, 1000.0, false),
        ("auth-api", 2, 1, 10.0, 130.0, false),
        ("AUTH-DB", 3, 2, 20.0, 40.0, false),
        ("auth-api", 4, 1, 200.0, 320.0, false),
        ("AUTH-DB", 5, 4, 210.0, 230.0, false),
        ("auth-api", 6, 1, 400.0, 520.0, false),
        ("AUTH-DB", 7, 6, 410.0, 430.0, false),
    ];
    format!("{}\n{}\n", otlp(1, t1), otlp(2, t2))
}

#[test]
fn services_map_to_pbcs_exactly_then_ignoring_case() {
    let s = import_str(OtlpJson, &traces()).unwrap();
    let c = compare(&model(), &s, CompareOptions::default());
    let how: Vec<(&str, &str, MatchKind)> = c
        .services
        .iter()
        .map(|m| (m.service.as_str(), m.pbc.as_str(), m.how))
        .collect();
    assert_eq!(
        how,
        [
            ("AUTH-DB", "legacy", MatchKind::IgnoringCase),
            ("auth-api", "legacy", MatchKind::Exact),
            ("frontend", "portal", MatchKind::Exact),
        ]
    );
    assert_eq!(c.unmapped.len(), 1);
    assert_eq!(
        (c.unmapped[0].service.as_str(), c.unmapped[0].spans),
        ("mailer", 1)
    );
}

/// The call portal -> legacy: six calls of 120, 180, 240, 120, 120, 120 ms. Sorted 120 x 4,
/// 180, 240: p50 (h = 2.5) = 120 ms = 120 / 3,600,000 h = 3.3333e-5 h, far below the 0.01 h
/// drawn: flagged. Total 900 ms = 2.5e-4 h. One call in six failed.
/// The legacy PBC's own time per (service, trace): auth-api's own time is its calls less
/// the 20 ms DB query: trace 1 100 + 160 + 220 = 480, trace 2 100 x 3 = 300; AUTH-DB 60 in
/// each. Values 60, 60, 300, 480: p50 (h = 1.5) = 180 ms = 5e-5 h beside 0.02 h drawn.
#[test]
fn drawn_latency_stands_beside_the_measured_one() {
    let m = model();
    let s = import_str(OtlpJson, &traces()).unwrap();
    let c = compare(&m, &s, CompareOptions::default());
    let i = c
        .integrations
        .iter()
        .find(|i| i.id == "portal-legacy")
        .unwrap();
    let g = i.latency.as_ref().unwrap();
    assert_eq!(i.calls, 6);
    assert!((g.measured - 120.0 / 3.6e6).abs() < 1e-15);
    assert!(g.flagged && !i.reversed);
    assert!((i.total - 900.0 / 3.6e6).abs() < 1e-15);
    assert!((i.error_share - 1.0 / 6.0).abs() < 1e-12);
    let none = c
        .integrations
        .iter()
        .find(|i| i.id == "legacy-crm")
        .unwrap();
    assert!(
        none.latency.is_none(),
        "no call between legacy and crm was traced"
    );
    assert_eq!(c.slowest, ["portal-legacy"]);
    let legacy = c.pbcs.iter().find(|p| p.pbc == "legacy").unwrap();
    assert!(legacy.combined);
    assert!((legacy.own_per_trace.p50_ms - 180.0).abs() < 1e-9);
    assert!((legacy.measured - 5e-5).abs() < 1e-15);
    assert_eq!(legacy.stages.len(), 1);
    assert!(legacy.stages[0].time.flagged);
    // The DB calls stay inside the legacy PBC, and portal -> mailer has no PBC on one side.
    assert_eq!(c.calls.len(), 1);
    assert!(
        c.notes
            .iter()
            .any(|n| n.starts_with("6 calls between services of the same PBC"))
    );
}

/// In minutes with the default calendar, 120 ms = 0.002 min; a week unit goes through the
/// 40-hour week: 120 ms = 120 / 3,600,000 / 40 weeks.
#[test]
fn units_go_through_the_calendar() {
    let mut m = model();
    m.time_unit = TimeUnit::Minutes;
    let s = import_str(OtlpJson, &traces()).unwrap();
    let c = compare(&m, &s, CompareOptions::default());
    assert!((c.calls[0].measured - 0.002).abs() < 1e-15);
    m.time_unit = TimeUnit::Weeks;
    let c = compare(
        &m,
        &s,
        CompareOptions {
            statistic: Statistic::Mean,
            threshold: 0.5,
        },
    );
    assert!(
        (c.calls[0].measured - 150.0 / 3.6e6 / 40.0).abs() < 1e-18,
        "mean 900 / 6 = 150 ms"
    );
}

/// Calibration writes the measured latency (rounded to 6 significant digits) and, on
/// request, the legacy PBC's process time at its one stage, as one batch the engine
/// accepts; undoing it gives the model back.
#[test]
fn calibration_is_one_batch_the_engine_accepts() {
    let m = model();
    let s = import_str(OtlpJson, &traces()).unwrap();
    let cal = calibrate::plan(
        &m,
        &s,
        CalibrateOptions {
            statistic: Statistic::P50,
            pbc_times: true,
        },
    )
    .unwrap();
    assert_eq!(cal.latencies.len(), 1);
    assert_eq!(cal.latencies[0].after, 3.33333e-5);
    assert_eq!(
        cal.pbc_times.len(),
        2,
        "portal and legacy each serve one stage"
    );
    assert!(cal.skipped.iter().any(|s| s.contains("legacy-crm")));
    let Command::Batch { commands, .. } = &cal.command else {
        panic!("not a batch")
    };
    assert_eq!(commands.len(), 3);
    let deltas = edit::plan(&m, &cal.command).unwrap();
    let mut after = m.clone();
    edit::apply(&mut after, &deltas).unwrap();
    assert_eq!(after.integrations[0].latency, 3.33333e-5);
    assert_eq!(after.integrations[1].latency, 0.5);
    let legacy = after
        .assignments
        .iter()
        .find(|a| a.pbc == "legacy")
        .unwrap();
    assert_eq!(legacy.process_time, 5e-5);
    edit::apply(&mut after, &edit::invert(&deltas)).unwrap();
    assert_eq!(after, m);
}

#[test]
fn nothing_to_calibrate_is_an_error() {
    let mut m = model();
    for p in &mut m.pbcs {
        p.systems.clear();
    }
    let s = import_str(OtlpJson, &traces()).unwrap();
    let e = calibrate::plan(&m, &s, CalibrateOptions::default()).unwrap_err();
    assert!(e.to_string().contains("nothing to calibrate"), "{e}");
}

#[test]
fn round6_keeps_six_significant_digits() {
    assert_eq!(round6(120.0 / 3.6e6), 3.33333e-5);
    assert_eq!(round6(1234567.0), 1234570.0);
    assert_eq!(round6(0.0), 0.0);
}
