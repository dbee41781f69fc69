//! Integrations between PBCs in the simulation (REFERENCE.md section 7, E17): batches drawn
//! at their runs rather than added as T/2 + R, and every integration's time added to a
//! stage's drawn times as the PBCs' is.

use tributary_core::exchange::from_json;
use tributary_core::metrics;
use tributary_core::*;
use tributary_sim::{
    Control, Estimate, Options, SimComparison, Simulation, StreamSimComparison, Summary, check,
    compare, simulate,
};

use crate::*;

/// One stream of one stage "send" with no time of its own, no rework and unlimited
/// servers, one item an hour (40 a week at 8 x 5), PBCs "a" and "b" to integrate, and
/// the integrations given (JSON) attached to it.
fn one_stage(arrivals: &str, integrations: &str) -> Model {
    from_json(&format!(
        r#"{{"format":"tributary/1","name":"batch","time_unit":"hours",
        "pbcs":[{{"id":"a","name":"A"}},{{"id":"b","name":"B"}}],
        "streams":[{{"id":"b","name":"B","demand_per_week":40,"cost_of_delay_per_week":0,
        "arrivals":"{arrivals}",
        "stages":[{{"id":"send","name":"Send","process_time":0,"wait_time":0}}]}}],
        "integrations":[{integrations}]}}"#
    ))
    .unwrap()
}

/// A batch every `t` hours running `r` hours, attached to "send".
fn batch(id: &str, t: f64, r: f64) -> String {
    format!(
        r#"{{"id":"{id}","from":"a","to":"b","style":"batch","latency":{r},"interval":{t},
        "at":{{"stream":"b","stage":"send"}}}}"#
    )
}

fn run(model: &Model, items: u32, runs: u32, seed: u64) -> Simulation {
    let opts = Options {
        items,
        runs,
        seed,
        ..Options::default()
    };
    simulate(model, &opts, &Control::new()).unwrap()
}

fn mean(s: &Summary) -> Estimate {
    Estimate {
        value: s.mean,
        std_error: s.std_error,
    }
}

// (a) A batch every T = 8 h running R = 0.5 h is the stage's only time. Poisson arrivals
// fall at moments independent of the runs' phase, so an item waits a uniform part of the
// interval for the next run, then the run: mean T/2 + R = 4.5 h, standard deviation
// T / sqrt(12) = 2.309 h. Over 20 runs of 20,000 items the standard error of the mean is
// about 2.309 / sqrt(400,000) = 0.0037 h (the test takes it from the spread of the runs and
// asserts it is that small); the tolerance is 4 standard errors, about 0.015 h. The wait is
// never less than R (an item ready at a run's start still waits for the run) and never more
// than T + R (it just missed a run).
#[test]
fn a_batch_waits_half_its_interval_plus_its_run_on_average() {
    let model = one_stage("poisson", &batch("nightly", 8.0, 0.5));
    let map = &metrics::compute(&model).unwrap().streams[0];
    assert_eq!(map.stages[0].wait_time, 4.5, "the paper map's wait");
    let sim = run(&model, 20_000, 20, 3);
    let s = &sim.streams[0];
    within("mean lead time", mean(&s.lead_time), 4.5, 0.0, 0.002);
    let se = s.lead_time.std_error.unwrap();
    assert!(se < 2.0 * 2.309 / 400_000f64.sqrt(), "SE {se}");
    // the stage reports the batch as its wait, to compare with the map's 4.5 h
    within("the stage's wait", s.stages[0].wait_time, 4.5, 0.0, 0.002);
    assert_eq!(s.stages[0].queue_time.value, 0.0);
    let (lo, hi) = (s.lead_time.min, s.lead_time.max);
    assert!(lo >= 0.5 && hi <= 8.5 + 1e-9, "waits from {lo} to {hi}");
    // and spans the whole of it: 400,000 items come within minutes of both ends
    assert!(
        lo < 0.5 + 0.01 && hi > 8.5 - 0.01,
        "waits from {lo} to {hi}"
    );
    // a uniform residual: half the items wait less than T/2 + R
    assert!(
        (s.lead_time.p50 - 4.5).abs() < 0.05,
        "p50 {}",
        s.lead_time.p50
    );
}

