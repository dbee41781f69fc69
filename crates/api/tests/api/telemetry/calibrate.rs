//! Calibrating the map from measured flow: one undoable edit into the baseline or a scenario.

use tributary_api::telemetry::{Format, Mapping, MappingToml, Statistic, Target};

use super::common::*;

/// A calendar day is 40/7 working hours on an 8 h x 5 d calendar; values round to 2 decimals.
fn h(days: f64) -> f64 {
    (days * 40.0 / 7.0 * 100.0).round() / 100.0
}

#[test]
fn the_baseline_gets_the_measured_medians_in_one_undo_step() {
    let mut f = imported();
    let c = f
        .session
        .calibrate("delivery", Statistic::Median, &Target::Baseline, None, None)
        .unwrap();
    let stream = f.session.model().stream("delivery").unwrap();
    let build = stream.stage("build").unwrap();
    // Build: active median 1.5 d, waiting median 0.5 d.
    assert_eq!((build.process_time, build.wait_time), (h(1.5), h(0.5)));
    assert_eq!((build.process_time, build.wait_time), (8.57, 2.86));
    let review = stream.stage("review").unwrap();
    assert_eq!(
        (review.process_time, review.wait_time),
        (0.0, h((0.5 + 0.5 + 17.0 / 24.0) / 2.0))
    );
    // Analyse has no measurements and is left as drawn.
    assert_eq!(stream.stage("analyse").unwrap().process_time, 2.0);
    assert!(c.skipped.iter().any(|s| s.starts_with("Analyse")));
    assert_eq!(c.stages.len(), 2);
    assert_eq!(
        (c.stages[0].process_before, c.stages[0].process_after),
        (4.0, 8.57)
    );
    let view = f.session.view().unwrap();
    assert!(
        view.undo
            .as_deref()
            .unwrap()
            .starts_with("Calibrate Delivery from measured flow (median of 4 items")
    );
    f.session.undo().unwrap();
    let build = f
        .session
        .model()
        .stream("delivery")
        .unwrap()
        .stage("build")
        .unwrap()
        .clone();
    assert_eq!((build.process_time, build.wait_time), (4.0, 8.0));
}

#[test]
fn the_mean_goes_into_a_new_scenario_and_then_updates_it() {
    let mut f = imported();
    let target = Target::Scenario {
        name: "Measured".into(),
    };
    f.session
        .calibrate("delivery", Statistic::Mean, &target, None, None)
        .unwrap();
    let sc = f.session.model().scenarios[0].clone();
    assert_eq!(sc.name, "Measured");
    // The baseline is untouched.
    assert_eq!(
        f.session
            .model()
            .stream("delivery")
            .unwrap()
            .stage("build")
            .unwrap()
            .process_time,
        4.0
    );
    // Build: mean active (1.5 + 1 + 2 + 1.5) / 4 = 1.5 d; mean waiting (1 + 0.5 + 0 + 0.5) / 4.
    let set = sc
        .changes
        .iter()
        .find_map(|c| match c {
            tributary_core::Change::SetStage {
                stage,
                process_time,
                wait_time,
                ..
            } if stage == "build" => Some((*process_time, *wait_time)),
            _ => None,
        })
        .unwrap();
    assert_eq!(set, (Some(h(1.5)), Some(h(0.5))));
    // Again with the median: the same scenario is updated, not duplicated.
    f.session
        .calibrate("delivery", Statistic::Median, &target, None, None)
        .unwrap();
    let model = f.session.model();
    assert_eq!(model.scenarios.len(), 1);
    assert_eq!(model.scenarios[0].changes.len(), 2);
    let m = tributary_core::scenario::metrics(model, &model.scenarios[0]).unwrap();
    let build = m.streams[0]
        .stages
        .iter()
        .find(|s| s.id == "build")
        .unwrap();
    assert_eq!(build.process_time, h(1.5));
}

#[test]
fn pbc_time_is_kept_out_of_the_stage_own_time() {
    let mut f = imported();
    use tributary_core::edit::Command;
    f.session
        .execute(&Command::AddPbc {
            pbc: tributary_core::Pbc {
                id: "erp".into(),
                name: "ERP".into(),
                domain: None,
                team: None,
                kind: Default::default(),
                lifecycle: Default::default(),
                annual_run_cost: 0.0,
                systems: Vec::new(),
            },
        })
        .unwrap();
    f.session
        .execute(&Command::Assign {
            assignment: tributary_core::Assignment {
                pbc: "erp".into(),
                stream: "delivery".into(),
                stage: "build".into(),
                process_time: 1.0,
                wait_time: 5.0,
                note: None,
            },
        })
        .unwrap();
    let c = f
        .session
        .plan_calibration("delivery", Statistic::Median, &Target::Baseline, None, None)
        .unwrap();
    let build = c.stages.iter().find(|s| s.stage == "build").unwrap();
    // Measured 8.571 h process and 2.857 h wait; the PBC adds 1 h and 5 h.
    assert_eq!(
        build.process_after,
        ((1.5 * 40.0 / 7.0 - 1.0) * 100.0_f64).round() / 100.0
    );
    assert_eq!(build.wait_after, 0.0);
    assert!(
        build
            .note
            .as_deref()
            .unwrap()
            .contains("PBCs alone add 5.00 of wait time")
    );
}

#[test]
fn no_measured_stage_is_a_message() {
    let m = Mapping::from_toml(
        "[states]\n\"Backlog\" = \"new\"\n\"Doing\" = \"active\"\n\"Done\" = \"done\"\n",
    )
    .unwrap();
    let mut f = with("events.csv", Format::EventsCsv, Some(m));
    // the import's mapping is an edit of its own (one undo step); the refused calibration
    // must add none
    let before = f.session.view().unwrap().undo;
    assert_eq!(before.as_deref(), Some("Map measured statuses"));
    let e = f
        .session
        .calibrate("delivery", Statistic::Median, &Target::Baseline, None, None)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no stage of stream \"delivery\" has measured times"),
        "{e}"
    );
    assert_eq!(f.session.view().unwrap().undo, before);
}
