//! Spreadsheets of stages and PBCs, as workshops and application-portfolio tools export them
//! (`.xlsx` or `.csv`): find the header row, propose which column is which from the header
//! names (any case, common synonyms), and read the rows with the chosen columns.

use serde::{Deserialize, Serialize};
use tributary_core::model::{Pbc, Stage};

use crate::error::{Error, Result};
use crate::fields::{self, normalize};
use crate::import::{Ids, apply, pbc_errors, stage_errors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    /// From a file name's extension.
    pub fn of_name(name: &str) -> Option<SheetFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            Some(SheetFormat::Xlsx)
        } else if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
            Some(SheetFormat::Csv)
        } else {
            None
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    StageName,
    ProcessTime,
    WaitTime,
    /// Percent complete and accurate, as a percentage or a fraction.
    Pca,
    Capacity,
    PbcName,
    Domain,
    /// The owning team (of a stage or a PBC).
    Owner,
    Kind,
    Lifecycle,
    RunCost,
}

impl Column {
    /// The property key the value is read as (the same tables as ArchiMate properties).
    fn key(self) -> &'static str {
        match self {
            Column::ProcessTime => "Process time",
            Column::WaitTime => "Wait time",
            Column::Pca => "%C&A",
            Column::Capacity => "Capacity",
            Column::Owner => "Owner",
            Column::Domain => "Domain",
            Column::Kind => "Kind",
            Column::Lifecycle => "Lifecycle",
            Column::RunCost => "Annual run cost",
            Column::StageName | Column::PbcName => "Name",
        }
    }

    fn is_stage(self) -> bool {
        matches!(
            self,
            Column::ProcessTime | Column::WaitTime | Column::Pca | Column::Capacity
        )
    }
}

const STAGE_NAMES: &[&str] = &[
    "stage",
    "stagename",
    "step",
    "stepname",
    "processstep",
    "activity",
    "valuestreamstage",
];
const PBC_NAMES: &[&str] = &[
    "pbc",
    "pbcname",
    "capability",
    "capabilityname",
    "application",
    "applicationname",
    "app",
    "component",
    "componentname",
    "system",
    "systemname",
    "displayname",
    "factsheet",
];

/// The column a header names, if any.
pub fn column_of(header: &str) -> Option<Column> {
    let h = normalize(header);
    if STAGE_NAMES.contains(&h.as_str()) {
        return Some(Column::StageName);
    }
    if PBC_NAMES.contains(&h.as_str()) {
        return Some(Column::PbcName);
    }
    let stage = |c: Column| fields::find(fields::STAGE, header).is_some_and(|f| f.key == c.key());
    let pbc = |c: Column| fields::find(fields::PBC, header).is_some_and(|f| f.key == c.key());
    [
        Column::ProcessTime,
        Column::WaitTime,
        Column::Pca,
        Column::Capacity,
    ]
    .into_iter()
    .find(|&c| stage(c))
    .or_else(|| {
        [
            Column::Owner,
            Column::Domain,
            Column::Kind,
            Column::Lifecycle,
            Column::RunCost,
        ]
        .into_iter()
        .find(|&c| pbc(c))
    })
}

/// Which column is which: given by the user, or proposed by [`inspect`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnMap {
    /// The sheet of a workbook (the first when not given).
    pub sheet: Option<String>,
    /// 0-based row of the headers; data follow it.
    pub header_row: usize,
    /// (column index, what it holds).
    pub columns: Vec<(usize, Column)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetInfo {
    pub name: String,
    pub header_row: usize,
    pub headers: Vec<String>,
    /// Rows below the header row.
    pub rows: usize,
    pub proposed: ColumnMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetImport {
    pub stages: Vec<Stage>,
    pub pbcs: Vec<Pbc>,
    /// Values left out (not a number, out of range), each naming its row and column.
    pub warnings: Vec<String>,
}

type Grid = Vec<Vec<String>>;

fn sheets(bytes: &[u8], format: SheetFormat) -> Result<Vec<(String, Grid)>> {
    match format {
        SheetFormat::Csv => Ok(vec![("CSV".to_owned(), csv_grid(bytes)?)]),
        SheetFormat::Xlsx => xlsx_grids(bytes),
    }
}

fn csv_grid(bytes: &[u8]) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(char::from(*d)).count())
        .unwrap_or(b',');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::Sheet(e.to_string()))?;
        out.push(rec.iter().map(|s| s.trim().to_owned()).collect());
    }
    Ok(out)
}

fn cell(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => fields::fmt(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn xlsx_grids(bytes: &[u8]) -> Result<Vec<(String, Grid)>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Sheet(format!("not an .xlsx workbook: {e}")))?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Error::Sheet(format!("sheet {name:?}: {e}")))?;
        out.push((
            name,
            range.rows().map(|r| r.iter().map(cell).collect()).collect(),
        ));
    }
    Ok(out)
}

