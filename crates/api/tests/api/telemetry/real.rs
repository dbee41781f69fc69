//! Every real export of `../shared/external` (Jira Cloud and Server, the stage-dates CSV of the
//! same Jira issues, Azure DevOps updates and revisions, GitLab events and pipelines, GitHub
//! timelines and Actions runs) imported into a model file, with counts and figures checked
//! against `check_real.py` beside this file (Python's json, csv and datetime only, written from
//! docs/telemetry.md's rules) or against hand calculations written out below.

use std::path::PathBuf;

use serde_json::Value;
use tributary_api::telemetry::{
    Format, ImportControl, ImportOptions, ImportReport, Mapping, MappingToml, Outcome, Rule,
};
use tributary_api::{ErrorCode, Result};

use super::common::*;

/// A real export; fails with a clear message when `../shared` is missing.
pub fn external(rel: &str) -> PathBuf {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/external"
    ))
    .join(rel);
    assert!(
        p.exists(),
        "{} is missing: these tests read real exports from ../shared/external (see its SOURCES.md)",
        p.display()
    );
    p
}

fn json_of(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(external(rel)).unwrap()).unwrap()
}

const AA: &str = "jira/actionableagile-jira-to-analytics_search-with-changelog.json";
const AA_CSV: &str = "stage-dates-csv/actionableagile-jira-to-analytics_sample-jira-issues-csv.csv";
const AA_MAP: &str = "[states]\n\"Backlog\" = \"new\"\n\"Analysis Active\" = \"active\"\n\"Analysis Done\" = \"waiting\"\n\"Dev Active\" = \"active\"\n\"Dev Done\" = \"waiting\"\n\"Test\" = \"active\"\n\"Done\" = \"done\"\n";
const AWW_MAP: &str = "[states]\n\"Open\" = \"new\"\n\"In Progress\" = \"active\"\n\"Reopened\" = \"waiting\"\n\"Resolved\" = \"done\"\n\"Closed\" = \"done\"\n";

fn mapping(toml: &str) -> Mapping {
    Mapping::from_toml(toml).unwrap()
}

/// Imports `path` into stream "delivery" of `f` with options changed by `tweak`.
fn import_with(
    f: &mut Fixture,
    path: &std::path::Path,
    format: Format,
    map: Option<&str>,
    tweak: impl FnOnce(&mut ImportOptions),
) -> Result<ImportReport> {
    let mut opts = ImportOptions::new("delivery", format, NOW);
    opts.mapping = map.map(mapping);
    tweak(&mut opts);
    f.session.import_with(path, &opts, ImportControl::default())
}

fn import_real(f: &mut Fixture, rel: &str, format: Format, map: Option<&str>) -> ImportReport {
    let r = import_with(f, &external(rel), format, map, |_| {}).unwrap();
    assert!(r.rows.adds_up(), "{rel}: {:?}", r.rows);
    r
}

/// Writes `value` as a file of the fixture's folder.
fn write_json(f: &Fixture, name: &str, value: &Value) -> PathBuf {
    let p = f.dir.path().join(name);
    std::fs::write(&p, serde_json::to_string(value).unwrap()).unwrap();
    p
}

