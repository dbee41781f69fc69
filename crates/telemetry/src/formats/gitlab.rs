//! GitLab resource events of issues, merge requests and epics: state events
//! (`resource_state_events`: opened, closed, reopened, merged) and label events
//! (`resource_label_events`: add, remove), as a flat array or as `{"issues", "state_events",
//! "label_events"}` (the issues, or merge requests, give title, link and creation).
//!
//! A board's workflow is modelled with scoped labels, so the raw status of an item is its
//! `workflow::` label while it is open, "opened" without one, and "closed" (or "merged") once
//! closed. An item is created at its issue's `created_at`, else at its `opened` state event;
//! an item with neither is seen "opened" from its first event (its start is then unknown unless
//! "opened" is mapped to new). A "type::" label (or a label named in the mapping's `[types]`) is
//! its item type; a "blocked" label is the blocked flag. Items are keyed by resource type and
//! GitLab's id (`Issue 253`, `MergeRequest 28`), which both shapes carry.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use serde_json::Value;

use super::{Context, Export, json};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::time::parse_instant;

pub const OPENED: &str = "opened";

/// One event of an item, with its place in the file.
struct Ev<'v> {
    at: i64,
    order: i64,
    row: u32,
    v: &'v Value,
    loc: Location,
}

/// An item's resource type and id.
type Key = (String, i64);

fn prefixed(label: &str, prefix: &str) -> bool {
    label.len() > prefix.len()
        && label
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn is_workflow(label: &str) -> bool {
    prefixed(label, "workflow::")
}

fn is_type(label: &str) -> bool {
    prefixed(label, "type::")
}

/// The issues (or merge requests) and the events of a file.
fn split(doc: Value) -> (Vec<Value>, Vec<Value>) {
    match doc {
        Value::Array(a) => (Vec::new(), a),
        Value::Object(mut o) => {
            let mut take = |k: &str| match o.remove(k) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let mut items = take("issues");
            items.extend(take("merge_requests"));
            let mut ev = take("state_events");
            ev.extend(take("label_events"));
            (items, ev)
        }
        _ => (Vec::new(), Vec::new()),
    }
}

fn kind_of_issue(i: &Value) -> &'static str {
    if i.get("merged_at").is_some() || i.get("source_branch").is_some() {
        "MergeRequest"
    } else {
        "Issue"
    }
}

pub(crate) fn parse_events(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let (issues, events) = split(json::read(input, cx)?);
    if events.is_empty() {
        return Err(cx.err(
            Location::File,
            "no events found (expected an array of GitLab resource_state_events and resource_label_events)",
        ));
    }
    // Issues, when given, name the items and say when they were created.
    let mut known: HashMap<Key, (u32, &Value)> = HashMap::new();
    for i in &issues {
        let row = out.begin_row();
        if let Some(id) = i.get("id").and_then(Value::as_i64) {
            known.insert((kind_of_issue(i).to_owned(), id), (row, i));
        }
    }
    let by_item = group(&events, cx, out)?;
    let mut seen = Seen::default();
    for (key, evs) in by_item {
        cx.control.check()?;
        let issue = known.get(&key).copied();
        read_item(&key, issue, evs, cx, out, &mut seen)?;
    }
    for (row, _) in known.values() {
        if out.row_item.get(*row as usize).is_some_and(Option::is_none) {
            out.skip_row_at(*row, "issues without events");
        }
    }
    if !seen.blocked {
        out.notes
            .push("no \"blocked\" label was seen: blocked time is not known".into());
    }
    if !seen.workflow {
        out.notes.push(
            "no workflow:: label was seen: items are \"opened\" until they are closed (GitLab boards' lists are read from scoped workflow:: labels)".into(),
        );
    }
    Ok(())
}

/// Each event with its time, by item, in time order (ids order events of the same time).
fn group<'v>(
    events: &'v [Value],
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<BTreeMap<Key, Vec<Ev<'v>>>> {
    let mut by_item: BTreeMap<Key, Vec<Ev<'v>>> = BTreeMap::new();
    for (n, v) in events.iter().enumerate() {
        cx.control.check()?;
        let row = out.begin_row();
        let loc = Location::At(format!(
            "event {n} (id {})",
            v.get("id").map_or("?".into(), Value::to_string)
        ));
        let Some(rid) = v.get("resource_id").and_then(Value::as_i64) else {
            return Err(cx.err(loc, "the event has no resource_id"));
        };
        let rtype = json::str_at(v, "/resource_type")
            .unwrap_or("Issue")
            .to_owned();
        let created = json::str_at(v, "/created_at").unwrap_or_default();
        let at = parse_instant(created, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
        if v.get("state").is_none() && v.get("action").is_none() {
            return Err(cx.err(
                loc,
                "neither a state event (\"state\") nor a label event (\"label\", \"action\")",
            ));
        }
        let order = v.get("id").and_then(Value::as_i64).unwrap_or(n as i64);
        by_item.entry((rtype, rid)).or_default().push(Ev {
            at,
            order,
            row,
            v,
            loc,
        });
    }
    for evs in by_item.values_mut() {
        evs.sort_by_key(|e| (e.at, e.order));
    }
    Ok(by_item)
}

