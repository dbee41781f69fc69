//! Integrations between PBCs in the numbers: REFERENCE.md section 7 (E17, E18) and the
//! properties of the model around them.

use tributary_core::edit::{self, Command};
use tributary_core::exchange::from_json;
use tributary_core::metrics::{self, BottleneckReason, StreamMetrics};
use tributary_core::scenario;
use tributary_core::validate::validate;
use tributary_core::*;

use super::reference::e1;

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

/// The bundled mortgage example: 120 items a week at a cost of delay of 220 per item-week,
/// 8 h x 5 d; its integrations are attached to nothing.
fn mortgage() -> Model {
    from_json(include_str!("../../../../assets/examples/mortgage.json")).unwrap()
}

fn stream(m: &Model) -> StreamMetrics {
    metrics::compute(m).unwrap().streams.remove(0)
}

fn at(stream: &str, stage: &str, after: Option<&str>) -> Option<IntegrationAt> {
    Some(IntegrationAt {
        stream: stream.into(),
        stage: stage.into(),
        after: after.map(Into::into),
    })
}

/// E17: a nightly file transfer on the hand-off from Underwriting decision to Offer,
/// every 8 h of working time, running 0.5 h.
fn e17() -> Model {
    let mut m = mortgage();
    m.integrations.push(Integration {
        interval: Some(8.0),
        at: at("mortgage", "offer", Some("underwriting")),
        name: Some("Nightly offer file".into()),
        ..Integration::new(
            "nightly",
            "decision-engine",
            "esign",
            IntegrationStyle::Batch,
            0.5,
        )
    });
    m
}

#[test]
fn an_integration_attached_to_nothing_adds_nothing() {
    let m = mortgage();
    assert!(!m.integrations.is_empty(), "the example has integrations");
    let mut bare = m.clone();
    bare.integrations.clear();
    assert_eq!(
        metrics::compute(&m).unwrap(),
        metrics::compute(&bare).unwrap()
    );
    let s = stream(&m);
    assert_eq!(s.integration_time, 0.0);
    assert!(s.integrations.is_empty());
}

#[test]
fn e17_a_nightly_batch_waits_half_its_interval_plus_its_run_time() {
    let before = stream(&mortgage());
    let after = stream(&e17());
    let offer = |s: &StreamMetrics| s.stages.iter().find(|x| x.id == "offer").unwrap().clone();
    let (o0, o1) = (offer(&before), offer(&after));
    // 8 / 2 + 0.5 = 4.5 h more wait before Offer, its own part of the wait
    close(o1.integration_wait_time, 4.5, 1e-12, "the batch's wait");
    close(o1.wait_time - o0.wait_time, 4.5, 1e-12, "Offer's wait");
    assert_eq!(o1.process_time, o0.process_time);
    assert_eq!(o1.integrations.len(), 1);
    assert_eq!(o1.integrations[0].after.as_deref(), Some("underwriting"));
    assert_eq!(
        o1.integrations[0].explanation,
        "Waiting for Nightly offer file (a batch every 8 h, running 30 min): 4.5 h"
    );
    // Offer is the last stage, on every path: the whole 4.5 h is lead time
    close(after.lead_time - before.lead_time, 4.5, 1e-12, "lead time");
    close(
        after.integration_time,
        4.5,
        1e-12,
        "integration time on the path",
    );
    let cost = &after.integrations[0];
    close(cost.lead_time, 4.5, 1e-12, "what it costs the stream");
    close(
        cost.share_of_lead_time,
        4.5 / after.lead_time,
        1e-15,
        "share",
    );
    // 120 x 52 x 220 x 4.5 / 40 = 154,440 a year
    close(cost.annual_delay_cost, 154_440.0, 1e-6, "its delay cost");
    assert!(cost.on_critical_path);
}

