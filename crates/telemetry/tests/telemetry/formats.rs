//! Each import format on a fixture in the shape of the real export: the neutral events it
//! turns into, written out by hand from the fixture (times converted to UTC by hand).

use tributary_telemetry::{Control, Format, Mapping, MappingToml, Preview, preview};

use crate::common::*;

type Ev = (String, String, String, String, Option<bool>);

fn events(p: &Preview) -> Vec<Ev> {
    p.events
        .iter()
        .map(|e| {
            (
                e.item_id.clone(),
                e.timestamp.clone(),
                e.from_state.clone(),
                e.to_state.clone(),
                e.blocked,
            )
        })
        .collect()
}

fn ev(item: &str, at: &str, from: &str, to: &str, blocked: Option<bool>) -> Ev {
    (item.into(), at.into(), from.into(), to.into(), blocked)
}

fn load(name: &str, format: Format, mapping: &Mapping, tz: Option<&str>) -> Preview {
    preview(
        &fixture(name),
        format,
        mapping,
        tz,
        1000,
        Control::default(),
    )
    .unwrap()
}

#[test]
fn events_csv_reads_offsets_plain_dates_and_the_blocked_flag() {
    let p = load("events.csv", Format::EventsCsv, &map("map.toml"), None);
    assert_eq!((p.rows, p.items, p.events_total), (27, 6, 27));
    let e = events(&p);
    // 09:00+01:00 is 08:00 UTC; a plain date is midnight UTC.
    assert_eq!(e[0], ev("A-1", "2024-03-04T08:00:00Z", "", "Backlog", None));
    let a2: Vec<&Ev> = e.iter().filter(|x| x.0 == "A-2").collect();
    assert_eq!(
        *a2[0],
        ev("A-2", "2024-03-04T00:00:00Z", "", "Backlog", None)
    );
    assert_eq!(
        *a2[6],
        ev("A-2", "2024-03-07T17:00:00Z", "Review", "Done", None)
    );
    let a4: Vec<&Ev> = e.iter().filter(|x| x.0 == "A-4").collect();
    assert_eq!(
        *a4[2],
        ev("A-4", "2024-03-05T20:00:00Z", "Doing", "Doing", Some(true))
    );
    assert_eq!(
        *a4[3],
        ev("A-4", "2024-03-06T08:00:00Z", "Doing", "Doing", Some(false))
    );
    let triage = p.statuses.iter().find(|s| s.status == "Triage").unwrap();
    assert_eq!((triage.events, triage.state), (1, None));
    let doing = p.statuses.iter().find(|s| s.status == "Doing").unwrap();
    // Entered by A-1, A-2 (twice: it moved back), A-3 (twice: reopened), A-4, A-5.
    assert_eq!(doing.events, 7);
    assert_eq!(doing.stage.as_deref(), Some("build"));
    let task = p.types.iter().find(|t| t.item_type == "Task").unwrap();
    assert_eq!((task.items, task.kind), (1, None));
    assert_eq!(p.raw[0][0], "item_id");
    assert_eq!(p.raw[1][0], "A-1");
}

#[test]
fn jira_json_reads_status_changes_flags_and_unordered_histories() {
    let p = load("jira.json", Format::JiraJson, &map("jira-map.toml"), None);
    let e = events(&p);
    let of = |k: &str| -> Vec<Ev> { e.iter().filter(|x| x.0 == k).cloned().collect() };
    assert_eq!(
        of("PROJ-1"),
        vec![
            ev("PROJ-1", "2024-03-04T08:00:00Z", "", "To Do", None),
            ev(
                "PROJ-1",
                "2024-03-05T08:00:00Z",
                "To Do",
                "In Progress",
                None
            ),
            ev(
                "PROJ-1",
                "2024-03-05T20:00:00Z",
                "In Progress",
                "In Progress",
                Some(true)
            ),
            ev(
                "PROJ-1",
                "2024-03-06T08:00:00Z",
                "In Progress",
                "In Progress",
                Some(false)
            ),
            ev(
                "PROJ-1",
                "2024-03-07T08:00:00Z",
                "In Progress",
                "In Review",
                None
            ),
            ev(
                "PROJ-1",
                "2024-03-07T20:00:00Z",
                "In Review",
                "In Progress",
                None
            ),
            ev(
                "PROJ-1",
                "2024-03-08T08:00:00Z",
                "In Progress",
                "Done",
                None
            ),
        ]
    );
    // Listed newest first in the export; -05:00 offsets.
    assert_eq!(
        of("PROJ-2"),
        vec![
            ev("PROJ-2", "2024-03-04T15:00:00Z", "", "To Do", None),
            ev(
                "PROJ-2",
                "2024-03-05T15:00:00Z",
                "To Do",
                "In Progress",
                None
            ),
            ev(
                "PROJ-2",
                "2024-03-06T15:00:00Z",
                "In Progress",
                "Done",
                None
            ),
            ev(
                "PROJ-2",
                "2024-03-07T15:00:00Z",
                "Done",
                "In Progress",
                None
            ),
            ev(
                "PROJ-2",
                "2024-03-08T15:00:00Z",
                "In Progress",
                "Done",
                None
            ),
        ]
    );
    assert_eq!(
        of("PROJ-3"),
        vec![ev("PROJ-3", "2024-03-05T12:00:00Z", "", "Triage", None)]
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("PROJ-3: the export holds 0 of its 3 changes"))
    );
    assert!(
        p.statuses
            .iter()
            .any(|s| s.status == "Triage" && s.state.is_none())
    );
    assert_eq!(
        p.types
            .iter()
            .find(|t| t.item_type == "Story")
            .unwrap()
            .items,
        1
    );
}