/// Flow time in days of each done item, by id.
fn flow_times(f: &Fixture) -> Vec<(String, Option<f64>)> {
    let r = f.session.flow("delivery", None, None).unwrap();
    let mut v: Vec<(String, Option<f64>)> = r
        .done_items
        .iter()
        .map(|d| (d.item_id.clone(), d.flow_time_days))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn jira_cloud_search_and_the_stage_dates_csv_of_the_same_issues() {
    let mut json = document();
    let r = import_real(&mut json, AA, Format::JiraJson, Some(AA_MAP));
    assert_eq!((r.rows.read, r.rows.used), (25, 25));
    assert!(r.repaired.is_empty() && r.quarantined.is_empty() && r.page.is_none());
    let mut csv = document();
    let r = import_real(&mut csv, AA_CSV, Format::StageDatesCsv, Some(AA_MAP));
    assert_eq!((r.rows.read, r.rows.used, r.events), (25, 25, 61));
    assert!(
        r.limitations[0].contains("components, fixVersions, labels, priority, resolution"),
        "{:?}",
        r.limitations
    );
    // check_real.py: type-7 percentiles of the 13 flow times of each.
    let a = json
        .session
        .flow("delivery", None, None)
        .unwrap()
        .cycle_time;
    assert_eq!(a.count, 13);
    assert_close(a.p50, 18.0264682176);
    assert_close(a.p70, 19.0614281782);
    assert_close(a.p85, 112.7160189005);
    assert_close(a.p95, 123.9843405532);
    let b = csv.session.flow("delivery", None, None).unwrap().cycle_time;
    assert_eq!(b.count, 13);
    assert_close(b.p50, 18.0);
    assert_close(b.p70, 19.0);
    assert_close(b.p85, 106.0);
    assert_close(b.p95, 107.6);
    // Item by item the two agree within the day the CSV rounds to, except where an item moved
    // back to Backlog: the tool that wrote the CSV clears the dates of later stages then, so
    // its commitment is the second entry (UT-41, UT-47: 11-26 -> 12-14; UT-43: 11-26 -> 12-10).
    let (fj, fc) = (flow_times(&json), flow_times(&csv));
    assert_eq!(fj.len(), fc.len());
    for ((id, a), (id2, b)) in fj.iter().zip(&fc) {
        assert_eq!(id, id2);
        let (Some(a), Some(b)) = (a, b) else {
            assert_eq!(a.is_none(), b.is_none(), "{id}");
            continue;
        };
        if ["UT-41", "UT-43", "UT-47"].contains(&id.as_str()) {
            assert!(a - b > 13.9, "{id}: json {a}, csv {b}");
        } else {
            assert!((a - b).abs() < 1.0, "{id}: json {a}, csv {b}");
        }
    }
    // The same stages named with --stages read the same.
    let mut named = document();
    let r = import_with(
        &mut named,
        &external(AA_CSV),
        Format::StageDatesCsv,
        Some(AA_MAP),
        |o| {
            o.select.stages = Some(("Backlog".into(), "Done".into()));
        },
    )
    .unwrap();
    assert_eq!(r.events, 61);
    assert_eq!(flow_times(&named), fc);
}

#[test]
fn back_filled_stage_dates_read_as_the_blank_ones() {
    // The tool's newer files back-fill a skipped stage with the next stage's date: the same
    // item, one move to the last of the stages entered that day.
    let text = std::fs::read_to_string(external(AA_CSV)).unwrap();
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_owned()];
    for line in lines {
        let mut cols: Vec<String> = line.split(',').map(str::to_owned).collect();
        for i in (3..9).rev() {
            if cols[i].is_empty() && !cols[i + 1].is_empty() {
                cols[i] = cols[i + 1].clone();
            }
        }
        out.push(cols.join(","));
    }
    let mut blank = document();
    import_real(&mut blank, AA_CSV, Format::StageDatesCsv, Some(AA_MAP));
    let mut filled = document();
    let p = filled.dir.path().join("filled.csv");
    std::fs::write(&p, out.join("\n")).unwrap();
    import_with(&mut filled, &p, Format::StageDatesCsv, Some(AA_MAP), |_| {}).unwrap();
    assert_eq!(flow_times(&filled), flow_times(&blank));
}

