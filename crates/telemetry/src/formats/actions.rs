//! GitHub Actions workflow runs (`/actions/runs`, or `/actions/workflows/{id}/runs`) as
//! deployments. A repository's runs mix workflows (tests, lint, docs, the deployment),
//! pull-request runs and branches, so the deployments are the completed runs of the workflows
//! the user names (`--workflow`), of push-like events (`--event`, default: any but
//! pull_request), on one branch (`--branch`, needed when the runs left span several). A run
//! that succeeded is a production deployment at its `updated_at`; its head commit is the change
//! it shipped, counted once, at its first successful deployment.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::Value;

use super::delivery::{self, PRODUCTION};
use super::{Context, Export, Page, json};
use crate::error::{Location, Result};
use crate::event::{Change, Deployment};
use crate::time::parse_instant;

/// Events whose runs test proposed code and deploy nothing.
const PULL_REQUEST: &[&str] = &["pull_request", "pull_request_target", "pull_request_review"];

/// A run's workflow as people know it: its name, else its file, else its id.
fn workflow_of(r: &Value) -> String {
    if let Some(n) = json::str_at(r, "/name").filter(|n| !n.is_empty()) {
        return n.to_owned();
    }
    if let Some(p) = json::str_at(r, "/path").filter(|p| !p.is_empty()) {
        return p.rsplit('/').next().unwrap_or(p).to_owned();
    }
    json::id_text(r.get("workflow_id"))
        .map_or("(no workflow)".into(), |id| format!("workflow {id}"))
}

/// Whether a run is of a workflow the user named (by name, file, path or id).
fn named(r: &Value, wanted: &[String]) -> bool {
    let path = json::str_at(r, "/path").unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    let id = json::id_text(r.get("workflow_id")).unwrap_or_default();
    let name = json::str_at(r, "/name").unwrap_or_default();
    wanted.iter().any(|w| {
        let w = w.trim();
        [name, file, path, id.as_str()]
            .iter()
            .any(|x| !x.is_empty() && x.eq_ignore_ascii_case(w))
    })
}

