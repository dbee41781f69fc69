//! The stage-dates CSV of flow-analytics tools (ActionableAgile's layout): an ID column,
//! optional Link and Name columns, one column per workflow stage in workflow order holding the
//! date the item entered it, then attribute columns (Type, components, labels, priority, ...).
//!
//! The stage columns are the run after ID/Link/Name whose every value is a date or empty, up
//! to the first attribute (a known attribute name, or a value that is not a date); or the
//! columns named with `--stages FROM..TO`. A skipped stage may be empty or back-filled with
//! the next stage's date: stages entered at the same time are read as one move, to the last
//! of them. A date before an earlier stage's quarantines the item.

use std::io::BufRead;

use super::csv_util::{self, line_of};
use super::{Context, Export};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::time::{format_instant, parse_instant};

const ID: &[&str] = &["id", "key", "item id", "item_id"];
const LINK: &[&str] = &["link", "url"];
const NAME: &[&str] = &["name", "title", "summary"];
const TYPE: &[&str] = &["type", "item type", "item_type", "issue type"];
/// Column names that are attributes of an item, never stages.
const ATTRIBUTES: &[&str] = &[
    "type",
    "item type",
    "item_type",
    "issue type",
    "components",
    "component",
    "fixversions",
    "fix versions",
    "fixversion",
    "labels",
    "label",
    "tags",
    "priority",
    "resolution",
    "team",
    "assignee",
    "reporter",
    "sprint",
    "epic",
    "epic link",
    "parent",
    "status",
    "blocked",
    "points",
    "story points",
    "estimate",
    "class of service",
    "project",
];

/// Which column is what.
struct Layout {
    id: usize,
    link: Option<usize>,
    name: Option<usize>,
    kind: Option<usize>,
    stages: Vec<(usize, String)>,
    attributes: Vec<String>,
}

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let header = rdr.headers().map_err(|e| csv_util::error(cx, e))?.clone();
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        cx.control.check()?;
        rows.push(rec.clone());
    }
    let layout = layout(&header, &rows, cx)?;
    out.workflow = layout.stages.iter().map(|(_, s)| s.clone()).collect();
    for rec in &rows {
        out.begin_row();
        row(rec, &layout, cx, out)?;
    }
    let mut limitation = String::from(
        "the stage-dates CSV holds one date per stage: moves back to an earlier stage, repeat visits and blocked time cannot be seen",
    );
    if !layout.attributes.is_empty() {
        limitation.push_str(&format!(
            " (attribute columns read as such, not as stages: {})",
            layout.attributes.join(", ")
        ));
    }
    out.limitations.push(limitation);
    Ok(())
}

fn lower(h: &str) -> String {
    h.trim().to_ascii_lowercase()
}

/// ID first, then Link, Name and Type in any order, then the stages, then attributes.
fn layout(
    header: &csv::StringRecord,
    rows: &[csv::StringRecord],
    cx: &Context<'_>,
) -> Result<Layout> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    if !names
        .first()
        .is_some_and(|h| ID.contains(&lower(h).as_str()))
    {
        return Err(cx.err(
            Location::Line(1),
            "the first column must be the item's ID (header ID), followed by optional Link and Name columns and one column per stage",
        ));
    }
    let mut l = Layout {
        id: 0,
        link: None,
        name: None,
        kind: None,
        stages: Vec::new(),
        attributes: Vec::new(),
    };
    let mut first_stage = 1;
    while let Some(h) = names.get(first_stage).map(|h| lower(h)) {
        let slot = if LINK.contains(&h.as_str()) {
            &mut l.link
        } else if NAME.contains(&h.as_str()) {
            &mut l.name
        } else if TYPE.contains(&h.as_str()) {
            &mut l.kind
        } else {
            break;
        };
        if slot.is_some() {
            return Err(cx.err(Location::Line(1), format!("column {h:?} appears twice")));
        }
        *slot = Some(first_stage);
        first_stage += 1;
    }
    let (from, to) = stage_span(&names, first_stage, rows, cx)?;
    for (i, h) in names.iter().enumerate().take(to + 1).skip(from) {
        if h.is_empty() {
            return Err(cx.err(Location::Line(1), format!("column {} has no name", i + 1)));
        }
        if l.stages.iter().any(|(_, s)| s.eq_ignore_ascii_case(h)) {
            return Err(cx.err(
                Location::Line(1),
                format!("stage column {h:?} appears twice"),
            ));
        }
        l.stages.push((i, h.clone()));
    }
    for (i, h) in names.iter().enumerate().skip(to + 1) {
        if TYPE.contains(&lower(h).as_str()) && l.kind.is_none() {
            l.kind = Some(i);
        }
        l.attributes.push(h.clone());
    }
    Ok(l)
}