#[test]
fn jira_server_issues_chain_in_the_order_of_their_history_ids() {
    let mut f = document();
    // check_real.py: events, the rule used, and flow times (Open new, In Progress active,
    // Reopened waiting, Resolved and Closed done).
    let cases = [
        (2, 11, None),
        (23, 9, Some(Rule::IdOrder)),
        (78, 17, None),
        (88, 10, Some(Rule::IdOrder)),
    ];
    for (n, events, rule) in cases {
        let rel = format!("jira/howfastyouaregoing_AWW-{n}.json");
        let r = import_real(&mut f, &rel, Format::JiraJson, Some(AWW_MAP));
        assert_eq!(
            (r.rows.read, r.events, r.events_added),
            (1, events, events),
            "AWW-{n}"
        );
        assert_eq!(
            r.repaired.first().map(|x| x.rule),
            rule,
            "AWW-{n}: {:?}",
            r.repaired
        );
        assert!(r.quarantined.is_empty());
    }
    let r = import_with(
        &mut f,
        &external("jira/howfastyouaregoing_AWW-88.json"),
        Format::JiraJson,
        None,
        |_| {},
    )
    .unwrap();
    assert_eq!(r.repaired[0].item_id, "AWW-88");
    assert!(
        r.repaired[0]
            .detail
            .contains("history 13010 moved from 2018-06-29T07:00:00Z to 2018-06-29T09:20:10Z"),
        "{}",
        r.repaired[0].detail
    );
    assert_eq!((r.events_added, r.events_existing), (0, 10));
    let ft = flow_times(&f);
    let got: Vec<(&str, f64)> = ft.iter().map(|(i, d)| (i.as_str(), d.unwrap())).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(approx(got[0].1, 17.206238425925925) && got[0].0 == "AWW-23");
    assert!(approx(got[1].1, 34.95505787037037) && got[1].0 == "AWW-78");
    assert!(approx(got[2].1, 10.291666666666666) && got[2].0 == "AWW-88");
    // --strict refuses what the rule repairs, saying where.
    let mut g = document();
    let e = import_with(
        &mut g,
        &external("jira/howfastyouaregoing_AWW-23.json"),
        Format::JiraJson,
        None,
        |o| o.strict = true,
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("in time order the chain breaks at history 12524"),
        "{e}"
    );
    assert!(dump(&g.path).is_empty());
}

/// An issue of a real export with `change` applied to its JSON.
fn issue(rel: &str, change: impl FnOnce(&mut Value)) -> Value {
    let mut v = json_of(rel);
    change(&mut v);
    v
}

#[test]
fn clock_skew_duplicates_and_broken_chains_are_all_listed_at_once() {
    let aa = json_of(AA);
    let clean = aa["issues"][1].clone(); // UT-27
    // Clock skew: AWW-78 created a day after its first change (2018-08-30T11:58:34).
    let skewed = issue("jira/howfastyouaregoing_AWW-78.json", |v| {
        v["fields"]["created"] = "2018-08-31T12:00:00.000+0000".into();
    });
    // Two identical histories.
    let doubled = issue("jira/howfastyouaregoing_AWW-2.json", |v| {
        let h = v["changelog"]["histories"][3].clone();
        v["changelog"]["histories"]
            .as_array_mut()
            .unwrap()
            .insert(4, h);
    });
    // A change that no order can chain: the move back to Open of history 12519 is lost.
    let broken = issue("jira/howfastyouaregoing_AWW-23.json", |v| {
        v["changelog"]["histories"]
            .as_array_mut()
            .unwrap()
            .remove(1);
    });
    let ids = issue("jira/howfastyouaregoing_AWW-88.json", |_| {});
    let mut f = document();
    let p = write_json(
        &f,
        "mixed.json",
        &Value::Array(vec![clean, skewed, doubled, broken, ids]),
    );
    let r = import_with(&mut f, &p, Format::JiraJson, Some(&format!("{AWW_MAP}\"Backlog\" = \"new\"\n\"Analysis Active\" = \"active\"\n\"Analysis Done\" = \"waiting\"\n\"Done\" = \"done\"\n")), |_| {}).unwrap();
    let rules: Vec<(&str, Rule)> = r
        .repaired
        .iter()
        .map(|x| (x.item_id.as_str(), x.rule))
        .collect();
    assert_eq!(
        rules,
        [
            ("AWW-78", Rule::CreatedMovedBack),
            ("AWW-2", Rule::DuplicateDropped),
            ("AWW-88", Rule::IdOrder)
        ]
    );
    assert_eq!(r.quarantined.len(), 1);
    let q = &r.quarantined[0];
    assert_eq!((q.item_id.as_str(), q.events), ("AWW-23", 8));
    assert!(
        q.reason
            .contains("moves from \"Open\" to \"In Progress\" at 2018-08-01T11:31:36Z"),
        "{}",
        q.reason
    );
    // 5 rows = 1 used + 3 repaired + 1 quarantined; nothing of AWW-23 is stored.
    let c = &r.rows;
    assert_eq!(
        (
            c.read,
            c.used,
            c.repaired,
            c.quarantined,
            c.duplicates,
            c.skipped
        ),
        (5, 1, 3, 1, 0, 0)
    );
    assert_eq!(
        count(
            &f.path,
            "SELECT COUNT(*) FROM telemetry_items WHERE item_id = 'AWW-23'"
        ),
        0
    );
    // The creation moved back to the first change leaves AWW-78's flow time as it was
    // (34.955 days, check_real.py): it starts at its first In Progress either way.
    let ft = flow_times(&f);
    let aww78 = ft.iter().find(|(i, _)| i == "AWW-78").unwrap().1.unwrap();
    assert!(approx(aww78, 34.95505787037037), "{aww78}");
    // --strict names the first problem and lists the others.
    let mut g = document();
    let e = import_with(&mut g, &p, Format::JiraJson, None, |o| o.strict = true).unwrap_err();
    assert!(e.message.contains("3 more problem(s)"), "{e}");
    assert!(
        e.message
            .contains("this repeats the event of issue AWW-2, history 12383"),
        "{e}"
    );
}

