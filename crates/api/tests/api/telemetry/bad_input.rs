//! Bad input gets a clear error that names the file, the line (or item) and what is wrong,
//! and nothing already stored is lost.

use std::path::PathBuf;

use tributary_api::telemetry::{Format, ImportControl, ImportOptions, ImportReport, Rule};

use super::common::*;

fn write(f: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    let p = f.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Imports `bytes` after a good import and returns the message; the stored data must not
/// change.
fn refused(name: &str, format: Format, bytes: &[u8]) -> String {
    let mut f = imported();
    let before = dump(&f.path);
    let p = write(&f, name, bytes);
    let e = import(&mut f.session, &p, format, None).unwrap_err();
    assert_eq!(dump(&f.path), before, "stored data changed");
    e.to_string()
}

/// Like [`refused`], with `--strict`: an item that does not read as a clean chain refuses
/// the whole file, as imports did before they repaired and quarantined.
fn refused_strict(name: &str, format: Format, bytes: &[u8]) -> String {
    let mut f = imported();
    let before = dump(&f.path);
    let p = write(&f, name, bytes);
    let mut opts = ImportOptions::new("delivery", format, NOW);
    opts.strict = true;
    let e = f
        .session
        .import_with(&p, &opts, ImportControl::default())
        .unwrap_err();
    assert_eq!(dump(&f.path), before, "stored data changed");
    e.to_string()
}

/// The same input without `--strict`: stored, with the item repaired or quarantined.
fn forgiven(name: &str, format: Format, bytes: &[u8]) -> ImportReport {
    let mut f = document();
    let p = write(&f, name, bytes);
    let r = import(&mut f.session, &p, format, None).unwrap();
    assert!(r.rows.adds_up(), "{:?}", r.rows);
    r
}

const HEADER: &str = "item_id,item_type,timestamp,from_state,to_state\n";

#[test]
fn unknown_and_missing_columns_are_named() {
    let e = refused(
        "cols.csv",
        Format::EventsCsv,
        b"item_id,item_type,timestamp,from_state,to_state,owner\nX,Story,2024-03-01,,Backlog,ann\n",
    );
    assert!(
        e.contains("cols.csv, line 1: unknown column \"owner\" (column 6)"),
        "{e}"
    );
    let e = refused(
        "cols.csv",
        Format::EventsCsv,
        b"item_id,timestamp,to_state\nX,2024-03-01,Backlog\n",
    );
    assert!(
        e.contains("line 1: missing columns item_type, from_state"),
        "{e}"
    );
    let e = refused(
        "cols.csv",
        Format::DeploymentsCsv,
        b"type,id,timestamp,duration\n",
    );
    assert!(e.contains("unknown column \"duration\""), "{e}");
    let e = refused(
        "cols.csv",
        Format::JiraHistoryCsv,
        b"issue_id,created_date,field\n",
    );
    assert!(e.contains("missing columns from_string, to_string"), "{e}");
    let e = refused("cols.csv", Format::JiraCsv, b"Summary,Issue key\nx,P-1\n");
    assert!(e.contains("missing column \"status\""), "{e}");
    let e = refused(
        "cols.csv",
        Format::StageDatesCsv,
        b"Name,Backlog,Done\nx,2024-03-01,2024-03-02\n",
    );
    assert!(e.contains("the first column must be the item's ID"), "{e}");
}

#[test]
fn unparsable_dates_name_the_line() {
    let e = refused(
        "dates.csv",
        Format::EventsCsv,
        format!("{HEADER}X,Story,2024-03-01,,Backlog\nX,Story,2024-13-01,Backlog,Doing\n")
            .as_bytes(),
    );
    assert!(
        e.contains("dates.csv, line 3: timestamp: \"2024-13-01\" is not a date or time"),
        "{e}"
    );
    // A time without an offset is ambiguous in the neutral format.
    let e = refused(
        "dates.csv",
        Format::EventsCsv,
        format!("{HEADER}X,Story,2024-03-01T10:00:00,,Backlog\n").as_bytes(),
    );
    assert!(
        e.contains("line 2: timestamp: \"2024-03-01T10:00:00\" has no UTC offset"),
        "{e}"
    );
    let e = refused(
        "dates.csv",
        Format::StageDatesCsv,
        b"ID,Backlog,Done\nX,2024-03-01,01.03.2024\n",
    );
    assert!(e.contains("line 2: item \"X\", column \"Done\""), "{e}");
    let e = refused(
        "dates.csv",
        Format::DeploymentsCsv,
        b"type,id,timestamp\ndeployment,d1,soon\n",
    );
    assert!(e.contains("line 2: timestamp: \"soon\""), "{e}");
}

#[test]
fn events_out_of_order_are_quarantined_or_refused_with_both_places() {
    // X moves Doing -> Done before it ever reached Doing: a row is missing or misdated.
    let order = format!(
        "{HEADER}X,Story,2024-03-01T08:00:00Z,,Backlog\nX,Story,2024-03-03T08:00:00Z,Backlog,Doing\nX,Story,2024-03-02T08:00:00Z,Doing,Done\nY,Story,2024-03-01T08:00:00Z,,Backlog\n"
    );
    let e = refused_strict("order.csv", Format::EventsCsv, order.as_bytes());
    assert!(e.contains("order.csv, line 4: item \"X\" moves from \"Doing\" to \"Done\" at 2024-03-02T08:00:00Z, but the event before it (line 2, at 2024-03-01T08:00:00Z) left it in \"Backlog\""), "{e}");
    // Without --strict, X is quarantined with the same words and Y is stored.
    let r = forgiven("order.csv", Format::EventsCsv, order.as_bytes());
    assert_eq!((r.items_added, r.events_added), (1, 1));
    assert_eq!(r.quarantined.len(), 1);
    assert_eq!(
        (
            r.quarantined[0].item_id.as_str(),
            r.quarantined[0].location.as_str()
        ),
        ("X", "line 4")
    );
    assert!(r.quarantined[0].reason.contains("left it in \"Backlog\""));
    assert_eq!((r.rows.read, r.rows.used, r.rows.quarantined), (4, 1, 3));
    // Rows out of file order but consistent in time are fine.
    let mut f = document();
    let p = write(&f, "shuffled.csv", format!("{HEADER}X,Story,2024-03-02T08:00:00Z,Backlog,Doing\nX,Story,2024-03-01T08:00:00Z,,Backlog\n").as_bytes());
    let r = import(&mut f.session, &p, Format::EventsCsv, None).unwrap();
    assert_eq!(r.events_added, 2);
    // An item created twice.
    let twice = format!(
        "{HEADER}X,Story,2024-03-01T08:00:00Z,,Backlog\nX,Story,2024-03-02T08:00:00Z,,Backlog\n"
    );
    let e = refused_strict("twice.csv", Format::EventsCsv, twice.as_bytes());
    assert!(e.contains("line 3: item \"X\" is created again at 2024-03-02T08:00:00Z, after its creation at 2024-03-01T08:00:00Z (line 2); two items with one id?"), "{e}");
    assert_eq!(
        forgiven("twice.csv", Format::EventsCsv, twice.as_bytes())
            .quarantined
            .len(),
        1
    );
    // A change timed before the creation: the creation moves back to it.
    let skew = format!(
        "{HEADER}X,Story,2024-03-02T08:00:00Z,,Backlog\nX,Story,2024-03-01T08:00:00Z,Backlog,Doing\n"
    );
    let r = forgiven("skew.csv", Format::EventsCsv, skew.as_bytes());
    assert_eq!(
        (r.repaired[0].rule, r.events_added),
        (Rule::CreatedMovedBack, 2)
    );
    let e = refused_strict("skew.csv", Format::EventsCsv, skew.as_bytes());
    assert!(e.contains("line 2: created at 2024-03-02T08:00:00Z but it changes from \"Backlog\" at 2024-03-01T08:00:00Z (line 3)"), "{e}");
    // ... or, when the change does not leave the created status, the item starts there.
    let moved = format!(
        "{HEADER}X,Story,2024-03-02T08:00:00Z,,Doing\nX,Story,2024-03-01T08:00:00Z,Backlog,Doing\n"
    );
    let r = forgiven("moved.csv", Format::EventsCsv, moved.as_bytes());
    assert_eq!(
        (r.repaired[0].rule, r.events_added),
        (Rule::StartsAtFirstChange, 1)
    );
    // Stage dates that go back.
    let back = b"ID,Backlog,Doing,Done\nX,2024-03-05,2024-03-03,\n";
    let e = refused_strict("back.csv", Format::StageDatesCsv, back);
    assert!(
        e.contains(
            "line 2: item \"X\" entered \"Doing\" (2024-03-03T00:00:00Z) before \"Backlog\""
        ),
        "{e}"
    );
    assert_eq!(
        forgiven("back.csv", Format::StageDatesCsv, back).quarantined[0].item_id,
        "X"
    );
}

#[test]
fn duplicate_rows_are_dropped_or_refused() {
    let dup = format!(
        "{HEADER}X,Story,2024-03-01T08:00:00Z,,Backlog\nX,Story,2024-03-02T08:00:00Z,Backlog,Doing\nX,Story,2024-03-02T08:00:00Z,Backlog,Doing\n"
    );
    let e = refused_strict("dup.csv", Format::EventsCsv, dup.as_bytes());
    assert!(
        e.contains("dup.csv, line 4: item \"X\": this repeats the event of line 3"),
        "{e}"
    );
    let r = forgiven("dup.csv", Format::EventsCsv, dup.as_bytes());
    assert_eq!(
        (r.rows.repaired, r.rows.duplicates, r.events_added),
        (2, 1, 2)
    );
    assert_eq!(r.repaired[0].rule, Rule::DuplicateDropped);
    let deploys = b"type,id,timestamp\ndeployment,d1,2024-03-01T10:00:00Z\ndeployment,d1,2024-03-01T10:00:00Z\n";
    let e = refused_strict("dup.csv", Format::DeploymentsCsv, deploys);
    assert!(
        e.contains("line 3: deployment \"d1\" repeats line 2"),
        "{e}"
    );
    let r = forgiven("dup.csv", Format::DeploymentsCsv, deploys);
    assert_eq!((r.deployments_added, r.rows.duplicates), (1, 1));
    // The same key with other values is refused in any case, naming both lines.
    let e = refused(
        "dup.csv",
        Format::DeploymentsCsv,
        b"type,id,timestamp\ndeployment,d1,2024-03-01T10:00:00Z\ndeployment,d1,2024-03-02T10:00:00Z\n",
    );
    assert!(
        e.contains("line 3: deployment \"d1\" repeats line 2 with other values"),
        "{e}"
    );
}

#[test]
fn a_large_binary_file_is_not_csv() {
    // 4 MiB of bytes that are not text (a zip-like header, then noise with zero bytes).
    let mut bytes = b"PK\x03\x04".to_vec();
    let mut x: u32 = 12345;
    while bytes.len() < 4 << 20 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((x >> 16) as u8);
    }
    let e = refused("export.csv", Format::EventsCsv, &bytes);
    assert!(e.contains("export.csv, the file: this is not a text file (it holds binary data: a zero byte at offset"), "{e}");
    // Without zero bytes up front, invalid UTF-8 is named with its line.
    let e = refused(
        "latin1.csv",
        Format::EventsCsv,
        b"item_id,item_type,timestamp,from_state,to_state\nX,Story,2024-03-01,,Backl\xf6g\n",
    );
    assert!(e.contains("line 2: field 5 is not UTF-8 text"), "{e}");
    let e = refused(
        "ragged.csv",
        Format::EventsCsv,
        format!("{HEADER}X,Story,2024-03-01\n").as_bytes(),
    );
    assert!(
        e.contains("line 2: the row has 3 fields but the header has 5"),
        "{e}"
    );
    let e = refused("empty.csv", Format::EventsCsv, b"");
    assert!(e.contains("the file is empty"), "{e}");
}