#[test]
fn jira_issue_history_csv_gives_the_same_moves_without_creation() {
    let p = load(
        "jira-issue-history.csv",
        Format::JiraHistoryCsv,
        &map("jira-map.toml"),
        None,
    );
    let e = events(&p);
    let of = |k: &str| -> Vec<Ev> { e.iter().filter(|x| x.0 == k).cloned().collect() };
    assert_eq!(
        of("10001"),
        vec![
            ev(
                "10001",
                "2024-03-05T08:00:00Z",
                "To Do",
                "In Progress",
                None
            ),
            ev(
                "10001",
                "2024-03-05T20:00:00Z",
                "In Progress",
                "In Progress",
                Some(true)
            ),
            ev(
                "10001",
                "2024-03-06T08:00:00Z",
                "In Progress",
                "In Progress",
                Some(false)
            ),
            ev(
                "10001",
                "2024-03-07T08:00:00Z",
                "In Progress",
                "In Review",
                None
            ),
            ev(
                "10001",
                "2024-03-07T20:00:00Z",
                "In Review",
                "In Progress",
                None
            ),
            ev("10001", "2024-03-08T08:00:00Z", "In Progress", "Done", None),
        ]
    );
    assert_eq!(of("10002").len(), 4);
    assert_eq!(
        of("10002")[2],
        ev("10002", "2024-03-07T15:00:00Z", "Done", "In Progress", None)
    );
    assert!(
        p.limitations
            .iter()
            .any(|l| l.contains("no creation dates"))
    );
    // The row of another field is skipped, and the rows add up.
    let skipped: Vec<(&str, u64)> = p
        .row_counts
        .skipped_why
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(
        skipped,
        [("changes of other fields than status and Flagged", 1)]
    );
    assert!(p.row_counts.adds_up(), "{:?}", p.row_counts);
}

#[test]
fn jira_issue_csv_falls_back_to_created_and_resolved_and_says_what_it_cannot_measure() {
    let p = load(
        "jira-issues.csv",
        Format::JiraCsv,
        &Mapping::default(),
        Some("Europe/Berlin"),
    );
    let e = events(&p);
    // 9:00 AM in Berlin (UTC+1 in March) is 08:00 UTC.
    assert_eq!(
        e,
        vec![
            ev("PROJ-1", "2024-03-04T08:00:00Z", "", "Created", None),
            ev("PROJ-1", "2024-03-08T08:00:00Z", "Created", "Done", None),
            ev("PROJ-2", "2024-03-04T09:00:00Z", "", "Created", None),
            ev("PROJ-2", "2024-03-08T09:00:00Z", "Created", "Done", None),
            ev("PROJ-3", "2024-03-05T11:00:00Z", "", "Created", None),
        ]
    );
    assert!(p.limitations[0].contains("cannot be measured"));
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    let utc = load(
        "jira-issues.csv",
        Format::JiraCsv,
        &Mapping::default(),
        None,
    );
    assert_eq!(utc.events[0].timestamp, "2024-03-04T09:00:00Z");
    assert!(utc.notes.iter().any(|n| n.contains("read as UTC")));
}

