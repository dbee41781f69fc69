//! The PDF board report, read back with text extraction: the engine's numbers, formatted as
//! the report shows them, are on its pages; user text prints as written.

use tributary_core::cod;
use tributary_core::format::{money, money_short, number, percent};
use tributary_core::metrics;
use tributary_core::model::Model;
use tributary_core::scenario;
use tributary_report::{Report, ReportOptions};

use crate::common::*;

fn options(stream: &str, scenario: Option<&str>) -> ReportOptions {
    ReportOptions {
        stream: stream.into(),
        scenario: scenario.map(str::to_owned),
        date: date(),
        author: Some("Board office".into()),
        measured: None,
    }
}

/// Checks what every report of `model` must say, against the engine called here directly.
fn check_report(name: &str, model: &Model, stream_id: &str, scenario_id: Option<&str>) {
    let report = Report::build(model, &options(stream_id, scenario_id)).unwrap();
    let pdf = report.pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{name}: not a PDF");
    // the version that made it is in the document's metadata
    let made_by = format!("Tributary {}", env!("CARGO_PKG_VERSION"));
    assert!(
        String::from_utf8_lossy(&pdf).contains(&made_by),
        "{name}: no {made_by:?} in the PDF's metadata"
    );
    let text = pdf_text(&pdf);
    let what = format!("{name} / {stream_id} / {scenario_id:?}");
    let u = model.time_unit.suffix();
    let cur = &model.currency;

    let mm = metrics::compute(model).unwrap();
    let sm = mm.streams.iter().find(|s| s.id == stream_id).unwrap();
    let stream = model.stream(stream_id).unwrap();

    // cover
    assert_has(&text, &model.name, &what);
    assert_has(&text, &stream.name, &what);
    assert_has(&text, "2026-05-04", &what);
    assert_has(&text, "Board office", &what);
    // executive summary and map summary box
    assert_has(&text, &format!("{} {u}", number(sm.lead_time)), &what);
    assert_has(&text, &percent(sm.flow_efficiency), &what);
    assert_has(&text, &money_short(sm.annual_delay_cost, cur), &what);
    assert_has(&text, &percent(sm.rolled_pca), &what);
    assert_has(
        &text,
        &format!("{} {u}", number(sm.expected_lead_time)),
        &what,
    );
    let b = sm.bottleneck.as_ref().unwrap();
    assert_has(&text, &b.explanation, &what);
    // every stage, with its lead time, in the appendix table
    for st in &sm.stages {
        assert_has(&text, &st.name, &what);
        assert_has(&text, &number(st.lead_time), &what);
    }
    // the roadmap is filled from the model
    assert_has(&text, "Month 1", &what);
    assert_has(
        &text,
        &format!("flow load (now {} items in progress)", number(sm.wip)),
        &what,
    );
    // initiatives: names and CD3 scores
    let p = cod::prioritize(&model.initiatives);
    for r in &p.cd3 {
        assert_has(&text, &r.name, &what);
        assert_has(&text, &number(r.score), &what);
    }
    if !model.initiatives.is_empty() {
        assert_has(&text, &money(p.best.total_delay_cost, cur), &what);
    }

    if let Some(id) = scenario_id {
        let c = scenario::compare(model, id).unwrap();
        let sc = c.streams.iter().find(|s| s.id == stream_id).unwrap();
        assert_has(&text, &c.scenario_name, &what);
        assert_has(
            &text,
            &format!("{} {u}", number(sc.scenario.lead_time)),
            &what,
        );
        assert_has(&text, &percent(sc.scenario.flow_efficiency), &what);
        assert_has(&text, &money(c.investment, cur), &what);
        assert_has(&text, &money(c.npv, cur), &what);
        assert_has(&text, &money_short(c.npv, cur), &what);
        assert_has(&text, &money(c.annual_benefit, cur), &what);
        if let Some(y) = c.payback_years {
            assert_has(&text, &format!("{} years", number(y)), &what);
        }
        if let Some(irr) = c.irr {
            assert_has(&text, &percent(irr), &what);
        }
        for ch in &c.changes {
            assert_has(&text, ch, &what);
        }
        assert_has(&text, "investment falls at t = 0", &what);
    }
}

#[test]
fn every_example_report_carries_the_engines_numbers() {
    for (name, model) in examples() {
        for stream in &model.streams {
            check_report(&name, &model, &stream.id, None);
            for sc in &model.scenarios {
                check_report(&name, &model, &stream.id, Some(&sc.id));
            }
        }
    }
}

/// REFERENCE.md E1 and E2, hand-calculated: the figures a reader must find, written out.
#[test]
fn the_worked_example_reads_as_calculated_by_hand() {
    let model = e1_e2();
    let report = Report::build(&model, &options("e1", Some("e2"))).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    for want in [
        "94.5 h",   // E1 lead time
        "6.5 h",    // process time
        "6.9 %",    // flow efficiency 0.068783
        "67.0 %",   // rolled %C&A 0.67032
        "104.49 h", // expected lead time with rework
        "EUR 1.2m", // annual delay cost 1,228,500
        "Approve has the longest wait: 40 h",
        "62.5 h",            // E2 lead time
        "10.4 %",            // E2 flow efficiency
        "EUR 416,000",       // annual delay cost saved
        "EUR 600,000",       // investment
        "1.44 years",        // payback 1.4423
        "EUR 1,060,967",     // NPV 1,060,967.38
        "↓ −32 h (−33.9 %)", // 94.5 -> 62.5 h
    ] {
        assert_has(&text, want, "E1/E2");
    }
}

