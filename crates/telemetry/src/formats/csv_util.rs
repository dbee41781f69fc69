//! CSV plumbing shared by the CSV formats: header checks and errors that name the line.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use super::Context;
use crate::error::{Error, Location, Result};

pub(crate) fn reader(input: &mut dyn BufRead) -> csv::Reader<&mut dyn BufRead> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input)
}

/// A csv error as an input error naming the line.
pub(crate) fn error(cx: &Context<'_>, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(source) => super::io(cx, source),
        csv::ErrorKind::Utf8 { pos, err } => cx.err(
            pos.map_or(Location::File, |p| Location::Line(p.line())),
            format!(
                "field {} is not UTF-8 text (is this a binary file or another encoding? save it as UTF-8)",
                err.field() + 1
            ),
        ),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => cx.err(
            pos.map_or(Location::File, |p| Location::Line(p.line())),
            format!("the row has {len} fields but the header has {expected_len}"),
        ),
        other => cx.err(
            line.map_or(Location::File, Location::Line),
            format!("{other:?}"),
        ),
    }
}

/// The header's columns by lower-case name. Refuses a column not in `known` (unless
/// `known` is empty), a missing `required` column, and a name given twice.
pub(crate) fn columns(
    rdr: &mut csv::Reader<&mut dyn BufRead>,
    cx: &Context<'_>,
    required: &[&str],
    known: &[&str],
) -> Result<HashMap<String, usize>> {
    let header = rdr.headers().map_err(|e| error(cx, e))?.clone();
    let mut cols = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let key = name.trim().to_ascii_lowercase();
        if !known.is_empty() && !known.contains(&key.as_str()) {
            return Err(cx.err(
                Location::Line(1),
                format!(
                    "unknown column {:?} (column {}); the columns are {}",
                    name.trim(),
                    i + 1,
                    known.join(", ")
                ),
            ));
        }
        if cols.insert(key, i).is_some() {
            return Err(cx.err(
                Location::Line(1),
                format!("column {:?} appears twice", name.trim()),
            ));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !cols.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(cx.err(
            Location::Line(1),
            format!(
                "missing column{} {} (the header is: {})",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                header.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    Ok(cols)
}

/// A field by column, `""` when the column is absent.
pub(crate) fn field<'r>(
    rec: &'r csv::StringRecord,
    cols: &HashMap<String, usize>,
    name: &str,
) -> &'r str {
    cols.get(name)
        .and_then(|&i| rec.get(i))
        .map_or("", str::trim)
}

pub(crate) fn line_of(rec: &csv::StringRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// The first rows of a CSV file as text, for the app's import preview.
pub(crate) fn raw_preview(path: &Path, rows: usize) -> Result<Vec<Vec<String>>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let mut out = Vec::new();
    for rec in rdr.records().take(rows + 1) {
        match rec {
            Ok(r) => out.push(r.iter().map(str::to_owned).collect()),
            Err(_) => break,
        }
    }
    Ok(out)
}
