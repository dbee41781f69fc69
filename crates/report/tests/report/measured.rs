//! The measured-flow page ("What the data says"): present only when the measured flow is
//! given, carrying the telemetry engine's figures for the mortgage example exactly as
//! `tributary_core::format` writes them, and printing user text as written.

use tributary_core::format::{number, percent};
use tributary_core::metrics;
use tributary_report::{
    MeasuredFlow, MeasuredStage, Report, ReportOptions, StageTimes, WeekThroughput,
};

use crate::common::*;
use crate::telemetry_data::{measured_of, mortgage_measured};

fn options(scenario: Option<&str>, measured: Option<MeasuredFlow>) -> ReportOptions {
    ReportOptions {
        stream: "mortgage".into(),
        scenario: scenario.map(str::to_owned),
        date: date(),
        author: Some("Board office".into()),
        measured,
    }
}

#[test]
fn the_measured_page_carries_the_engines_figures() {
    let (model, flow) = mortgage_measured();
    let measured = measured_of(flow);
    let report = Report::build(model, &options(Some("future"), Some(measured))).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    let what = "mortgage with telemetry";
    let sm = metrics::compute_stream(model, "mortgage").unwrap();
    let days = |v: f64| format!("{} days", number(v));

    assert_has(&text, "What the data says", what);
    assert_has(&text, "Measured flow", what);
    // the window and the sample
    assert_has(&text, &flow.window.from, what);
    assert_has(&text, &flow.window.to, what);
    assert_has(
        &text,
        &format!(
            "{} items of Mortgage decision finished {} to {} ({} days)",
            flow.counts.done, flow.window.from, flow.window.to, flow.window.days
        ),
        what,
    );
    // flow-time percentiles, the 85th as the headline figure, beside the map's lead time
    let c = &flow.cycle_time;
    for p in [c.p50, c.p70, c.p85, c.p95] {
        assert_has(&text, &days(p.unwrap()), what);
    }
    assert_has(
        &text,
        // (tile labels are set in capitals)
        &format!("FLOW TIME, 85 % OF ITEMS{}", days(c.p85.unwrap())),
        what,
    );
    let map_days = model.calendar.to_weeks(sm.lead_time, model.time_unit) * 7.0;
    assert_has(&text, &format!("Map's lead time: {}", days(map_days)), what);
    assert_has(
        &text,
        &format!(
            "the map's lead time of {} h is {}",
            number(sm.lead_time),
            days(map_days)
        ),
        what,
    );
    // throughput: the median of whole weeks, and every week's count on the chart
    let median = flow.throughput.median_per_week.unwrap();
    assert_has(&text, &format!("{} a week", number(median)), what);
    assert_has(
        &text,
        &format!("ITEMS FINISHED PER WEEK: MEDIAN {}", number(median)),
        what,
    );
    assert_has(&text, &flow.throughput_per_week[0].week_start, what);
    // flow efficiency, measured beside the map's
    assert_has(&text, &percent(flow.flow_efficiency.unwrap()), what);
    assert_has(
        &text,
        &format!("Map: {}", percent(sm.flow_efficiency)),
        what,
    );
    // WIP at the end of the window
    assert_has(&text, &format!("{} items", flow.wip), what);
    // working time: how measured times are converted (8 h a day, 5 days a week: 40 h a
    // working week is 168 h of elapsed time, so a calendar day is 40 / 7 = 5.71 h)
    assert_has(&text, "one calendar day is 5.71 h of working time", what);
    // per stage: the map's estimate beside the measured median and 85th percentile, the gap
    for st in &flow.stages {
        let d = st.drawn.as_ref().unwrap();
        let g = st.gap.as_ref().unwrap();
        let sign = if g.lead_time < 0.0 { "−" } else { "+" };
        let row = format!(
            "{}{}{} + {}{} + {}{}{}{}{}{}",
            st.name,
            st.items,
            number(d.process_time),
            number(d.wait_time),
            number(st.measured.process_p50.unwrap()),
            number(st.measured.wait_p50.unwrap()),
            number(d.lead_time),
            number(st.measured.lead_p50.unwrap()),
            number(st.measured.lead_p85.unwrap()),
            if g.lead_time < 0.0 { "↓" } else { "↑" },
            format_args!("{sign}{}", number(g.lead_time.abs())),
        );
        assert_has(&text, &row, &format!("{what}: stage row {}", st.name));
    }
    // the page title names the biggest gap: Documents & KYC, as the generator made it
    let kyc = flow.stages.iter().find(|s| s.stage == "kyc").unwrap();
    let biggest = flow
        .stages
        .iter()
        .max_by(|a, b| {
            let (a, b) = (a.gap.as_ref().unwrap(), b.gap.as_ref().unwrap());
            a.lead_time.abs().total_cmp(&b.lead_time.abs())
        })
        .unwrap();
    assert_eq!(biggest.stage, "kyc");
    assert!(kyc.gap.as_ref().unwrap().flagged);
    assert_has(
        &text,
        &format!(
            "Documents & KYC takes {} h longer than the workshop estimated, most of it waiting",
            number(kyc.gap.as_ref().unwrap().lead_time)
        ),
        what,
    );
    // the executive summary and the roadmap mention the measurement
    assert_has(
        &text,
        &format!(
            "85 % of {} items finished within {}",
            c.count,
            days(c.p85.unwrap())
        ),
        what,
    );
    assert_has(
        &text,
        &format!("Measured flow of {} items", flow.counts.done),
        what,
    );
    assert_has(&text, "events.csv (events-csv, imported 2026-11-02)", what);
}

