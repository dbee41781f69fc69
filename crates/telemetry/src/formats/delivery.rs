//! Deliveries for the DORA keys: GitHub Actions workflow runs and GitLab pipelines of a
//! deployment workflow, and a CSV of deployments, changes and incidents.

use std::io::BufRead;

use serde_json::Value;

use super::csv_util::{self, field, line_of};
use super::{Context, read_json};
use crate::error::{Location, Result};
use crate::event::{Change, Deployment, Incident, Parsed};
use crate::time::parse_instant;

pub const PRODUCTION: &str = "production";

fn list_of(doc: Value, key: &str) -> Vec<Value> {
    match doc {
        Value::Object(mut o) => match o.remove(key) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        Value::Array(a) => a
            .into_iter()
            .flat_map(|v| match v {
                Value::Object(mut o) if o.contains_key(key) => match o.remove(key) {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                },
                other => vec![other],
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn id_of(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn skipped_note(out: &mut Parsed, what: &str, skipped: &[(String, usize)]) {
    if !skipped.is_empty() {
        let parts: Vec<String> = skipped.iter().map(|(s, n)| format!("{n} {s}")).collect();
        out.notes.push(format!(
            "{what} that are not finished deployments were skipped: {}",
            parts.join(", ")
        ));
    }
}

fn count(skipped: &mut Vec<(String, usize)>, what: &str) {
    match skipped.iter_mut().find(|(s, _)| s == what) {
        Some((_, n)) => *n += 1,
        None => skipped.push((what.to_owned(), 1)),
    }
}

/// `GET /repos/{owner}/{repo}/actions/workflows/{id}/runs` of the deployment workflow. A
/// completed run that succeeded is a production deployment at its `updated_at`; its head
/// commit is the change it shipped (commit time `head_commit.timestamp`).
pub(crate) fn parse_github_actions(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let runs = list_of(doc, "workflow_runs");
    if runs.is_empty() {
        return Err(cx.err(
            Location::File,
            "no workflow runs found (expected the JSON of /actions/workflows/{id}/runs: {\"workflow_runs\": [...]})",
        ));
    }
    let mut skipped = Vec::new();
    for (n, r) in runs.iter().enumerate() {
        cx.control.check()?;
        out.rows += 1;
        let Some(id) = id_of(r) else {
            return Err(cx.err(
                Location::At(format!("workflow_runs[{n}]")),
                "the run has no id",
            ));
        };
        let loc = Location::At(format!("run {id}"));
        let status = r.get("status").and_then(Value::as_str).unwrap_or_default();
        if status != "completed" {
            count(&mut skipped, status);
            continue;
        }
        let conclusion = r
            .get("conclusion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let succeeded = match conclusion {
            "success" => true,
            "failure" | "timed_out" | "startup_failure" => false,
            other => {
                count(&mut skipped, other);
                continue;
            }
        };
        let done = r
            .get("updated_at")
            .and_then(Value::as_str)
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
        if !succeeded {
            continue;
        }
        let sha = r
            .pointer("/head_commit/id")
            .or_else(|| r.get("head_sha"))
            .and_then(Value::as_str);
        let committed = r.pointer("/head_commit/timestamp").and_then(Value::as_str);
        if let (Some(sha), Some(committed)) = (sha, committed) {
            let committed_at = parse_instant(committed, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("head_commit.timestamp: {m}")))?;
            out.changes.push(Change {
                id: sha.to_owned(),
                committed_at,
                deployed_at: at,
                deployment_id: Some(id),
                author: cx.person(
                    r.pointer("/head_commit/author/name")
                        .and_then(Value::as_str),
                ),
                location: loc,
            });
        }
    }
    skipped_note(out, "runs", &skipped);
    out.limitations.push(
        "a workflow run carries its head commit only: lead time for changes is measured from that commit, not from every commit the deployment shipped".into(),
    );
    Ok(())
}

/// `GET /projects/:id/pipelines` (or the pipelines' details) of the deployment pipeline. A
/// pipeline that succeeded is a production deployment at `finished_at` (`updated_at` in the
/// list); its commit time comes from `committed_at` or `commit.committed_date`, which only
/// the details carry.
pub(crate) fn parse_gitlab_pipelines(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let pipelines = match doc {
        Value::Array(a) => a
            .into_iter()
            .flat_map(|v| match v {
                Value::Array(inner) => inner,
                other => vec![other],
            })
            .collect::<Vec<_>>(),
        other @ Value::Object(_) => vec![other],
        _ => Vec::new(),
    };
    if pipelines.is_empty() {
        return Err(cx.err(
            Location::File,
            "no pipelines found (expected an array of GitLab pipelines)",
        ));
    }
    let mut skipped = Vec::new();
    let mut without_commit_time = 0;
    for (n, p) in pipelines.iter().enumerate() {
        cx.control.check()?;
        out.rows += 1;
        let Some(id) = id_of(p) else {
            return Err(cx.err(
                Location::At(format!("pipelines[{n}]")),
                "the pipeline has no id",
            ));
        };
        let loc = Location::At(format!("pipeline {id}"));
        let status = p.get("status").and_then(Value::as_str).unwrap_or_default();
        let succeeded = match status {
            "success" => true,
            "failed" => false,
            other => {
                count(&mut skipped, other);
                continue;
            }
        };
        let done = p
            .get("finished_at")
            .and_then(Value::as_str)
            .or_else(|| p.get("updated_at").and_then(Value::as_str))
            .ok_or_else(|| cx.err(loc.clone(), "the pipeline has no finished_at or updated_at"))?;
        let at = parse_instant(done, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("finished_at: {m}")))?;
        let environment = p
            .get("environment")
            .and_then(Value::as_str)
            .unwrap_or(PRODUCTION)
            .to_owned();
        out.deployments.push(Deployment {
            id: id.clone(),
            at,
            environment,
            succeeded,
            location: loc.clone(),
        });
        if !succeeded {
            continue;
        }
        let committed = p
            .get("committed_at")
            .and_then(Value::as_str)
            .or_else(|| p.pointer("/commit/committed_date").and_then(Value::as_str))
            .or_else(|| p.pointer("/commit/created_at").and_then(Value::as_str));
        let sha = p
            .get("sha")
            .and_then(Value::as_str)
            .or_else(|| p.pointer("/commit/id").and_then(Value::as_str));
        match (sha, committed) {
            (Some(sha), Some(c)) => {
                let committed_at = parse_instant(c, &cx.zone, true)
                    .map_err(|m| cx.err(loc.clone(), format!("committed_at: {m}")))?;
                out.changes.push(Change {
                    id: sha.to_owned(),
                    committed_at,
                    deployed_at: at,
                    deployment_id: Some(id),
                    author: cx.person(p.pointer("/commit/author_name").and_then(Value::as_str)),
                    location: loc,
                });
            }
            _ => without_commit_time += 1,
        }
    }
    skipped_note(out, "pipelines", &skipped);
    if without_commit_time > 0 {
        out.limitations.push(format!(
            "{without_commit_time} successful pipeline(s) carry no commit time (the pipeline list has none; export the pipelines' details or use the deployments CSV): lead time for changes leaves them out"
        ));
    }
    Ok(())
}

const REQUIRED: &[&str] = &["type", "id", "timestamp"];
const KNOWN: &[&str] = &[
    "type",
    "id",
    "timestamp",
    "environment",
    "status",
    "commit_timestamp",
    "deployment_id",
    "resolved_timestamp",
];

/// `type,id,timestamp,environment,status,commit_timestamp,deployment_id,resolved_timestamp`;
/// `type` is deployment, change or incident. See docs/telemetry.md.
pub(crate) fn parse_csv(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Parsed) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let cols = csv_util::columns(&mut rdr, cx, REQUIRED, KNOWN)?;
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.rows += 1;
        let loc = Location::Line(line_of(&rec));
        let id = field(&rec, &cols, "id");
        if id.is_empty() {
            return Err(cx.err(loc, "id is empty"));
        }
        let time = |name: &str| -> Result<Option<i64>> {
            let t = field(&rec, &cols, name);
            if t.is_empty() {
                return Ok(None);
            }
            parse_instant(t, &cx.zone, false)
                .map(Some)
                .map_err(|m| cx.err(loc.clone(), format!("{name}: {m}")))
        };
        let Some(at) = time("timestamp")? else {
            return Err(cx.err(loc, "timestamp is empty"));
        };
        let deployment_id = Some(field(&rec, &cols, "deployment_id"))
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        match field(&rec, &cols, "type").to_ascii_lowercase().as_str() {
            "deployment" => {
                let succeeded = match field(&rec, &cols, "status").to_ascii_lowercase().as_str() {
                    "" | "success" | "succeeded" => true,
                    "failure" | "failed" => false,
                    other => {
                        return Err(cx.err(
                            loc,
                            format!(
                                "status {other:?}: a deployment's status is success or failure"
                            ),
                        ));
                    }
                };
                let env = field(&rec, &cols, "environment");
                out.deployments.push(Deployment {
                    id: id.to_owned(),
                    at,
                    environment: if env.is_empty() {
                        PRODUCTION.into()
                    } else {
                        env.to_owned()
                    },
                    succeeded,
                    location: loc,
                });
            }
            "change" => {
                let Some(committed_at) = time("commit_timestamp")? else {
                    return Err(cx.err(loc, format!("change {id:?}: commit_timestamp is empty")));
                };
                out.changes.push(Change {
                    id: id.to_owned(),
                    committed_at,
                    deployed_at: at,
                    deployment_id,
                    author: None,
                    location: loc,
                });
            }
            "incident" => {
                let resolved_at = time("resolved_timestamp")?;
                if resolved_at.is_some_and(|r| r < at) {
                    return Err(cx.err(
                        loc,
                        format!("incident {id:?} is resolved before it was opened"),
                    ));
                }
                out.incidents.push(Incident {
                    id: id.to_owned(),
                    opened_at: at,
                    resolved_at,
                    deployment_id,
                    location: loc,
                });
            }
            other => {
                return Err(cx.err(
                    loc,
                    format!("type {other:?}: a row is a deployment, change or incident"),
                ));
            }
        }
    }
    Ok(())
}
