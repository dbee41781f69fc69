//! The neutral events CSV: `item_id,item_type,timestamp,from_state,to_state`, with optional
//! `title` and `blocked` columns. An empty `from_state` means the item was created.

use std::io::BufRead;

use super::csv_util::{self, field, line_of};
use super::{Context, Export};
use crate::error::{Location, Result};
use crate::event::Event;
use crate::time::parse_instant;

const REQUIRED: &[&str] = &[
    "item_id",
    "item_type",
    "timestamp",
    "from_state",
    "to_state",
];
const KNOWN: &[&str] = &[
    "item_id",
    "item_type",
    "timestamp",
    "from_state",
    "to_state",
    "title",
    "blocked",
];

pub(crate) fn parse(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let cols = csv_util::columns(&mut rdr, cx, REQUIRED, KNOWN)?;
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        let line = line_of(&rec);
        let at = Location::Line(line);
        out.begin_row();
        let id = field(&rec, &cols, "item_id");
        if id.is_empty() {
            return Err(cx.err(at, "item_id is empty"));
        }
        let ts = field(&rec, &cols, "timestamp");
        let ms = parse_instant(ts, &cx.zone, false)
            .map_err(|m| cx.err(at.clone(), format!("timestamp: {m}")))?;
        let to = field(&rec, &cols, "to_state");
        if to.is_empty() {
            return Err(cx.err(at, format!("item {id:?}: to_state is empty")));
        }
        let blocked = parse_bool(field(&rec, &cols, "blocked"))
            .map_err(|m| cx.err(at.clone(), format!("blocked: {m}")))?;
        let item = out.row_item(id, field(&rec, &cols, "item_type"));
        out.set_title(item, Some(field(&rec, &cols, "title")));
        out.push(Event {
            item,
            at: ms,
            from: field(&rec, &cols, "from_state").to_owned(),
            to: to.to_owned(),
            blocked,
            actor: None,
            location: at,
        });
    }
    Ok(())
}

/// `true`/`false` (also yes/no, 1/0), or empty for "not said".
pub(crate) fn parse_bool(s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "1" | "y" => Ok(Some(true)),
        "false" | "no" | "0" | "n" => Ok(Some(false)),
        other => Err(format!("{other:?} is not true or false")),
    }
}
