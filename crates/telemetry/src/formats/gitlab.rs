//! GitLab resource events: state events (`resource_state_events`: closed, reopened, merged)
//! and label events (`resource_label_events`: add, remove). A board's workflow is modelled
//! with scoped labels, so the raw status of an item is its `workflow::` label while it is
//! open, "opened" without one, and "closed" (or "merged") once closed. A "type::" label (or
//! a label named in the mapping's `[types]`) is its item type; a "blocked" label is the
//! blocked flag.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use serde_json::Value;

use super::{Context, read_json};
use crate::error::{Location, Result};
use crate::event::{Event, Parsed};
use crate::time::parse_instant;

pub const OPENED: &str = "opened";

struct Ev<'v> {
    at: i64,
    order: i64,
    v: &'v Value,
    loc: Location,
}

fn is_workflow(label: &str) -> bool {
    label.len() > 10
        && label
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case("workflow::"))
}

fn is_type(label: &str) -> bool {
    label.len() > 6
        && label
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("type::"))
}

pub(crate) fn parse_events(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let (issues, events): (Vec<Value>, Vec<Value>) = match doc {
        Value::Array(a) => (Vec::new(), a),
        Value::Object(mut o) => {
            let take = |o: &mut serde_json::Map<String, Value>, k: &str| match o.remove(k) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let issues = take(&mut o, "issues");
            let mut ev = take(&mut o, "state_events");
            ev.extend(take(&mut o, "label_events"));
            (issues, ev)
        }
        _ => (Vec::new(), Vec::new()),
    };
    if events.is_empty() {
        return Err(cx.err(
            Location::File,
            "no events found (expected an array of GitLab resource_state_events and resource_label_events)",
        ));
    }
    // Issues, when given, name the items and say when they were created.
    let mut known: HashMap<(String, i64), &Value> = HashMap::new();
    for i in &issues {
        if let Some(id) = i.get("id").and_then(Value::as_i64) {
            let kind = if i.get("merged_at").is_some() || i.get("source_branch").is_some() {
                "MergeRequest"
            } else {
                "Issue"
            };
            known.insert((kind.to_owned(), id), i);
        }
    }
    let mut by_item: BTreeMap<(String, i64), Vec<Ev<'_>>> = BTreeMap::new();
    for (n, v) in events.iter().enumerate() {
        cx.control.check()?;
        out.rows += 1;
        let loc = Location::At(format!(
            "event {n} (id {})",
            v.get("id").map_or("?".into(), Value::to_string)
        ));
        let Some(rid) = v.get("resource_id").and_then(Value::as_i64) else {
            return Err(cx.err(loc, "the event has no resource_id"));
        };
        let rtype = v
            .get("resource_type")
            .and_then(Value::as_str)
            .unwrap_or("Issue")
            .to_owned();
        let created = v
            .get("created_at")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let at = parse_instant(created, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
        if v.get("state").is_none() && v.get("action").is_none() {
            return Err(cx.err(
                loc,
                "neither a state event (\"state\") nor a label event (\"label\", \"action\")",
            ));
        }
        let order = v.get("id").and_then(Value::as_i64).unwrap_or(n as i64);
        by_item
            .entry((rtype, rid))
            .or_default()
            .push(Ev { at, order, v, loc });
    }
    let mut blocked_seen = false;
    for ((rtype, rid), mut evs) in by_item {
        evs.sort_by_key(|e| (e.at, e.order));
        let issue = known.get(&(rtype.clone(), rid)).copied();
        let id = issue
            .and_then(|i| i.get("iid"))
            .and_then(Value::as_i64)
            .map_or(rid.to_string(), |iid| format!("#{iid}"));
        // The item type: a type:: label, or a label the mapping names, seen on the item.
        let mut labels: Vec<String> = Vec::new();
        if let Some(ls) = issue
            .and_then(|i| i.get("labels"))
            .and_then(Value::as_array)
        {
            labels.extend(ls.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        for e in &evs {
            if let Some(name) = e.v.pointer("/label/name").and_then(Value::as_str) {
                labels.push(name.to_owned());
            }
        }
        let item_type = labels
            .iter()
            .find(|l| is_type(l))
            .or_else(|| labels.iter().find(|l| cx.mapping.kind_of(l).is_some()))
            .cloned()
            .unwrap_or_else(|| rtype.clone());
        let item = out.item(&id, &item_type);
        out.set_title(
            item,
            issue.and_then(|i| i.get("title")).and_then(Value::as_str),
        );
        out.set_link(
            item,
            issue.and_then(|i| i.get("web_url")).and_then(Value::as_str),
        );

        let mut status = OPENED.to_owned();
        let mut workflow: Option<String> = None;
        let mut closed: Option<String> = None;
        if let Some(created) = issue
            .and_then(|i| i.get("created_at"))
            .and_then(Value::as_str)
        {
            let loc = Location::At(format!("issue {id}"));
            let at = parse_instant(created, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
            out.events.push(Event {
                item,
                at,
                from: String::new(),
                to: OPENED.into(),
                blocked: None,
                actor: None,
                location: loc,
            });
        }
        for e in evs {
            let actor = cx.person(e.v.pointer("/user/username").and_then(Value::as_str));
            let mut blocked = None;
            if let Some(state) = e.v.get("state").and_then(Value::as_str) {
                match state {
                    "closed" | "merged" => closed = Some(state.to_owned()),
                    "reopened" | "opened" => closed = None,
                    other => {
                        return Err(cx.err(e.loc, format!("unknown state {other:?}")));
                    }
                }
            } else {
                let name =
                    e.v.pointer("/label/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                let add = match e.v.get("action").and_then(Value::as_str) {
                    Some("add") => true,
                    Some("remove") => false,
                    other => {
                        return Err(cx.err(e.loc, format!("unknown label action {other:?}")));
                    }
                };
                if is_workflow(name) {
                    if add {
                        workflow = Some(name.to_owned());
                    } else if workflow.as_deref() == Some(name) {
                        workflow = None;
                    }
                } else if name.eq_ignore_ascii_case("blocked") {
                    blocked = Some(add);
                    blocked_seen = true;
                }
            }
            let next = closed
                .clone()
                .or_else(|| workflow.clone())
                .unwrap_or_else(|| OPENED.to_owned());
            if next != status || blocked.is_some() {
                out.events.push(Event {
                    item,
                    at: e.at,
                    from: status.clone(),
                    to: next.clone(),
                    blocked,
                    actor,
                    location: e.loc,
                });
                status = next;
            }
        }
    }
    if !blocked_seen {
        out.notes
            .push("no \"blocked\" label was seen: blocked time is not known".into());
    }
    Ok(())
}
