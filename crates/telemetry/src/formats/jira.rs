//! Jira: the issues JSON with `expand=changelog` (status items of `changelog.histories`), the
//! Data Center data pipeline's `issue_history` CSV, and the plain issue CSV export (created
//! and resolved dates only, a fallback that says what it cannot measure).

use std::collections::HashMap;
use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use super::csv_util::{self, field, line_of};
use super::{Context, read_json};
use crate::error::{Location, Result};
use crate::event::{Event, Parsed};
use crate::time::{parse_instant, parse_jira_date};

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

/// A flag change seen before the item's status at that moment is known.
struct Flag {
    item: u32,
    at: i64,
    blocked: bool,
    actor: Option<String>,
    location: Location,
}

/// Turns flag changes into same-status events now that every status change is known.
fn resolve_flags(out: &mut Parsed, flags: Vec<Flag>) {
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
            Some(s) => out.events.push(Event {
                item: f.item,
                at: f.at,
                from: s.clone(),
                to: s,
                blocked: Some(f.blocked),
                actor: f.actor,
                location: f.location,
            }),
            None => lost += 1,
        }
    }
    if lost > 0 {
        out.notes.push(format!(
            "{lost} flag change(s) came before any known status of their item and were left out"
        ));
    }
}

fn is_flag(field: &str) -> bool {
    field.eq_ignore_ascii_case("flagged")
}