#[test]
fn azure_devops_updates_and_revisions_give_the_same_moves() {
    let mut f = document();
    let r = import_real(
        &mut f,
        "azure-devops/msdocs-7.1_workitem-1-updates_body-DERIVED.json",
        Format::AzureDevopsJson,
        None,
    );
    // 13 updates: rev 1 creates work item 1 in New, rev 3 moves it to Active; the 11 others
    // change other fields.
    assert_eq!(
        (r.rows.read, r.rows.used, r.rows.skipped, r.events_added),
        (13, 2, 11, 2)
    );
    let h = f.session.status_counts("delivery").unwrap();
    assert_eq!(
        h.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
        ["New", "Active"]
    );
    // The API example as Microsoft's specs keep it (a request and its responses), the
    // revisions of the same item, and the reporting batch: the revisions add nothing new.
    let r = import_real(
        &mut f,
        "azure-devops/msdocs-7.1_GET__list_of_workitem_updates.json",
        Format::AzureDevopsJson,
        None,
    );
    assert_eq!(
        (r.events_added, r.events_existing, r.outcome),
        (0, 2, Outcome::AlreadyImported)
    );
    let r = import_real(
        &mut f,
        "azure-devops/msdocs-7.1_GET__list_workitem_revisions.json",
        Format::AzureDevopsJson,
        None,
    );
    assert_eq!(
        (r.rows.read, r.rows.used, r.events_added, r.events_existing),
        (9, 2, 0, 2)
    );
    let mut g = document();
    let r = import_real(
        &mut g,
        "azure-devops/msdocs-7.1_GET__wit_reporting_workItemRevisions.json",
        Format::AzureDevopsJson,
        None,
    );
    // Items 1 (two revisions, both New) and 2; the batch is the last one: no page.
    assert_eq!((r.items_added, r.events_added, r.rows.skipped), (2, 2, 1));
    assert!(r.page.is_none());
}

#[test]
fn gitlab_items_are_created_at_their_opened_event_and_keyed_alike_in_both_shapes() {
    let map = "[states]\n\"opened\" = \"waiting\"\n\"closed\" = \"done\"\n";
    let mut f = document();
    let r = import_real(
        &mut f,
        "gitlab/gitlab-docs_resource_state_events_issue-11-EXTRACTED.json",
        Format::GitlabEventsJson,
        Some(map),
    );
    assert_eq!((r.items_added, r.events_added, r.rows.used), (1, 2, 2));
    // Opened 2018-08-20T13:38:20.077Z, closed 2018-08-21T14:38:20.077Z: 25 h.
    assert_eq!(flow_times(&f), [("Issue 11".to_owned(), Some(25.0 / 24.0))]);
    // The same events wrapped with their issue: the same item, nothing new.
    let events = json_of("gitlab/gitlab-docs_resource_state_events_issue-11-EXTRACTED.json");
    let wrapped = serde_json::json!({
        "issues": [{"id": 11, "iid": 11, "title": "Eleven", "created_at": "2018-08-20T13:38:20.077Z"}],
        "state_events": events,
    });
    let p = write_json(&f, "wrapped.json", &wrapped);
    let r = import_with(&mut f, &p, Format::GitlabEventsJson, None, |_| {}).unwrap();
    assert_eq!((r.items_added, r.items_updated, r.events_added), (0, 1, 0));
    // Label events without workflow labels: three items (an issue, an epic and a merge
    // request with the same number are three), each seen open from its first event.
    let mut g = document();
    let r = import_real(
        &mut g,
        "gitlab/gitlab4j_label-events.json",
        Format::GitlabEventsJson,
        Some(map),
    );
    assert_eq!(
        (r.items_added, r.events_added, r.rows.used, r.rows.skipped),
        (3, 3, 3, 3)
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("no workflow:: label was seen")),
        "{:?}",
        r.notes
    );
    let flow = g.session.flow("delivery", None, None).unwrap();
    assert_eq!((flow.counts.items, flow.wip), (3, 3));
}

