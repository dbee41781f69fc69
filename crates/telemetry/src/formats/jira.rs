//! Jira's issues JSON with `expand=changelog`: a search result (`/rest/api/2/search`, Cloud's
//! `/rest/api/3/search/jql`, one page or an array of pages), a bare array of issues, or one
//! issue (`/rest/api/2/issue/KEY?expand=changelog`, as Jira Server returns it). The status
//! items of `changelog.histories` are the events; `Flagged` items set the blocked flag.
//!
//! Histories are read in time order. Where that order breaks the from -> to chain and the
//! order of the histories' ids (the order Jira wrote them) keeps it, id order is used and the
//! repair is reported (`Rule::IdOrderWithinEqualTimes`, `Rule::IdOrder`).

use std::collections::HashMap;
use std::io::BufRead;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Context, Export, Page, json};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::repair::Rule;
use crate::time::{format_instant, parse_instant};

#[derive(Deserialize)]
struct Issue {
    key: String,
    #[serde(default)]
    fields: Fields,
    #[serde(default)]
    changelog: Option<Changelog>,
}

#[derive(Deserialize, Default)]
struct Fields {
    #[serde(default)]
    issuetype: Option<Named>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    status: Option<Named>,
    #[serde(default)]
    assignee: Option<Person>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct Person {
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct Changelog {
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    histories: Vec<History>,
}

#[derive(Deserialize)]
struct History {
    #[serde(default)]
    id: Option<Value>,
    created: String,
    #[serde(default)]
    author: Option<Person>,
    #[serde(default)]
    items: Vec<ChangeItem>,
}

#[derive(Deserialize)]
struct ChangeItem {
    field: String,
    #[serde(rename = "fromString", default)]
    from_string: Option<String>,
    #[serde(rename = "toString", default)]
    to_string: Option<String>,
}

impl ChangeItem {
    fn is_status(&self) -> bool {
        self.field.eq_ignore_ascii_case("status")
    }
    fn from(&self) -> &str {
        self.from_string.as_deref().unwrap_or_default()
    }
    fn to(&self) -> &str {
        self.to_string.as_deref().unwrap_or_default()
    }
}

/// A flag change seen before the item's status at that moment is known.
pub(crate) struct Flag {
    pub item: u32,
    pub row: u32,
    pub at: i64,
    pub blocked: bool,
    pub actor: Option<String>,
    pub location: Location,
}

/// Turns flag changes into same-status events now that every status change is known.
pub(crate) fn resolve_flags(out: &mut Export, flags: Vec<Flag>) {
    if flags.is_empty() {
        return;
    }
    let mut by_item: HashMap<u32, Vec<(i64, usize)>> = HashMap::new();
    for (i, e) in out.events.iter().enumerate() {
        by_item.entry(e.item).or_default().push((e.at, i));
    }
    for v in by_item.values_mut() {
        v.sort();
    }
    let mut lost = 0;
    for f in flags {
        let state = by_item.get(&f.item).and_then(|v| {
            v.iter()
                .rev()
                .find(|(at, _)| *at <= f.at)
                .map(|(_, i)| out.events[*i].to.clone())
        });
        match state {
            Some(s) => out.push_from(
                f.row,
                Event {
                    item: f.item,
                    at: f.at,
                    from: s.clone(),
                    to: s,
                    blocked: Some(f.blocked),
                    actor: f.actor,
                    location: f.location,
                },
            ),
            None => lost += 1,
        }
    }
    if lost > 0 {
        out.notes.push(format!(
            "{lost} flag change(s) came before any known status of their item and were left out"
        ));
    }
}

pub(crate) fn is_flag(field: &str) -> bool {
    field.eq_ignore_ascii_case("flagged")
}

pub(crate) fn parse_json(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let doc = json::read(input, cx)?;
    let mut pages = Vec::new();
    let issues = json::records(doc, &["issues"], &mut pages);
    if issues.is_empty() {
        return Err(cx.err(
            Location::File,
            "no issues found (expected the JSON of /rest/api/2/search?expand=changelog: {\"issues\": [...]}, or of one issue)",
        ));
    }
    let held = issues.len() as u64;
    let mut flags = Vec::new();
    for (n, v) in issues.into_iter().enumerate() {
        cx.control.check()?;
        read_issue(n, v, cx, out, &mut flags)?;
    }
    resolve_flags(out, flags);
    out.page = page_of(&pages, held);
    Ok(())
}

/// A search result that says it holds more than the file has.
fn page_of(pages: &[Map<String, Value>], held: u64) -> Option<Page> {
    let total = pages
        .iter()
        .filter_map(|p| json::count(p.get("total")))
        .max();
    let start = match pages {
        [one] => json::count(one.get("startAt")),
        _ => None,
    };
    let more = pages.last().is_some_and(|p| {
        p.get("isLast") == Some(&Value::Bool(false))
            || (p.get("nextPageToken").is_some_and(Value::is_string)
                && p.get("isLast") != Some(&Value::Bool(true)))
    });
    let fetch = "jira --site URL --jql QUERY";
    match total {
        Some(t) if t > held => Some(Page::of("issues", held, Some(t), start, fetch)),
        _ if more => Some(Page::of("issues", held, None, None, fetch)),
        _ => None,
    }
}

fn read_issue(
    n: usize,
    v: Value,
    cx: &Context<'_>,
    out: &mut Export,
    flags: &mut Vec<Flag>,
) -> Result<()> {
    out.begin_row();
    let hint = v
        .get("key")
        .and_then(Value::as_str)
        .map_or(format!("issues[{n}]"), |k| format!("issue {k}"));
    let issue: Issue = serde_json::from_value(v)
        .map_err(|e| cx.err(Location::At(hint), format!("not a Jira issue: {e}")))?;
    let at_issue = Location::At(format!("issue {}", issue.key));
    let item_type = issue
        .fields
        .issuetype
        .as_ref()
        .map_or("issue", |t| t.name.as_str());
    let item = out.row_item(&issue.key, item_type);
    out.set_title(item, issue.fields.summary.as_deref());
    let who = issue
        .fields
        .assignee
        .as_ref()
        .and_then(|p| p.display_name.as_deref());
    if let Some(name) = cx.person(who) {
        out.set_assignee(item, Some(&name));
    }
    let empty = Vec::new();
    let all = issue.changelog.as_ref().map_or(&empty, |c| &c.histories);
    if let Some(cl) = &issue.changelog
        && let Some(total) = cl.total
        && total > cl.histories.len() as u64
    {
        out.notes.push(format!(
            "issue {}: the export holds {} of its {total} changes; fetch /rest/api/2/issue/{}/changelog for the rest",
            issue.key,
            cl.histories.len(),
            issue.key
        ));
    }
    let timed = timed(&issue.key, all, cx)?;
    let (status, others): (Vec<Timed<'_>>, Vec<Timed<'_>>) = timed
        .into_iter()
        .partition(|t| t.h.items.iter().any(ChangeItem::is_status));
    let (status, fix) = choose_order(status);
    if let Some((rule, detail)) = fix {
        out.repaired(item, rule, detail);
    }
    creation(&issue, item, &status, &at_issue, cx, out)?;
    for t in status.iter().chain(&others) {
        history_events(item, t, cx, out, flags)?;
    }
    Ok(())
}

/// A history with its time, id and place.
#[derive(Clone)]
struct Timed<'h> {
    at: i64,
    id: Option<u64>,
    name: String,
    loc: Location,
    h: &'h History,
}

fn timed<'h>(key: &str, all: &'h [History], cx: &Context<'_>) -> Result<Vec<Timed<'h>>> {
    let mut out = Vec::with_capacity(all.len());
    for h in all {
        let name = h.id.as_ref().map_or(String::new(), |v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let loc = Location::At(format!("issue {key}, history {name}"));
        let at = parse_instant(&h.created, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created: {m}")))?;
        out.push(Timed {
            at,
            id: name.parse().ok(),
            name,
            loc,
            h,
        });
    }
    Ok(out)
}

/// Whether the status changes of `hs`, in this order, chain from -> to.
fn chains(hs: &[Timed<'_>]) -> bool {
    first_break(hs).is_none()
}

/// The index of the first history whose status change does not leave the status the one
/// before entered.
fn first_break(hs: &[Timed<'_>]) -> Option<usize> {
    let mut prev: Option<&str> = None;
    for (i, t) in hs.iter().enumerate() {
        for ci in t.h.items.iter().filter(|c| c.is_status()) {
            if prev.is_some_and(|p| p != ci.from()) {
                return Some(i);
            }
            prev = Some(ci.to());
        }
    }
    None
}

/// The order to read an issue's status histories in: time order (the file's among equal
/// times), else the one of the two id rules that makes them chain.
fn choose_order(mut hs: Vec<Timed<'_>>) -> (Vec<Timed<'_>>, Option<(Rule, String)>) {
    hs.sort_by_key(|t| t.at);
    let Some(broken) = first_break(&hs) else {
        return (hs, None);
    };
    if hs.iter().any(|t| t.id.is_none()) {
        return (hs, None);
    }
    let what = format!(
        "in time order the chain breaks at history {} ({})",
        hs[broken].name,
        format_instant(hs[broken].at)
    );
    let mut by_id = hs.clone();
    by_id.sort_by_key(|t| (t.at, t.id));
    if chains(&by_id) {
        let detail =
            format!("{what}; histories of the same time are read in the order of their ids");
        return (by_id, Some((Rule::IdOrderWithinEqualTimes, detail)));
    }
    let mut ids = hs.clone();
    ids.sort_by_key(|t| t.id);
    if !chains(&ids) {
        return (hs, None);
    }
    let mut moved = Vec::new();
    for i in 1..ids.len() {
        if ids[i].at < ids[i - 1].at {
            moved.push(format!(
                "history {} moved from {} to {} (the time of history {})",
                ids[i].name,
                format_instant(ids[i].at),
                format_instant(ids[i - 1].at),
                ids[i - 1].name
            ));
            ids[i].at = ids[i - 1].at;
        }
    }
    let detail = format!(
        "{what}; the histories chain in the order of their ids: {}",
        moved.join("; ")
    );
    (ids, Some((Rule::IdOrder, detail)))
}

/// The creation event: at `fields.created`, into the status the first status change leaves
/// (else the current status).
fn creation(
    issue: &Issue,
    item: u32,
    status: &[Timed<'_>],
    at_issue: &Location,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let first_from = status.iter().find_map(|t| {
        t.h.items
            .iter()
            .find(|i| i.is_status())
            .map(|i| i.from().to_owned())
    });
    let initial = first_from
        .filter(|s| !s.is_empty())
        .or_else(|| issue.fields.status.as_ref().map(|s| s.name.clone()));
    let Some(initial) = initial else {
        return Err(cx.err(
            at_issue.clone(),
            "the issue has no status and no status history",
        ));
    };
    if let Some(created) = &issue.fields.created {
        let at = parse_instant(created, &cx.zone, true)
            .map_err(|m| cx.err(at_issue.clone(), format!("fields.created: {m}")))?;
        out.push(Event {
            item,
            at,
            from: String::new(),
            to: initial,
            blocked: None,
            actor: None,
            location: at_issue.clone(),
        });
    }
    Ok(())
}

/// The status changes of one history as events, and its flag changes for later.
fn history_events(
    item: u32,
    t: &Timed<'_>,
    cx: &Context<'_>,
    out: &mut Export,
    flags: &mut Vec<Flag>,
) -> Result<()> {
    let actor = cx.person(t.h.author.as_ref().and_then(|a| a.display_name.as_deref()));
    for ci in &t.h.items {
        if ci.is_status() {
            if ci.to().is_empty() {
                return Err(cx.err(t.loc.clone(), "a status change has no toString"));
            }
            out.push(Event {
                item,
                at: t.at,
                from: ci.from().to_owned(),
                to: ci.to().to_owned(),
                blocked: None,
                actor: actor.clone(),
                location: t.loc.clone(),
            });
        } else if is_flag(&ci.field) {
            flags.push(Flag {
                item,
                row: out.row(),
                at: t.at,
                blocked: ci
                    .to_string
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty()),
                actor: actor.clone(),
                location: t.loc.clone(),
            });
        }
    }
    Ok(())
}