#[test]
fn e17_replacing_the_batch_by_events_is_a_business_case() {
    let mut m = e17();
    m.scenarios = vec![Scenario {
        id: "events".into(),
        name: "Offers by event".into(),
        description: None,
        changes: vec![Change::SetIntegration {
            integration: "nightly".into(),
            style: Some(IntegrationStyle::Events),
            latency: Some(0.01),
            interval: None,
            calls_per_item: None,
        }],
    }];
    assert!(
        validate(&m)
            .problems
            .iter()
            .all(|p| p.severity != Severity::Error)
    );
    let c = scenario::compare(&m, "events").unwrap();
    // 4.5 h -> 36 s = 0.01 h: 4.49 h less per item
    close(c.streams[0].lead_time_saved, 4.49, 1e-9, "lead time saved");
    // 120 x 52 x 220 x 4.49 / 40 = 154,096.80 a year
    close(
        c.annual_delay_cost_saved,
        154_096.80,
        1e-6,
        "delay cost saved",
    );
    assert_eq!(
        c.changes,
        ["Nightly offer file: batch -> events, latency 0.5 -> 0.01 h"]
    );
    let affected = scenario::affected_stages(&m, &m.scenarios[0]);
    assert_eq!(affected, [("mortgage".to_owned(), "offer".to_owned())]);
}

#[test]
fn e18_a_chatty_legacy_call_adds_to_process_time() {
    let mut m = mortgage();
    let before = stream(&m);
    m.integrations.push(Integration {
        calls_per_item: Some(3.0),
        at: at("mortgage", "kyc", None),
        ..Integration::new(
            "auth",
            "onboarding",
            "kyc-screening",
            IntegrationStyle::SyncApi,
            0.0125,
        )
    });
    let after = stream(&m);
    let kyc = after.stages.iter().find(|x| x.id == "kyc").unwrap();
    // 3 calls x 45 s = 135 s = 0.0375 h of process time, none of wait
    close(kyc.integration_process_time, 0.0375, 1e-15, "the calls");
    assert_eq!(kyc.integration_wait_time, 0.0);
    close(
        after.process_time - before.process_time,
        0.0375,
        1e-12,
        "process time",
    );
    assert!(after.flow_efficiency > before.flow_efficiency);
    assert_eq!(
        kyc.integrations[0].explanation,
        "Calling Customer onboarding → KYC & AML screening (3 calls of 45 s each): 2.25 min"
    );
}

#[test]
fn a_batch_hand_off_can_become_the_bottleneck() {
    // E1's longest wait is Approve's 40 h; a batch every 80 h running 2 h on the hand-off
    // into Fulfil adds 80 / 2 + 2 = 42 h to Fulfil's 16 h
    let mut m = e1();
    m.pbcs = vec![Pbc::new("a", "Approvals"), Pbc::new("f", "Fulfilment")];
    assert_eq!(stream(&m).bottleneck.unwrap().id, "approve");
    m.integrations.push(Integration {
        interval: Some(80.0),
        at: at("s", "fulfil", Some("approve")),
        ..Integration::new("weekly", "a", "f", IntegrationStyle::Batch, 2.0)
    });
    let s = stream(&m);
    let b = s.bottleneck.as_ref().unwrap();
    assert_eq!(
        (b.id.as_str(), b.reason),
        ("fulfil", BottleneckReason::LongestWait)
    );
    assert_eq!(b.explanation, "Fulfil has the longest wait: 58 h");
    close(s.lead_time, 94.5 + 42.0, 1e-12, "lead time");
}

#[test]
fn off_the_critical_path_an_integration_costs_less_than_its_time() {
    // Valuation runs beside Credit scoring; a batch there counts only as far as it makes
    // the valuation branch the longer one
    let mut m = mortgage();
    let s0 = stream(&m);
    let stage =
        |s: &StreamMetrics, id: &str| s.stages.iter().find(|x| x.id == id).unwrap().lead_time;
    let (scoring, valuation) = (stage(&s0, "scoring"), stage(&s0, "valuation"));
    let (long, short) = if scoring >= valuation {
        ("scoring", "valuation")
    } else {
        ("valuation", "scoring")
    };
    let slack = (scoring - valuation).abs();
    let time = slack + 3.0;
    m.integrations.push(Integration {
        at: at("mortgage", short, None),
        ..Integration::new("x", "dms", "legacy-scoring", IntegrationStyle::Events, time)
    });
    let s1 = stream(&m);
    let cost = &s1.integrations[0];
    close(cost.time, time, 1e-12, "its time at the stage");
    close(
        cost.lead_time,
        3.0,
        1e-9,
        "what it costs the stream: the time past the slack",
    );
    close(s1.lead_time - s0.lead_time, 3.0, 1e-9, "lead time");
    assert!(s1.critical_path.contains(&short.to_owned()));
    assert!(!s1.critical_path.contains(&long.to_owned()));
}