#[test]
fn github_timelines_with_commits_and_merges() {
    let map = "[states]\n\"open\" = \"new\"\n\"To do\" = \"waiting\"\n\"In progress\" = \"active\"\n\"closed\" = \"done\"\n\"merged\" = \"done\"\n";
    let mut f = document();
    // A pull request's timeline: commits and reviews (some without created_at) are skipped;
    // merged at 10:29:07 ends it; the closed event at the same second changes nothing.
    let r = import_real(
        &mut f,
        "github-timeline/pygithub_issue-31-timeline_body.json",
        Format::GithubTimelineJson,
        Some(map),
    );
    assert_eq!(
        (r.rows.read, r.rows.used, r.rows.skipped, r.events_added),
        (14, 1, 13, 1)
    );
    let r = import_real(
        &mut f,
        "github-timeline/pygithub_issue-28-timeline_body.json",
        Format::GithubTimelineJson,
        None,
    );
    assert_eq!((r.rows.read, r.rows.used, r.events_added), (16, 1, 1));
    let types = f.session.type_counts("delivery").unwrap();
    let t: Vec<(&str, u64)> = types
        .iter()
        .map(|t| (t.item_type.as_str(), t.items))
        .collect();
    assert_eq!(t, [("issue", 1), ("pull request", 1)]);
    // Issue events of four items (worked out by hand above the fixture's events): #30 open
    // then closed; #538 merged; #857 through To do and In progress back off the board, then
    // merged at the pull request's merged_at (no closed event in the file); #866 closed at
    // its closed_at.
    let mut g = document();
    let r = import_real(
        &mut g,
        "github-timeline/pygithub_issue-events_array-DERIVED.json",
        Format::GithubTimelineJson,
        Some(map),
    );
    let c = &r.rows;
    assert_eq!((c.read, c.used, c.repaired, c.skipped), (27, 4, 5, 18));
    let rules: Vec<(&str, Rule)> = r
        .repaired
        .iter()
        .map(|x| (x.item_id.as_str(), x.rule))
        .collect();
    assert_eq!(
        rules,
        [
            ("#857", Rule::ClosedFromIssue),
            ("#866", Rule::ClosedFromIssue)
        ]
    );
    let ft = flow_times(&g);
    // #857: To do at 2018-08-16T08:13:24Z, merged at 2018-08-24T16:01:29Z.
    let d857 =
        (8.0 * 86_400.0 + (16.0 - 8.0) * 3600.0 + (1.0 - 13.0) * 60.0 + (29.0 - 24.0)) / 86_400.0;
    assert!(
        ft.iter()
            .any(|(i, d)| i == "#857" && approx(d.unwrap(), d857)),
        "{ft:?}"
    );
    // #866: To do at 08:14:34, closed at 08:14:55: 21 s.
    assert!(
        ft.iter()
            .any(|(i, d)| i == "#866" && approx(d.unwrap(), 21.0 / 86_400.0)),
        "{ft:?}"
    );
}