#[test]
fn stage_dates_csv_turns_columns_into_moves() {
    let p = load(
        "stage-dates.csv",
        Format::StageDatesCsv,
        &map("map.toml"),
        None,
    );
    let e = events(&p);
    assert_eq!(
        e,
        vec![
            ev("S-1", "2024-03-04T08:00:00Z", "", "Backlog", None),
            ev("S-1", "2024-03-05T00:00:00Z", "Backlog", "Ready", None),
            ev("S-1", "2024-03-06T08:00:00Z", "Ready", "Doing", None),
            ev("S-1", "2024-03-07T20:00:00Z", "Doing", "Review", None),
            ev("S-1", "2024-03-08T08:00:00Z", "Review", "Done", None),
            ev("S-2", "2024-03-04T00:00:00Z", "", "Backlog", None),
            ev("S-2", "2024-03-05T00:00:00Z", "Backlog", "Ready", None),
            ev("S-2", "2024-03-05T12:00:00Z", "Ready", "Doing", None),
            ev("S-2", "2024-03-07T17:00:00Z", "Doing", "Done", None),
            ev("S-3", "2024-03-05T00:00:00Z", "", "Backlog", None),
            ev("S-3", "2024-03-06T00:00:00Z", "Backlog", "Doing", None),
        ]
    );
    assert_eq!(
        p.types
            .iter()
            .map(|t| t.item_type.as_str())
            .collect::<Vec<_>>(),
        ["Story", "Bug", "Task"]
    );
    assert!(p.limitations[0].contains("moves back"));
}

#[test]
fn azure_devops_updates_use_changed_date_and_the_blocked_field() {
    let p = load(
        "azure-devops.json",
        Format::AzureDevopsJson,
        &Mapping::default(),
        None,
    );
    let e = events(&p);
    assert_eq!(
        e,
        vec![
            ev("101", "2024-03-04T08:00:00Z", "", "New", None),
            ev("101", "2024-03-05T08:00:00Z", "New", "Active", None),
            ev(
                "101",
                "2024-03-05T20:00:00Z",
                "Active",
                "Active",
                Some(true)
            ),
            ev(
                "101",
                "2024-03-06T08:00:00Z",
                "Active",
                "Active",
                Some(false)
            ),
            ev("101", "2024-03-07T08:00:00Z", "Active", "Resolved", None),
            ev("101", "2024-03-07T20:00:00Z", "Resolved", "Active", None),
            ev("101", "2024-03-08T08:00:00Z", "Active", "Closed", None),
            ev("101", "2024-03-09T08:00:00Z", "Closed", "Active", None),
            ev("101", "2024-03-10T08:00:00Z", "Active", "Closed", None),
            ev("102", "2024-03-05T12:00:00Z", "", "Proposed", None),
        ]
    );
    assert_eq!(p.types[0].item_type, "User Story");
}

#[test]
fn gitlab_events_follow_workflow_labels_and_state() {
    let p = load(
        "gitlab-events.json",
        Format::GitlabEventsJson,
        &Mapping::default(),
        None,
    );
    let e = events(&p);
    assert_eq!(
        e,
        vec![
            ev("Issue 253", "2024-03-04T08:00:00Z", "", "opened", None),
            ev(
                "Issue 253",
                "2024-03-05T08:00:00Z",
                "opened",
                "workflow::in dev",
                None
            ),
            ev(
                "Issue 253",
                "2024-03-05T20:00:00Z",
                "workflow::in dev",
                "workflow::in dev",
                Some(true)
            ),
            ev(
                "Issue 253",
                "2024-03-06T08:00:00Z",
                "workflow::in dev",
                "workflow::in dev",
                Some(false)
            ),
            ev(
                "Issue 253",
                "2024-03-07T08:00:00Z",
                "workflow::in dev",
                "workflow::review",
                None
            ),
            ev(
                "Issue 253",
                "2024-03-07T20:00:00Z",
                "workflow::review",
                "workflow::in dev",
                None
            ),
            ev(
                "Issue 253",
                "2024-03-08T08:00:00Z",
                "workflow::in dev",
                "closed",
                None
            ),
            ev("Issue 254", "2024-03-04T08:00:00Z", "", "opened", None),
            ev(
                "Issue 254",
                "2024-03-05T09:00:00Z",
                "opened",
                "workflow::triage",
                None
            ),
            ev(
                "Issue 254",
                "2024-03-05T15:00:00Z",
                "workflow::triage",
                "workflow::in dev",
                None
            ),
            ev(
                "Issue 254",
                "2024-03-06T15:00:00Z",
                "workflow::in dev",
                "closed",
                None
            ),
            ev(
                "Issue 254",
                "2024-03-07T15:00:00Z",
                "closed",
                "workflow::in dev",
                None
            ),
            ev(
                "Issue 254",
                "2024-03-08T15:00:00Z",
                "workflow::in dev",
                "closed",
                None
            ),
        ]
    );
    let types: Vec<&str> = p.types.iter().map(|t| t.item_type.as_str()).collect();
    assert_eq!(types, ["type::feature", "Issue"]);
    // With "bug" in the mapping's types, #8's label becomes its type.
    let m = Mapping::from_toml("[types]\n\"bug\" = \"defect\"\n").unwrap();
    let p = load("gitlab-events.json", Format::GitlabEventsJson, &m, None);
    assert!(p.types.iter().any(|t| t.item_type == "bug" && t.items == 1));
}