/// "CI (12 runs), Deploy (5 runs)", most runs first.
fn counted(names: impl Iterator<Item = String>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for n in names {
        match counts.iter_mut().find(|(x, _)| *x == n) {
            Some((_, c)) => *c += 1,
            None => counts.push((n, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = counts
        .iter()
        .map(|(n, c)| format!("{n} ({c} run{})", if *c == 1 { "" } else { "s" }))
        .collect();
    parts.join(", ")
}

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let mut pages = Vec::new();
    let runs = json::records(json::read(input, cx)?, &["workflow_runs"], &mut pages);
    if runs.is_empty() {
        return Err(cx.err(
            Location::File,
            "no workflow runs found (expected the JSON of /actions/runs or /actions/workflows/{id}/runs: {\"workflow_runs\": [...]})",
        ));
    }
    let keep = choose(&runs, cx, out)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut commits: HashMap<String, usize> = HashMap::new();
    for (n, r) in runs.iter().enumerate() {
        cx.control.check()?;
        out.begin_row();
        if let Some(why) = &keep[n] {
            out.skip_row(why);
            continue;
        }
        run(n, r, cx, out, &mut seen, &mut commits)?;
    }
    let total = pages
        .iter()
        .filter_map(|p| json::count(p.get("total_count")))
        .max();
    let held = runs.len() as u64;
    if let Some(t) = total.filter(|t| *t > held) {
        out.page = Some(Page::of(
            "runs",
            held,
            Some(t),
            None,
            "github --repo OWNER/NAME",
        ));
    }
    out.limitations.push(
        "a workflow run carries its head commit only: lead time for changes is measured from that commit, not from every commit the deployment shipped".into(),
    );
    Ok(())
}

/// Per run, why it is not a deployment (`None`: it may be). Refuses a file whose runs mix
/// workflows or branches when the user has not said which.
fn choose(runs: &[Value], cx: &Context<'_>, out: &mut Export) -> Result<Vec<Option<String>>> {
    let sel = cx.select;
    let workflows = counted(runs.iter().map(workflow_of));
    let of_workflow: Vec<bool> = if sel.workflows.is_empty() {
        let first = workflow_of(&runs[0]);
        if runs.iter().any(|r| workflow_of(r) != first) {
            return Err(cx.err(
                Location::File,
                format!(
                    "the runs are of several workflows: {workflows}. Name the deployment workflow with --workflow NAME (its name, file or id); runs of tests, lint or docs are not deployments"
                ),
            ));
        }
        out.notes.push(format!(
            "deployments are the runs of {first:?}, the only workflow in the file; name it with --workflow to be sure"
        ));
        vec![true; runs.len()]
    } else {
        let v: Vec<bool> = runs.iter().map(|r| named(r, &sel.workflows)).collect();
        if !v.contains(&true) {
            return Err(cx.err(
                Location::File,
                format!(
                    "no run is of workflow {}; the file holds {workflows}",
                    sel.workflows.join(" or ")
                ),
            ));
        }
        v
    };
    let event = |r: &Value| json::str_at(r, "/event").unwrap_or_default().to_owned();
    let branch = |r: &Value| {
        json::str_at(r, "/head_branch")
            .unwrap_or_default()
            .to_owned()
    };
    let mut why: Vec<Option<String>> = runs
        .iter()
        .zip(&of_workflow)
        .map(|(r, ok)| {
            let e = event(r);
            if !ok {
                Some("runs of other workflows".to_owned())
            } else if let Some(want) = &sel.event {
                (!e.eq_ignore_ascii_case(want)).then(|| format!("runs of other events than {want}"))
            } else {
                PULL_REQUEST.contains(&e.as_str()).then(|| {
                    "pull-request runs (they test proposed code and deploy nothing)".to_owned()
                })
            }
        })
        .collect();
    restrict_branch(runs, &mut why, &branch, cx)?;
    Ok(why)
}

/// Keeps the runs of the branch the user named, or refuses runs that span several.
fn restrict_branch(
    runs: &[Value],
    why: &mut [Option<String>],
    branch: &dyn Fn(&Value) -> String,
    cx: &Context<'_>,
) -> Result<()> {
    if let Some(want) = &cx.select.branch {
        for (r, w) in runs.iter().zip(why.iter_mut()) {
            if w.is_none() && branch(r) != *want {
                *w = Some(format!("runs of other branches than {want}"));
            }
        }
        return Ok(());
    }
    let left: Vec<&Value> = runs
        .iter()
        .zip(why.iter())
        .filter(|(_, w)| w.is_none())
        .map(|(r, _)| r)
        .collect();
    let first = left.first().map(|r| branch(r));
    if left.iter().any(|r| Some(branch(r)) != first) {
        return Err(cx.err(
            Location::File,
            format!(
                "the runs left are on several branches: {}. Name the branch that deploys with --branch NAME",
                counted(left.iter().map(|r| branch(r)))
            ),
        ));
    }
    Ok(())
}

/// One run the filters kept: a deployment if it finished, and its head commit.
fn run(
    n: usize,
    r: &Value,
    cx: &Context<'_>,
    out: &mut Export,
    seen: &mut HashMap<String, usize>,
    commits: &mut HashMap<String, usize>,
) -> Result<()> {
    let Some(id) = json::id_text(r.get("id")) else {
        return Err(cx.err(
            Location::At(format!("workflow_runs[{n}]")),
            "the run has no id",
        ));
    };
    let loc = Location::At(format!("run {id}"));
    if let Some(first) = seen.insert(id.clone(), n) {
        out.duplicate_row(loc, format!("run {id} repeats workflow_runs[{first}]"));
        return Ok(());
    }
    let status = json::str_at(r, "/status").unwrap_or_default();
    let conclusion = json::str_at(r, "/conclusion").unwrap_or_default();
    let succeeded = match (status, conclusion) {
        ("completed", "success") => true,
        ("completed", "failure" | "timed_out" | "startup_failure") => false,
        ("completed", other) => {
            out.skip_row(&format!("runs that ended {other}"));
            return Ok(());
        }
        (other, _) => {
            out.skip_row(&format!("runs not finished ({other})"));
            return Ok(());
        }
    };
    let done = json::str_at(r, "/updated_at")
        .ok_or_else(|| cx.err(loc.clone(), "the run has no updated_at"))?;
    let at = parse_instant(done, &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("updated_at: {m}")))?;
    out.deployments.push(Deployment {
        id: id.clone(),
        at,
        environment: PRODUCTION.into(),
        succeeded,
        location: loc.clone(),
    });
    let sha = json::str_at(r, "/head_commit/id").or_else(|| json::str_at(r, "/head_sha"));
    let committed = json::str_at(r, "/head_commit/timestamp");
    if let (true, Some(sha), Some(committed)) = (succeeded, sha, committed) {
        let committed_at = parse_instant(committed, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("head_commit.timestamp: {m}")))?;
        let change = Change {
            id: sha.to_owned(),
            committed_at,
            deployed_at: at,
            deployment_id: Some(id),
            author: cx.person(json::str_at(r, "/head_commit/author/name")),
            location: loc,
        };
        delivery::first_deployment(out, commits, change);
    }
    Ok(())
}