#[test]
fn github_actions_runs_are_the_deployment_workflow_s_push_runs() {
    let runs = "github-actions/pygithub_PyGithub-actions-runs_body.json";
    let mut f = document();
    let r = import_real(&mut f, runs, Format::GithubActionsJson, None);
    // Five runs of workflow 1026390: three pushes to master, two pull-request runs.
    assert_eq!(
        (
            r.deployments_added,
            r.changes_added,
            r.rows.used,
            r.rows.skipped
        ),
        (3, 3, 3, 2)
    );
    let page = r.page.unwrap();
    assert_eq!(
        (page.held, page.total, page.pages),
        (5, Some(124), Some(25))
    );
    assert!(
        page.message
            .contains("one page of about 25 (5 of 124 runs)"),
        "{}",
        page.message
    );
    // Lead times 7abf6004 23:59:35 -> 00:02:14 (159 s), 19fc43ab 23:59:05 -> 00:01:38
    // (153 s), 52ec366b 23:58:50 -> 00:01:23 (153 s): median 153 s.
    let d = f.session.dora(Some("delivery"), None, None).unwrap();
    assert_close(d.lead_time_for_changes.median_hours, 153.0 / 3600.0);
    assert_eq!(d.deployment_frequency.deployments, 3);
    // The second file: 4 runs, 2 of them pull requests; it is the whole result (no page).
    let r = import_real(
        &mut f,
        "github-actions/pygithub_PyGithub-workflow-1026390-runs_body.json",
        Format::GithubActionsJson,
        None,
    );
    assert_eq!((r.deployments_added, r.rows.skipped), (2, 2));
    assert!(r.page.is_none());
    // Pull-request runs, asked for, span two branches: the import asks which.
    let mut g = document();
    let e = import_with(
        &mut g,
        &external(runs),
        Format::GithubActionsJson,
        None,
        |o| o.select.event = Some("pull_request".into()),
    )
    .unwrap_err();
    assert!(
        e.message.contains(
            "several branches: pullrequestreview-no-url (1 run), remove-ratelimit-rate (1 run)"
        ),
        "{e}"
    );
    let e = import_with(
        &mut g,
        &external(runs),
        Format::GithubActionsJson,
        None,
        |o| o.select.workflows = vec!["deploy.yml".into()],
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("no run is of workflow deploy.yml; the file holds workflow 1026390 (5 runs)"),
        "{e}"
    );
}

#[test]
fn mixed_workflows_are_refused_until_named_and_a_commit_counts_once() {
    // The real runs, and the same commits run again by a "Docs" and a "Lint" workflow.
    let mut doc = json_of("github-actions/pygithub_PyGithub-actions-runs_body.json");
    let runs = doc["workflow_runs"].as_array().unwrap().clone();
    let mut all = runs.clone();
    for (k, name) in ["Docs", "Lint"].iter().enumerate() {
        for r in &runs {
            let mut r = r.clone();
            r["id"] = (r["id"].as_i64().unwrap() + 1000 * (k as i64 + 1)).into();
            r["name"] = (*name).into();
            r["workflow_id"] = (9_000 + k as i64).into();
            r["updated_at"] = "2020-05-21T01:00:00Z".into();
            all.push(r);
        }
    }
    doc["workflow_runs"] = Value::Array(all);
    let mut f = document();
    let p = write_json(&f, "runs.json", &doc);
    let e = import_with(&mut f, &p, Format::GithubActionsJson, None, |_| {}).unwrap_err();
    assert!(
        e.message
            .contains("several workflows: Docs (5 runs), Lint (5 runs), workflow 1026390 (5 runs)"),
        "{e}"
    );
    // Naming two of them: six deployments, but each of the three commits once, at its first.
    let r = import_with(&mut f, &p, Format::GithubActionsJson, None, |o| {
        o.select.workflows = vec!["1026390".into(), "Docs".into()];
    })
    .unwrap();
    assert_eq!((r.deployments_added, r.changes_added), (6, 3));
    let d = f.session.dora(Some("delivery"), None, None).unwrap();
    assert_close(d.lead_time_for_changes.median_hours, 153.0 / 3600.0);
}

