//! The worked examples of REFERENCE.md, computed through the public API.

use tributary_core::exchange::from_json;
use tributary_core::metrics::{self, BottleneckReason};
use tributary_core::scenario;
use tributary_core::*;

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

pub fn e1() -> Model {
    from_json(
        r#"{"format":"tributary/1","name":"E1 line stream","currency":"EUR","time_unit":"hours",
        "calendar":{"hours_per_day":8,"days_per_week":5},
        "streams":[{"id":"s","name":"E1","demand_per_week":20,"cost_of_delay_per_week":500,
        "stages":[{"id":"intake","name":"Intake","process_time":0.5,"wait_time":8,"pca":0.90},
                  {"id":"assess","name":"Assess","process_time":2,"wait_time":24,"pca":0.80},
                  {"id":"approve","name":"Approve","process_time":1,"wait_time":40,"pca":0.95},
                  {"id":"fulfil","name":"Fulfil","process_time":3,"wait_time":16,"pca":0.98}]}]}"#,
    )
    .unwrap()
}

#[test]
fn e1_line_stream() {
    let m = metrics::compute(&e1()).unwrap();
    let s = &m.streams[0];
    close(s.lead_time, 94.5, 1e-9, "lead time");
    close(s.process_time, 6.5, 1e-9, "process time");
    close(s.wait_time, 88.0, 1e-9, "wait time");
    close(s.flow_efficiency, 0.068783, 5e-7, "flow efficiency");
    close(s.rolled_pca, 0.67032, 5e-6, "rolled %C&A");
    close(s.expected_lead_time, 104.4901, 5e-5, "expected lead time");
    let b = s.bottleneck.as_ref().unwrap();
    assert_eq!(b.id, "approve");
    assert_eq!(b.reason, BottleneckReason::LongestWait);
    close(s.lead_time_weeks, 2.3625, 1e-12, "lead time in weeks");
    close(s.wip, 47.25, 1e-9, "WIP");
    close(s.annual_delay_cost, 1_228_500.0, 1e-6, "annual delay cost");
    // Little's law the other way round: WIP x CoD x 52 is the same annual cost.
    close(
        s.wip * 500.0 * 52.0,
        s.annual_delay_cost,
        1e-6,
        "WIP x CoD x 52",
    );
    close(
        s.takt_time.unwrap(),
        2.0,
        1e-12,
        "takt time: 40 h / 20 items",
    );
    close(s.work_content, 6.5, 1e-12, "work content");
    assert_eq!(
        s.critical_path,
        vec!["intake", "assess", "approve", "fulfil"]
    );
}

fn e2_model() -> Model {
    let mut model = e1();
    model.scenarios.push(Scenario {
        id: "auto".into(),
        name: "Decision automation".into(),
        description: None,
        changes: vec![
            Change::SetStage {
                stream: "s".into(),
                stage: "approve".into(),
                process_time: None,
                wait_time: Some(8.0),
                pca: None,
                capacity: None,
            },
            Change::Investment {
                name: "decision automation PBC".into(),
                amount: 600_000.0,
                duration_weeks: 0.0,
            },
        ],
    });
    model
}

#[test]
fn e2_scenario_on_e1() {
    let model = e2_model();
    let c = scenario::compare(&model, "auto").unwrap();
    let s = &c.streams[0];
    close(s.scenario.lead_time, 62.5, 1e-9, "scenario lead time");
    close(
        s.scenario.flow_efficiency,
        0.104,
        1e-12,
        "scenario flow efficiency",
    );
    close(
        s.lead_time_saved_weeks,
        0.8,
        1e-12,
        "lead time saved (weeks)",
    );
    close(
        c.annual_delay_cost_saved,
        416_000.0,
        1e-6,
        "delay cost saved",
    );
    close(c.investment, 600_000.0, 0.0, "investment");
    close(c.payback_years.unwrap(), 1.4423, 5e-5, "payback");
    close(c.npv, 1_060_967.38, 0.005, "NPV");
    // The stream's bottleneck moves once Approve stops waiting longest.
    assert_eq!(s.baseline.bottleneck.as_deref(), Some("approve"));
    assert_eq!(s.scenario.bottleneck.as_deref(), Some("assess"));
}

#[test]
fn e3_capacities_on_e1() {
    let mut model = e1();
    for (st, c) in model.streams[0].stages.iter_mut().zip([1.0, 2.0, 1.0, 2.0]) {
        st.capacity = Some(c);
    }
    let m = metrics::compute(&model).unwrap();
    let s = &m.streams[0];
    let u: Vec<f64> = s.stages.iter().map(|x| x.utilisation.unwrap()).collect();
    for (got, want) in u.iter().zip([0.25, 0.50, 0.50, 0.75]) {
        close(*got, want, 1e-12, "utilisation");
    }
    let b = s.bottleneck.as_ref().unwrap();
    assert_eq!(b.id, "fulfil");
    assert_eq!(b.reason, BottleneckReason::HighestUtilisation);
    // Fulfil can do 2 people x 40 h / 3 h = 26.67 items a week: above the demand of 20.
    close(s.capacity_per_week.unwrap(), 80.0 / 3.0, 1e-9, "capacity");
    close(s.throughput_per_week, 20.0, 0.0, "throughput");
}

