//! Models and helpers shared by the tests: the bundled examples, the worked examples of
//! REFERENCE.md (E1, E2, E4) built by hand, and PDF text extraction.

use std::path::PathBuf;

use tributary_core::exchange::from_json;
use tributary_core::model::*;
use tributary_report::ReportDate;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example models in assets/examples, by file name.
pub fn examples() -> Vec<(String, Model)> {
    let dir = root().join("assets/examples");
    let mut out: Vec<(String, Model)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 4,
        "expected the four example models in {}",
        dir.display()
    );
    out
}

pub fn date() -> ReportDate {
    ReportDate::new(2026, 5, 4).unwrap()
}

pub fn stage(id: &str, name: &str, pt: f64, wt: f64, pca: f64) -> Stage {
    Stage {
        id: id.into(),
        name: name.into(),
        process_time: pt,
        wait_time: wt,
        pca,
        capacity: None,
        team: None,
        position: None,
        uncertainty: None,
        note: None,
    }
}

pub fn stream(id: &str, name: &str, stages: Vec<Stage>, edges: &[(&str, &str)]) -> Stream {
    Stream {
        id: id.into(),
        name: name.into(),
        trigger: None,
        value: None,
        demand_per_week: 20.0,
        cost_of_delay_per_week: 500.0,
        urgency: Urgency::Standard,
        stages,
        edges: edges
            .iter()
            .map(|(a, b)| Edge {
                from: (*a).into(),
                to: (*b).into(),
            })
            .collect(),
        arrivals: None,
    }
}

/// REFERENCE.md E1 (a line of four stages, demand 20 a week, CoD 500 per item-week) with the
/// E2 scenario: Approve's wait 40 h -> 8 h for an investment of 600,000 at 8 % over 5 years.
pub fn e1_e2() -> Model {
    let mut m = Model::new("E1 line stream");
    m.streams.push(stream(
        "e1",
        "Loan request",
        vec![
            stage("intake", "Intake", 0.5, 8.0, 0.90),
            stage("assess", "Assess", 2.0, 24.0, 0.80),
            stage("approve", "Approve", 1.0, 40.0, 0.95),
            stage("fulfil", "Fulfil", 3.0, 16.0, 0.98),
        ],
        &[],
    ));
    m.scenarios.push(Scenario {
        id: "e2".into(),
        name: "Decision automation".into(),
        description: None,
        changes: vec![
            Change::SetStage {
                stream: "e1".into(),
                stage: "approve".into(),
                process_time: None,
                wait_time: Some(8.0),
                pca: None,
                capacity: None,
            },
            Change::Investment {
                name: "Decision automation PBC".into(),
                amount: 600_000.0,
                duration_weeks: 0.0,
            },
        ],
    });
    m
}

/// REFERENCE.md E4: Start, then B1 and B2 in parallel, both into End.
pub fn e4() -> Model {
    let mut m = Model::new("E4 parallel branches");
    m.streams.push(stream(
        "e4",
        "Branches",
        vec![
            stage("start", "Start", 1.0, 2.0, 1.0),
            stage("b1", "B1", 2.0, 10.0, 1.0),
            stage("b2", "B2", 4.0, 4.0, 1.0),
            stage("end", "End", 1.0, 1.0, 1.0),
        ],
        &[
            ("start", "b1"),
            ("start", "b2"),
            ("b1", "end"),
            ("b2", "end"),
        ],
    ));
    m
}

/// Text of a PDF with all whitespace removed, so that line breaks and the letter spacing of
/// small capitals do not matter.
pub fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
    squeeze(&text)
}

pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[track_caller]
pub fn assert_has(text: &str, needle: &str, what: &str) {
    assert!(
        text.contains(&squeeze(needle)),
        "{what}: {needle:?} not found in the text"
    );
}

/// Width and height of a PNG, from its IHDR chunk.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    (w, h)
}