#[test]
fn the_page_is_there_only_with_measured_flow() {
    let (model, flow) = mortgage_measured();
    for scenario in [None, Some("future")] {
        let plain = Report::build(model, &options(scenario, None)).unwrap();
        let with = Report::build(model, &options(scenario, Some(measured_of(flow)))).unwrap();
        assert_eq!(
            with.page_count(),
            plain.page_count() + 1,
            "{scenario:?}: the telemetry adds exactly one page"
        );
        let text = pdf_text(&plain.pdf().unwrap());
        assert!(!text.contains("Whatthedatasays"), "{scenario:?}");
        assert!(!text.contains("Measuredflow"), "{scenario:?}");
        assert!(!text.contains("workshopestimated"), "{scenario:?}");
    }
    // the measured page follows "where the time goes" and comes before the matrix
    let with = Report::build(model, &options(None, Some(measured_of(flow)))).unwrap();
    let text = pdf_text(&with.pdf().unwrap());
    let at = |needle: &str| text.find(&squeeze(needle)).unwrap();
    assert!(at("Where the time goes") < at("What the data says"));
    assert!(at("What the data says") < at("PBC × stage dependency matrix"));
}

/// Little data, missing figures, a stage the map does not have: the page still typesets
/// (no division by zero, no NaN) and says what is missing.
#[test]
fn a_thin_measurement_still_typesets() {
    let (model, _) = mortgage_measured();
    let thin = MeasuredFlow {
        window_from: "2026-06-01".into(),
        window_to: "2026-06-03".into(),
        window_days: 3,
        items_done: 1,
        items_timed: 1,
        cycle_p50: 2.0,
        cycle_p70: 2.0,
        cycle_p85: 2.0,
        cycle_p95: 2.0,
        throughput_per_week: vec![WeekThroughput {
            week_start: "2026-06-01".into(),
            days: 3,
            count: 1,
        }],
        stages: vec![
            MeasuredStage {
                name: "Only in the mapping".into(),
                items: 1,
                lead_p50: Some(3.0),
                lead_p85: Some(3.0),
                ..MeasuredStage::default()
            },
            MeasuredStage {
                name: "Only on the map".into(),
                drawn: Some(StageTimes {
                    process: 1.0,
                    wait: 2.0,
                    lead: 3.0,
                }),
                ..MeasuredStage::default()
            },
        ],
        gap_threshold: 0.25,
        ..MeasuredFlow::default()
    };
    let report = Report::build(model, &options(None, Some(thin))).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    assert_has(&text, "85 % of items finish within 2 days", "headline");
    assert_has(&text, "Only in the mapping", "stage");
    assert_has(&text, "not on the map", "stage");
    assert_has(&text, "not measured", "stage");
    let empty = MeasuredFlow {
        window_from: "2026-06-01".into(),
        window_to: "2026-06-01".into(),
        gap_threshold: 0.25,
        ..MeasuredFlow::default()
    };
    let report = Report::build(model, &options(None, Some(empty))).unwrap();
    assert!(report.pdf().unwrap().starts_with(b"%PDF-"));
}