// With fixed arrivals every hour and runs every 8 h, the items of one interval leave
// together: an item arriving at hour k leaves with the first run at or after k, so the 8
// items of an interval wait 8 amounts a whole number of hours apart (lead time + arrival =
// departure, the same for all 8): r, r + 1, ..., r + 7, with r in [R, R + 1) set by the
// run's phase. 800 measured items are 100 whole intervals, so each comes 100 times and the
// mean is r + 3.5.
#[test]
fn items_ready_within_one_interval_leave_with_the_same_run() {
    let model = one_stage("fixed", &batch("nightly", 8.0, 0.5));
    let sim = run(&model, 800, 1, 11);
    let s = &sim.streams[0];
    let r = s.lead_time.min;
    assert!((0.5..1.5).contains(&r), "r = {r}");
    let close = |got: f64, want: f64, what: &str| {
        assert!((got - want).abs() < 1e-9, "{what}: {got}, want {want}");
    };
    close(s.lead_time.max, r + 7.0, "the longest wait");
    close(s.lead_time.mean, r + 3.5, "the mean");
    let bars: Vec<_> = s
        .lead_time_histogram
        .iter()
        .filter(|b| b.count > 0)
        .collect();
    assert_eq!(bars.len(), 8, "{bars:?}");
    assert!(bars.iter().all(|b| b.count == 100), "{bars:?}");
}

// Two batches at one stage are passed one after another: T1 = 8, R1 = 0.5, then T2 = 4,
// R2 = 0.25. An item leaves the first at one of its runs' ends, which sit at a fixed
// offset from the second's runs within a run of the simulation, so the second adds the
// same wait to every item of a run; over runs (each with its own phases) that wait is
// uniform again. So the mean is 4.5 + 2.25 = 6.75 h, with a run-to-run spread of about
// T2 / sqrt(12) = 1.15 h: over 200 runs a standard error near 0.08 h, and a tolerance of 4
// standard errors. Every wait lies in [R1 + R2, T1 + R1 + T2 + R2] = [0.75, 12.75].
#[test]
fn batches_at_one_stage_are_passed_one_after_another() {
    let both = [batch("first", 8.0, 0.5), batch("second", 4.0, 0.25)].join(",");
    let model = one_stage("poisson", &both);
    let sim = run(&model, 500, 200, 5);
    let s = &sim.streams[0];
    within("mean lead time", mean(&s.lead_time), 6.75, 0.0, 0.02);
    let (lo, hi) = (s.lead_time.min, s.lead_time.max);
    assert!(lo >= 0.75 && hi <= 12.75 + 1e-9, "waits from {lo} to {hi}");
}

/// The bundled mortgage example, 120 items a week, 8 x 5; its integrations are attached
/// to nothing.
fn mortgage() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/examples/mortgage.json"
    );
    from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// E17: a nightly file transfer on the hand-off from Underwriting decision to Offer, every
/// 8 h of working time, running 0.5 h (as in the engine's tests), as a model file has it.
fn e17() -> Model {
    let mut m = mortgage();
    m.integrations.push(
        serde_json::from_str(
            r#"{"id":"nightly","from":"decision-engine","to":"esign","style":"batch",
            "latency":0.5,"interval":8,"name":"Nightly offer file",
            "at":{"stream":"mortgage","stage":"offer","after":"underwriting"}}"#,
        )
        .unwrap(),
    );
    m
}

