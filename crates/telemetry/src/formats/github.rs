//! GitHub issue events with project column moves: the repository's issue events
//! (`GET /repos/{owner}/{repo}/issues/events`, each event carrying its `issue`), or per-issue
//! timelines given as `[{"issue": {...}, "timeline": [...]}]`. The raw status of an issue is
//! its project column while it is open ("open" when on no board) and "closed" once closed.
//! A "blocked" label is the blocked flag; the first label the mapping's `[types]` names is the
//! item type ("issue" or "pull request" otherwise).

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::Value;

use super::{Context, read_json};
use crate::error::{Location, Result};
use crate::event::{Event, Parsed};
use crate::time::parse_instant;

pub const OPEN: &str = "open";
pub const CLOSED: &str = "closed";

pub(crate) fn parse_timeline(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let Value::Array(entries) = doc else {
        return Err(cx.err(
            Location::File,
            "expected an array of issue events (GET /repos/{owner}/{repo}/issues/events) or of {\"issue\": .., \"timeline\": [..]}",
        ));
    };
    // (issue number) -> (issue, events with their place in the file)
    let mut issues: BTreeMap<i64, (Value, Vec<(usize, Value)>)> = BTreeMap::new();
    let mut n = 0usize;
    for entry in entries {
        cx.control.check()?;
        match entry {
            Value::Object(mut o) if o.contains_key("timeline") => {
                let issue = o.remove("issue").unwrap_or(Value::Null);
                let Some(num) = issue.get("number").and_then(Value::as_i64) else {
                    return Err(cx.err(
                        Location::At(format!("entry {n}")),
                        "a timeline entry needs its \"issue\" with a number",
                    ));
                };
                let events = match o.remove("timeline") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                let slot = issues.entry(num).or_insert_with(|| (issue, Vec::new()));
                for e in events {
                    slot.1.push((n, e));
                    n += 1;
                }
            }
            Value::Object(mut o) => {
                let issue = o.remove("issue").unwrap_or(Value::Null);
                let Some(num) = issue.get("number").and_then(Value::as_i64) else {
                    return Err(cx.err(
                        Location::At(format!("event {n}")),
                        "the event has no \"issue\" (export the repository's issue events, or wrap each issue's timeline as {\"issue\": .., \"timeline\": [..]})",
                    ));
                };
                let slot = issues.entry(num).or_insert_with(|| (issue, Vec::new()));
                slot.1.push((n, Value::Object(o)));
                n += 1;
            }
            _ => {
                return Err(cx.err(Location::At(format!("entry {n}")), "not a JSON object"));
            }
        }
    }
    for (num, (issue, mut events)) in issues {
        let id = format!("#{num}");
        let mut timed = Vec::with_capacity(events.len());
        for (n, e) in events.drain(..) {
            out.rows += 1;
            let loc = Location::At(format!("issue {id}, event {n}"));
            let Some(created) = e.get("created_at").and_then(Value::as_str) else {
                return Err(cx.err(loc, "the event has no created_at"));
            };
            let at = parse_instant(created, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
            timed.push((at, n, loc, e));
        }
        timed.sort_by_key(|(at, n, _, _)| (*at, *n));

        let labels: Vec<&str> = issue
            .get("labels")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.get("name").and_then(Value::as_str).or(l.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let item_type = labels
            .iter()
            .find(|l| cx.mapping.kind_of(l).is_some())
            .map(|l| (*l).to_owned())
            .unwrap_or_else(|| {
                if issue.get("pull_request").is_some() {
                    "pull request".into()
                } else {
                    "issue".into()
                }
            });
        let item = out.item(&id, &item_type);
        out.set_title(item, issue.get("title").and_then(Value::as_str));
        out.set_link(item, issue.get("html_url").and_then(Value::as_str));
        if let Some(who) = cx.person(issue.pointer("/assignee/login").and_then(Value::as_str)) {
            out.set_assignee(item, Some(&who));
        }

        let mut status = String::new();
        if let Some(created) = issue.get("created_at").and_then(Value::as_str) {
            let loc = Location::At(format!("issue {id}"));
            let at = parse_instant(created, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
            out.events.push(Event {
                item,
                at,
                from: String::new(),
                to: OPEN.into(),
                blocked: None,
                actor: None,
                location: loc,
            });
            status = OPEN.into();
        }
        let mut column: Option<String> = None;
        let mut closed = false;
        for (at, _, loc, e) in timed {
            let kind = e.get("event").and_then(Value::as_str).unwrap_or_default();
            let card_column = || {
                e.pointer("/project_card/column_name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let mut blocked = None;
            match kind {
                "added_to_project" | "moved_columns_in_project" | "converted_note_to_issue" => {
                    let Some(c) = card_column() else {
                        return Err(cx.err(loc, format!("{kind} without project_card.column_name")));
                    };
                    column = Some(c);
                }
                "removed_from_project" => column = None,
                "closed" => closed = true,
                "reopened" => closed = false,
                "labeled" | "unlabeled" => {
                    let name = e
                        .pointer("/label/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if name.eq_ignore_ascii_case("blocked") {
                        blocked = Some(kind == "labeled");
                    } else {
                        continue;
                    }
                }
                _ => continue,
            }
            let next = if closed {
                CLOSED.to_owned()
            } else {
                column.clone().unwrap_or_else(|| OPEN.to_owned())
            };
            if next != status || blocked.is_some() {
                let from = if status.is_empty() {
                    OPEN.to_owned()
                } else {
                    status.clone()
                };
                out.events.push(Event {
                    item,
                    at,
                    from,
                    to: next.clone(),
                    blocked,
                    actor: cx.person(e.pointer("/actor/login").and_then(Value::as_str)),
                    location: loc,
                });
                status = next;
            }
        }
    }
    if out.events.is_empty() {
        return Err(cx.err(Location::File, "no issue or project column event found"));
    }
    Ok(())
}
