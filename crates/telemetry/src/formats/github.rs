//! GitHub issues and pull requests: the repository's issue events
//! (`GET /repos/{owner}/{repo}/issues/events`, each carrying its `issue`), per-issue timelines
//! given as `[{"issue": {...}, "timeline": [...]}]`, or one bare timeline
//! (`GET /repos/{owner}/{repo}/issues/{n}/timeline`, its number read from the events' links).
//!
//! The raw status of an item is its project column while it is open ("open" when on no
//! board), "closed" once closed and "merged" once a pull request is merged. Events that play
//! no part in the status (commits, comments, reviews, ...) are skipped without reading their
//! times, which some of them lack. When the timeline has no `closed` event but the issue says
//! it is closed, it is closed at the issue's `closed_at` (`Rule::ClosedFromIssue`). A
//! "blocked" label is the blocked flag; the first label the mapping's `[types]` names is the
//! item type ("issue" or "pull request" otherwise).

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::Value;

use super::{Context, Export, json};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::repair::Rule;
use crate::time::parse_instant;

pub const OPEN: &str = "open";
pub const CLOSED: &str = "closed";
pub const MERGED: &str = "merged";

const NO_PART: &str = "timeline events that play no part in the status (comments, commits, reviews, assignments, ...)";

/// The events that move an item or set its blocked flag.
const MOVES: &[&str] = &[
    "added_to_project",
    "moved_columns_in_project",
    "converted_note_to_issue",
    "removed_from_project",
    "closed",
    "reopened",
    "merged",
    "labeled",
    "unlabeled",
];

/// One issue or pull request and its events (row, place in its timeline, event).
struct Thread {
    issue: Value,
    issue_row: Option<u32>,
    events: Vec<(u32, usize, Value)>,
}

pub(crate) fn parse_timeline(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let doc = json::read(input, cx)?;
    let entries = match doc {
        Value::Array(a) => a,
        o @ Value::Object(_) if o.get("timeline").is_some() => vec![o],
        _ => {
            return Err(cx.err(
                Location::File,
                "expected an array of issue events (GET /repos/{owner}/{repo}/issues/events), a timeline, or [{\"issue\": .., \"timeline\": [..]}]",
            ));
        }
    };
    let threads = collect(entries, cx, out)?;
    for (num, t) in threads {
        cx.control.check()?;
        read_thread(num, t, cx, out)?;
    }
    if out.events.is_empty() {
        return Err(cx.err(Location::File, "no issue or project column event found"));
    }
    Ok(())
}

/// The issue number a bare timeline's events name (`issue_url`, or a link to the issue).
fn number_in(events: &[Value]) -> Option<i64> {
    events.iter().find_map(|e| {
        let url = json::str_at(e, "/issue_url").or_else(|| {
            json::str_at(e, "/html_url").filter(|u| u.contains("/pull/") || u.contains("/issues/"))
        })?;
        let tail = url
            .rsplit_once("/issues/")
            .or_else(|| url.rsplit_once("/pull/"))?
            .1;
        tail.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    })
}

fn collect(
    entries: Vec<Value>,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<BTreeMap<i64, Thread>> {
    let mut threads: BTreeMap<i64, Thread> = BTreeMap::new();
    let bare = !entries.is_empty()
        && entries
            .iter()
            .all(|e| e.get("timeline").is_none() && e.get("issue").is_none());
    if bare {
        let Some(num) = number_in(&entries) else {
            return Err(cx.err(
                Location::File,
                "this timeline does not say which issue it is: wrap it as [{\"issue\": {\"number\": N, ...}, \"timeline\": [..]}], or use `tributary telemetry fetch github`",
            ));
        };
        let t = threads
            .entry(num)
            .or_insert_with(|| thread(Value::Null, None));
        for (n, e) in entries.into_iter().enumerate() {
            t.events.push((out.begin_row(), n, e));
        }
        return Ok(threads);
    }
    for (n, entry) in entries.into_iter().enumerate() {
        let Value::Object(mut o) = entry else {
            return Err(cx.err(Location::At(format!("entry {n}")), "not a JSON object"));
        };
        let row = out.begin_row();
        let issue = o.remove("issue").unwrap_or(Value::Null);
        let Some(num) = issue.get("number").and_then(Value::as_i64) else {
            return Err(cx.err(
                Location::At(format!("entry {n}")),
                "the entry has no \"issue\" with a number (export the repository's issue events, or wrap each issue's timeline as {\"issue\": .., \"timeline\": [..]})",
            ));
        };
        match o.remove("timeline") {
            Some(Value::Array(events)) => {
                let t = threads
                    .entry(num)
                    .or_insert_with(|| thread(issue, Some(row)));
                for e in events {
                    let k = t.events.len();
                    t.events.push((out.begin_row(), k, e));
                }
            }
            _ => {
                let t = threads.entry(num).or_insert_with(|| thread(issue, None));
                let k = t.events.len();
                t.events.push((row, k, Value::Object(o)));
            }
        }
    }
    Ok(threads)
}

fn thread(issue: Value, issue_row: Option<u32>) -> Thread {
    Thread {
        issue,
        issue_row,
        events: Vec::new(),
    }
}

fn is_pull(t: &Thread) -> bool {
    t.issue.get("pull_request").is_some()
        || t.events.iter().any(|(_, _, e)| {
            matches!(
                json::str_at(e, "/event"),
                Some("merged" | "committed" | "reviewed")
            )
        })
}

fn item_type(t: &Thread, cx: &Context<'_>) -> String {
    let labels: Vec<&str> = t
        .issue
        .get("labels")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| l.get("name").and_then(Value::as_str).or(l.as_str()))
                .collect()
        })
        .unwrap_or_default();
    match labels.iter().find(|l| cx.mapping.kind_of(l).is_some()) {
        Some(l) => (*l).to_owned(),
        None if is_pull(t) => "pull request".into(),
        None => "issue".into(),
    }
}