/// What E17's batch adds to the mortgage stream's mean lead time, by hand. Offer is the
/// last stage and has unlimited servers, so nothing else there changes. Its first pass
/// reaches the batch at a moment unrelated to the runs: T/2 + R = 4.5 h (REFERENCE.md E17).
/// Offer passes 97 % of items (%C&A) and redoes the rest, and a redo reaches the batch at a
/// fixed offset from its last run: the item left with the run's end (R = 0.5 h after its
/// start), was worked 0.5 h and failed, then waits Offer's other 10 h (8 h of its own, 2 h
/// for e-signature): 11 h after the run's start, 3 h into the next interval, so it waits
/// 5 h for the next run and 0.5 h for it, 5.5 h. Redos per item: 1 / 0.97 - 1 = 0.030928.
/// So the mean lead time grows by 4.5 + 0.030928 x 5.5 = 4.670103 h; the paper map's
/// expected lead time with rework, which assumes T/2 + R on every pass, by 4.5 / 0.97 =
/// 4.639175 h.
fn e17_added(first: f64, redo: f64) -> f64 {
    first + (1.0 / 0.97 - 1.0) * redo
}

// (b) E17 simulated: the mortgage stream's mean lead time is the baseline's + 4.670 h (see
// `e17_added`). Each pair of runs uses the same seed, so both see the same arrivals and
// the same draws upstream of Offer (common random numbers) and their difference is the
// batch's effect with little noise; 12 pairs of 10,000 items give its standard error from
// their spread (about 0.005 h), and the tolerance is 4 standard errors (about 0.02 h). The
// test asks for a standard error under 0.002 x 4.67 = 0.0093 h, so that it tells the 4.67 h
// from the 4.5 h of a batch reached at random on every pass (0.17 h apart, 18 or more
// standard errors).
#[test]
fn e17_the_nightly_batch_adds_its_wait_to_the_mortgage_lead_time() {
    let (base, batch) = (mortgage(), e17());
    let offer = |m: &Model| {
        let s = metrics::compute(m).unwrap().streams.remove(0);
        s.stages.into_iter().find(|x| x.id == "offer").unwrap()
    };
    let (o0, o1) = (offer(&base), offer(&batch));
    assert_eq!((o0.process_time, o0.wait_time, o0.pca), (0.5, 10.0, 0.97));
    assert_eq!(o1.wait_time, 14.5);
    within(
        "lead time added",
        lead_time_added(&base, &batch),
        e17_added(4.5, 5.5),
        0.0,
        0.002,
    );
}

/// The mean lead time `with` adds to `base`, from 12 pairs of seeded runs of 10,000 items
/// (each pair with the same seed), its standard error from the pairs' spread.
fn lead_time_added(base: &Model, with: &Model) -> Estimate {
    let diffs: Vec<f64> = (1..=12)
        .map(|seed| {
            let lead = |m: &Model| run(m, 10_000, 1, seed).streams[0].lead_time.mean;
            lead(with) - lead(base)
        })
        .collect();
    let n = diffs.len() as f64;
    let d = diffs.iter().sum::<f64>() / n;
    let sd = (diffs.iter().map(|x| (x - d) * (x - d)).sum::<f64>() / (n - 1.0)).sqrt();
    Estimate {
        value: d,
        std_error: Some(sd / n.sqrt()),
    }
}

/// E17 with the scenario "Offers by event": the batch replaced by events of 36 s (0.01 h),
/// written as a model file writes it.
fn e17_by_events() -> Model {
    let mut m = e17();
    m.scenarios = serde_json::from_str(
        r#"[{"id":"events","name":"Offers by event","changes":[{"kind":"set_integration",
        "integration":"nightly","style":"events","latency":0.01}]}]"#,
    )
    .unwrap();
    m
}

