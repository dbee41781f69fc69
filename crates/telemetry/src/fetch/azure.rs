//! Azure DevOps: the work items a WIQL query finds (changed since the last fetch), then each
//! one's updates (`_apis/wit/workItems/{id}/updates`, pages by `$skip`). Sent with a personal
//! access token as basic auth.

use serde_json::{Value, json};

use super::{Client, FetchReport, Fetched, bytes, encode, overlap};
use crate::error::Result;
use crate::formats::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureQuery {
    /// The organisation: `https://dev.azure.com/ORG` (or a server's collection address).
    pub org: String,
    pub project: String,
    /// `SELECT [System.Id] FROM WorkItems WHERE ...`.
    pub wiql: String,
}

const API: (&str, &str) = ("api-version", "7.1");

impl AzureQuery {
    /// The WIQL, restricted to work items changed since the last fetch (less a day).
    fn wiql(&self, since: Option<i64>) -> String {
        let Some(t) = overlap(since) else {
            return self.wiql.clone();
        };
        let cond = format!("[System.ChangedDate] >= '{}'", t.strftime("%Y-%m-%d"));
        let lower = self.wiql.to_ascii_lowercase();
        let (head, order) = match lower.find(" order by ") {
            Some(i) => (&self.wiql[..i], &self.wiql[i..]),
            None => (self.wiql.as_str(), ""),
        };
        match head.to_ascii_lowercase().find(" where ") {
            Some(i) => format!(
                "{} WHERE ({}) AND {cond}{order}",
                &head[..i],
                head[i + 7..].trim()
            ),
            None => format!("{head} WHERE {cond}{order}"),
        }
    }
}

pub(super) fn fetch(
    q: &AzureQuery,
    since: Option<i64>,
    c: &mut Client<'_>,
    report: &mut FetchReport,
) -> Result<Fetched> {
    let project = encode(q.project.trim());
    let url = format!("{}/{project}/_apis/wit/wiql", c.base);
    let api = [(API.0, API.1.to_owned())];
    let reply = c.post(&url, &api, &json!({ "query": q.wiql(since) }))?;
    let ids: Vec<i64> = reply
        .body
        .get("workItems")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|w| w.get("id").and_then(Value::as_i64))
                .collect()
        })
        .unwrap_or_default();
    let mut updates = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        if n >= c.max_items() {
            report.cut = true;
            break;
        }
        updates.extend(item_updates(*id, &project, c)?);
        c.progress(n as u64 + 1, Some(ids.len() as u64))?;
    }
    let items = ids.len().min(c.max_items());
    Ok(Fetched {
        format: Format::AzureDevopsJson,
        body: bytes(&json!({ "count": updates.len(), "value": updates })),
        items,
    })
}

fn item_updates(id: i64, project: &str, c: &mut Client<'_>) -> Result<Vec<Value>> {
    let url = format!("{}/{project}/_apis/wit/workItems/{id}/updates", c.base);
    let top = c.page_size().clamp(1, 200);
    let mut out = Vec::new();
    loop {
        let query = [
            (API.0, API.1.to_owned()),
            ("$top", top.to_string()),
            ("$skip", out.len().to_string()),
        ];
        let mut reply = c.get(&url, &query)?;
        let page = match reply.body.get_mut("value").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let got = page.len();
        out.extend(page);
        // A short page is the last; so is a longer one (a server that does not page).
        if got != top as usize {
            return Ok(out);
        }
    }
}
