//! Jira's CSV exports: the Data Center data pipeline's `issue_history` CSV (one row per changed
//! field), and the plain issue CSV export (created and resolved dates only, a fallback that
//! says what it cannot measure).

use std::collections::HashMap;
use std::io::BufRead;

use super::csv_util::{self, field, line_of};
use super::jira::{Flag, is_flag, resolve_flags};
use super::{Context, Export};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::time::{parse_instant, parse_jira_date};

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

const OTHER_FIELDS: &str = "changes of other fields than status and Flagged";

pub(crate) fn parse_history_csv(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let cols = csv_util::columns(&mut rdr, cx, HISTORY_REQUIRED, HISTORY_KNOWN)?;
    let mut rec = csv::StringRecord::new();
    let mut flags = Vec::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.begin_row();
        history_row(&rec, &cols, cx, out, &mut flags)?;
    }
    resolve_flags(out, flags);
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

fn history_row(
    rec: &csv::StringRecord,
    cols: &HashMap<String, usize>,
    cx: &Context<'_>,
    out: &mut Export,
    flags: &mut Vec<Flag>,
) -> Result<()> {
    let loc = Location::Line(line_of(rec));
    let fname = field(rec, cols, "field");
    let status = fname.eq_ignore_ascii_case("status");
    if !status && !is_flag(fname) {
        out.skip_row(OTHER_FIELDS);
        return Ok(());
    }
    let key = match field(rec, cols, "issue_key") {
        "" => field(rec, cols, "issue_id"),
        k => k,
    };
    if key.is_empty() {
        return Err(cx.err(loc, "issue_id is empty"));
    }
    let at = parse_instant(field(rec, cols, "created_date"), &cx.zone, true)
        .map_err(|m| cx.err(loc.clone(), format!("created_date: {m}")))?;
    let item = out.row_item(key, field(rec, cols, "issue_type"));
    let actor = cx.person(Some(field(rec, cols, "author_key")));
    if !status {
        flags.push(Flag {
            item,
            row: out.row(),
            at,
            blocked: !field(rec, cols, "to_string").is_empty(),
            actor,
            location: loc,
        });
        return Ok(());
    }
    let to = field(rec, cols, "to_string");
    if to.is_empty() {
        return Err(cx.err(
            loc,
            format!("issue {key}: the status change has no to_string"),
        ));
    }
    out.push(Event {
        item,
        at,
        from: field(rec, cols, "from_string").to_owned(),
        to: to.to_owned(),
        blocked: None,
        actor,
        location: loc,
    });
    Ok(())
}

/// The synthetic status of an item of the plain CSV export between creation and resolution.
pub const CREATED: &str = "Created";

pub(crate) fn parse_issue_csv(
    input: &mut dyn BufRead,
    cx: &Context<'_>,
    out: &mut Export,
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
        out.begin_row();
        issue_row(&rec, &cols, cx, out)?;
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

fn issue_row(
    rec: &csv::StringRecord,
    cols: &HashMap<String, usize>,
    cx: &Context<'_>,
    out: &mut Export,
) -> Result<()> {
    let loc = Location::Line(line_of(rec));
    let key = field(rec, cols, "issue key");
    if key.is_empty() {
        return Err(cx.err(loc, "Issue key is empty"));
    }
    let created = parse_jira_date(field(rec, cols, "created"), &cx.zone)
        .map_err(|m| cx.err(loc.clone(), format!("Created: {m}")))?;
    let item = out.row_item(key, field(rec, cols, "issue type"));
    out.set_title(item, Some(field(rec, cols, "summary")));
    if let Some(name) = cx.person(Some(field(rec, cols, "assignee"))) {
        out.set_assignee(item, Some(&name));
    }
    out.push(Event {
        item,
        at: created,
        from: String::new(),
        to: CREATED.into(),
        blocked: None,
        actor: None,
        location: loc.clone(),
    });
    let resolved = field(rec, cols, "resolved");
    if resolved.is_empty() {
        return Ok(());
    }
    let at = parse_jira_date(resolved, &cx.zone)
        .map_err(|m| cx.err(loc.clone(), format!("Resolved: {m}")))?;
    let status = field(rec, cols, "status");
    if status.is_empty() {
        return Err(cx.err(loc, format!("issue {key}: Status is empty")));
    }
    out.push(Event {
        item,
        at,
        from: CREATED.into(),
        to: status.to_owned(),
        blocked: None,
        actor: None,
        location: loc,
    });
    Ok(())
}