#[test]
fn github_issue_events_follow_project_columns() {
    let p = load(
        "github-timeline.json",
        Format::GithubTimelineJson,
        &Mapping::default(),
        None,
    );
    let e = events(&p);
    assert_eq!(
        e,
        vec![
            ev("#12", "2024-03-04T08:00:00Z", "", "open", None),
            ev("#12", "2024-03-05T08:00:00Z", "open", "To do", None),
            ev("#12", "2024-03-05T20:00:00Z", "To do", "In progress", None),
            ev(
                "#12",
                "2024-03-06T08:00:00Z",
                "In progress",
                "In progress",
                Some(true)
            ),
            ev(
                "#12",
                "2024-03-06T20:00:00Z",
                "In progress",
                "In progress",
                Some(false)
            ),
            ev("#12", "2024-03-07T08:00:00Z", "In progress", "Review", None),
            ev("#12", "2024-03-07T20:00:00Z", "Review", "In progress", None),
            ev("#12", "2024-03-08T08:00:00Z", "In progress", "closed", None),
            ev("#13", "2024-03-04T10:00:00Z", "", "open", None),
            ev("#13", "2024-03-05T10:00:00Z", "open", "Icebox", None),
            ev("#13", "2024-03-05T12:00:00Z", "Icebox", "In progress", None),
            ev("#13", "2024-03-06T10:00:00Z", "In progress", "closed", None),
            ev("#13", "2024-03-07T10:00:00Z", "closed", "In progress", None),
            ev("#13", "2024-03-08T10:00:00Z", "In progress", "closed", None),
        ]
    );
    let m = Mapping::from_toml("[types]\n\"bug\" = \"defect\"\n").unwrap();
    let p = load("github-timeline.json", Format::GithubTimelineJson, &m, None);
    let types: Vec<&str> = p.types.iter().map(|t| t.item_type.as_str()).collect();
    assert_eq!(types, ["issue", "bug"]);
}

#[test]
fn github_actions_runs_are_deployments_with_their_head_commit() {
    let p = load(
        "github-actions.json",
        Format::GithubActionsJson,
        &Mapping::default(),
        None,
    );
    // Two successes and one failure; in progress and cancelled runs are skipped.
    assert_eq!((p.deployments, p.changes), (3, 2));
    let skipped: Vec<(&str, u64)> = p
        .row_counts
        .skipped_why
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(
        skipped,
        [
            ("runs not finished (in_progress)", 1),
            ("runs that ended cancelled", 1)
        ]
    );
    assert_eq!((p.row_counts.read, p.row_counts.used), (5, 3));
    assert!(
        p.notes[0].contains("runs of \"Deploy\", the only workflow in the file"),
        "{:?}",
        p.notes
    );
    assert!(p.events.is_empty());
}

#[test]
fn gitlab_pipelines_are_deployments_and_say_when_commit_times_are_missing() {
    let p = load(
        "gitlab-pipelines.json",
        Format::GitlabPipelinesJson,
        &Mapping::default(),
        None,
    );
    assert_eq!((p.deployments, p.changes), (3, 1));
    assert!(p.limitations[0].contains("1 successful pipeline(s) carry no commit time"));
    assert_eq!(
        p.row_counts.skipped_why[0].name,
        "pipelines that are not finished deployments (running)"
    );
}

#[test]
fn deployments_csv_holds_all_three_kinds() {
    let p = load(
        "deployments.csv",
        Format::DeploymentsCsv,
        &Mapping::default(),
        None,
    );
    assert_eq!(
        (p.rows, p.deployments, p.changes, p.incidents),
        (12, 6, 4, 2)
    );
}

#[test]
fn formats_have_stable_names() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, format!("\"{}\"", f.as_str()));
    }
    assert!("csv".parse::<Format>().unwrap_err().contains("events-csv"));
}
