//! GitHub: a repository's issues and pull requests (`/issues?state=all`, updated since the last
//! fetch), each one's timeline, and the runs of the deployment workflows the user names
//! (`/actions/workflows/{workflow}/runs`). Pages follow the `Link` header. Without a workflow,
//! no runs are fetched and the report lists the repository's workflows to choose from.

use serde_json::{Value, json};

use super::{Client, FetchReport, Fetched, bytes, overlap};
use crate::error::{Error, Result};
use crate::formats::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitHubQuery {
    /// The API's base: `https://api.github.com`, or a GitHub Enterprise server's `/api/v3`.
    pub api: String,
    /// `OWNER/NAME`.
    pub repo: String,
    /// The deployment workflows (file name such as `deploy.yml`, or id) whose runs to fetch.
    pub workflows: Vec<String>,
    /// Only runs of this branch.
    pub branch: Option<String>,
    /// Only runs of this event.
    pub event: Option<String>,
    /// Fetch issues and their timelines (off: deliveries only).
    pub issues: bool,
}

impl GitHubQuery {
    fn repo(&self) -> Result<&str> {
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && s != "."
                && s != ".."
        };
        match self.repo.split_once('/') {
            Some((o, n)) if ok(o) && ok(n) => Ok(&self.repo),
            _ => Err(Error::Invalid(format!(
                "--repo {:?}: give it as OWNER/NAME",
                self.repo
            ))),
        }
    }
}

/// Every page of a list, starting at `url`.
fn pages(
    c: &mut Client<'_>,
    url: &str,
    query: &[(&str, String)],
    key: Option<&str>,
    report: &mut FetchReport,
    mut seen: u64,
) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut reply = c.get(url, query)?;
    loop {
        let list = match key {
            Some(k) => reply.body.get_mut(k).map(Value::take),
            None => Some(reply.body.take()),
        };
        if let Some(Value::Array(a)) = list {
            seen += a.len() as u64;
            out.extend(a);
        }
        c.progress(seen, None)?;
        let Some(next) = reply.next.take() else {
            return Ok(out);
        };
        if out.len() >= c.max_items() {
            report.cut = true;
            return Ok(out);
        }
        reply = c.follow(&next)?;
    }
}

pub(super) fn fetch(
    q: &GitHubQuery,
    since: Option<i64>,
    c: &mut Client<'_>,
    report: &mut FetchReport,
) -> Result<Vec<Fetched>> {
    let repo = q.repo()?.to_owned();
    let per_page = ("per_page", c.page_size().min(100).to_string());
    let mut out = Vec::new();
    if q.issues {
        let mut query = vec![
            ("state", "all".to_owned()),
            ("sort", "updated".to_owned()),
            ("direction", "asc".to_owned()),
            per_page.clone(),
        ];
        if let Some(t) = overlap(since) {
            query.push(("since", t.to_string()));
        }
        let url = format!("{}/repos/{repo}/issues", c.base);
        let issues = pages(c, &url, &query, None, report, 0)?;
        let mut entries = Vec::with_capacity(issues.len());
        for issue in issues {
            let Some(n) = issue.get("number").and_then(Value::as_i64) else {
                continue;
            };
            let url = format!("{}/repos/{repo}/issues/{n}/timeline", c.base);
            let timeline = pages(
                c,
                &url,
                std::slice::from_ref(&per_page),
                None,
                report,
                entries.len() as u64,
            )?;
            entries.push(json!({ "issue": issue, "timeline": timeline }));
        }
        let items = entries.len();
        if items > 0 {
            out.push(Fetched {
                format: Format::GithubTimelineJson,
                body: bytes(&Value::Array(entries)),
                items,
            });
        }
    }
    if q.workflows.is_empty() {
        let url = format!("{}/repos/{repo}/actions/workflows", c.base);
        let list = pages(
            c,
            &url,
            std::slice::from_ref(&per_page),
            Some("workflows"),
            report,
            0,
        )?;
        let names: Vec<String> = list
            .iter()
            .map(|w| {
                let file = w
                    .get("path")
                    .and_then(Value::as_str)
                    .and_then(|p| p.rsplit('/').next())
                    .unwrap_or("?");
                format!(
                    "{} ({file})",
                    w.get("name").and_then(Value::as_str).unwrap_or("?")
                )
            })
            .collect();
        report.notes.push(format!(
            "no deployments fetched: name the deployment workflow with --workflow (the repository's workflows: {})",
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        ));
        return Ok(out);
    }
    out.push(runs(q, &repo, since, c, report)?);
    Ok(out)
}

/// The runs of the named workflows, created since the last fetch (less a day).
fn runs(
    q: &GitHubQuery,
    repo: &str,
    since: Option<i64>,
    c: &mut Client<'_>,
    report: &mut FetchReport,
) -> Result<Fetched> {
    let mut query = vec![("per_page", c.page_size().min(100).to_string())];
    if let Some(t) = overlap(since) {
        query.push(("created", format!(">={}", t.strftime("%Y-%m-%dT%H:%M:%SZ"))));
    }
    if let Some(b) = &q.branch {
        query.push(("branch", b.clone()));
    }
    if let Some(e) = &q.event {
        query.push(("event", e.clone()));
    }
    let mut all = Vec::new();
    for w in &q.workflows {
        let w = super::encode(w.trim());
        let url = format!("{}/repos/{repo}/actions/workflows/{w}/runs", c.base);
        all.extend(pages(
            c,
            &url,
            &query,
            Some("workflow_runs"),
            report,
            all.len() as u64,
        )?);
    }
    let items = all.len();
    Ok(Fetched {
        format: Format::GithubActionsJson,
        body: bytes(&json!({ "total_count": items, "workflow_runs": all })),
        items,
    })
}