#[test]
fn e4_parallel_branches() {
    let model = from_json(
        r#"{"format":"tributary/1","name":"E4","streams":[{"id":"s","name":"E4",
        "stages":[{"id":"start","name":"Start","process_time":1,"wait_time":2},
                  {"id":"b1","name":"B1","process_time":2,"wait_time":10},
                  {"id":"b2","name":"B2","process_time":4,"wait_time":4},
                  {"id":"end","name":"End","process_time":1,"wait_time":1}],
        "edges":[{"from":"start","to":"b1"},{"from":"start","to":"b2"},
                 {"from":"b1","to":"end"},{"from":"b2","to":"end"}]}]}"#,
    )
    .unwrap();
    let s = &metrics::compute(&model).unwrap().streams[0];
    assert_eq!(s.critical_path, vec!["start", "b1", "end"]);
    close(s.lead_time, 17.0, 1e-12, "lead time");
    close(s.process_time, 4.0, 1e-12, "process time");
    close(s.flow_efficiency, 0.235294, 5e-7, "flow efficiency");
    close(s.work_content, 8.0, 1e-12, "work content");
    assert!(!s.stages[2].on_critical_path);
}

/// Learning to See, the Acme Stamping map: takt 60 s, 23.6 days of inventory, 188 s of
/// process time.
#[test]
fn e8_takt_and_ladder() {
    // Two shifts of 27,600 s a day: 15.333 h. Work in days, 5 a week.
    let hours_per_day = 2.0 * 27_600.0 / 3600.0;
    let day_s = 2.0 * 27_600.0;
    let cycle_s = [1.0, 39.0, 46.0, 62.0, 40.0, 0.0];
    let inventory_days = [5.0, 7.6, 1.8, 2.7, 2.0, 4.5];
    let names = [
        "stamping",
        "spot-weld-1",
        "spot-weld-2",
        "assembly-1",
        "assembly-2",
        "shipping",
    ];
    let stages: Vec<String> = names
        .iter()
        .zip(cycle_s.iter().zip(inventory_days))
        .map(|(n, (c, w))| {
            format!(
                r#"{{"id":"{n}","name":"{n}","process_time":{},"wait_time":{w}}}"#,
                c / day_s
            )
        })
        .collect();
    let json = format!(
        r#"{{"format":"tributary/1","name":"Acme","time_unit":"days",
        "calendar":{{"hours_per_day":{hours_per_day},"days_per_week":5}},
        "streams":[{{"id":"acme","name":"Acme","demand_per_week":{},"stages":[{}]}}]}}"#,
        920.0 * 5.0,
        stages.join(",")
    );
    let model = from_json(&json).unwrap();
    let s = &metrics::compute(&model).unwrap().streams[0];
    // takt in days, then in seconds
    close(s.takt_time.unwrap() * day_s, 60.0, 1e-9, "takt (s)");
    close(s.wait_time, 23.6, 1e-9, "days of inventory");
    close(s.process_time * day_s, 188.0, 1e-9, "process time (s)");
}

#[test]
fn calendar_conversions() {
    let c = Calendar::default();
    assert_eq!(c.convert(94.5, TimeUnit::Hours, TimeUnit::Weeks), 2.3625);
    assert_eq!(c.convert(2.0, TimeUnit::Days, TimeUnit::Hours), 16.0);
    assert_eq!(c.convert(90.0, TimeUnit::Minutes, TimeUnit::Hours), 1.5);
}

#[test]
fn pbc_contributions_add_to_the_stage() {
    let mut model = e1();
    model.pbcs.push(Pbc {
        id: "core".into(),
        name: "Legacy core".into(),
        domain: None,
        team: None,
        kind: PbcKind::Legacy,
        lifecycle: Lifecycle::Migrate,
        annual_run_cost: 120_000.0,
        systems: vec![],
    });
    model.assignments.push(Assignment {
        pbc: "core".into(),
        stream: "s".into(),
        stage: "assess".into(),
        process_time: 0.5,
        wait_time: 6.0,
        note: Some("manual re-keying".into()),
    });
    let m = metrics::compute(&model).unwrap();
    let s = &m.streams[0];
    // E1 plus 6.5 h at Assess.
    close(s.lead_time, 101.0, 1e-9, "lead time");
    close(s.process_time, 7.0, 1e-9, "process time");
    assert_eq!(s.stages[1].pbcs, vec!["core"]);
    close(s.stages[1].pbc_wait_time, 6.0, 0.0, "PBC wait");
    close(
        m.annual_run_cost,
        120_000.0,
        0.0,
        "run cost of PBCs in service",
    );

    let matrix = tributary_core::matrix::dependency_matrix(&model).unwrap();
    assert_eq!(matrix.cells.len(), 1);
    assert_eq!(matrix.stages[matrix.cells[0].column as usize].id, "assess");
    let impact = &matrix.impacts[0];
    close(
        impact.lead_time_impact,
        6.5,
        1e-9,
        "lead-time impact on a line",
    );
}