/// What the item is now, as its events go.
struct State {
    status: String,
    column: Option<String>,
    closed: Option<&'static str>,
}

impl State {
    fn now(&self) -> String {
        match self.closed {
            Some(c) => c.to_owned(),
            None => self.column.clone().unwrap_or_else(|| OPEN.to_owned()),
        }
    }
}

fn read_thread(num: i64, t: Thread, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let id = format!("#{num}");
    let item = out.parsed.item(&id, &item_type(&t, cx));
    let issue = &t.issue;
    out.set_title(item, issue.get("title").and_then(Value::as_str));
    out.set_link(item, issue.get("html_url").and_then(Value::as_str));
    if let Some(who) = cx.person(json::str_at(issue, "/assignee/login")) {
        out.set_assignee(item, Some(&who));
    }
    let mut st = State {
        status: String::new(),
        column: None,
        closed: None,
    };
    if let Some(created) = issue.get("created_at").and_then(Value::as_str) {
        let loc = Location::At(format!("issue {id}"));
        let at = parse_instant(created, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
        let row = t
            .issue_row
            .or_else(|| t.events.first().map(|e| e.0))
            .unwrap_or(0);
        out.assign(row, item);
        out.push_from(row, event(item, at, String::new(), OPEN.into(), loc));
        st.status = OPEN.into();
    }
    let timed = timed(&id, &t, item, cx, out)?;
    for step in timed {
        apply(item, step, &mut st, cx, out)?;
    }
    close_from_issue(item, &id, issue, &st, cx, out)
}

/// A move of `item` from `from` to `to`; `blocked` and `actor` are filled in by the caller.
fn event(item: u32, at: i64, from: String, to: String, location: Location) -> Event {
    Event {
        item,
        at,
        from,
        to,
        blocked: None,
        actor: None,
        location,
    }
}

/// An event that can move its item: its row, time, place and body.
type Timed<'t> = (u32, i64, Location, &'t Value);

/// The thread's events that can move it, with their times, in time order.
fn timed<'t>(
    id: &str,
    t: &'t Thread,
    item: u32,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<Vec<Timed<'t>>> {
    let mut timed = Vec::with_capacity(t.events.len());
    for (row, n, e) in &t.events {
        out.assign(*row, item);
        let kind = json::str_at(e, "/event").unwrap_or_default();
        if !MOVES.contains(&kind) {
            out.skip_row_at(*row, NO_PART);
            continue;
        }
        let loc = Location::At(format!("issue {id}, event {n} ({kind})"));
        let Some(created) = e.get("created_at").and_then(Value::as_str) else {
            return Err(cx.err(loc, "the event has no created_at"));
        };
        let at = parse_instant(created, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
        timed.push((*row, at, loc, e));
    }
    timed.sort_by_key(|(row, at, _, _)| (*at, *row));
    Ok(timed)
}

/// One event through the item's state.
fn apply(
    item: u32,
    (row, at, loc, e): Timed<'_>,
    st: &mut State,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let kind = json::str_at(e, "/event").unwrap_or_default();
    let mut blocked = None;
    match kind {
        "added_to_project" | "moved_columns_in_project" | "converted_note_to_issue" => {
            let Some(c) = json::str_at(e, "/project_card/column_name") else {
                return Err(cx.err(loc, format!("{kind} without project_card.column_name")));
            };
            st.column = Some(c.to_owned());
        }
        "removed_from_project" => st.column = None,
        "merged" => st.closed = Some(MERGED),
        "closed" if st.closed.is_none() => st.closed = Some(CLOSED),
        "closed" => {}
        "reopened" => st.closed = None,
        _ => {
            let name = json::str_at(e, "/label/name").unwrap_or_default();
            if !name.eq_ignore_ascii_case("blocked") {
                out.skip_row_at(row, NO_PART);
                return Ok(());
            }
            blocked = Some(kind == "labeled");
        }
    }
    let next = st.now();
    if next == st.status && blocked.is_none() {
        out.skip_row_at(row, "events that leave the status as it was");
        return Ok(());
    }
    let from = if st.status.is_empty() {
        OPEN.to_owned()
    } else {
        std::mem::take(&mut st.status)
    };
    let actor = cx.person(json::str_at(e, "/actor/login"));
    let mut ev = event(item, at, from, next.clone(), loc);
    ev.blocked = blocked;
    ev.actor = actor;
    out.push_from(row, ev);
    st.status = next;
    Ok(())
}

/// The issue says it is closed (or merged) but its timeline never closed it.
fn close_from_issue(
    item: u32,
    id: &str,
    issue: &Value,
    st: &State,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    if st.closed.is_some() || issue.get("state").and_then(Value::as_str) != Some(CLOSED) {
        return Ok(());
    }
    let merged = json::str_at(issue, "/pull_request/merged_at");
    let Some(when) = merged.or_else(|| json::str_at(issue, "/closed_at")) else {
        return Ok(());
    };
    let loc = Location::At(format!("issue {id}"));
    let at = parse_instant(when, &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("closed_at: {m}")))?;
    let to = if merged.is_some() { MERGED } else { CLOSED };
    let from = if st.status.is_empty() {
        OPEN.to_owned()
    } else {
        st.status.clone()
    };
    let row = out
        .row_item
        .iter()
        .rposition(|r| *r == Some(item))
        .unwrap_or(0) as u32;
    out.push_from(row, event(item, at, from, to.into(), loc));
    out.repaired(
        item,
        Rule::ClosedFromIssue,
        format!("the timeline holds no closed event; the issue says it was {to} at {when}"),
    );
    Ok(())
}
