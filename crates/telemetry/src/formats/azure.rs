//! Azure DevOps work item updates (`GET _apis/wit/workitems/{id}/updates`): each update lists
//! the fields it changed with their old and new values. `System.State` changes are the
//! events, `System.ChangedDate` is when they happened (`revisedDate` is when the revision was
//! superseded: 9999-01-01 for the latest), `Microsoft.VSTS.CMMI.Blocked` is the blocked flag.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::{Context, read_json};
use crate::error::{Location, Result};
use crate::event::{Event, Parsed};
use crate::time::parse_instant;

fn updates_of(doc: Value) -> Vec<Value> {
    match doc {
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        Value::Array(a) => a
            .into_iter()
            .flat_map(|v| match v {
                Value::Object(mut o) if o.contains_key("value") => match o.remove("value") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                },
                other => vec![other],
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn new_value<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).and_then(|f| f.get("newValue"))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("displayName")
            .and_then(Value::as_str)
            .map(str::to_owned),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Parsed) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let mut updates = updates_of(doc);
    if updates.is_empty() {
        return Err(cx.err(
            Location::File,
            "no work item updates found (expected the JSON of _apis/wit/workitems/{id}/updates: {\"count\": .., \"value\": [...]})",
        ));
    }
    // Oldest first within each work item.
    let key = |u: &Value| {
        (
            u.get("workItemId")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MIN),
            u.get("rev").and_then(Value::as_i64).unwrap_or(0),
        )
    };
    updates.sort_by_key(key);
    let empty = Map::new();
    for (n, u) in updates.iter().enumerate() {
        cx.control.check()?;
        out.rows += 1;
        let Some(wid) = u.get("workItemId").and_then(Value::as_i64) else {
            return Err(cx.err(
                Location::At(format!("update {n}")),
                "the update has no workItemId",
            ));
        };
        let rev = u.get("rev").and_then(Value::as_i64).unwrap_or(0);
        let loc = Location::At(format!("work item {wid}, rev {rev}"));
        let fields = u.get("fields").and_then(Value::as_object).unwrap_or(&empty);
        let id = wid.to_string();
        let item_type = text(new_value(fields, "System.WorkItemType")).unwrap_or_default();
        let item = out.item(&id, &item_type);
        out.set_title(item, text(new_value(fields, "System.Title")).as_deref());
        if let Some(who) = cx.person(text(new_value(fields, "System.AssignedTo")).as_deref()) {
            out.set_assignee(item, Some(&who));
        }
        let state = fields.get("System.State");
        let blocked = new_value(fields, "Microsoft.VSTS.CMMI.Blocked")
            .map(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("yes")))
            .or_else(|| fields.get("Microsoft.VSTS.CMMI.Blocked").map(|_| false));
        if state.is_none() && blocked.is_none() {
            continue;
        }
        let when = text(new_value(fields, "System.ChangedDate"))
            .or_else(|| {
                u.get("revisedDate")
                    .and_then(Value::as_str)
                    .filter(|s| !s.starts_with("9999"))
                    .map(str::to_owned)
            })
            .ok_or_else(|| cx.err(loc.clone(), "the update has no System.ChangedDate"))?;
        let at = parse_instant(&when, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("System.ChangedDate: {m}")))?;
        let actor = cx.person(text(u.get("revisedBy")).as_deref());
        match state {
            Some(s) => {
                let to = s
                    .get("newValue")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if to.is_empty() {
                    return Err(cx.err(loc, "System.State has no newValue"));
                }
                let from = s
                    .get("oldValue")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.events.push(Event {
                    item,
                    at,
                    from: from.to_owned(),
                    to: to.to_owned(),
                    blocked,
                    actor,
                    location: loc,
                });
            }
            None => {
                // A flag change alone: the item stays where its last state change put it.
                let current = out
                    .events
                    .iter()
                    .rev()
                    .find(|e| e.item == item)
                    .map(|e| e.to.clone());
                if let Some(cur) = current {
                    out.events.push(Event {
                        item,
                        at,
                        from: cur.clone(),
                        to: cur,
                        blocked,
                        actor,
                        location: loc,
                    });
                }
            }
        }
    }
    Ok(())
}
