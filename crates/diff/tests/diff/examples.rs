//! The bundled mortgage example, edited as two architects would, with the expected results
//! written out by hand.

use tributary_core::edit::{self, Command};
use tributary_core::validate::ensure_valid;
use tributary_core::*;
use tributary_diff::{Reason, Status, diff, merge, proposal, take_theirs};

pub fn mortgage() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/examples/mortgage.json"
    );
    exchange::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn run(m: &Model, commands: &[Command]) -> Model {
    let mut out = m.clone();
    for c in commands {
        let d = edit::plan(&out, c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        edit::apply(&mut out, &d).unwrap();
    }
    out
}

fn stage(m: &Model, id: &str) -> Stage {
    m.streams[0].stage(id).unwrap().clone()
}

pub fn set_wait(m: &Model, id: &str, wait: f64) -> Command {
    Command::UpdateStage {
        stream: "mortgage".into(),
        stage: Stage {
            wait_time: wait,
            ..stage(m, id)
        },
    }
}

fn assignment(pbc: &str, stage: &str, process: f64, wait: f64) -> Assignment {
    Assignment {
        pbc: pbc.into(),
        stream: "mortgage".into(),
        stage: stage.into(),
        process_time: process,
        wait_time: wait,
        note: None,
    }
}

/// Architect A: shorter waits at KYC and underwriting, and a document-capture PBC at KYC.
pub fn architect_a(base: &Model) -> Vec<Command> {
    vec![
        set_wait(base, "kyc", 12.0),
        set_wait(base, "underwriting", 8.0),
        Command::AddPbc {
            pbc: Pbc {
                id: "doc-capture".into(),
                name: "Automated document capture".into(),
                domain: Some("Documents".into()),
                team: None,
                kind: PbcKind::Saas,
                lifecycle: Lifecycle::Invest,
                annual_run_cost: 60_000.0,
                systems: vec!["capture API".into()],
            },
        },
        Command::Assign {
            assignment: assignment("doc-capture", "kyc", 0.1, 0.5),
        },
    ]
}

/// Architect B: cloud scoring instead of legacy scoring, and the valuation stage renamed.
pub fn architect_b(base: &Model) -> Vec<Command> {
    vec![
        Command::Unassign {
            pbc: "legacy-scoring".into(),
            stream: "mortgage".into(),
            stage: "scoring".into(),
        },
        Command::Assign {
            assignment: assignment("cloud-scoring", "scoring", 0.1, 0.0),
        },
        Command::UpdateStage {
            stream: "mortgage".into(),
            stage: Stage {
                name: "Collateral valuation".into(),
                ..stage(base, "valuation")
            },
        },
    ]
}

#[test]
fn two_architects_copies_merge_into_the_model_that_has_both() {
    let base = mortgage();
    let (a, b) = (
        run(&base, &architect_a(&base)),
        run(&base, &architect_b(&base)),
    );
    let m = merge(&base, &a, &b);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    // Both copies add an assignment after the last one of the base (E-signature at the offer);
    // the merge puts the run whose key sorts first first ("cloud-scoring" < "doc-capture"), which
    // is the order B's edits and then A's give.
    let mut both = architect_b(&base);
    both.extend(architect_a(&base));
    assert_eq!(m.model, run(&base, &both));
    // and the other way round, the same model
    assert_eq!(merge(&base, &b, &a).model, m.model);
    // the facts, one by one
    let s = &m.model.streams[0];
    assert_eq!(s.stage("kyc").unwrap().wait_time, 12.0);
    assert_eq!(s.stage("underwriting").unwrap().wait_time, 8.0);
    assert_eq!(s.stage("valuation").unwrap().name, "Collateral valuation");
    let at = |p: &str, st: &str| {
        m.model
            .assignments
            .iter()
            .any(|a| a.pbc == p && a.stage == st)
    };
    assert!(
        at("doc-capture", "kyc")
            && at("cloud-scoring", "scoring")
            && !at("legacy-scoring", "scoring")
    );
}

#[test]
fn the_same_field_changed_on_both_sides_is_one_named_conflict() {
    let base = mortgage();
    let a = run(&base, &[set_wait(&base, "kyc", 12.0)]);
    let b = run(
        &base,
        &[set_wait(&base, "kyc", 30.0), set_wait(&base, "offer", 4.0)],
    );
    let m = merge(&base, &a, &b);
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(
        (c.kind.as_str(), c.name.as_str()),
        ("stage", "Documents & KYC")
    );
    assert_eq!(c.field.as_deref(), Some("wait_time"));
    assert_eq!(c.reason, Reason::BothChanged);
    let n = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_f64());
    assert_eq!(
        (n(&c.base), n(&c.ours), n(&c.theirs)),
        (Some(24.0), Some(12.0), Some(30.0))
    );
    assert_eq!(
        c.text,
        "stage Documents & KYC: wait changed on both sides (ours: 12 h; theirs: 30 h; before: 24 h); kept ours"
    );
    // ours is kept, the other change of theirs is taken
    assert_eq!(stage(&m.model, "kyc").wait_time, 12.0);
    assert_eq!(stage(&m.model, "offer").wait_time, 4.0);
    // taking theirs resolves it
    let resolved = take_theirs(&m.model, c).unwrap();
    assert_eq!(stage(&resolved, "kyc").wait_time, 30.0);
    assert_eq!(stage(&resolved, "offer").wait_time, 4.0);
}

