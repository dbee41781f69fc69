//! Storing imports: idempotent re-imports, newer exports, one transaction, personal data only
//! on request, the mapping, progress and cancel.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tributary_store::Document;
use tributary_telemetry::{Control, Format, ImportOptions, Phase, Progress};

use crate::common::*;

#[test]
fn a_re_import_changes_nothing() {
    let mut f = document();
    let first = import(
        &mut f.doc,
        &fixture("events.csv"),
        Format::EventsCsv,
        Some(map("map.toml")),
    )
    .unwrap();
    assert_eq!(
        (first.items_added, first.events_added, first.events_existing),
        (6, 27, 0)
    );
    assert!(first.import_id.is_some());
    let before = dump(&f.doc);
    let again = import(
        &mut f.doc,
        &fixture("events.csv"),
        Format::EventsCsv,
        Some(map("map.toml")),
    )
    .unwrap();
    assert_eq!(
        (again.items_added, again.events_added, again.events_existing),
        (0, 0, 27)
    );
    assert_eq!(again.import_id, None);
    assert!(!again.mapping_changed);
    assert_eq!(dump(&f.doc), before);
    // Deliveries too.
    import(
        &mut f.doc,
        &fixture("deployments.csv"),
        Format::DeploymentsCsv,
        None,
    )
    .unwrap();
    let before = dump(&f.doc);
    let r = import(
        &mut f.doc,
        &fixture("deployments.csv"),
        Format::DeploymentsCsv,
        None,
    )
    .unwrap();
    assert_eq!(
        (
            r.deployments_added,
            r.changes_added,
            r.incidents_added,
            r.import_id
        ),
        (0, 0, 0, None)
    );
    assert_eq!(dump(&f.doc), before);
}

