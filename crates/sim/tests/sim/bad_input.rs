//! Input that cannot be simulated gets a clear error, naming the stream and stage, before
//! any item runs.

use tributary_core::*;
use tributary_sim::{Control, Error, Options, check, simulate};

use crate::*;

fn small() -> Options {
    Options {
        items: 100,
        runs: 2,
        ..Options::default()
    }
}

fn error_of(model: &Model) -> Error {
    let e = simulate(model, &small(), &Control::new()).unwrap_err();
    // the same finding comes from `check`, before a run
    let problems = check(model, &small());
    assert!(
        problems.iter().any(|p| p.severity == Severity::Error),
        "check found no error for {e}"
    );
    e
}

#[test]
fn inverted_distribution_parameters_are_refused() {
    let mut model = e1();
    stage_mut(&mut model, "s", "assess").uncertainty = Some(Uncertainty {
        process: Some(Distribution::Uniform { min: 5.0, max: 2.0 }),
        ..Uncertainty::default()
    });
    let e = error_of(&model);
    let text = e.to_string();
    assert!(
        matches!(e, Error::Model(tributary_core::Error::Invalid(_))),
        "{e:?}"
    );
    assert!(
        text.contains("\"assess\"") && text.contains("uniform from 5 to 2"),
        "{text}"
    );

    let mut model = e1();
    stage_mut(&mut model, "s", "approve").uncertainty = Some(Uncertainty {
        wait: Some(Distribution::Lognormal {
            median: 8.0,
            p90: 4.0,
        }),
        ..Uncertainty::default()
    });
    let text = error_of(&model).to_string();
    assert!(
        text.contains("\"approve\"") && text.contains("median < p90"),
        "{text}"
    );

    let mut model = e1();
    stage_mut(&mut model, "s", "fulfil").uncertainty = Some(Uncertainty {
        process: Some(Distribution::Triangular {
            min: 1.0,
            mode: -2.0,
            max: 3.0,
        }),
        ..Uncertainty::default()
    });
    let text = error_of(&model).to_string();
    assert!(
        text.contains("\"fulfil\"") && text.contains("triangular"),
        "{text}"
    );
}

// E1 with Approve at capacity 1 and a process time of 2 h: 20 items a week x 2 h = 40 h, the
// whole working week: utilisation 1, a queue without bound.
#[test]
fn a_stage_loaded_to_capacity_is_refused() {
    let mut model = e1();
    for st in &mut stream_mut(&mut model, "s").stages {
        st.pca = 1.0;
    }
    let approve = stage_mut(&mut model, "s", "approve");
    approve.capacity = Some(1.0);
    approve.process_time = 2.0;
    let e = error_of(&model);
    let text = e.to_string();
    assert!(matches!(e, Error::Check(_)), "{e:?}");
    assert!(
        text.contains("stage \"approve\" of stream \"s\"")
            && text.contains("100.0 %")
            && text.contains("grows without bound"),
        "{text}"
    );
    assert_eq!(e.problems()[0].path, "streams[0].stages[2]");

    // just below: runs, with a warning about long queues at 97.5 %
    stage_mut(&mut model, "s", "approve").process_time = 1.95;
    let sim = simulate(&model, &small(), &Control::new()).unwrap();
    assert!(
        sim.warnings
            .iter()
            .any(|w| w.message.contains("\"approve\"") && w.message.contains("97.5 %")),
        "{:?}",
        sim.warnings
    );
}

// Rework adds load: at 60 % on first passes, a %C&A of 50 % that redoes the stage doubles the
// passes (1 / 0.5) and the load to 120 %.
#[test]
fn rework_counts_in_the_load() {
    let mut model = e1();
    for st in &mut stream_mut(&mut model, "s").stages {
        st.pca = 1.0;
    }
    let approve = stage_mut(&mut model, "s", "approve");
    approve.capacity = Some(1.0);
    approve.process_time = 1.2;
    assert!(simulate(&model, &small(), &Control::new()).is_ok());
    stage_mut(&mut model, "s", "approve").pca = 0.5;
    let text = error_of(&model).to_string();
    assert!(
        text.contains("\"approve\"") && text.contains("120.0 %") && text.contains("2 passes"),
        "{text}"
    );
}

#[test]
fn a_rework_loop_that_almost_never_exits_is_refused() {
    let mut model = e1();
    stage_mut(&mut model, "s", "fulfil").pca = 0.005;
    let e = error_of(&model);
    let text = e.to_string();
    assert!(
        text.contains("stage \"fulfil\"")
            && text.contains("200 times")
            && text.contains("almost never exits"),
        "{text}"
    );
    // sent back to an earlier stage, the loop names both stages
    let mut model = e1();
    let fulfil = stage_mut(&mut model, "s", "fulfil");
    fulfil.pca = 0.008;
    fulfil.uncertainty = Some(Uncertainty {
        rework_to: Some("assess".into()),
        ..Uncertainty::default()
    });
    let text = error_of(&model).to_string();
    assert!(
        text.contains("stage \"assess\"")
            && text.contains("stage \"fulfil\" passes only 0.8 %")
            && text.contains("back to stage \"assess\""),
        "{text}"
    );
    // a merely poor stage runs, with a warning
    let mut model = e1();
    stage_mut(&mut model, "s", "fulfil").pca = 0.05;
    let sim = simulate(&model, &small(), &Control::new()).unwrap();
    assert!(
        sim.warnings
            .iter()
            .any(|w| w.message.contains("\"fulfil\"") && w.message.contains("20 times")),
        "{:?}",
        sim.warnings
    );
}

#[test]
fn a_stream_without_demand_or_stages_is_refused() {
    let mut model = e1();
    stream_mut(&mut model, "s").demand_per_week = 0.0;
    let text = error_of(&model).to_string();
    assert!(text.contains("stream \"s\" has no demand"), "{text}");

    let mut model = e1();
    stream_mut(&mut model, "s").stages.clear();
    let text = error_of(&model).to_string();
    assert!(text.contains("stream \"s\" has no stages"), "{text}");
}

#[test]
fn bad_options_and_unknown_streams_are_named() {
    let model = e1();
    let run = |o: Options| simulate(&model, &o, &Control::new()).unwrap_err();
    let e = run(Options {
        items: 0,
        ..small()
    });
    assert!(matches!(e, Error::Options(_)) && e.to_string().contains("items is 0"));
    let e = run(Options { runs: 0, ..small() });
    assert!(e.to_string().contains("runs is 0"), "{e}");
    let e = run(Options {
        items: 10_000_000,
        runs: 10,
        ..small()
    });
    assert!(e.to_string().contains("the most is 20000000"), "{e}");
    let e = run(Options {
        stream: Some("nope".into()),
        ..small()
    });
    assert!(
        e.to_string().contains("stream \"nope\" does not exist"),
        "{e}"
    );
    let e = tributary_sim::compare(&model, "nope", &small(), &Control::new()).unwrap_err();
    assert!(e.to_string().contains("scenario \"nope\""), "{e}");
}
