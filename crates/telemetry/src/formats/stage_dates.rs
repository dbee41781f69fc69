//! The stage-dates CSV of flow-analytics tools: an ID column, optional Link, Name and Type
//! columns, then one column per workflow stage, in workflow order, holding the date the item
//! entered it (empty when it skipped the stage).

use std::io::BufRead;

use super::Context;
use super::csv_util::{self, line_of};
use crate::error::{Location, Result};
use crate::event::{Event, Parsed};
use crate::time::{format_instant, parse_instant};

const ID: &[&str] = &["id", "key", "item id", "item_id"];
const LINK: &[&str] = &["link", "url"];
const NAME: &[&str] = &["name", "title", "summary"];
const TYPE: &[&str] = &["type", "item type", "item_type"];

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Parsed) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let header = rdr.headers().map_err(|e| csv_util::error(cx, e))?.clone();
    let (mut id, mut link, mut name, mut kind) = (None, None, None, None);
    let mut stages: Vec<(usize, String)> = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let h = raw.trim();
        let lower = h.to_ascii_lowercase();
        let slot = if i == 0 && ID.contains(&lower.as_str()) {
            &mut id
        } else if LINK.contains(&lower.as_str()) {
            &mut link
        } else if NAME.contains(&lower.as_str()) {
            &mut name
        } else if TYPE.contains(&lower.as_str()) {
            &mut kind
        } else {
            if h.is_empty() {
                return Err(cx.err(Location::Line(1), format!("column {} has no name", i + 1)));
            }
            if stages.iter().any(|(_, s)| s.eq_ignore_ascii_case(h)) {
                return Err(cx.err(
                    Location::Line(1),
                    format!("stage column {h:?} appears twice"),
                ));
            }
            stages.push((i, h.to_owned()));
            continue;
        };
        if slot.is_some() {
            return Err(cx.err(Location::Line(1), format!("column {h:?} appears twice")));
        }
        *slot = Some(i);
    }
    let Some(id) = id else {
        return Err(cx.err(
            Location::Line(1),
            "the first column must be the item's ID (header ID), followed by optional Link and Name columns and one column per stage",
        ));
    };
    if stages.is_empty() {
        return Err(cx.err(
            Location::Line(1),
            "there are no stage columns after ID, Link and Name",
        ));
    }
    let get = |rec: &csv::StringRecord, i: Option<usize>| {
        i.and_then(|i| rec.get(i)).map_or("", str::trim).to_owned()
    };
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.rows += 1;
        let loc = Location::Line(line_of(&rec));
        let key = get(&rec, Some(id));
        if key.is_empty() {
            return Err(cx.err(loc, "the ID is empty"));
        }
        let item = out.item(&key, &get(&rec, kind));
        out.set_title(item, Some(&get(&rec, name)));
        out.set_link(item, Some(&get(&rec, link)));
        let mut prev: Option<(&str, i64)> = None;
        for (col, stage) in &stages {
            let text = rec.get(*col).map_or("", str::trim);
            if text.is_empty() {
                continue;
            }
            let at = parse_instant(text, &cx.zone, true)
                .map_err(|m| cx.err(loc.clone(), format!("item {key:?}, column {stage:?}: {m}")))?;
            if let Some((p, pat)) = prev
                && at < pat
            {
                return Err(cx.err(
                    loc,
                    format!(
                        "item {key:?} entered {stage:?} ({}) before {p:?} ({}); stage columns must be in workflow order and their dates must not go back",
                        format_instant(at),
                        format_instant(pat)
                    ),
                ));
            }
            out.events.push(Event {
                item,
                at,
                from: prev.map_or(String::new(), |(p, _)| p.to_owned()),
                to: stage.clone(),
                blocked: None,
                actor: None,
                location: loc.clone(),
            });
            prev = Some((stage, at));
        }
    }
    out.limitations.push(
        "the stage-dates CSV holds one date per stage: moves back to an earlier stage, repeat visits and blocked time cannot be seen".into(),
    );
    Ok(())
}