#[test]
fn a_stage_edited_on_one_side_and_deleted_on_the_other_is_a_conflict() {
    let base = mortgage();
    let deleted = without_valuation(&base);
    let edited = run(&base, &[set_wait(&base, "valuation", 4.0)]);
    let m = merge(&base, &deleted, &edited);
    let c: Vec<_> = m.conflicts.iter().filter(|c| c.kind == "stage").collect();
    assert_eq!(c.len(), 1, "{:?}", m.conflicts);
    assert_eq!(c[0].reason, Reason::DeletedByOurs);
    assert_eq!(c[0].name, "Property valuation");
    assert!(
        c[0].text.contains("theirs wait 8 h -> 4 h"),
        "{}",
        c[0].text
    );
    assert!(stage_missing(&m.model, "valuation"));
    ensure_valid(&m.model).unwrap();
    // the other way round ours is the edit, kept
    let m = merge(&base, &edited, &deleted);
    assert_eq!(stage(&m.model, "valuation").wait_time, 4.0);
    assert_eq!(
        m.conflicts
            .iter()
            .filter(|c| c.reason == Reason::DeletedByTheirs)
            .count(),
        1
    );
    ensure_valid(&m.model).unwrap();
}

/// The base with its property valuation stage deleted (its edges go with it).
fn without_valuation(base: &Model) -> Model {
    run(
        base,
        &[Command::DeleteStage {
            stream: "mortgage".into(),
            id: "valuation".into(),
        }],
    )
}

fn stage_missing(m: &Model, id: &str) -> bool {
    m.streams[0].stage(id).is_none()
}

#[test]
fn a_merge_that_would_break_a_rule_is_a_conflict_and_still_validates() {
    let base = mortgage();
    let deleted = without_valuation(&base);
    // theirs puts the AVM on the stage ours deleted, and links valuation onwards to the offer
    let theirs = run(
        &base,
        &[
            Command::Assign {
                assignment: assignment("avm", "valuation", 0.2, 2.0),
            },
            Command::Connect {
                stream: "mortgage".into(),
                from: "valuation".into(),
                to: "offer".into(),
            },
        ],
    );
    let m = merge(&base, &deleted, &theirs);
    ensure_valid(&m.model).unwrap();
    let invalid: Vec<_> = m
        .conflicts
        .iter()
        .filter(|c| c.reason == Reason::Invalid)
        .collect();
    assert!(
        invalid
            .iter()
            .any(|c| c.kind == "assignment" && c.key == ["avm", "mortgage", "valuation"]),
        "{invalid:?}"
    );
    assert!(invalid.iter().any(|c| c.kind == "edge"), "{invalid:?}");
    assert!(stage_missing(&m.model, "valuation"));
    // the other way round: ours keeps what it made, so the stage theirs deleted comes back
    let m = merge(&base, &theirs, &deleted);
    ensure_valid(&m.model).unwrap();
    assert!(m.model.streams[0].stage("valuation").is_some());
    assert!(
        m.conflicts
            .iter()
            .any(|c| c.reason == Reason::Invalid && c.name == "Property valuation"),
        "{:?}",
        m.conflicts
    );
}

#[test]
fn the_diff_says_what_changed_by_name() {
    let base = mortgage();
    let a = run(&base, &architect_a(&base));
    let d = diff(&base, &a);
    assert_eq!(
        d.lines(),
        [
            "stage Documents & KYC: wait 24 h -> 12 h",
            "stage Underwriting decision: wait 16 h -> 8 h",
            "PBC Automated document capture added, serves Documents & KYC",
            "PBC Automated document capture at Documents & KYC added",
        ]
    );
    let b = run(&base, &architect_b(&base));
    let d = diff(&base, &b);
    assert_eq!(
        d.lines(),
        [
            "stage Property valuation: renamed to Collateral valuation",
            "PBC Cloud credit scoring at Credit scoring added",
            "PBC Legacy credit scoring at Credit scoring removed",
        ]
    );
    assert_eq!(d.items[0].status, Status::Changed);
    assert_eq!(d.items[0].name, "Collateral valuation");
}

