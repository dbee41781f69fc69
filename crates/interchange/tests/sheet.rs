//! Spreadsheets of stages and PBCs: a workbook written by an independent .xlsx writer in the
//! shapes portfolio tools export (a title row above the headers, headers in their own words),
//! and CSV with semicolons.
#![allow(clippy::unwrap_used)]

use rust_xlsxwriter::{Format, Workbook};
use tributary_core::model::{Lifecycle, PbcKind};
use tributary_interchange::sheet::{self, Column, SheetFormat};

fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let apps = wb.add_worksheet().set_name("Applications").unwrap();
    apps.write(0, 0, "Application portfolio export, 2024-05-02")
        .unwrap();
    let headers = [
        "Display Name",
        "Business Domain",
        "Responsible Team",
        "TIME",
        "Annual Run Cost (EUR)",
        "Technology",
    ];
    for (c, h) in headers.iter().enumerate() {
        apps.write(2, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "Core Banking",
            "Accounts",
            "Core team",
            "Migrate",
            1_200_000.0,
            "Legacy",
        ),
        (
            "Scoring API",
            "Credit",
            "Risk IT",
            "invest",
            85_000.5,
            "modern",
        ),
        ("E-signature", "Sales", "", "Tolerate", 30_000.0, "SaaS"),
        ("Broken", "x", "y", "someday", -5.0, "quantum"),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        apps.write(r, 0, row.0).unwrap();
        apps.write(r, 1, row.1).unwrap();
        apps.write(r, 2, row.2).unwrap();
        apps.write(r, 3, row.3).unwrap();
        apps.write(r, 4, row.4).unwrap();
        apps.write(r, 5, row.5).unwrap();
    }
    let stages = wb.add_worksheet().set_name("Stages").unwrap();
    for (c, h) in [
        "Step",
        "Process Time (h)",
        "Waiting time (h)",
        "% C&A",
        "People",
    ]
    .iter()
    .enumerate()
    {
        stages.write(0, c as u16, *h).unwrap();
    }
    let pct = Format::new().set_num_format("0%");
    stages.write(1, 0, "Intake").unwrap();
    stages.write(1, 1, 0.5).unwrap();
    stages.write(1, 2, 8).unwrap();
    stages.write_with_format(1, 3, 0.9, &pct).unwrap();
    stages.write(1, 4, 2).unwrap();
    stages.write(2, 0, "Assess").unwrap();
    stages.write(2, 1, "2").unwrap();
    stages.write(2, 2, "24").unwrap();
    stages.write(2, 3, "80%").unwrap();
    stages.write(3, 0, "Approve").unwrap();
    stages.write(3, 1, 1).unwrap();
    stages.write(3, 2, 40).unwrap();
    stages.write(3, 3, 95).unwrap();
    wb.save_to_buffer().unwrap()
}

/// A PBC as compared: id, domain, owner, lifecycle, run cost, kind.
type Row<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Lifecycle,
    f64,
    PbcKind,
);

#[test]
fn a_portfolio_export_is_read_from_its_own_header_row() {
    let bytes = workbook();
    let info = sheet::inspect(&bytes, SheetFormat::Xlsx).unwrap();
    let apps = &info[0];
    assert_eq!(
        (apps.name.as_str(), apps.header_row, apps.rows),
        ("Applications", 2, 4)
    );
    let cols: Vec<Column> = apps.proposed.columns.iter().map(|c| c.1).collect();
    assert_eq!(
        cols,
        [
            Column::PbcName,
            Column::Domain,
            Column::Owner,
            Column::Lifecycle,
            Column::RunCost,
            Column::Kind
        ]
    );
    let got = sheet::read(&bytes, SheetFormat::Xlsx, &apps.proposed).unwrap();
    let p: Vec<Row> = got
        .pbcs
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.domain.as_deref(),
                p.team.as_deref(),
                p.lifecycle,
                p.annual_run_cost,
                p.kind,
            )
        })
        .collect();
    assert_eq!(
        p,
        [
            (
                "core-banking",
                Some("Accounts"),
                Some("Core team"),
                Lifecycle::Migrate,
                1_200_000.0,
                PbcKind::Legacy
            ),
            (
                "scoring-api",
                Some("Credit"),
                Some("Risk IT"),
                Lifecycle::Invest,
                85_000.5,
                PbcKind::Modern
            ),
            (
                "e-signature",
                Some("Sales"),
                None,
                Lifecycle::Tolerate,
                30_000.0,
                PbcKind::Saas
            ),
            (
                "broken",
                Some("x"),
                Some("y"),
                Lifecycle::Tolerate,
                0.0,
                PbcKind::Modern
            ),
        ]
    );
    // The broken row's lifecycle, cost and technology are left out, each named.
    assert_eq!(got.warnings.len(), 3, "{:?}", got.warnings);
    assert!(
        got.warnings.iter().all(|w| w.starts_with("row 7")),
        "{:?}",
        got.warnings
    );
}

#[test]
fn stage_figures_read_as_percent_or_fraction() {
    let bytes = workbook();
    let info = sheet::inspect(&bytes, SheetFormat::Xlsx).unwrap();
    let got = sheet::read(&bytes, SheetFormat::Xlsx, &info[1].proposed).unwrap();
    let s: Vec<(&str, f64, f64, f64, Option<f64>)> = got
        .stages
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.process_time,
                s.wait_time,
                s.pca,
                s.capacity,
            )
        })
        .collect();
    // E1's first three stages (REFERENCE.md): 0.9 as a formatted fraction, "80%" as text, 95 as a number.
    assert_eq!(
        s,
        [
            ("Intake", 0.5, 8.0, 0.9, Some(2.0)),
            ("Assess", 2.0, 24.0, 0.8, None),
            ("Approve", 1.0, 40.0, 0.95, None)
        ]
    );
    assert!(got.pbcs.is_empty());
}

#[test]
fn a_semicolon_csv_with_a_name_column_is_read() {
    let text =
        "Name;Process time;Wait time;PCA;Owner\nIntake;0,5;8;90;Sales\nFulfil;3;16;0,98;Ops\n";
    let info = sheet::inspect(text.as_bytes(), SheetFormat::Csv).unwrap();
    let got = sheet::read(text.as_bytes(), SheetFormat::Csv, &info[0].proposed).unwrap();
    assert_eq!(got.stages.len(), 2);
    assert_eq!(
        (
            got.stages[0].process_time,
            got.stages[0].pca,
            got.stages[0].team.as_deref()
        ),
        (0.5, 0.9, Some("Sales"))
    );
    assert_eq!(got.stages[1].pca, 0.98);
    // Given explicitly: only the name and the wait time.
    let map = sheet::ColumnMap {
        sheet: None,
        header_row: 0,
        columns: vec![(0, Column::StageName), (2, Column::WaitTime)],
    };
    let got = sheet::read(text.as_bytes(), SheetFormat::Csv, &map).unwrap();
    assert_eq!(
        (got.stages[1].process_time, got.stages[1].wait_time),
        (0.0, 16.0)
    );
}

#[test]
fn a_file_that_is_not_a_workbook_says_so() {
    let e = sheet::inspect(b"not a zip", SheetFormat::Xlsx).unwrap_err();
    assert!(e.to_string().contains("not an .xlsx workbook"), "{e}");
}