// (c) Replacing the batch by events saves 4.49 h on Offer's first pass (4.5 h of batch for
// 0.01 h of event, REFERENCE.md E17) and 5.49 h on each redo (see `e17_added`): 4.49 +
// 0.030928 x 5.49 = 4.659794 h per item. The comparison runs both with the same random
// numbers; the standard error of the saving comes from its paired runs (the annual saving's
// standard error / (demand x 52 x cost of delay / 40 h a week)), about 0.005 h with the
// default options; tolerance 4 standard errors, and a standard error under 0.0093 h as in
// (b).
#[test]
fn e17_replacing_the_batch_by_events_saves_its_wait_in_the_simulation() {
    let model = e17_by_events();
    let c = compare_events(&model);
    let s = &c.streams[0];
    let analytic = s.baseline.analytic_lead_time - s.scenario.analytic_lead_time;
    assert!(
        (analytic - 4.49).abs() < 1e-9,
        "the map's saving {analytic}"
    );
    within(
        "lead time saved",
        lead_time_saved(s),
        e17_added(4.49, 5.49),
        0.0,
        0.002,
    );
    assert!(s.headline.contains("down from"), "{}", s.headline);
}

/// The comparison of the scenario "events" with the baseline, default options.
fn compare_events(model: &Model) -> SimComparison {
    compare(model, "events", &Options::default(), &Control::new()).unwrap()
}

/// The mean lead time a simulated comparison saves, with its standard error: the annual
/// saving's / (demand x 52 x cost of delay / 40 h a week), and the saving in money checked
/// to be that rate x the hours.
fn lead_time_saved(s: &StreamSimComparison) -> Estimate {
    let per_hour = 120.0 * 52.0 * 220.0 / 40.0;
    let money = s.annual_delay_cost_saved.mean;
    assert!(
        (money - per_hour * s.lead_time_saved.mean).abs() < 1e-6 * money,
        "{money}"
    );
    Estimate {
        value: s.lead_time_saved.mean,
        std_error: s.annual_delay_cost_saved_std_error.map(|e| e / per_hour),
    }
}

// (b) and (c) as REFERENCE.md E17 states them: where Offer always passes (%C&A 100 %, so no
// item comes back to the batch at a fixed time after a run), the batch adds T/2 + R = 4.5 h
// and replacing it by events saves 4.5 - 0.01 = 4.49 h, within 4 standard errors (each
// about 0.005 h).
#[test]
fn without_redos_of_offer_e17_adds_4_5_h_and_events_save_4_49_h() {
    let always_passes = |mut m: Model| {
        stage_mut(&mut m, "mortgage", "offer").pca = 1.0;
        m
    };
    let base = always_passes(mortgage());
    let batch = always_passes(e17());
    within("added", lead_time_added(&base, &batch), 4.5, 0.0, 0.002);
    let saved = lead_time_saved(&compare_events(&always_passes(e17_by_events())).streams[0]);
    within("saved", saved, 4.49, 0.0, 0.002);
}

/// A stage drawing its times from distributions, with a PBC and integrations on it.
fn drawn(process: Distribution, wait: Distribution, integrations: &str) -> Model {
    let mut m = one_stage("fixed", integrations);
    m.assignments.push(Assignment {
        pbc: "a".into(),
        stream: "b".into(),
        stage: "send".into(),
        process_time: 0.25,
        wait_time: 0.5,
        note: None,
    });
    let st = stage_mut(&mut m, "b", "send");
    (st.process_time, st.wait_time) = (1.0, 2.0);
    st.uncertainty = Some(Uncertainty {
        process: Some(process),
        wait: Some(wait),
        ..Uncertainty::default()
    });
    m
}

/// An event of `latency` and a synchronous call made 3 times at 45 s (0.0125 h, E18).
fn event_and_call(latency: f64) -> String {
    format!(
        r#"{{"id":"e","from":"a","to":"b","style":"events","latency":{latency},
        "at":{{"stream":"b","stage":"send"}}}},
        {{"id":"c","from":"b","to":"a","style":"sync_api","latency":0.0125,"calls_per_item":3,
        "at":{{"stream":"b","stage":"send"}}}}"#
    )
}

