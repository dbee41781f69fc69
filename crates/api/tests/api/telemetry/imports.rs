//! Storing imports: idempotent re-imports, newer exports, one transaction, personal data only
//! on request, the mapping, progress and cancel.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tributary_api::telemetry::{
    Format, ImportControl, ImportOptions, ImportProgress, Mapping, MappingToml, Phase,
};
use tributary_api::{ErrorCode, Session};

use super::common::*;

#[test]
fn a_re_import_changes_nothing() {
    let mut f = document();
    let events = |s: &mut Session| {
        import(
            s,
            &fixture("events.csv"),
            Format::EventsCsv,
            Some(map("map.toml")),
        )
        .unwrap()
    };
    let first = events(&mut f.session);
    assert_eq!(
        (first.items_added, first.events_added, first.events_existing),
        (6, 27, 0)
    );
    assert!(first.import_id.is_some());
    let before = dump(&f.path);
    let again = events(&mut f.session);
    assert_eq!(
        (again.items_added, again.events_added, again.events_existing),
        (0, 0, 27)
    );
    assert_eq!(again.import_id, None);
    assert!(!again.mapping_changed);
    assert_eq!(dump(&f.path), before);
    // Deliveries too.
    let deployments = |s: &mut Session| {
        import(s, &fixture("deployments.csv"), Format::DeploymentsCsv, None).unwrap()
    };
    deployments(&mut f.session);
    let before = dump(&f.path);
    let r = deployments(&mut f.session);
    assert_eq!(
        (
            r.deployments_added,
            r.changes_added,
            r.incidents_added,
            r.import_id
        ),
        (0, 0, 0, None)
    );
    assert_eq!(dump(&f.path), before);
}