#[test]
fn a_report_without_a_scenario_has_no_business_case() {
    let model = e1_e2();
    let report = Report::build(&model, &options("e1", None)).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    assert_has(&text, "Start at Approve", "recommendation");
    assert!(!text.contains("NPV"), "a baseline report shows no NPV");
    let with = Report::build(&model, &options("e1", Some("e2"))).unwrap();
    assert_eq!(
        with.page_count(),
        report.page_count() + 1,
        "the scenario adds exactly the comparison page"
    );
}

/// User text is data: markup in names prints as written and changes nothing.
#[test]
fn markup_in_user_text_prints_as_written() {
    let hostile = [
        "#set page(width: 10pt)",
        "<script>alert('x')</script>",
        "#panic(\"boom\")",
        "$x^2$ @ref <lbl> *bold* _it_ `raw` \\ ] ) }",
        "#let d = json(\"/data.json\")",
    ];
    let mut model = e1_e2();
    let plain = model.clone();
    model.name = "#set text(size: 40pt) Model".into();
    model.author = Some("#pagebreak()".into());
    for (st, name) in model.streams[0].stages.iter_mut().zip(hostile) {
        st.name = name.into();
        st.team = Some(format!("[{name}]"));
    }
    model.streams[0].name = "] #{ panic() }".into();
    let opts = ReportOptions {
        author: None, // the model's author prints
        ..options("e1", Some("e2"))
    };
    let report = Report::build(&model, &opts).unwrap();
    let text = pdf_text(&report.pdf().unwrap());
    assert_has(&text, "#set text(size: 40pt) Model", "model name");
    assert_has(&text, "#pagebreak()", "author");
    assert_has(&text, "] #{ panic() }", "stream name");
    for name in &hostile[..4] {
        // names are fitted to the map's boxes, but the appendix prints them whole
        assert_has(&text, name, "stage name");
    }
    // the same number of pages, all of the same size, as with plain names
    let clean = Report::build(&plain, &opts).unwrap();
    assert_eq!(report.page_count(), clean.page_count());
    for i in 0..report.page_count() {
        let (w, h) = png_size(&report.page_png(i, 0.5).unwrap());
        assert_eq!((w, h), (421, 298), "page {i} is A4 landscape at 36 dpi");
    }
}

#[test]
fn the_preview_is_the_cover_as_png() {
    let model = e1_e2();
    let png = tributary_report::preview_png(&model, &options("e1", None), 1.0).unwrap();
    assert_eq!(png_size(&png), (842, 595));
    let report = Report::build(&model, &options("e1", None)).unwrap();
    assert_eq!(
        report.page_png(0, 1.0).unwrap(),
        png,
        "the preview is page 1"
    );
    let pages = report.page_count();
    assert!(matches!(
        report.page_png(pages, 1.0),
        Err(tributary_report::ReportError::NoSuchPage { .. })
    ));
}

/// A 300-stage stream paginates: a multi-page map and an appendix that lists every stage.
#[test]
fn a_300_stage_stream_paginates() {
    let model = tributary_core::testkit::large_model(1, 300, 40, 600);
    let report = Report::build(&model, &options("stream-0", Some("future"))).unwrap();
    let pages = report.page_count();
    // 300 columns in bands of 6: 51 bands, at most 2 to a page
    assert!(pages >= 9 + 25, "{pages} pages");
    let text = pdf_text(&report.pdf().unwrap());
    let sm = metrics::compute_stream(&model, "stream-0").unwrap();
    assert_has(&text, &format!("{} h", number(sm.lead_time)), "lead time");
    for k in [0, 1, 149, 298, 299] {
        assert_has(&text, &format!("Stage {k}Team"), "appendix row");
    }
    assert_has(&text, "The other 277 stages together", "time chart");
}

/// The words of every page of the mortgage example's board report, with and without the
/// measured-flow page, pinned: a change to any sentence, figure or rounding shows as a diff
/// to review (`cargo insta review`, or `INSTA_UPDATE=always cargo test -p tributary-report`).
#[test]
fn the_text_of_every_report_page() {
    let (_, model) = examples()
        .into_iter()
        .find(|(n, _)| n == "mortgage.json")
        .unwrap();
    let measured =
        crate::telemetry_data::measured_of(&crate::telemetry_data::mortgage_measured().1);
    for (name, measured) in [
        ("mortgage-report", None),
        ("mortgage-report-measured", Some(measured)),
    ] {
        let opts = ReportOptions {
            measured,
            ..options("mortgage", Some("future"))
        };
        let pdf = Report::build(&model, &opts).unwrap().pdf().unwrap();
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
        let text: Vec<String> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let lines: Vec<&str> = p.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                format!("--- page {} ---\n{}", i + 1, lines.join("\n"))
            })
            .collect();
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(name, text.join("\n")));
    }
}
