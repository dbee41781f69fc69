//! Jira: the issues a JQL query finds, with their changelogs. Jira Cloud (`*.atlassian.net`)
//! is asked through `/rest/api/3/search/jql` (pages by `nextPageToken`), Jira Server and Data
//! Center through `/rest/api/2/search` (pages by `startAt`). A changelog the search cuts short
//! is completed: Cloud's `/issue/KEY/changelog` pages, Server's whole issue.

use serde_json::{Value, json};

use super::{Client, FetchReport, Fetched, bytes, overlap, segment};
use crate::error::Result;
use crate::formats::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JiraQuery {
    /// The site, such as `https://example.atlassian.net` or `https://jira.example.com`.
    pub site: String,
    pub jql: String,
    /// Jira Cloud's account e-mail (the token is then an API token, sent as basic auth);
    /// `None`: the token is a personal access token (Jira Server), sent as a bearer token.
    pub user: Option<String>,
    /// Whether the site is Jira Cloud; `None`: a site under atlassian.net is.
    pub cloud: Option<bool>,
}

const FIELDS: &str = "summary,issuetype,status,created,updated,assignee";

impl JiraQuery {
    fn is_cloud(&self) -> bool {
        self.cloud.unwrap_or_else(|| {
            super::origin_of(&self.site).is_some_and(|o| o.ends_with(".atlassian.net"))
        })
    }

    /// The JQL, restricted to issues updated since the last fetch (less a day).
    fn jql(&self, since: Option<i64>) -> String {
        let Some(t) = overlap(since) else {
            return self.jql.clone();
        };
        let when = t.strftime("%Y/%m/%d %H:%M").to_string();
        let lower = self.jql.to_ascii_lowercase();
        let (head, order) = match lower.find("order by") {
            Some(i) => (self.jql[..i].trim(), format!(" {}", self.jql[i..].trim())),
            None => (self.jql.trim(), String::new()),
        };
        if head.is_empty() {
            format!("updated >= \"{when}\"{order}")
        } else {
            format!("({head}) AND updated >= \"{when}\"{order}")
        }
    }
}

pub(super) fn fetch(
    q: &JiraQuery,
    since: Option<i64>,
    c: &mut Client<'_>,
    report: &mut FetchReport,
) -> Result<Fetched> {
    let jql = q.jql(since);
    let mut issues = if q.is_cloud() {
        search_cloud(&jql, c, report)?
    } else {
        search_server(&jql, c, report)?
    };
    for issue in &mut issues {
        complete_changelog(issue, q.is_cloud(), c)?;
    }
    let items = issues.len();
    Ok(Fetched {
        format: Format::JiraJson,
        body: bytes(&json!({ "total": items, "issues": issues })),
        items,
    })
}

fn issues_of(reply: &mut Value) -> Vec<Value> {
    match reply.get_mut("issues").map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

fn search_server(jql: &str, c: &mut Client<'_>, report: &mut FetchReport) -> Result<Vec<Value>> {
    let url = format!("{}/rest/api/2/search", c.base);
    let mut out: Vec<Value> = Vec::new();
    loop {
        let query = [
            ("jql", jql.to_owned()),
            ("startAt", out.len().to_string()),
            ("maxResults", c.page_size().to_string()),
            ("fields", FIELDS.to_owned()),
            ("expand", "changelog".to_owned()),
        ];
        let mut reply = c.get(&url, &query)?;
        let total = reply.body.get("total").and_then(Value::as_u64);
        let page = issues_of(&mut reply.body);
        let got = page.len();
        out.extend(page);
        c.progress(out.len() as u64, total)?;
        if got == 0
            || total.is_some_and(|t| out.len() as u64 >= t)
            || total.is_none() && got < c.page_size() as usize
        {
            break;
        }
        if out.len() >= c.max_items() {
            report.cut = true;
            break;
        }
    }
    Ok(out)
}

fn search_cloud(jql: &str, c: &mut Client<'_>, report: &mut FetchReport) -> Result<Vec<Value>> {
    let url = format!("{}/rest/api/3/search/jql", c.base);
    let mut out: Vec<Value> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = vec![
            ("jql", jql.to_owned()),
            ("maxResults", c.page_size().to_string()),
            ("fields", FIELDS.to_owned()),
            ("expand", "changelog".to_owned()),
        ];
        if let Some(t) = &token {
            query.push(("nextPageToken", t.clone()));
        }
        let mut reply = c.get(&url, &query)?;
        let last = reply.body.get("isLast").and_then(Value::as_bool);
        token = reply
            .body
            .get("nextPageToken")
            .and_then(Value::as_str)
            .map(str::to_owned);
        out.extend(issues_of(&mut reply.body));
        c.progress(out.len() as u64, None)?;
        if last == Some(true) || token.is_none() {
            break;
        }
        if out.len() >= c.max_items() {
            report.cut = true;
            break;
        }
    }
    Ok(out)
}

/// Fetches the rest of a changelog the search cut short.
fn complete_changelog(issue: &mut Value, cloud: bool, c: &mut Client<'_>) -> Result<()> {
    let held = issue
        .pointer("/changelog/histories")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let total = issue
        .pointer("/changelog/total")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if total <= held as u64 {
        return Ok(());
    }
    let Some(key) = issue
        .get("key")
        .and_then(Value::as_str)
        .and_then(segment)
        .map(str::to_owned)
    else {
        return Ok(());
    };
    let histories = if cloud {
        changelog_pages(&key, c)?
    } else {
        let url = format!("{}/rest/api/2/issue/{key}", c.base);
        let mut reply = c.get(
            &url,
            &[
                ("expand", "changelog".to_owned()),
                ("fields", FIELDS.to_owned()),
            ],
        )?;
        match reply
            .body
            .pointer_mut("/changelog/histories")
            .map(Value::take)
        {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        }
    };
    let n = histories.len();
    if let Some(cl) = issue.get_mut("changelog") {
        cl["histories"] = Value::Array(histories);
        cl["total"] = n.into();
        cl["maxResults"] = n.into();
    }
    Ok(())
}

fn changelog_pages(key: &str, c: &mut Client<'_>) -> Result<Vec<Value>> {
    let url = format!("{}/rest/api/3/issue/{key}/changelog", c.base);
    let mut out = Vec::new();
    loop {
        let query = [
            ("startAt", out.len().to_string()),
            ("maxResults", "100".to_owned()),
        ];
        let mut reply = c.get(&url, &query)?;
        let last = reply.body.get("isLast").and_then(Value::as_bool);
        let total = reply.body.get("total").and_then(Value::as_u64);
        let page = match reply.body.get_mut("values").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let got = page.len();
        out.extend(page);
        if got == 0 || last == Some(true) || total.is_some_and(|t| out.len() as u64 >= t) {
            return Ok(out);
        }
    }
}