#[test]
fn a_moved_stage_and_a_removed_scenario_change_are_said_so() {
    let base = mortgage();
    let x = run(
        &base,
        &[
            Command::MoveStage {
                stream: "mortgage".into(),
                id: "offer".into(),
                index: 0,
            },
            Command::RemoveChange {
                scenario: "future".into(),
                index: 1,
            },
        ],
    );
    assert_eq!(
        diff(&base, &x).lines(),
        [
            "stage Offer & e-signature: moved from place 6 to 1",
            "scenario Future state: cloud scoring and automated valuation: change 2 removed (Swap Valuation desk workflow for Automated valuation model (process 0.2 h, wait 2 h))",
        ]
    );
}

/// REFERENCE.md's E1 and E2: the approval wait 40 h -> 8 h takes the lead time from 94.5 h to
/// 62.5 h and saves 416,000 a year of the 1,228,500 delay cost.
#[test]
fn the_diff_says_what_it_does_to_the_numbers() {
    let e1 = |approve_wait: f64| {
        let st = |id: &str, pt: f64, wt: f64, pca: f64| Stage {
            id: id.into(),
            name: id.into(),
            process_time: pt,
            wait_time: wt,
            pca,
            capacity: None,
            team: None,
            position: None,
            uncertainty: None,
            note: None,
        };
        let mut m = Model::new("E1");
        m.streams.push(Stream {
            id: "e1".into(),
            name: "E1".into(),
            trigger: None,
            value: None,
            demand_per_week: 20.0,
            cost_of_delay_per_week: 500.0,
            urgency: Urgency::Standard,
            stages: vec![
                st("Intake", 0.5, 8.0, 0.9),
                st("Assess", 2.0, 24.0, 0.8),
                st("Approve", 1.0, approve_wait, 0.95),
                st("Fulfil", 3.0, 16.0, 0.98),
            ],
            edges: vec![],
            arrivals: None,
        });
        m
    };
    let d = diff(&e1(40.0), &e1(8.0));
    assert_eq!(d.lines(), ["stage Approve: wait 40 h -> 8 h"]);
    let s = &d.impact.streams[0];
    let (before, after) = (s.before.as_ref().unwrap(), s.after.as_ref().unwrap());
    assert!((before.lead_time - 94.5).abs() < 1e-9 && (after.lead_time - 62.5).abs() < 1e-9);
    assert!((before.annual_delay_cost - 1_228_500.0).abs() < 1e-6);
    assert!((after.annual_delay_cost - (1_228_500.0 - 416_000.0)).abs() < 1e-6);
    assert_eq!(
        d.impact.lines()[0],
        "E1: lead time 94.5 h -> 62.5 h, flow efficiency 6.9 % -> 10.4 %, annual delay cost EUR 1.2m -> EUR 812k"
    );
}

/// Architect A's copy as a scenario of the base: applied, it gives A's numbers exactly, and
/// the new PBC joins the base serving nowhere, which costs the base nothing.
#[test]
fn their_changes_as_a_scenario_give_their_numbers() {
    let base = mortgage();
    for copy in [architect_a(&base), architect_b(&base)] {
        let theirs = run(&base, &copy);
        let p = proposal(&base, &theirs, "proposal", "Their proposal");
        let mut with = base.clone();
        with.pbcs.extend(p.new_pbcs.clone());
        ensure_valid(&with).unwrap();
        let before = metrics::compute(&base).unwrap();
        assert_eq!(
            metrics::compute(&with).unwrap().annual_run_cost,
            before.annual_run_cost
        );
        let applied = scenario::metrics(&with, &p.scenario).unwrap();
        let theirs_metrics = metrics::compute(&theirs).unwrap();
        assert_eq!(
            applied.streams[0].lead_time,
            theirs_metrics.streams[0].lead_time
        );
        assert_eq!(applied.annual_delay_cost, theirs_metrics.annual_delay_cost);
        assert_eq!(applied.annual_run_cost, theirs_metrics.annual_run_cost);
    }
    let b = run(&base, &architect_b(&base));
    let p = proposal(&base, &b, "proposal", "Their proposal");
    assert_eq!(
        p.included,
        [
            "Add Cloud credit scoring at Credit scoring (process 0.1 h, wait 0 h)",
            "Remove Legacy credit scoring from Credit scoring"
        ]
    );
    assert_eq!(p.left_out.len(), 1);
    assert_eq!(
        p.left_out[0].text,
        "stage Property valuation: renamed to Collateral valuation"
    );
    assert_eq!(
        p.left_out[0].reason,
        "a scenario changes a stage's times, %C&A and capacity, not its name"
    );
}