#[test]
fn off_the_critical_path_a_pbc_costs_less_lead_time_than_it_adds() {
    // E4 with a PBC adding 5 h wait on B2 (off the critical path by 5 h): lead time rises
    // from 17 to 18, so removing the PBC saves 1 h, not 5.
    let mut model = from_json(
        r#"{"format":"tributary/1","name":"E4","streams":[{"id":"s","name":"E4",
        "stages":[{"id":"start","name":"Start","process_time":1,"wait_time":2},
                  {"id":"b1","name":"B1","process_time":2,"wait_time":10},
                  {"id":"b2","name":"B2","process_time":4,"wait_time":4},
                  {"id":"end","name":"End","process_time":1,"wait_time":1}],
        "edges":[{"from":"start","to":"b1"},{"from":"start","to":"b2"},
                 {"from":"b1","to":"end"},{"from":"b2","to":"end"}]}],
        "pbcs":[{"id":"p","name":"P"}],
        "assignments":[{"pbc":"p","stream":"s","stage":"b2","wait_time":5}]}"#,
    )
    .unwrap();
    let s = &metrics::compute(&model).unwrap().streams[0];
    close(s.lead_time, 18.0, 1e-12, "lead time");
    assert_eq!(s.critical_path, vec!["start", "b2", "end"]);
    let impacts = tributary_core::matrix::impacts(&model).unwrap();
    close(impacts[0].wait_time, 5.0, 0.0, "time added");
    close(impacts[0].lead_time_impact, 1.0, 1e-12, "lead-time impact");
    model.assignments.clear();
    close(
        metrics::compute(&model).unwrap().streams[0].lead_time,
        17.0,
        1e-12,
        "without the PBC",
    );
}

#[test]
fn swapping_a_pbc_changes_times_and_run_cost() {
    let mut model = e1();
    for (id, kind, cost) in [
        ("legacy-scoring", PbcKind::Legacy, 300_000.0),
        ("cloud-scoring", PbcKind::Saas, 120_000.0),
    ] {
        model.pbcs.push(Pbc {
            id: id.into(),
            name: id.into(),
            domain: Some("credit".into()),
            team: None,
            kind,
            lifecycle: Lifecycle::Migrate,
            annual_run_cost: cost,
            systems: vec![],
        });
    }
    model.assignments.push(Assignment {
        pbc: "legacy-scoring".into(),
        stream: "s".into(),
        stage: "assess".into(),
        process_time: 1.0,
        wait_time: 16.0,
        note: None,
    });
    model.scenarios.push(Scenario {
        id: "swap".into(),
        name: "Cloud scoring".into(),
        description: None,
        changes: vec![
            Change::SwapPbc {
                from: "legacy-scoring".into(),
                to: "cloud-scoring".into(),
                stream: None,
                process_time: Some(0.0),
                wait_time: Some(0.0),
            },
            Change::Investment {
                name: "migration".into(),
                amount: 250_000.0,
                duration_weeks: 26.0,
            },
        ],
    });
    let c = scenario::compare(&model, "swap").unwrap();
    // 17 h saved = 0.425 weeks per item; x 20 x 52 x 500
    close(c.streams[0].lead_time_saved, 17.0, 1e-9, "lead time saved");
    close(
        c.annual_delay_cost_saved,
        0.425 * 20.0 * 52.0 * 500.0,
        1e-6,
        "delay saved",
    );
    close(c.annual_run_cost_saved, 180_000.0, 1e-9, "run cost saved");
    close(c.annual_benefit, 221_000.0 + 180_000.0, 1e-6, "benefit");
    // Half a year of build: year 1 earns half the benefit.
    close(c.cash_flows[1], 200_500.0, 1e-6, "year 1");
    close(c.cash_flows[2], 401_000.0, 1e-6, "year 2");
    // 250,000 - 200,500 = 49,500 left after year 1, of 401,000 in year 2.
    close(
        c.payback_years.unwrap(),
        1.0 + 49_500.0 / 401_000.0,
        1e-9,
        "payback",
    );
    assert_eq!(
        c.changes[0],
        "Swap legacy-scoring for cloud-scoring (process 0 h, wait 0 h)"
    );
}

