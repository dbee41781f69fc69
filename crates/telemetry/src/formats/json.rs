//! JSON plumbing shared by the JSON formats: errors that name the line and column, the list
//! a response wraps (one page, an array of pages, or a bare array), and small field readers.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::Context;
use crate::error::{Error, Location, Result};

/// A serde_json error as an input error naming the line and column.
pub(crate) fn error(cx: &Context<'_>, e: serde_json::Error) -> Error {
    if e.is_io() {
        if cx.control.cancelled() {
            return Error::Cancelled;
        }
        return Error::Io {
            path: cx.path.to_owned(),
            source: e.into(),
        };
    }
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "the JSON ends too early (is the file cut short?)",
        _ => "not the expected JSON",
    };
    let text = e.to_string();
    // serde_json appends " at line L column C"; the location says it already.
    let detail = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(head, _)| head);
    cx.err(
        Location::Line(e.line() as u64),
        format!("column {}: {what}: {detail}", e.column()),
    )
}

/// Reads a whole JSON document. An API documentation example (`{"responses": {"200":
/// {"body": ...}}}`, as Microsoft's REST specs keep them) is read as the body it shows.
pub(crate) fn read(reader: &mut dyn BufRead, cx: &Context<'_>) -> Result<Value> {
    let doc: Value = serde_json::from_reader(reader).map_err(|e| error(cx, e))?;
    Ok(match doc {
        Value::Object(mut o) if o.contains_key("responses") && o.contains_key("parameters") => {
            match o
                .remove("responses")
                .and_then(|mut r| r.get_mut("200").map(Value::take))
                .and_then(|mut ok| ok.get_mut("body").map(Value::take))
            {
                Some(body) => body,
                None => Value::Object(o),
            }
        }
        other => other,
    })
}

/// The records of a response: `doc[key]` of one page, of each page of an array of pages, or a
/// bare array of records. `pages` receives each page object (without the list) so that the
/// caller can read `total`, `startAt` or `nextLink`.
pub(crate) fn records(
    doc: Value,
    keys: &[&str],
    pages: &mut Vec<Map<String, Value>>,
) -> Vec<Value> {
    let take = |mut o: Map<String, Value>, pages: &mut Vec<Map<String, Value>>| {
        let list = keys.iter().find_map(|k| match o.remove(*k) {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        });
        match list {
            Some(a) => {
                pages.push(o);
                a
            }
            None => vec![Value::Object(o)],
        }
    };
    match doc {
        Value::Object(o) => take(o, pages),
        Value::Array(a) => a
            .into_iter()
            .flat_map(|v| match v {
                Value::Object(o) if keys.iter().any(|k| o.contains_key(*k)) => take(o, pages),
                Value::Array(inner) => inner,
                other => vec![other],
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A string field at a JSON pointer.
pub(crate) fn str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// An id given as a string or a number, as text.
pub(crate) fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A count given as a number (or a numeric string).
pub(crate) fn count(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