/// The issues of a search result (`{"issues": [...]}`), of several pages (an array of
/// them), or a bare array of issues.
fn issues_of(doc: Value) -> Vec<Value> {
    match doc {
        Value::Object(mut o) => match o.remove("issues") {
            Some(Value::Array(a)) => a,
            _ => vec![Value::Object(o)],
        },
        Value::Array(a) => a
            .into_iter()
            .flat_map(|v| match v {
                Value::Object(mut o) if o.contains_key("issues") => match o.remove("issues") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                },
                other => vec![other],
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn parse_json(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let doc: Value = read_json(input, cx)?;
    let issues = issues_of(doc);
    if issues.is_empty() {
        return Err(cx.err(
            Location::File,
            "no issues found (expected the JSON of /rest/api/2/search?expand=changelog: {\"issues\": [...]})",
        ));
    }
    let mut flags = Vec::new();
    for (n, v) in issues.into_iter().enumerate() {
        cx.control.check()?;
        out.rows += 1;
        let key_hint = v
            .get("key")
            .and_then(Value::as_str)
            .map_or(format!("issues[{n}]"), |k| format!("issue {k}"));
        let issue: Issue = serde_json::from_value(v).map_err(|e| {
            cx.err(
                Location::At(key_hint.clone()),
                format!("not a Jira issue: {e}"),
            )
        })?;
        let at_issue = Location::At(format!("issue {}", issue.key));
        let item_type = issue
            .fields
            .issuetype
            .as_ref()
            .map_or("issue", |t| t.name.as_str());
        let item = out.item(&issue.key, item_type);
        out.set_title(item, issue.fields.summary.as_deref());
        let who = issue
            .fields
            .assignee
            .as_ref()
            .and_then(|p| p.display_name.as_deref());
        if let Some(name) = cx.person(who) {
            out.set_assignee(item, Some(&name));
        }

        let mut histories = Vec::new();
        if let Some(cl) = &issue.changelog {
            if let Some(total) = cl.total
                && total > cl.histories.len() as u64
            {
                out.notes.push(format!(
                    "issue {}: the export holds {} of its {total} changes; fetch /rest/api/2/issue/{}/changelog for the rest",
                    issue.key,
                    cl.histories.len(),
                    issue.key
                ));
            }
            for h in &cl.histories {
                let id = h.id.as_ref().map_or(String::new(), |v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                let loc = Location::At(format!("issue {}, history {id}", issue.key));
                let at = parse_instant(&h.created, &cx.zone, true)
                    .map_err(|m| cx.err(loc.clone(), format!("created: {m}")))?;
                histories.push((at, loc, h));
            }
        }
        histories.sort_by_key(|(at, _, _)| *at);

        let first_from = histories.iter().find_map(|(_, _, h)| {
            h.items
                .iter()
                .find(|i| i.field.eq_ignore_ascii_case("status"))
                .map(|i| i.from_string.clone().unwrap_or_default())
        });
        let initial = first_from
            .filter(|s| !s.is_empty())
            .or_else(|| issue.fields.status.as_ref().map(|s| s.name.clone()));
        let Some(initial) = initial else {
            return Err(cx.err(at_issue, "the issue has no status and no status history"));
        };
        if let Some(created) = &issue.fields.created {
            let at = parse_instant(created, &cx.zone, true)
                .map_err(|m| cx.err(at_issue.clone(), format!("fields.created: {m}")))?;
            out.events.push(Event {
                item,
                at,
                from: String::new(),
                to: initial,
                blocked: None,
                actor: None,
                location: at_issue.clone(),
            });
        }
        for (at, loc, h) in histories {
            let actor = cx.person(h.author.as_ref().and_then(|a| a.display_name.as_deref()));
            for ci in &h.items {
                if ci.field.eq_ignore_ascii_case("status") {
                    let to = ci.to_string.clone().unwrap_or_default();
                    if to.is_empty() {
                        return Err(cx.err(loc, "a status change has no toString"));
                    }
                    out.events.push(Event {
                        item,
                        at,
                        from: ci.from_string.clone().unwrap_or_default(),
                        to,
                        blocked: None,
                        actor: actor.clone(),
                        location: loc.clone(),
                    });
                } else if is_flag(&ci.field) {
                    flags.push(Flag {
                        item,
                        at,
                        blocked: ci
                            .to_string
                            .as_deref()
                            .is_some_and(|s| !s.trim().is_empty()),
                        actor: actor.clone(),
                        location: loc.clone(),
                    });
                }
            }
        }
    }
    resolve_flags(out, flags);
    Ok(())
}

const HISTORY_REQUIRED: &[&str] = &[
    "issue_id",
    "created_date",
    "field",
    "from_string",
    "to_string",
];
const HISTORY_KNOWN: &[&str] = &[
    "issue_id",
    "changelog_id",
    "author_id",
    "author_key",
    "created_date",
    "field",
    "field_type",
    "from",
    "from_string",
    "to",
    "to_string",
    "additional_information",
    "issue_key",
    "issue_type",
];

pub(crate) fn parse_history_csv(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let cols = csv_util::columns(&mut rdr, cx, HISTORY_REQUIRED, HISTORY_KNOWN)?;
    let mut rec = csv::StringRecord::new();
    let mut flags = Vec::new();
    let mut ignored = 0u64;
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.rows += 1;
        let loc = Location::Line(line_of(&rec));
        let fname = field(&rec, &cols, "field");
        let status = fname.eq_ignore_ascii_case("status");
        if !status && !is_flag(fname) {
            ignored += 1;
            continue;
        }
        let key = match field(&rec, &cols, "issue_key") {
            "" => field(&rec, &cols, "issue_id"),
            k => k,
        };
        if key.is_empty() {
            return Err(cx.err(loc, "issue_id is empty"));
        }
        let at = parse_instant(field(&rec, &cols, "created_date"), &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("created_date: {m}")))?;
        let item = out.item(key, field(&rec, &cols, "issue_type"));
        let actor = cx.person(Some(field(&rec, &cols, "author_key")));
        if status {
            let to = field(&rec, &cols, "to_string");
            if to.is_empty() {
                return Err(cx.err(
                    loc,
                    format!("issue {key}: the status change has no to_string"),
                ));
            }
            out.events.push(Event {
                item,
                at,
                from: field(&rec, &cols, "from_string").to_owned(),
                to: to.to_owned(),
                blocked: None,
                actor,
                location: loc,
            });
        } else {
            flags.push(Flag {
                item,
                at,
                blocked: !field(&rec, &cols, "to_string").is_empty(),
                actor,
                location: loc,
            });
        }
    }
    resolve_flags(out, flags);
    if ignored > 0 {
        out.notes.push(format!(
            "{ignored} changes of other fields than status and Flagged were skipped"
        ));
    }
    out.limitations.push(
        "issue_history holds no creation dates: an item whose history begins in a committed status has no known start and is left out of flow times".into(),
    );
    if !cols.contains_key("issue_type") {
        out.limitations.push(
            "issue_history holds no issue types: every item is of type \"item\" (add an issue_type column from the issues file to map types)".into(),
        );
    }
    Ok(())
}

/// The synthetic status of an item of the plain CSV export between creation and resolution.
pub const CREATED: &str = "Created";

pub(crate) fn parse_issue_csv(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Parsed,
) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    // Jira repeats some columns (Sprint, Labels, ...): the first of each name counts.
    let header = rdr.headers().map_err(|e| csv_util::error(cx, e))?.clone();
    let mut cols: HashMap<String, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        cols.entry(name.trim().to_ascii_lowercase()).or_insert(i);
    }
    for need in ["issue key", "status", "created"] {
        if !cols.contains_key(need) {
            return Err(cx.err(
                Location::Line(1),
                format!(
                    "missing column {need:?}: this does not look like Jira's issue CSV export (Issue key, Issue Type, Status, Created, Resolved)"
                ),
            ));
        }
    }
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.rows += 1;
        let loc = Location::Line(line_of(&rec));
        let key = field(&rec, &cols, "issue key");
        if key.is_empty() {
            return Err(cx.err(loc, "Issue key is empty"));
        }
        let created = parse_jira_date(field(&rec, &cols, "created"), &cx.zone)
            .map_err(|m| cx.err(loc.clone(), format!("Created: {m}")))?;
        let item = out.item(key, field(&rec, &cols, "issue type"));
        out.set_title(item, Some(field(&rec, &cols, "summary")));
        if let Some(name) = cx.person(Some(field(&rec, &cols, "assignee"))) {
            out.set_assignee(item, Some(&name));
        }
        out.events.push(Event {
            item,
            at: created,
            from: String::new(),
            to: CREATED.into(),
            blocked: None,
            actor: None,
            location: loc.clone(),
        });
        let resolved = field(&rec, &cols, "resolved");
        if !resolved.is_empty() {
            let at = parse_jira_date(resolved, &cx.zone)
                .map_err(|m| cx.err(loc.clone(), format!("Resolved: {m}")))?;
            let status = field(&rec, &cols, "status");
            if status.is_empty() {
                return Err(cx.err(loc, format!("issue {key}: Status is empty")));
            }
            out.events.push(Event {
                item,
                at,
                from: CREATED.into(),
                to: status.to_owned(),
                blocked: None,
                actor: None,
                location: loc,
            });
        }
    }
    out.limitations.push(format!(
        "Jira's issue CSV holds no status history, only creation and resolution dates: every item is in status {CREATED:?} until it is resolved. Flow time runs from creation (map {CREATED:?} as waiting to read it as lead time, backlog included); time per status and stage, flow efficiency, blocked time, aging by stage and the cumulative flow by status cannot be measured. Export issues with their changelog (jira-json) to measure them."
    ));
    if !cx.zone.is_explicit() {
        out.notes.push(
            "the export's dates carry no time zone and were read as UTC; name the exporting user's time zone to read them exactly".into(),
        );
    }
    Ok(())
}