// (d) Where a stage draws its times, what its integrations add comes on top of the draw, as
// the PBCs' time does. Drawn (fixed) wait 2 h + the PBC's 0.5 h + an event's 0.25 h =
// 2.75 h; drawn process time 1 h + the PBC's 0.25 h + 3 calls x 0.0125 h = 1.2875 h; so
// every item takes 4.0375 h, the paper map's lead time, and its flow efficiency is
// 1.2875 / 4.0375 = 0.318885. (Before, the integrations were left out: 3.75 h.)
#[test]
fn integrations_add_to_drawn_times_as_pbcs_do() {
    let fixed = |value| Distribution::Fixed { value };
    let model = drawn(fixed(1.0), fixed(2.0), &event_and_call(0.25));
    let map = &metrics::compute(&model).unwrap().streams[0];
    assert!((map.lead_time - 4.0375).abs() < 1e-12, "{}", map.lead_time);
    let sim = run(&model, 200, 2, 1);
    let s = &sim.streams[0];
    for v in [s.lead_time.min, s.lead_time.max] {
        assert!((v - 4.0375).abs() < 1e-12, "lead time {v}");
    }
    assert!((s.flow_efficiency.mean - 1.2875 / 4.0375).abs() < 1e-12);
    assert!((s.stages[0].wait_time.value - 2.75).abs() < 1e-12);
}

// (d) and a batch: drawn wait uniform on [1, 3] h (mean 2) + the PBC's 0.5 h + an event's
// 0.25 h, then a batch every 4 h running 0.5 h (mean 2.5 h), then the work: 1 h + 0.25 h +
// 0.0375 h. Mean lead time 2 + 0.5 + 0.25 + 2.5 + 1.2875 = 6.5375 h, as the map says; every
// item between 1 + 0.75 + 0.5 + 1.2875 = 3.5375 h and 3 + 0.75 + 4.5 + 1.2875 = 9.5375 h.
// If the batch's mean were added to the draw as well as gated, the mean would be 9.0375 h.
// Fixed arrivals every hour, ready at moments spread by the uniform wait: the residual is
// uniform. Tolerance 4 standard errors of 10 runs.
#[test]
fn a_drawn_wait_then_the_batch() {
    let model = drawn(
        Distribution::Fixed { value: 1.0 },
        Distribution::Uniform { min: 1.0, max: 3.0 },
        &[event_and_call(0.25), batch("nightly", 4.0, 0.5)].join(","),
    );
    let map = &metrics::compute(&model).unwrap().streams[0];
    assert!((map.lead_time - 6.5375).abs() < 1e-12, "{}", map.lead_time);
    let sim = run(&model, 10_000, 10, 2);
    let s = &sim.streams[0];
    within("mean lead time", mean(&s.lead_time), 6.5375, 0.0, 0.005);
    within("the stage's wait", s.stages[0].wait_time, 5.25, 0.0, 0.005);
    let (lo, hi) = (s.lead_time.min, s.lead_time.max);
    assert!(
        lo >= 3.5375 - 1e-9 && hi <= 9.5375 + 1e-9,
        "from {lo} to {hi}"
    );
}

// Items wait for a batch inside the stage's WIP limit, so those leaving with one run hold
// distinct places when it starts: at most the limit pass per interval. One item an hour
// and a run every 8 h bring 8 items per run: a limit of 6 (load 8 / 6 = 133 %) can never
// keep up and is refused before any item runs, with what the user can change; a limit of
// 10 (80 %) simulates without a word.
#[test]
fn a_wip_limit_too_small_for_the_batch_is_refused() {
    let with_limit = |limit| {
        let mut m = one_stage("poisson", &batch("nightly", 8.0, 0.5));
        stage_mut(&mut m, "b", "send").uncertainty = Some(Uncertainty {
            wip_limit: Some(limit),
            ..Uncertainty::default()
        });
        m
    };
    let opts = Options::default();
    let problems = check(&with_limit(6), &opts);
    let e = problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .unwrap();
    for part in [
        "\"send\"",
        "\"nightly\"",
        "WIP limit of 6",
        "8 items arrive in the 8 h",
    ] {
        assert!(e.message.contains(part), "{part} in {}", e.message);
    }
    assert!(simulate(&with_limit(6), &opts, &Control::new()).is_err());
    assert!(check(&with_limit(10), &opts).is_empty());
}