#[test]
fn the_slowest_interfaces_come_first() {
    let mut m = e17();
    m.integrations.push(Integration {
        at: at("mortgage", "intake", None),
        ..Integration::new("quick", "onboarding", "dms", IntegrationStyle::Events, 0.25)
    });
    let s = stream(&m);
    let ids: Vec<&str> = s.integrations.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["nightly", "quick"]);
    close(s.integration_time, 4.75, 1e-12, "both on the critical path");
}

fn errors(m: &Model) -> Vec<String> {
    validate(m)
        .problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

#[test]
fn an_attachment_must_name_a_real_hand_off() {
    let mut m = e17();
    // a hand-off that is not one is told, but does not stop an edit that reorders stages
    m.integrations[3].at = at("mortgage", "offer", Some("intake"));
    assert!(errors(&m).is_empty());
    let told = validate(&m)
        .problems
        .into_iter()
        .find(|p| p.path == "integrations[3].at.after");
    assert_eq!(
        told.unwrap().message,
        "integration \"nightly\": stage \"intake\" does not hand over to \"offer\" in stream \
         \"mortgage\"; its time counts before \"offer\""
    );
    m.integrations[3].at = at("mortgage", "offer", Some("nowhere"));
    assert_eq!(
        errors(&m),
        [
            "integrations[3].at.after: integration \"nightly\": stream \"mortgage\" has no stage \
          \"nowhere\""
        ]
    );
    m.integrations[3].at = at("mortgage", "nowhere", None);
    assert_eq!(
        errors(&m),
        [
            "integrations[3].at.stage: integration \"nightly\": stream \"mortgage\" has no stage \
          \"nowhere\""
        ]
    );
    m.integrations[3].at = at("mortgage", "offer", None);
    m.integrations[3].interval = Some(0.0);
    m.integrations[3].calls_per_item = Some(-1.0);
    let e = errors(&m);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].starts_with("integrations[3].interval:"), "{e:?}");
    assert!(e[1].starts_with("integrations[3].calls_per_item:"), "{e:?}");
}

#[test]
fn a_batch_without_an_interval_is_warned_about_only_where_it_counts() {
    let mut m = e17();
    m.integrations[3].interval = None;
    let warned = |m: &Model| {
        validate(m)
            .problems
            .iter()
            .any(|p| p.path == "integrations[3].interval" && p.severity == Severity::Warning)
    };
    assert!(warned(&m));
    m.integrations[3].at = None;
    assert!(!warned(&m));
}

#[test]
fn deleting_a_stage_detaches_its_integrations_and_undo_puts_them_back() {
    let m = e17();
    let d = edit::plan(
        &m,
        &Command::DeleteStage {
            stream: "mortgage".into(),
            id: "offer".into(),
        },
    )
    .unwrap();
    let mut after = m.clone();
    edit::apply(&mut after, &d).unwrap();
    assert_eq!(after.integration("nightly").unwrap().at, None);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
    edit::apply(&mut after, &edit::invert(&d)).unwrap();
    assert_eq!(after, m);
    // deleting the stage handing over keeps the integration at its stage
    let d = edit::plan(
        &m,
        &Command::DeleteStage {
            stream: "mortgage".into(),
            id: "underwriting".into(),
        },
    )
    .unwrap();
    let mut after = m.clone();
    edit::apply(&mut after, &d).unwrap();
    assert_eq!(
        after.integration("nightly").unwrap().at,
        at("mortgage", "offer", None)
    );
}

#[test]
fn deleting_an_integration_takes_the_changes_made_to_it() {
    let mut m = e17();
    m.scenarios[0].changes.push(Change::SetIntegration {
        integration: "nightly".into(),
        style: Some(IntegrationStyle::Events),
        latency: None,
        interval: None,
        calls_per_item: None,
    });
    let n = m.scenarios[0].changes.len();
    let d = edit::plan(
        &m,
        &Command::DeleteIntegration {
            id: "nightly".into(),
        },
    )
    .unwrap();
    let mut after = m.clone();
    edit::apply(&mut after, &d).unwrap();
    assert!(after.integration("nightly").is_none());
    assert_eq!(after.scenarios[0].changes.len(), n - 1);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
    edit::apply(&mut after, &edit::invert(&d)).unwrap();
    assert_eq!(after, m);
}