/// User text on the page (stage names, notes, sources) is data: markup prints as written and
/// changes nothing.
#[test]
fn markup_in_measured_text_prints_as_written() {
    let (model, flow) = mortgage_measured();
    let hostile = [
        "#set page(width: 10pt)",
        "<script>alert('x')</script>",
        "#panic(\"boom\")",
        "$x^2$ @ref <lbl> *bold* _it_ `raw` \\ ] ) }",
        "#let d = json(\"/data.json\")",
        "] #{ panic() }",
    ];
    let plain = measured_of(flow);
    let mut m = plain.clone();
    for (st, name) in m.stages.iter_mut().zip(hostile) {
        st.name = name.into();
    }
    m.notes = vec![hostile[0].into(), hostile[2].into()];
    m.sources = vec![format!("{} (events-csv, imported 2026-11-02)", hostile[1])];
    m.window_to = "#pagebreak()".into();
    let mut p = plain.clone();
    p.notes = vec!["plain note".into(), "another note".into()];
    let report = Report::build(model, &options(None, Some(m))).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    for name in hostile {
        assert_has(&text, name, "stage name");
    }
    assert_has(&text, &format!("Note: {}", hostile[0]), "note");
    assert_has(&text, &format!("Note: {}", hostile[2]), "note");
    assert_has(&text, "#pagebreak()", "window");
    // the same number of pages, all of the same size, as with plain text
    let clean = Report::build(model, &options(None, Some(p))).unwrap();
    assert_eq!(report.page_count(), clean.page_count());
    for i in 0..report.page_count() {
        let (w, h) = png_size(&report.page_png(i, 0.5).unwrap());
        assert_eq!((w, h), (421, 298), "page {i} is A4 landscape at 36 dpi");
    }
}

/// A long stream measured over years: the stage table runs on to a further page cleanly and
/// the throughput chart shows the latest 104 weeks.
#[test]
fn a_long_measurement_paginates() {
    let model = tributary_core::testkit::large_model(1, 60, 10, 60);
    let sm = metrics::compute_stream(&model, "stream-0").unwrap();
    let m = MeasuredFlow {
        window_from: "2022-01-03".into(),
        window_to: "2026-05-03".into(),
        window_days: 1582,
        items_done: 9000,
        items_timed: 9000,
        cycle_p50: 12.0,
        cycle_p70: 15.5,
        cycle_p85: 21.25,
        cycle_p95: 40.0,
        throughput_per_week: (0..226)
            .map(|k| WeekThroughput {
                week_start: format!("week-{k:03}"),
                days: 7,
                count: 30 + (k % 11),
            })
            .collect(),
        throughput_median_per_week: Some(35.0),
        flow_efficiency: Some(0.123),
        wip: 80,
        wip_beyond_p85: 9,
        stages: sm
            .stages
            .iter()
            .map(|st| MeasuredStage {
                name: st.name.clone(),
                items: 9000,
                drawn: Some(StageTimes {
                    process: st.process_time,
                    wait: st.wait_time,
                    lead: st.lead_time,
                }),
                process_p50: Some(st.process_time),
                wait_p50: Some(st.wait_time * 1.1),
                lead_p50: Some(st.lead_time * 1.1),
                lead_p85: Some(st.lead_time * 1.6),
                gap: Some(StageTimes {
                    process: 0.0,
                    wait: st.wait_time * 0.1,
                    lead: st.lead_time * 0.1,
                }),
                flagged: false,
            })
            .collect(),
        gap_threshold: 0.25,
        ..MeasuredFlow::default()
    };
    let opts = |measured| ReportOptions {
        stream: "stream-0".into(),
        scenario: None,
        date: date(),
        author: None,
        measured,
    };
    let plain = Report::build(&model, &opts(None)).unwrap();
    let report = Report::build(&model, &opts(Some(m))).unwrap();
    assert!(
        report.page_count() >= plain.page_count() + 2,
        "{} pages against {}",
        report.page_count(),
        plain.page_count()
    );
    let text = pdf_text(&report.pdf().unwrap());
    assert_has(&text, "The map holds up", "headline");
    assert_has(&text, "The latest 104 weeks are shown.", "weeks");
    assert_has(&text, "week-122", "the first week shown");
    assert!(!text.contains("week-000"), "the oldest weeks are left out");
    for st in &sm.stages {
        assert_has(&text, &st.name, "every stage");
    }
    for i in 0..report.page_count() {
        let (w, h) = png_size(&report.page_png(i, 0.5).unwrap());
        assert_eq!((w, h), (421, 298), "page {i} is A4 landscape at 36 dpi");
    }
}