#[test]
fn an_unknown_scenario_lists_the_known_ones() {
    let mut model = e1();
    model.scenarios.push(Scenario {
        id: "a".into(),
        name: "A".into(),
        description: None,
        changes: vec![],
    });
    let err = scenario::compare(&model, "zz").unwrap_err().to_string();
    assert_eq!(err, "scenario \"zz\" (the model has: a) does not exist");
}

#[test]
fn overloaded_stages_are_warned_about() {
    let mut model = e1();
    model.streams[0].stages[3].capacity = Some(1.0); // 20 x 3 h = 60 h > 40 h
    let s = &metrics::compute(&model).unwrap().streams[0];
    close(s.stages[3].utilisation.unwrap(), 1.5, 1e-12, "utilisation");
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("150 %"), "{}", s.warnings[0]);
    close(
        s.throughput_per_week,
        40.0 / 3.0,
        1e-12,
        "capped throughput",
    );
}

/// An initiative that names the E2 scenario takes its cost of delay from E2's business case:
/// EUR 416,000 of delay cost saved a year / 52 = EUR 8,000 a week; over 10 weeks its CD3 is
/// 800. Deleting the scenario keeps that figure, typed.
#[test]
fn an_initiative_linked_to_a_scenario_costs_what_the_scenario_saves() {
    use tributary_core::edit::{self, Command};
    let mut model = e2_model();
    model.initiatives.push(Initiative {
        id: "auto".into(),
        name: "Decision automation".into(),
        stream: Some("s".into()),
        cost_of_delay_per_week: 1.0,
        duration_weeks: 10.0,
        urgency: Urgency::Standard,
        wsjf: None,
        scenario: Some("auto".into()),
    });
    tributary_core::validate::ensure_valid(&model).unwrap();
    let p = tributary_core::cod::prioritize_model(&model).unwrap();
    close(
        p.costs_of_delay[0].per_week,
        8_000.0,
        1e-6,
        "linked cost of delay",
    );
    assert_eq!(p.costs_of_delay[0].scenario.as_deref(), Some("auto"));
    close(p.cd3[0].score, 800.0, 1e-9, "CD3 of the linked initiative");
    let d = edit::plan(&model, &Command::DeleteScenario { id: "auto".into() }).unwrap();
    edit::apply(&mut model, &d).unwrap();
    assert_eq!(model.initiatives[0].scenario, None);
    close(
        model.initiatives[0].cost_of_delay_per_week,
        8_000.0,
        1e-6,
        "kept, typed",
    );
    // a link to a scenario that does not exist is refused
    model.initiatives[0].scenario = Some("gone".into());
    let e = tributary_core::validate::ensure_valid(&model)
        .unwrap_err()
        .to_string();
    assert!(e.contains("scenario \"gone\" does not exist"), "{e}");
}

/// The issue's example: the E1 stream in hours is 94.5 h; in days (8 h a day) 11.8125 d, with
/// the same cost of delay a year, EUR 1,228,500.
#[test]
fn e1_converted_to_days() {
    use tributary_core::edit::{self, Command};
    let mut m = e1();
    let d = edit::plan(
        &m,
        &Command::ConvertTimeUnit {
            time_unit: TimeUnit::Days,
        },
    )
    .unwrap();
    edit::apply(&mut m, &d).unwrap();
    let mm = metrics::compute(&m).unwrap();
    close(
        mm.streams[0].lead_time,
        94.5 / 8.0,
        1e-12,
        "lead time in days",
    );
    close(mm.annual_delay_cost, 1_228_500.0, 1e-6, "annual delay cost");
    assert_eq!(
        m.streams[0].stages[2].wait_time, 5.0,
        "Approve waits 40 h = 5 d"
    );
}

/// A stream where nothing waits has no queue to point at: no bottleneck by wait (a single stage
/// of 0 h wait was once flagged "BOTTLENECK: longest wait"). One wait of 0.5 h makes its stage
/// the bottleneck again.
#[test]
fn nothing_waits_no_bottleneck() {
    let mut m = e1();
    for st in &mut m.streams[0].stages {
        st.wait_time = 0.0;
    }
    let s = &metrics::compute(&m).unwrap().streams[0];
    assert!(s.bottleneck.is_none(), "no stage waits: {:?}", s.bottleneck);
    m.streams[0].stages.truncate(1);
    let s = &metrics::compute(&m).unwrap().streams[0];
    assert!(s.bottleneck.is_none(), "a single stage without wait");
    m.streams[0].stages[0].wait_time = 0.5;
    let s = &metrics::compute(&m).unwrap().streams[0];
    assert_eq!(s.bottleneck.as_ref().map(|b| b.id.as_str()), Some("intake"));
}