/// The first and last stage column: named with `--stages`, or detected.
fn stage_span(
    names: &[String],
    first: usize,
    rows: &[csv::StringRecord],
    cx: &Context<'_>,
) -> Result<(usize, usize)> {
    if let Some((a, b)) = &cx.select.stages {
        let find = |want: &str| {
            names
                .iter()
                .position(|h| h.eq_ignore_ascii_case(want.trim()))
                .ok_or_else(|| {
                    cx.err(
                        Location::Line(1),
                        format!(
                            "--stages: there is no column {want:?} (the columns are {})",
                            names.join(", ")
                        ),
                    )
                })
        };
        let (from, to) = (find(a)?, find(b)?);
        if from < first || to < from {
            return Err(cx.err(
                Location::Line(1),
                format!(
                    "--stages {a}..{b}: the stages must come after ID, Link and Name, first to last"
                ),
            ));
        }
        return Ok((from, to));
    }
    // A stage column holds dates, or values that look like dates (digits and date signs)
    // and are refused with their line; a column of words is an attribute.
    let looks_like_date = |v: &str| {
        v.starts_with(|c: char| c.is_ascii_digit())
            && v.chars()
                .all(|c| c.is_ascii_digit() || "-./: TZ+".contains(c))
    };
    let is_stage = |col: usize| {
        rows.iter().all(|r| {
            let v = r.get(col).map_or("", str::trim);
            v.is_empty() || looks_like_date(v) || parse_instant(v, &cx.zone, true).is_ok()
        })
    };
    let mut end = first;
    while end < names.len() && !ATTRIBUTES.contains(&lower(&names[end]).as_str()) && is_stage(end) {
        end += 1;
    }
    if end == first {
        return Err(cx.err(
            Location::Line(1),
            match names.get(first) {
                Some(h) => format!(
                    "there are no stage columns after ID, Link and Name: column {h:?} holds values that are not dates (name the stages with --stages FROM..TO)"
                ),
                None => "there are no stage columns after ID, Link and Name".to_owned(),
            },
        ));
    }
    Ok((first, end - 1))
}

fn get(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| rec.get(i)).map_or("", str::trim)
}

/// One item: a move into each stage it has a date for.
fn row(rec: &csv::StringRecord, l: &Layout, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let loc = Location::Line(line_of(rec));
    let key = get(rec, Some(l.id));
    if key.is_empty() {
        return Err(cx.err(loc, "the ID is empty"));
    }
    let item = out.row_item(key, get(rec, l.kind));
    out.set_title(item, Some(get(rec, l.name)));
    out.set_link(item, Some(get(rec, l.link)));
    let mut dated: Vec<(&str, i64)> = Vec::new();
    for (col, stage) in &l.stages {
        let text = rec.get(*col).map_or("", str::trim);
        if text.is_empty() {
            continue;
        }
        let at = parse_instant(text, &cx.zone, true)
            .map_err(|m| cx.err(loc.clone(), format!("item {key:?}, column {stage:?}: {m}")))?;
        if let Some(&(p, pat)) = dated.last()
            && at < pat
        {
            out.quarantined(
                item,
                loc.clone(),
                format!(
                    "item {key:?} entered {stage:?} ({}) before {p:?} ({}); stage columns must be in workflow order and their dates must not go back",
                    format_instant(at),
                    format_instant(pat)
                ),
            );
        }
        // Back-filled (or same-time) stages: one move, to the last of them.
        match dated.last_mut() {
            Some(last) if last.1 == at => *last = (stage, at),
            _ => dated.push((stage, at)),
        }
    }
    let mut prev = String::new();
    for (stage, at) in dated {
        out.push(Event {
            item,
            at,
            from: std::mem::replace(&mut prev, stage.to_owned()),
            to: stage.to_owned(),
            blocked: None,
            actor: None,
            location: loc.clone(),
        });
    }
    Ok(())
}
