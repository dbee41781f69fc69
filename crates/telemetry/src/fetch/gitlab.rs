//! GitLab: a project's issues (and merge requests, when asked), updated since the last fetch,
//! and each one's resource state and label events. Pages follow `X-Next-Page` (or `Link`).

use serde_json::{Value, json};

use super::{Client, FetchReport, Fetched, bytes, encode, overlap};
use crate::error::Result;
use crate::formats::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitLabQuery {
    /// The server, such as `https://gitlab.com`.
    pub base: String,
    /// The project's id or its path (`group/project`).
    pub project: String,
    /// Merge requests too.
    pub merge_requests: bool,
}

/// Every page of a list.
fn pages(
    c: &mut Client<'_>,
    url: &str,
    query: &[(&str, String)],
    report: &mut FetchReport,
    seen: u64,
) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut page = 1u32;
    loop {
        let mut q = query.to_vec();
        q.push(("page", page.to_string()));
        let mut reply = c.get(url, &q)?;
        if let Value::Array(a) = reply.body.take() {
            out.extend(a);
        }
        c.progress(seen + out.len() as u64, None)?;
        match reply
            .next_page
            .as_deref()
            .and_then(|p| p.trim().parse::<u32>().ok())
        {
            Some(n) if n > page => page = n,
            _ => match reply.next.take() {
                Some(_) => page += 1,
                None => return Ok(out),
            },
        }
        if out.len() >= c.max_items() {
            report.cut = true;
            return Ok(out);
        }
    }
}

pub(super) fn fetch(
    q: &GitLabQuery,
    since: Option<i64>,
    c: &mut Client<'_>,
    report: &mut FetchReport,
) -> Result<Fetched> {
    let project = encode(q.project.trim());
    let per_page = ("per_page", c.page_size().min(100).to_string());
    let mut query = vec![("scope", "all".to_owned()), per_page.clone()];
    if let Some(t) = overlap(since) {
        query.push(("updated_after", t.to_string()));
    }
    let api = format!("{}/api/v4/projects/{project}", c.base);
    let mut doc =
        json!({ "issues": [], "merge_requests": [], "state_events": [], "label_events": [] });
    let kinds: &[(&str, &str)] = if q.merge_requests {
        &[("issues", "issues"), ("merge_requests", "merge_requests")]
    } else {
        &[("issues", "issues")]
    };
    let mut items = 0;
    for (path, key) in kinds {
        let list = pages(c, &format!("{api}/{path}"), &query, report, items as u64)?;
        for it in &list {
            let Some(iid) = it.get("iid").and_then(Value::as_i64) else {
                continue;
            };
            for (events, into) in [
                ("resource_state_events", "state_events"),
                ("resource_label_events", "label_events"),
            ] {
                let url = format!("{api}/{path}/{iid}/{events}");
                let got = pages(
                    c,
                    &url,
                    std::slice::from_ref(&per_page),
                    report,
                    items as u64,
                )?;
                if let Some(Value::Array(a)) = doc.get_mut(into) {
                    a.extend(got);
                }
            }
        }
        items += list.len();
        if let Some(Value::Array(a)) = doc.get_mut(*key) {
            a.extend(list);
        }
    }
    Ok(Fetched {
        format: Format::GitlabEventsJson,
        body: bytes(&doc),
        items,
    })
}