#[test]
fn a_newer_export_adds_only_what_is_new() {
    let mut f = document();
    let text = std::fs::read_to_string(fixture("events.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The older export: the header and the first 14 events (up to 2024-03-05).
    let older = f.dir.path().join("older.csv");
    std::fs::write(&older, lines[..15].join("\n")).unwrap();
    let r = import(
        &mut f.session,
        &older,
        Format::EventsCsv,
        Some(map("map.toml")),
    )
    .unwrap();
    assert_eq!((r.items_added, r.events_added), (6, 14));
    let r = import(
        &mut f.session,
        &fixture("events.csv"),
        Format::EventsCsv,
        None,
    )
    .unwrap();
    assert_eq!(
        (r.items_added, r.events_added, r.events_existing),
        (0, 13, 14)
    );
    let n = count(&f.path, "SELECT COUNT(*) FROM telemetry_events");
    assert_eq!(n, 27);
    let imports = f.session.imports(Some("delivery")).unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(
        (imports[0].source.as_str(), imports[0].events_added),
        ("older.csv", 14)
    );
    assert_eq!(imports[1].imported_at, NOW);
    // An incident stored open and resolved in a newer export is updated, not repeated.
    let open = f.dir.path().join("open.csv");
    std::fs::write(
        &open,
        "type,id,timestamp\nincident,i9,2024-03-05T10:00:00Z\n",
    )
    .unwrap();
    import(&mut f.session, &open, Format::DeploymentsCsv, None).unwrap();
    std::fs::write(
        &open,
        "type,id,timestamp,resolved_timestamp\nincident,i9,2024-03-05T10:00:00Z,2024-03-05T13:00:00Z\n",
    )
    .unwrap();
    let r = import(&mut f.session, &open, Format::DeploymentsCsv, None).unwrap();
    assert_eq!((r.incidents_added, r.incidents_resolved), (0, 1));
    let d = f.session.dora(Some("delivery"), None, None).unwrap();
    assert_close(d.time_to_restore.median_hours, 3.0);
}

#[test]
fn bad_input_leaves_the_file_as_it_was() {
    let mut f = imported();
    let before = dump(&f.path);
    let model_before = f.session.model().clone();
    let bad = f.dir.path().join("bad.csv");
    // New items first, then a date that cannot be read: nothing of it may be stored.
    std::fs::write(
        &bad,
        "item_id,item_type,timestamp,from_state,to_state\nB-1,Story,2024-03-09T10:00:00Z,,Backlog\nB-2,Story,yesterday,,Backlog\n",
    )
    .unwrap();
    let e = import(
        &mut f.session,
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
    assert_eq!(dump(&f.path), before);
    // An event that contradicts what is stored is refused the same way with --strict ...
    std::fs::write(
        &bad,
        "item_id,item_type,timestamp,from_state,to_state\nB-1,Story,2024-03-09T10:00:00Z,,Backlog\nA-1,Story,2024-03-09T10:00:00Z,Ready,Doing\n",
    )
    .unwrap();
    let mut strict = ImportOptions::new("delivery", Format::EventsCsv, NOW);
    strict.strict = true;
    let e = f
        .session
        .import_with(&bad, &strict, ImportControl::default())
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("bad.csv, line 3: item \"A-1\" moves from \"Ready\" to \"Doing\""),
        "{msg}"
    );
    assert!(
        msg.contains("stored by import 1") && msg.contains("left it in \"Done\""),
        "{msg}"
    );
    assert_eq!(dump(&f.path), before);
    assert_eq!(f.session.model(), &model_before);
    // Reopened after the write fails, the file still holds the first import only.
    let path = f.path.clone();
    drop(f.session);
    let mut session = Session::open(&path).unwrap();
    assert_eq!(dump(session.path()), before);
    // ... and without it, A-1's new event is quarantined with the same words while B-1 is
    // stored: what some items do does not refuse the others.
    let r = import(&mut session, &bad, Format::EventsCsv, None).unwrap();
    assert_eq!((r.items_added, r.events_added), (1, 1));
    assert_eq!(r.quarantined[0].item_id, "A-1");
    assert!(r.quarantined[0].reason.contains("stored by import 1"));
}

#[test]
fn a_cancelled_import_stores_nothing_and_progress_is_reported() {
    let mut f = document();
    let cancel = AtomicBool::new(false);
    let seen: Mutex<Vec<ImportProgress>> = Mutex::new(Vec::new());
    let progress = |p: ImportProgress| {
        seen.lock().unwrap().push(p);
        if p.phase == Phase::Writing {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let opts = ImportOptions::new("delivery", Format::EventsCsv, NOW);
    let e = f
        .session
        .import_with(
            &fixture("events.csv"),
            &opts,
            ImportControl {
                progress: Some(&progress),
                cancel: Some(&cancel),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{e}");
    assert!(dump(&f.path).is_empty());
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
    let e = f
        .session
        .import_with(
            &fixture("events.csv"),
            &opts,
            ImportControl {
                progress: None,
                cancel: Some(&cancel),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{e}");
}

#[test]
fn personal_data_is_kept_only_when_asked_for() {
    let names = |path: &Path| -> (i64, i64) {
        let a = count(
            path,
            "SELECT COUNT(*) FROM telemetry_items WHERE assignee IS NOT NULL",
        );
        let b = count(
            path,
            "SELECT COUNT(*) FROM telemetry_events WHERE actor IS NOT NULL",
        );
        (a, b)
    };
    let f = with("jira.json", Format::JiraJson, None);
    assert_eq!(names(&f.path), (0, 0));
    let text: Vec<String> = dump(&f.path);
    assert!(
        !text
            .iter()
            .any(|r| r.contains("Alana") || r.contains("Bo Chen"))
    );
    let mut g = document();
    let mut opts = ImportOptions::new("delivery", Format::JiraJson, NOW);
    opts.personal = true;
    let r = g
        .session
        .import_with(&fixture("jira.json"), &opts, ImportControl::default())
        .unwrap();
    assert!(r.personal_data);
    let (assignees, actors) = names(&g.path);
    assert_eq!(assignees, 1);
    // PROJ-1's six histories made six events with an author (two of them flags).
    assert_eq!(actors, 6);
    let imports = g.session.imports(None).unwrap();
    assert!(imports[0].personal_data);
}

#[test]
fn the_mapping_is_stored_replaced_and_checked_against_the_stream() {
    let mut f = document();
    let r = import(
        &mut f.session,
        &fixture("events.csv"),
        Format::EventsCsv,
        None,
    )
    .unwrap();
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
    f.session.set_mapping("delivery", &map("map.toml")).unwrap();
    assert_eq!(f.session.mapping("delivery").unwrap(), map("map.toml"));
    let rows = f.session.status_counts("delivery").unwrap();
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
    let types = f.session.type_counts("delivery").unwrap();
    assert_eq!(types[0].item_type, "Story");
    assert_eq!(types[0].items, 4);
    // A stage the stream does not have is refused.
    let bad = Mapping::from_toml("[stages]\n\"Doing\" = \"deploy\"\n").unwrap();
    let e = f.session.set_mapping("delivery", &bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("has no such stage (its stages: analyse, build, review)"),
        "{e}"
    );
    // The TOML form round-trips.
    let m = map("map.toml");
    assert_eq!(Mapping::from_toml(&m.to_toml()).unwrap(), m);
}

#[test]
fn a_read_only_document_and_a_missing_stream_are_refused() {
    let mut f = document();
    let e = {
        let mut opts = ImportOptions::new("nope", Format::EventsCsv, NOW);
        opts.mapping = None;
        f.session
            .import_with(&fixture("events.csv"), &opts, ImportControl::default())
            .unwrap_err()
    };
    assert!(
        e.to_string().contains("stream \"nope\" does not exist"),
        "{e}"
    );
    let path = f.path.clone();
    drop(f.session);
    let mut ro = Session::open_read_only(&path).unwrap();
    let e = import(&mut ro, &fixture("events.csv"), Format::EventsCsv, None).unwrap_err();
    assert!(e.to_string().contains("read-only"), "{e}");
}