/// What the whole file showed, for its notes.
#[derive(Default)]
struct Seen {
    blocked: bool,
    workflow: bool,
}

/// The item's type: a `type::` label, or a label the mapping names, seen on it.
fn item_type(issue: Option<&Value>, evs: &[Ev<'_>], rtype: &str, cx: &Context<'_>) -> String {
    let mut labels: Vec<&str> = Vec::new();
    if let Some(ls) = issue
        .and_then(|i| i.get("labels"))
        .and_then(Value::as_array)
    {
        labels.extend(ls.iter().filter_map(Value::as_str));
    }
    labels.extend(evs.iter().filter_map(|e| json::str_at(e.v, "/label/name")));
    labels
        .iter()
        .find(|l| is_type(l))
        .or_else(|| labels.iter().find(|l| cx.mapping.kind_of(l).is_some()))
        .map_or_else(|| rtype.to_owned(), |l| (*l).to_owned())
}

/// The state machine of one item: open or closed, and its workflow label.
struct Machine {
    item: u32,
    status: Option<String>,
    workflow: Option<String>,
    closed: Option<String>,
}

/// Where an event is: its row, time and place.
struct At {
    row: u32,
    at: i64,
    loc: Location,
}

impl Machine {
    fn next(&self) -> String {
        self.closed
            .clone()
            .or_else(|| self.workflow.clone())
            .unwrap_or_else(|| OPENED.to_owned())
    }

    /// Records a move from the current status (created when there is none) to `to`.
    fn emit(
        &mut self,
        out: &mut Export,
        at: At,
        to: &str,
        blocked: Option<bool>,
        actor: Option<String>,
    ) {
        let from = self.status.replace(to.to_owned()).unwrap_or_default();
        out.push_from(
            at.row,
            Event {
                item: self.item,
                at: at.at,
                from,
                to: to.to_owned(),
                blocked,
                actor,
                location: at.loc,
            },
        );
    }
}

fn read_item(
    key: &Key,
    issue: Option<(u32, &Value)>,
    evs: Vec<Ev<'_>>,
    cx: &Context<'_>,
    out: &mut Export,
    seen: &mut Seen,
) -> Result<()> {
    let (rtype, rid) = key;
    let id = format!("{rtype} {rid}");
    let item = out
        .parsed
        .item(&id, &item_type(issue.map(|i| i.1), &evs, rtype, cx));
    let mut m = Machine {
        item,
        status: None,
        workflow: None,
        closed: None,
    };
    if let Some((row, i)) = issue {
        out.assign(row, item);
        out.set_title(item, i.get("title").and_then(Value::as_str));
        out.set_link(item, i.get("web_url").and_then(Value::as_str));
        if let Some(created) = i.get("created_at").and_then(Value::as_str) {
            let loc = Location::At(format!("issue {id}"));
            let at = parse_instant(created, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("created_at: {m}")))?;
            m.emit(out, At { row, at, loc }, OPENED, None, None);
        }
    }
    for e in evs {
        out.assign(e.row, item);
        step(e, cx, out, &mut m, seen)?;
    }
    Ok(())
}

/// One event through the item's state machine.
fn step(
    e: Ev<'_>,
    cx: &Context<'_>,
    out: &mut Export,
    m: &mut Machine,
    seen: &mut Seen,
) -> Result<()> {
    let actor = cx.person(json::str_at(e.v, "/user/username"));
    let at = At {
        row: e.row,
        at: e.at,
        loc: e.loc.clone(),
    };
    let mut blocked = None;
    if let Some(state) = e.v.get("state").and_then(Value::as_str) {
        match state {
            "closed" | "merged" => m.closed = Some(state.to_owned()),
            "reopened" | "opened" => m.closed = None,
            other => return Err(cx.err(e.loc, format!("unknown state {other:?}"))),
        }
        if state == OPENED && m.status.is_none() {
            // The item is created by its opened event.
            m.emit(out, at, OPENED, None, actor);
            return Ok(());
        }
    } else {
        let name = json::str_at(e.v, "/label/name").unwrap_or_default();
        let add = match e.v.get("action").and_then(Value::as_str) {
            Some("add") => true,
            Some("remove") => false,
            other => return Err(cx.err(e.loc, format!("unknown label action {other:?}"))),
        };
        if is_workflow(name) {
            seen.workflow = true;
            if add {
                m.workflow = Some(name.to_owned());
            } else if m.workflow.as_deref() == Some(name) {
                m.workflow = None;
            }
        } else if name.eq_ignore_ascii_case("blocked") {
            blocked = Some(add);
            seen.blocked = true;
        }
    }
    let next = m.next();
    if m.status.is_none() {
        // Seen for the first time without a creation: it was open already.
        m.status = Some(OPENED.into());
        m.emit(out, at, &next, blocked, actor);
    } else if m.status.as_deref() != Some(next.as_str()) || blocked.is_some() {
        m.emit(out, at, &next, blocked, actor);
    } else {
        out.skip_row_at(
            e.row,
            "events that change neither the status nor the blocked flag",
        );
    }
    Ok(())
}
