//! Bad input: clear, typed errors that name what is wrong.

use tributary_report::{MapOptions, Report, ReportDate, ReportError, ReportOptions, map_svg};

use crate::common::*;

fn opts(stream: &str, scenario: Option<&str>) -> ReportOptions {
    ReportOptions {
        stream: stream.into(),
        scenario: scenario.map(str::to_owned),
        date: date(),
        author: None,
        measured: None,
    }
}

#[test]
fn an_unknown_stream_lists_the_known_ones() {
    let model = e1_e2();
    let err = Report::build(&model, &opts("nope", None)).err().unwrap();
    assert!(
        matches!(&err, ReportError::UnknownStream { id, known } if id == "nope" && known == &["e1"])
    );
    assert_eq!(
        err.to_string(),
        "stream \"nope\" does not exist (the model has: e1)"
    );
}

#[test]
fn an_unknown_scenario_lists_the_known_ones() {
    let model = e1_e2();
    let err = Report::build(&model, &opts("e1", Some("later")))
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "scenario \"later\" does not exist (the model has: e2)"
    );
    let mut bare = model.clone();
    bare.scenarios.clear();
    let err = Report::build(&bare, &opts("e1", Some("later")))
        .err()
        .unwrap();
    assert!(
        err.to_string().ends_with("(the model has no scenarios)"),
        "{err}"
    );
}

#[test]
fn an_empty_stream_is_refused_everywhere_it_would_be_drawn() {
    let mut model = e1_e2();
    model.streams[0].stages.clear();
    model.scenarios.clear();
    let err = Report::build(&model, &opts("e1", None)).err().unwrap();
    assert!(matches!(err, ReportError::EmptyStream { ref id } if id == "e1"));
    assert!(err.to_string().contains("has no stages"));
    let err = map_svg(&model, &MapOptions::default()).err().unwrap();
    assert!(matches!(err, ReportError::EmptyStream { .. }));
}

#[test]
fn a_map_of_a_model_with_several_streams_needs_a_stream() {
    let mut model = e1_e2();
    model.streams.push(e4().streams.remove(0));
    let err = map_svg(&model, &MapOptions::default()).err().unwrap();
    assert_eq!(err.to_string(), "choose a stream (the model has: e1, e4)");
}

#[test]
fn dates_are_checked() {
    assert_eq!(
        "2024-02-29".parse::<ReportDate>().unwrap().to_string(),
        "2024-02-29"
    );
    for bad in [
        "2026-02-29",
        "2026-13-01",
        "2026-5-4",
        "04/05/2026",
        "",
        "2026-00-10",
    ] {
        let err = bad.parse::<ReportDate>().err().unwrap();
        assert!(matches!(err, ReportError::BadDate(_)), "{bad}");
    }
}

#[test]
fn a_cycle_in_the_flow_is_the_engines_error() {
    let mut model = e4();
    model.streams[0].edges.push(tributary_core::model::Edge {
        from: "end".into(),
        to: "start".into(),
    });
    let err = Report::build(&model, &opts("e4", None)).err().unwrap();
    assert!(
        matches!(
            err,
            ReportError::Engine(tributary_core::Error::Cycle { .. })
        ),
        "{err}"
    );
}
