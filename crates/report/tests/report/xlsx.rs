//! The workbook read back with calamine: values, live formulas, and their cached results.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use tributary_core::finance;
use tributary_core::metrics;
use tributary_core::model::Model;
use tributary_core::scenario;
use tributary_report::workbook;

use crate::common::*;

type Book = Xlsx<Cursor<Vec<u8>>>;

fn open(model: &Model, stream: Option<&str>) -> Book {
    let bytes = workbook(model, stream).unwrap();
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

fn num(r: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match r.get_value((row, col)) {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("no number at ({row}, {col}): {other:?}"),
    }
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("no text at ({row}, {col}): {other:?}"),
    }
}

fn formula(f: &calamine::Range<String>, row: u32, col: u32) -> String {
    f.get_value((row, col)).cloned().unwrap_or_default()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

/// Excel's NPV(rate, v1..vn): the first value discounted by one period. Written out here
/// so the workbook's formula is checked against Excel's definition, not against itself.
fn excel_npv(rate: f64, values: &[f64]) -> f64 {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| v / (1.0 + rate).powi(i as i32 + 1))
        .sum()
}

#[test]
fn stream_sheets_hold_the_stages_and_live_totals() {
    for (name, model) in examples() {
        let mut book = open(&model, None);
        let mm = metrics::compute(&model).unwrap();
        let sheets = book.sheet_names();
        assert_eq!(sheets[0], "Overview");
        for want in [
            "Dependency matrix",
            "PBC impact",
            "Scenarios",
            "Initiatives",
        ] {
            assert!(sheets.iter().any(|s| s == want), "{name}: no {want} sheet");
        }
        for sm in &mm.streams {
            let sheet = sheets
                .iter()
                .find(|s| **s == sm.name.chars().take(31).collect::<String>())
                .unwrap_or_else(|| panic!("{name}: no sheet for {}", sm.name))
                .clone();
            let r = book.worksheet_range(&sheet).unwrap();
            let f = book.worksheet_formula(&sheet).unwrap();
            let n = sm.stages.len() as u32;
            for (i, st) in sm.stages.iter().enumerate() {
                let row = i as u32 + 1;
                assert_eq!(text(&r, row, 1), st.name);
                close(num(&r, row, 3), st.process_time, "process");
                close(num(&r, row, 4), st.wait_time, "wait");
                assert_eq!(formula(&f, row, 5), format!("D{0}+E{0}", row + 1));
                close(num(&r, row, 5), st.lead_time, "cached lead time");
                close(num(&r, row, 9), st.pca, "%C&A");
            }
            let t = n + 1;
            assert_eq!(text(&r, t, 1), "Total along the critical path");
            assert_eq!(
                formula(&f, t, 3),
                format!("SUMIF(M2:M{0},\"yes\",D2:D{0})", n + 1)
            );
            close(num(&r, t, 3), sm.process_time, "total process (cached)");
            close(num(&r, t, 5), sm.lead_time, "total lead (cached)");
            // flow efficiency is a ratio of the totals, never an average of stage ratios
            assert_eq!(formula(&f, t, 8), format!("IF(F{0}>0,D{0}/F{0},0)", t + 1));
            close(
                num(&r, t, 8),
                num(&r, t, 3) / num(&r, t, 5),
                "flow efficiency",
            );
            close(
                num(&r, t, 8),
                sm.flow_efficiency,
                "flow efficiency (engine)",
            );
            assert_eq!(formula(&f, t, 9), format!("PRODUCT(J2:J{})", n + 1));
            close(num(&r, t, 9), sm.rolled_pca, "rolled %C&A");
            // the critical-path totals the SUMIF formulas add up, recomputed from the cells
            let crit: f64 = (1..=n)
                .filter(|&row| text(&r, row, 12) == "yes")
                .map(|row| num(&r, row, 3))
                .sum();
            close(crit, sm.process_time, "SUMIF over the critical path");
            // annual cost of delay as a formula on its inputs
            let b = t + 2;
            let annual = num(&r, b, 3) * 52.0 * num(&r, b + 1, 3) * num(&r, b + 3, 3);
            close(
                annual,
                sm.annual_delay_cost,
                "annual cost of delay from the cells",
            );
            close(
                num(&r, b + 4, 3),
                sm.annual_delay_cost,
                "annual cost of delay (cached)",
            );
            assert!(formula(&f, b + 4, 3).contains("*52*"));
        }
        // the overview links to the stream sheets and sums the cost of delay
        let r = book.worksheet_range("Overview").unwrap();
        let f = book.worksheet_formula("Overview").unwrap();
        let last = 4 + mm.streams.len() as u32;
        assert_eq!(text(&r, last, 0), "All streams");
        assert_eq!(formula(&f, last, 4), format!("SUM(E5:E{last})"));
        close(
            num(&r, last, 4),
            mm.annual_delay_cost,
            "all streams' cost of delay",
        );
    }
}