#[test]
fn gitlab_pipelines_that_are_only_pending_are_nothing_to_import() {
    let mut f = document();
    let r = import_real(
        &mut f,
        "gitlab/gitlab-docs_pipelines_list-EXTRACTED.json",
        Format::GitlabPipelinesJson,
        None,
    );
    assert_eq!(r.outcome, Outcome::NothingToImport);
    assert_eq!(
        r.rows.skipped_why[0].name,
        "pipelines that are not finished deployments (pending)"
    );
    assert_eq!(r.rows.skipped, 2);
    let r = import_real(
        &mut f,
        "gitlab/gitlab-docs_pipeline_single-EXTRACTED.json",
        Format::GitlabPipelinesJson,
        None,
    );
    // Pipeline 287 succeeded at 01:05:50.175; committed_at is null: no change.
    assert_eq!(
        (r.outcome, r.deployments_added, r.changes_added),
        (Outcome::Stored, 1, 0)
    );
    let r = import_real(
        &mut f,
        "gitlab/gitlab4j_pipeline.json",
        Format::GitlabPipelinesJson,
        None,
    );
    assert_eq!(r.deployments_added, 1);
    let r = import_real(
        &mut f,
        "gitlab/gitlab4j_pipeline.json",
        Format::GitlabPipelinesJson,
        None,
    );
    assert_eq!(r.outcome, Outcome::AlreadyImported);
}

#[test]
fn a_mapping_key_that_matches_no_status_names_the_closest() {
    let mut f = document();
    let map = AWW_MAP.replace("\"In Progress\"", "\"In progress\"");
    let e = import_with(
        &mut f,
        &external("jira/howfastyouaregoing_AWW-2.json"),
        Format::JiraJson,
        Some(&map),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert!(e.message.contains("[states] \"In progress\" matches no status of the stream's telemetry: did you mean \"In Progress\"?"), "{e}");
    assert!(dump(&f.path).is_empty());
    // A key far from every status is kept, with a note.
    let r = import_with(
        &mut f,
        &external("jira/howfastyouaregoing_AWW-2.json"),
        Format::JiraJson,
        Some(&format!("{AWW_MAP}\"Waiting for QA\" = \"waiting\"\n")),
        |_| {},
    )
    .unwrap();
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("\"Waiting for QA\" matches no status")),
        "{:?}",
        r.notes
    );
    // Setting it alone is checked the same way, against the stored statuses.
    let e = f
        .session
        .set_mapping("delivery", &mapping(&map))
        .unwrap_err();
    assert!(e.message.contains("did you mean \"In Progress\"?"), "{e}");
}

#[test]
fn unmapped_stage_dates_statuses_are_listed_in_workflow_order_with_a_block_to_paste() {
    let mut f = document();
    let r = import_real(&mut f, AA_CSV, Format::StageDatesCsv, None);
    let names: Vec<&str> = r
        .unmapped_statuses
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Backlog",
            "Analysis Active",
            "Analysis Done",
            "Dev Active",
            "Dev Done",
            "Test",
            "Done"
        ]
    );
    let block = r.states_block.unwrap();
    assert!(block.contains("\"Dev Done\" = \"waiting\""), "{block}");
    assert!(block.contains("\"Dev Active\" = \"active\""), "{block}");
    // The block is a mapping file as it stands.
    let m = Mapping::from_toml(&block).unwrap();
    assert_eq!(m.states.len(), 7);
}

#[test]
fn a_file_of_another_format_is_told_which_it_looks_like() {
    let mut f = document();
    let e = import_with(
        &mut f,
        &external(AA),
        Format::GithubActionsJson,
        None,
        |_| {},
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("it looks like Jira issues (use --format jira-json)"),
        "{e}"
    );
    let e = import_with(&mut f, &external(AA_CSV), Format::EventsCsv, None, |_| {}).unwrap_err();
    assert!(
        e.message
            .contains("it looks like stage dates (use --format stage-dates-csv)"),
        "{e}"
    );
    let e = import_with(
        &mut f,
        &external("github-actions/pygithub_PyGithub-actions-runs_body.json"),
        Format::GitlabPipelinesJson,
        None,
        |_| {},
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("it looks like GitHub Actions workflow runs"),
        "{e}"
    );
}
