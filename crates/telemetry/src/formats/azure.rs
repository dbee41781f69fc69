//! Azure DevOps work items, in either shape the REST API gives their history:
//!
//! - updates (`_apis/wit/workItems/{id}/updates`): each lists the fields it changed with
//!   their old and new values; `System.State` changes are the events, at `System.ChangedDate`
//!   (`revisedDate` is when the revision was superseded: 9999-01-01 for the latest);
//! - revisions (`_apis/wit/workItems/{id}/revisions`, or the reporting API's
//!   `workItemRevisions` batches): full snapshots of the fields; consecutive revisions whose
//!   `System.State` differs are the events.
//!
//! `Microsoft.VSTS.CMMI.Blocked` (Yes/No) is the blocked flag. A reporting batch with
//! `isLastBatch: false` is one page of more.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::{Map, Value};

use super::{Context, Export, Page, json};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::time::parse_instant;

const NO_CHANGE: &str = "updates that change neither the state nor the blocked flag";
const SAME_STATE: &str = "revisions with the same state and blocked flag as the one before";
const STATE: &str = "System.State";
const CHANGED: &str = "System.ChangedDate";
const BLOCKED: &str = "Microsoft.VSTS.CMMI.Blocked";

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let doc = json::read(input, cx)?;
    let mut pages = Vec::new();
    let records = json::records(doc, &["value", "values"], &mut pages);
    if records.is_empty() {
        return Err(cx.err(
            Location::File,
            "no work item updates or revisions found (expected the JSON of _apis/wit/workItems/{id}/updates or /revisions: {\"count\": .., \"value\": [...]})",
        ));
    }
    let held = records.len() as u64;
    let revisions = records
        .iter()
        .all(|r| r.get("workItemId").is_none() && r.get("id").is_some() && r.get("rev").is_some());
    if revisions {
        read_revisions(&records, cx, out)?;
    } else {
        read_updates(records, cx, out)?;
    }
    let more = pages
        .iter()
        .any(|p| p.get("isLastBatch") == Some(&Value::Bool(false)));
    if more {
        out.page = Some(Page::of(
            "revisions",
            held,
            None,
            None,
            "azure-devops --org ORG --project PROJECT --wiql QUERY",
        ));
    }
    Ok(())
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

fn is_yes(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("yes"))
}

fn read_updates(mut updates: Vec<Value>, cx: &Context<'_>, out: &mut Export) -> Result<()> {
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
    for (n, u) in updates.iter().enumerate() {
        cx.control.check()?;
        out.begin_row();
        read_update(n, u, cx, out)?;
    }
    Ok(())
}

fn read_update(n: usize, u: &Value, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let Some(wid) = u.get("workItemId").and_then(Value::as_i64) else {
        return Err(cx.err(
            Location::At(format!("update {n}")),
            "the update has no workItemId (is this a revisions list mixed with updates?)",
        ));
    };
    let rev = u.get("rev").and_then(Value::as_i64).unwrap_or(0);
    let loc = Location::At(format!("work item {wid}, rev {rev}"));
    let empty = Map::new();
    let fields = u.get("fields").and_then(Value::as_object).unwrap_or(&empty);
    let item_type = text(new_value(fields, "System.WorkItemType")).unwrap_or_default();
    let item = out.row_item(&wid.to_string(), &item_type);
    out.set_title(item, text(new_value(fields, "System.Title")).as_deref());
    if let Some(who) = cx.person(text(new_value(fields, "System.AssignedTo")).as_deref()) {
        out.set_assignee(item, Some(&who));
    }
    let state = fields.get(STATE);
    let blocked = new_value(fields, BLOCKED)
        .map(is_yes)
        .or_else(|| fields.get(BLOCKED).map(|_| false));
    if state.is_none() && blocked.is_none() {
        out.skip_row(NO_CHANGE);
        return Ok(());
    }
    let when = text(new_value(fields, CHANGED))
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
    let (from, to) = match state {
        Some(s) => {
            let to = json::str_at(s, "/newValue").unwrap_or_default();
            if to.is_empty() {
                return Err(cx.err(loc, "System.State has no newValue"));
            }
            (
                json::str_at(s, "/oldValue").unwrap_or_default().to_owned(),
                to.to_owned(),
            )
        }
        // A flag change alone: the item stays where its last state change put it.
        None => match out.events.iter().rev().find(|e| e.item == item) {
            Some(e) => (e.to.clone(), e.to.clone()),
            None => {
                out.skip_row("blocked flag changes before any known state");
                return Ok(());
            }
        },
    };
    out.push(Event {
        item,
        at,
        from,
        to,
        blocked,
        actor,
        location: loc,
    });
    Ok(())
}

/// Revisions, grouped by work item and read in `rev` order: the first is the creation, each
/// later one whose state or blocked flag differs a move.
fn read_revisions(records: &[Value], cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let mut by_item: BTreeMap<i64, Vec<(i64, &Value)>> = BTreeMap::new();
    for (n, r) in records.iter().enumerate() {
        let Some(id) = r.get("id").and_then(Value::as_i64) else {
            return Err(cx.err(
                Location::At(format!("revision {n}")),
                "the revision has no numeric id",
            ));
        };
        let rev = r.get("rev").and_then(Value::as_i64).unwrap_or(0);
        by_item.entry(id).or_default().push((rev, r));
    }
    for (id, mut revs) in by_item {
        cx.control.check()?;
        revs.sort_by_key(|(rev, _)| *rev);
        let mut before: Option<(String, bool)> = None;
        for (rev, r) in revs {
            out.begin_row();
            before = read_revision(id, rev, r, before, cx, out)?;
        }
    }
    Ok(())
}

fn read_revision(
    id: i64,
    rev: i64,
    r: &Value,
    before: Option<(String, bool)>,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<Option<(String, bool)>> {
    let loc = Location::At(format!("work item {id}, rev {rev}"));
    let empty = Map::new();
    let fields = r.get("fields").and_then(Value::as_object).unwrap_or(&empty);
    let field = |k: &str| text(fields.get(k));
    let item = out.row_item(
        &id.to_string(),
        &field("System.WorkItemType").unwrap_or_default(),
    );
    out.set_title(item, field("System.Title").as_deref());
    if let Some(who) = cx.person(field("System.AssignedTo").as_deref()) {
        out.set_assignee(item, Some(&who));
    }
    let Some(state) = field(STATE).filter(|s| !s.is_empty()) else {
        return Err(cx.err(loc, "the revision has no System.State"));
    };
    let blocked = fields.get(BLOCKED).is_some_and(is_yes);
    let now = Some((state.clone(), blocked));
    if before == now {
        out.skip_row(SAME_STATE);
        return Ok(now);
    }
    let when = field(CHANGED)
        .ok_or_else(|| cx.err(loc.clone(), "the revision has no System.ChangedDate"))?;
    let at = parse_instant(&when, &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("System.ChangedDate: {m}")))?;
    let (from, flag) = match &before {
        None => (String::new(), blocked.then_some(true)),
        Some((s, b)) => (s.clone(), (*b != blocked).then_some(blocked)),
    };
    out.push(Event {
        item,
        at,
        from,
        to: state,
        blocked: flag,
        actor: cx.person(field("System.ChangedBy").as_deref()),
        location: loc,
    });
    Ok(now)
}