#[test]
fn a_newer_export_adds_only_what_is_new() {
    let mut f = document();
    let text = std::fs::read_to_string(fixture("events.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The older export: the header and the first 14 events (up to 2024-03-05).
    let older = f._dir.path().join("older.csv");
    std::fs::write(&older, lines[..15].join("\n")).unwrap();
    let r = import(&mut f.doc, &older, Format::EventsCsv, Some(map("map.toml"))).unwrap();
    assert_eq!((r.items_added, r.events_added), (6, 14));
    let r = import(&mut f.doc, &fixture("events.csv"), Format::EventsCsv, None).unwrap();
    assert_eq!(
        (r.items_added, r.events_added, r.events_existing),
        (0, 13, 14)
    );
    let n: i64 = f
        .doc
        .connection()
        .query_row("SELECT COUNT(*) FROM telemetry_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 27);
    let imports = tributary_telemetry::imports(&f.doc, Some("delivery")).unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(
        (imports[0].source.as_str(), imports[0].events_added),
        ("older.csv", 14)
    );
    assert_eq!(imports[1].imported_at, NOW);
    // An incident stored open and resolved in a newer export is updated, not repeated.
    let open = f._dir.path().join("open.csv");
    std::fs::write(
        &open,
        "type,id,timestamp\nincident,i9,2024-03-05T10:00:00Z\n",
    )
    .unwrap();
    import(&mut f.doc, &open, Format::DeploymentsCsv, None).unwrap();
    std::fs::write(
        &open,
        "type,id,timestamp,resolved_timestamp\nincident,i9,2024-03-05T10:00:00Z,2024-03-05T13:00:00Z\n",
    )
    .unwrap();
    let r = import(&mut f.doc, &open, Format::DeploymentsCsv, None).unwrap();
    assert_eq!((r.incidents_added, r.incidents_resolved), (0, 1));
    let d = tributary_telemetry::dora(&f.doc, Some("delivery"), None, None).unwrap();
    assert_close(d.time_to_restore.median_hours, 3.0);
}

#[test]
fn bad_input_leaves_the_file_as_it_was() {
    let mut f = document();
    import(
        &mut f.doc,
        &fixture("events.csv"),
        Format::EventsCsv,
        Some(map("map.toml")),
    )
    .unwrap();
    let before = dump(&f.doc);
    let model_before = f.doc.model().clone();
    let bad = f._dir.path().join("bad.csv");
    // New items first, then a date that cannot be read: nothing of it may be stored.
    std::fs::write(
        &bad,
        "item_id,item_type,timestamp,from_state,to_state\nB-1,Story,2024-03-09T10:00:00Z,,Backlog\nB-2,Story,yesterday,,Backlog\n",
    )
    .unwrap();
    let e = import(
        &mut f.doc,
        &bad,
        Format::EventsCsv,
        Some(Default::default()),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("bad.csv, line 3: timestamp: \"yesterday\" is not a date"),
        "{e}"
    );
    assert_eq!(dump(&f.doc), before);
    // An event that contradicts what is stored is refused the same way.
    std::fs::write(
        &bad,
        "item_id,item_type,timestamp,from_state,to_state\nB-1,Story,2024-03-09T10:00:00Z,,Backlog\nA-1,Story,2024-03-09T10:00:00Z,Ready,Doing\n",
    )
    .unwrap();
    let e = import(&mut f.doc, &bad, Format::EventsCsv, None).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("bad.csv, line 3: item \"A-1\" moves from \"Ready\" to \"Doing\""),
        "{msg}"
    );
    assert!(
        msg.contains("stored by import 1") && msg.contains("left it in \"Done\""),
        "{msg}"
    );
    assert_eq!(dump(&f.doc), before);
    assert_eq!(f.doc.model(), &model_before);
    // Reopened after the write fails, the file still holds the first import only.
    let path = f.path.clone();
    drop(f.doc);
    let doc = Document::open(&path).unwrap();
    assert_eq!(dump(&doc), before);
}

#[test]
fn a_cancelled_import_stores_nothing_and_progress_is_reported() {
    let mut f = document();
    let cancel = AtomicBool::new(false);
    let seen: Mutex<Vec<Progress>> = Mutex::new(Vec::new());
    let progress = |p: Progress| {
        seen.lock().unwrap().push(p);
        if p.phase == Phase::Writing {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let opts = ImportOptions::new("delivery", Format::EventsCsv, NOW);
    let e = tributary_telemetry::import(
        &mut f.doc,
        &fixture("events.csv"),
        &opts,
        Control {
            progress: Some(&progress),
            cancel: Some(&cancel),
        },
    )
    .unwrap_err();
    assert!(matches!(e, tributary_telemetry::Error::Cancelled), "{e}");
    assert!(dump(&f.doc).is_empty());
    let phases: Vec<Phase> = seen.lock().unwrap().iter().map(|p| p.phase).collect();
    assert!(phases.contains(&Phase::Reading) && phases.contains(&Phase::Checking));
    let reading = seen
        .lock()
        .unwrap()
        .iter()
        .find(|p| p.phase == Phase::Reading)
        .copied()
        .unwrap();
    let size = std::fs::metadata(fixture("events.csv")).unwrap().len();
    assert_eq!((reading.done, reading.total), (size, size));
    // Cancelled before it starts: not even read.
    let e = tributary_telemetry::import(
        &mut f.doc,
        &fixture("events.csv"),
        &opts,
        Control {
            progress: None,
            cancel: Some(&cancel),
        },
    )
    .unwrap_err();
    assert!(matches!(e, tributary_telemetry::Error::Cancelled));
}

#[test]
fn personal_data_is_kept_only_when_asked_for() {
    let names = |doc: &Document| -> (i64, i64) {
        let c = doc.connection();
        let a: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM telemetry_items WHERE assignee IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let b: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM telemetry_events WHERE actor IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (a, b)
    };
    let mut f = document();
    import(&mut f.doc, &fixture("jira.json"), Format::JiraJson, None).unwrap();
    assert_eq!(names(&f.doc), (0, 0));
    let text: Vec<String> = dump(&f.doc);
    assert!(
        !text
            .iter()
            .any(|r| r.contains("Alana") || r.contains("Bo Chen"))
    );
    let mut g = document();
    let mut opts = ImportOptions::new("delivery", Format::JiraJson, NOW);
    opts.personal = true;
    let r =
        tributary_telemetry::import(&mut g.doc, &fixture("jira.json"), &opts, Control::default())
            .unwrap();
    assert!(r.personal_data);
    let (assignees, actors) = names(&g.doc);
    assert_eq!(assignees, 1);
    // PROJ-1's six histories made six events with an author (two of them flags).
    assert_eq!(actors, 6);
    let imports = tributary_telemetry::imports(&g.doc, None).unwrap();
    assert!(imports[0].personal_data);
}

#[test]
fn the_mapping_is_stored_replaced_and_checked_against_the_stream() {
    let mut f = document();
    let r = import(&mut f.doc, &fixture("events.csv"), Format::EventsCsv, None).unwrap();
    // Nothing mapped yet: every status and type is listed with its count, none guessed.
    let names: Vec<(&str, u64)> = r
        .unmapped_statuses
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(
        names,
        [
            ("Backlog", 5),
            ("Triage", 1),
            ("Ready", 3),
            ("Doing", 7),
            ("Review", 3),
            ("Done", 5),
            ("Dropped", 1)
        ]
    );
    assert_eq!(r.unmapped_types.len(), 3);
    tributary_telemetry::set_mapping(&mut f.doc, "delivery", &map("map.toml")).unwrap();
    assert_eq!(
        tributary_telemetry::get_mapping(&f.doc, "delivery").unwrap(),
        map("map.toml")
    );
    let rows = tributary_telemetry::status_counts(&f.doc, "delivery").unwrap();
    let order: Vec<&str> = rows.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(
        order,
        [
            "Backlog", "Ready", "Doing", "Review", "Done", "Dropped", "Triage"
        ]
    );
    let done = rows.iter().find(|s| s.status == "Done").unwrap();
    // are done now; A-5 in Doing, A-6 in Dropped.
    assert_eq!((done.events, done.items_now), (5, 4));
    let types = tributary_telemetry::type_counts(&f.doc, "delivery").unwrap();
    assert_eq!(types[0].item_type, "Story");
    assert_eq!(types[0].items, 4);
    // A stage the stream does not have is refused.
    let bad =
        tributary_telemetry::Mapping::from_toml("[stages]\n\"Doing\" = \"deploy\"\n").unwrap();
    let e = tributary_telemetry::set_mapping(&mut f.doc, "delivery", &bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("has no such stage (its stages: analyse, build, review)"),
        "{e}"
    );
    // The TOML form round-trips.
    let m = map("map.toml");
    assert_eq!(
        tributary_telemetry::Mapping::from_toml(&m.to_toml()).unwrap(),
        m
    );
}

#[test]
fn a_read_only_document_and_a_missing_stream_are_refused() {
    let mut f = document();
    let e = {
        let mut opts = ImportOptions::new("nope", Format::EventsCsv, NOW);
        opts.mapping = None;
        tributary_telemetry::import(
            &mut f.doc,
            &fixture("events.csv"),
            &opts,
            Control::default(),
        )
        .unwrap_err()
    };
    assert!(
        e.to_string().contains("stream \"nope\" does not exist"),
        "{e}"
    );
    let path = f.path.clone();
    drop(f.doc);
    let mut ro = Document::open_read_only(&path).unwrap();
    let e = import(&mut ro, &fixture("events.csv"), Format::EventsCsv, None).unwrap_err();
    assert!(e.to_string().contains("read-only"), "{e}");
}

#[test]
fn mapping_files_name_what_is_wrong() {
    use tributary_telemetry::Mapping;
    let e = Mapping::from_toml("[states]\n\"Doing\" = \"busy\"\n").unwrap_err();
    assert!(e.contains("[states] \"Doing\" = \"busy\": a flow state is one of new, waiting, active, done, canceled"), "{e}");
    let e = Mapping::from_toml("[colours]\n\"Doing\" = \"red\"\n").unwrap_err();
    assert!(e.contains("unknown table [colours]"), "{e}");
    let e = Mapping::from_toml("[types]\n\"Bug\" = \"bug\"\n").unwrap_err();
    assert!(
        e.contains("an item kind is one of feature, defect, risk, debt"),
        "{e}"
    );
    let e = Mapping::from_toml("[states\n").unwrap_err();
    assert!(e.contains("not valid TOML"), "{e}");
    let m = Mapping::from_toml("[states]\n\"Z\" = \"done\"\n\"A\" = \"new\"\n").unwrap();
    // The order given is the workflow order, not sorted.
    assert_eq!(m.states[0].status, "Z");
}
