//! GitLab pipelines (`GET /projects/:id/pipelines`, or the pipelines' details) of the
//! deployment pipeline. A pipeline that succeeded is a production deployment at `finished_at`
//! (`updated_at` in the list); its commit time comes from `committed_at` or
//! `commit.committed_date`, which only the details carry. Merge-request pipelines deploy
//! nothing; `--branch` keeps one `ref`, `--event` one `source`, `--workflow` one pipeline name.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::Value;

use super::delivery::{self, PRODUCTION};
use super::{Context, Export, json};
use crate::error::{Location, Result};
use crate::event::{Change, Deployment};
use crate::time::parse_instant;

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let pipelines = match json::read(input, cx)? {
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
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut commits: HashMap<String, usize> = HashMap::new();
    let mut without_commit_time = 0;
    for (n, p) in pipelines.iter().enumerate() {
        cx.control.check()?;
        out.begin_row();
        if let Some(why) = filtered(p, cx) {
            out.skip_row(&why);
            continue;
        }
        if !pipeline(n, p, cx, out, &mut seen, &mut commits)? {
            without_commit_time += 1;
        }
    }
    if without_commit_time > 0 {
        out.limitations.push(format!(
            "{without_commit_time} successful pipeline(s) carry no commit time (the pipeline list has none; export the pipelines' details or use the deployments CSV): lead time for changes leaves them out"
        ));
    }
    Ok(())
}

/// Why the filters leave a pipeline out.
fn filtered(p: &Value, cx: &Context<'_>) -> Option<String> {
    let sel = cx.select;
    let source = json::str_at(p, "/source").unwrap_or_default();
    let r#ref = json::str_at(p, "/ref").unwrap_or_default();
    let name = json::str_at(p, "/name").unwrap_or_default();
    if !sel.workflows.is_empty()
        && !sel
            .workflows
            .iter()
            .any(|w| w.trim().eq_ignore_ascii_case(name))
    {
        return Some("pipelines of other names".into());
    }
    if let Some(b) = &sel.branch
        && b != r#ref
    {
        return Some(format!("pipelines of other branches than {b}"));
    }
    match &sel.event {
        Some(e) if !e.eq_ignore_ascii_case(source) => {
            Some(format!("pipelines of other sources than {e}"))
        }
        None if source == "merge_request_event" => {
            Some("merge-request pipelines (they test proposed code and deploy nothing)".into())
        }
        _ => None,
    }
}

/// One pipeline the filters kept. False when it succeeded but carries no commit time.
fn pipeline(
    n: usize,
    p: &Value,
    cx: &Context<'_>,
    out: &mut Export,
    seen: &mut HashMap<String, usize>,
    commits: &mut HashMap<String, usize>,
) -> Result<bool> {
    let Some(id) = json::id_text(p.get("id")) else {
        return Err(cx.err(
            Location::At(format!("pipelines[{n}]")),
            "the pipeline has no id",
        ));
    };
    let loc = Location::At(format!("pipeline {id}"));
    if let Some(first) = seen.insert(id.clone(), n) {
        out.duplicate_row(loc, format!("pipeline {id} repeats pipelines[{first}]"));
        return Ok(true);
    }
    let succeeded = match json::str_at(p, "/status").unwrap_or_default() {
        "success" => true,
        "failed" => false,
        other => {
            out.skip_row(&format!(
                "pipelines that are not finished deployments ({other})"
            ));
            return Ok(true);
        }
    };
    let done = json::str_at(p, "/finished_at")
        .or_else(|| json::str_at(p, "/updated_at"))
        .ok_or_else(|| cx.err(loc.clone(), "the pipeline has no finished_at or updated_at"))?;
    let at = parse_instant(done, &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("finished_at: {m}")))?;
    let environment = json::str_at(p, "/environment")
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
        return Ok(true);
    }
    let committed = json::str_at(p, "/committed_at")
        .or_else(|| json::str_at(p, "/commit/committed_date"))
        .or_else(|| json::str_at(p, "/commit/created_at"));
    let sha = json::str_at(p, "/sha").or_else(|| json::str_at(p, "/commit/id"));
    let (Some(sha), Some(c)) = (sha, committed) else {
        return Ok(false);
    };
    let committed_at = parse_instant(c, &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("committed_at: {m}")))?;
    let change = Change {
        id: sha.to_owned(),
        committed_at,
        deployed_at: at,
        deployment_id: Some(id),
        author: cx.person(json::str_at(p, "/commit/author_name")),
        location: loc,
    };
    delivery::first_deployment(out, commits, change);
    Ok(true)
}