#[test]
fn the_business_case_is_live_and_matches_the_engine() {
    for (name, model) in examples().into_iter().chain([("E2".to_owned(), e1_e2())]) {
        let mut book = open(&model, None);
        let r = book.worksheet_range("Scenarios").unwrap();
        let f = book.worksheet_formula("Scenarios").unwrap();
        let years = model.finance.horizon_years;
        for (k, sc) in model.scenarios.iter().enumerate() {
            let c = scenario::compare(&model, &sc.id).unwrap();
            let col = k as u32 + 1;
            assert_eq!(text(&r, 0, col), c.scenario_name);
            close(num(&r, 1, col), c.investment, "investment");
            close(num(&r, 4, col), c.annual_benefit, "annual benefit");
            let flows: Vec<f64> = (0..=years).map(|t| num(&r, 7 + t, col)).collect();
            for (a, b) in flows.iter().zip(&c.cash_flows) {
                close(*a, *b, "cash flow");
            }
            let npv_row = 8 + years;
            let fx = formula(&f, npv_row, col);
            assert!(fx.starts_with("NPV("), "{name}: {fx}");
            // Excel's NPV over years 1..n plus year 0, from the cells, is the engine's NPV
            let rate = num(&r, 5, col);
            close(
                excel_npv(rate, &flows[1..]) + flows[0],
                c.npv,
                "NPV by Excel's rule",
            );
            close(num(&r, npv_row, col), c.npv, "NPV (cached)");
            close(
                finance::npv(rate, &flows),
                num(&r, npv_row, col),
                "NPV convention",
            );
            if let Some(irr) = c.irr {
                assert!(formula(&f, npv_row + 1, col).starts_with("IRR("));
                close(num(&r, npv_row + 1, col), irr, "IRR (cached)");
            }
            if name == "E2" {
                assert!((num(&r, npv_row, col) - 1_060_967.38).abs() < 0.005);
                assert!((num(&r, npv_row + 2, col) - 1.4423).abs() < 0.00005);
            }
        }
    }
}

#[test]
fn initiatives_rank_by_live_cd3_and_wsjf() {
    for (name, model) in examples() {
        let mut book = open(&model, None);
        let r = book.worksheet_range("Initiatives").unwrap();
        let f = book.worksheet_formula("Initiatives").unwrap();
        let p = tributary_core::cod::prioritize(&model.initiatives);
        for (k, ranked) in p.cd3.iter().enumerate() {
            let row = k as u32 + 1;
            assert_eq!(text(&r, row, 1), ranked.name, "{name}");
            assert_eq!(formula(&f, row, 5), format!("D{0}/E{0}", row + 1));
            close(
                num(&r, row, 3) / num(&r, row, 4),
                ranked.score,
                "CD3 from the cells",
            );
            close(num(&r, row, 5), ranked.score, "CD3 (cached)");
        }
        let t = p.cd3.len() as u32 + 1;
        close(
            num(&r, t, 14),
            p.best.total_delay_cost,
            "best sequence total",
        );
    }
}

#[test]
fn the_matrix_has_a_cell_per_assignment() {
    for (name, model) in examples() {
        let mut book = open(&model, None);
        let r = book.worksheet_range("Dependency matrix").unwrap();
        let dm = tributary_core::matrix::dependency_matrix(&model).unwrap();
        for c in &dm.cells {
            close(
                num(&r, c.row + 1, 4 + c.column),
                c.process_time + c.wait_time,
                &format!("{name}: matrix cell"),
            );
        }
        for (i, p) in dm.pbcs.iter().enumerate() {
            assert_eq!(text(&r, i as u32 + 1, 0), p.name);
        }
    }
}

#[test]
fn one_stream_gives_one_stream_sheet() {
    let (_, model) = examples().into_iter().next().unwrap();
    let id = model.streams[0].id.clone();
    let book = open(&model, Some(&id));
    let names = book.sheet_names();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(matches!(
        workbook(&model, Some("nope")),
        Err(tributary_report::ReportError::UnknownStream { .. })
    ));
}