#[test]
fn json_errors_name_the_line_and_the_wrong_format_is_told() {
    let e = refused(
        "jira.json",
        Format::JiraJson,
        b"{\n  \"issues\": [\n    {\"key\": \"P-1\",}\n  ]\n}\n",
    );
    assert!(e.contains("jira.json, line 3: column"), "{e}");
    assert!(e.contains("not valid JSON"), "{e}");
    let e = refused(
        "cut.json",
        Format::AzureDevopsJson,
        b"{\"value\": [ {\"workItemId\": 1,",
    );
    assert!(e.contains("the JSON ends too early"), "{e}");
    let e = refused("events.json", Format::EventsCsv, b"[{\"a\": 1}]");
    assert!(e.contains("this looks like JSON, not CSV"), "{e}");
    let e = refused("events.csv", Format::JiraJson, HEADER.as_bytes());
    assert!(e.contains("this is not JSON"), "{e}");
    let e = refused(
        "runs.json",
        Format::GithubActionsJson,
        b"{\"total_count\": 0, \"workflow_runs\": []}",
    );
    assert!(e.contains("no workflow runs found"), "{e}");
    let e = refused(
        "gl.json",
        Format::GitlabEventsJson,
        b"[{\"id\": 1, \"resource_id\": 2, \"created_at\": \"2024-03-01T00:00:00Z\"}]",
    );
    assert!(e.contains("event 0 (id 1): neither a state event"), "{e}");
}