/// The row (of the first twenty) naming the most known columns.
fn header_row(grid: &Grid) -> usize {
    let score = |r: &Vec<String>| r.iter().filter(|h| column_of(h).is_some()).count();
    let mut best = (0, 0);
    for (i, r) in grid.iter().take(20).enumerate() {
        if score(r) > best.1 {
            best = (i, score(r));
        }
    }
    best.0
}

fn propose(headers: &[String]) -> Vec<(usize, Column)> {
    let mut cols: Vec<(usize, Column)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(c) = column_of(h)
            && !cols.iter().any(|(_, x)| *x == c)
        {
            cols.push((i, c));
        }
    }
    // A plain "Name" column names stages when there are stage figures, else PBCs.
    if let Some(i) = headers.iter().position(|h| normalize(h) == "name") {
        let stages = cols.iter().any(|(_, c)| c.is_stage());
        let want = if stages {
            Column::StageName
        } else {
            Column::PbcName
        };
        if !cols.iter().any(|(_, c)| *c == want) {
            cols.push((i, want));
        }
    }
    cols.sort_by_key(|(i, _)| *i);
    cols
}

/// The sheets, their header rows and the proposed columns.
pub fn inspect(bytes: &[u8], format: SheetFormat) -> Result<Vec<SheetInfo>> {
    Ok(sheets(bytes, format)?
        .into_iter()
        .map(|(name, grid)| {
            let h = header_row(&grid);
            let headers = grid.get(h).cloned().unwrap_or_default();
            SheetInfo {
                proposed: ColumnMap {
                    sheet: Some(name.clone()),
                    header_row: h,
                    columns: propose(&headers),
                },
                rows: grid.len().saturating_sub(h + 1),
                header_row: h,
                headers,
                name,
            }
        })
        .collect())
}

/// Reads stages and PBCs from the rows below the header with the given columns.
pub fn read(bytes: &[u8], format: SheetFormat, map: &ColumnMap) -> Result<SheetImport> {
    let all = sheets(bytes, format)?;
    let grid = match &map.sheet {
        Some(s) => all
            .into_iter()
            .find(|(n, _)| n == s)
            .map(|x| x.1)
            .ok_or_else(|| Error::Sheet(format!("the workbook has no sheet {s:?}")))?,
        None => all.into_iter().next().map(|x| x.1).unwrap_or_default(),
    };
    let headers = grid.get(map.header_row).cloned().unwrap_or_default();
    let col = |c: Column| map.columns.iter().find(|(_, x)| *x == c).map(|(i, _)| *i);
    let mut out = SheetImport {
        stages: Vec::new(),
        pbcs: Vec::new(),
        warnings: Vec::new(),
    };
    let (mut stage_ids, mut pbc_ids) = (Ids::default(), Ids::default());
    for (r, row) in grid.iter().enumerate().skip(map.header_row + 1) {
        let at = |i: Option<usize>| i.and_then(|i| row.get(i)).map(String::as_str).unwrap_or("");
        let props = |stage: bool| -> Vec<(String, String)> {
            map.columns
                .iter()
                .filter(|(_, c)| !matches!(c, Column::StageName | Column::PbcName))
                .filter(|(_, c)| {
                    if stage {
                        c.is_stage() || *c == Column::Owner
                    } else {
                        !c.is_stage()
                    }
                })
                .filter(|(i, _)| !at(Some(*i)).is_empty())
                .map(|(i, c)| (c.key().to_owned(), at(Some(*i)).to_owned()))
                .collect()
        };
        let place = |i: Option<usize>| {
            format!(
                "row {}, column {:?}",
                r + 1,
                i.and_then(|i| headers.get(i)).map_or("", |h| h.as_str())
            )
        };
        let name = at(col(Column::StageName));
        if !name.is_empty() {
            let mut s = Stage::new(stage_ids.take(None, name, "stage"), name, 0.0, 0.0);
            apply(
                &mut s,
                &props(true),
                fields::STAGE.iter(),
                &stage_errors,
                &place(col(Column::StageName)),
                &mut out.warnings,
            );
            out.stages.push(s);
        }
        let name = at(col(Column::PbcName));
        if !name.is_empty() {
            let mut p = Pbc::new(pbc_ids.take(None, name, "pbc"), name);
            apply(
                &mut p,
                &props(false),
                fields::PBC.iter(),
                &pbc_errors,
                &place(col(Column::PbcName)),
                &mut out.warnings,
            );
            out.pbcs.push(p);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_in_any_spelling() {
        assert_eq!(column_of("Process Time (h)"), Some(Column::ProcessTime));
        assert_eq!(column_of("WAIT_TIME"), Some(Column::WaitTime));
        assert_eq!(column_of("% C&A"), Some(Column::Pca));
        assert_eq!(column_of("Application Name"), Some(Column::PbcName));
        assert_eq!(column_of("Annual Run Cost (EUR)"), Some(Column::RunCost));
        assert_eq!(column_of("TIME"), Some(Column::Lifecycle));
        assert_eq!(column_of("Responsible Team"), Some(Column::Owner));
        assert_eq!(column_of("Colour"), None);
    }
}
