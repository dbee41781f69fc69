//! The PBC x stage dependency matrix of the stream (PBCs down and stages across, or turned
//! for long streams and split in chunks of columns), and what each PBC costs it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tributary_core::format::{money, number};
use tributary_core::matrix::DependencyMatrix;

use super::Subject;
use super::words::{dur, kind_name, lifecycle_name};

/// Most columns of one matrix table.
const MATRIX_COLUMNS: usize = 12;

#[derive(Debug, Serialize)]
pub struct MatrixData {
    pub headline: String,
    pub subtitle: String,
    /// "pbc-rows" (PBCs down, stages across) or "stage-rows" for long streams.
    pub orientation: &'static str,
    /// Chunks of columns so wide matrices split across pages cleanly.
    pub tables: Vec<MatrixTable>,
    pub impacts: Vec<Vec<String>>,
    pub empty: bool,
}

#[derive(Debug, Serialize)]
pub struct MatrixTable {
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub label: String,
    pub kind: String,
    pub cells: Vec<String>,
}

/// The stream's part of the matrix: its stages' columns, the PBCs that serve them, and the
/// text of each cell by (PBC row, the stage's place in the stream).
struct Grid<'a> {
    dm: &'a DependencyMatrix,
    cols: Vec<usize>,
    rows: Vec<usize>,
    cell: BTreeMap<(usize, usize), String>,
}

impl Grid<'_> {
    fn of<'a>(dm: &'a DependencyMatrix, stream: &str) -> Grid<'a> {
        let cols = dm.columns_of(stream);
        let place: HashMap<usize, usize> = cols.iter().enumerate().map(|(k, &c)| (c, k)).collect();
        let mut cell = BTreeMap::new();
        for c in &dm.cells {
            if let Some(&k) = place.get(&(c.column as usize)) {
                cell.insert(
                    (c.row as usize, k),
                    format!("{} / {}", number(c.process_time), number(c.wait_time)),
                );
            }
        }
        Grid {
            dm,
            cols,
            rows: dm.rows_serving(stream),
            cell,
        }
    }

    fn text(&self, r: usize, k: usize) -> String {
        self.cell.get(&(r, k)).cloned().unwrap_or_default()
    }

    fn stage(&self, k: usize) -> String {
        self.dm.stages[self.cols[k]].name.clone()
    }

    /// PBCs down, stages across: one table.
    fn by_pbc(&self) -> Vec<MatrixTable> {
        vec![MatrixTable {
            corner: "PBC \\ stage".into(),
            columns: (0..self.cols.len()).map(|k| self.stage(k)).collect(),
            rows: self
                .rows
                .iter()
                .map(|&r| MatrixRow {
                    label: self.dm.pbcs[r].name.clone(),
                    kind: kind_name(self.dm.pbcs[r].kind).to_owned(),
                    cells: (0..self.cols.len()).map(|k| self.text(r, k)).collect(),
                })
                .collect(),
        }]
    }

    /// Long streams: stages down the page (rows paginate), PBCs across in chunks.
    fn by_stage(&self) -> Vec<MatrixTable> {
        self.rows
            .chunks(MATRIX_COLUMNS)
            .map(|chunk| MatrixTable {
                corner: "Stage \\ PBC".into(),
                columns: chunk
                    .iter()
                    .map(|&r| self.dm.pbcs[r].name.clone())
                    .collect(),
                rows: (0..self.cols.len())
                    .filter(|&k| chunk.iter().any(|&r| self.cell.contains_key(&(r, k))))
                    .map(|k| MatrixRow {
                        label: self.stage(k),
                        kind: String::new(),
                        cells: chunk.iter().map(|&r| self.text(r, k)).collect(),
                    })
                    .collect(),
            })
            .collect()
    }
}

pub fn matrix_data(s: &Subject, dm: &DependencyMatrix) -> MatrixData {
    let u = s.unit();
    let grid = Grid::of(dm, &s.stream.id);
    let (orientation, tables) = if grid.cols.len() <= MATRIX_COLUMNS {
        ("pbc-rows", grid.by_pbc())
    } else {
        ("stage-rows", grid.by_stage())
    };
    let serving = grid.rows.len();
    let headline = match dm.largest_impact(&s.stream.id) {
        Some(top) => format!(
            "{serving} PBCs serve this stream; {} costs it the most lead time ({})",
            s.model
                .pbc(&top.pbc)
                .map_or(top.pbc.clone(), |p| p.name.clone()),
            dur(top.lead_time_impact, u)
        ),
        None => format!("{serving} PBCs serve this stream"),
    };
    MatrixData {
        headline,
        subtitle: format!(
            "PBC × stage dependency matrix: each cell is the process / wait time ({u}) the PBC adds at the stage"
        ),
        orientation,
        tables,
        impacts: impact_rows(s, dm),
        empty: serving == 0,
    }
}

/// One row per PBC serving the stream: what it is and the time it costs the stream.
fn impact_rows(s: &Subject, dm: &DependencyMatrix) -> Vec<Vec<String>> {
    let model = s.model;
    dm.impacts
        .iter()
        .filter(|i| i.stream == s.stream.id)
        .map(|i| {
            let p = model.pbc(&i.pbc);
            vec![
                p.map_or(i.pbc.clone(), |p| p.name.clone()),
                p.map_or("", |p| kind_name(p.kind)).to_owned(),
                p.map_or("", |p| lifecycle_name(p.lifecycle)).to_owned(),
                p.and_then(|p| p.domain.clone())
                    .unwrap_or_else(|| "—".into()),
                i.stages.to_string(),
                dur(i.time_added(), s.unit()),
                dur(i.lead_time_impact, s.unit()),
                p.map_or(String::new(), |p| money(p.annual_run_cost, s.currency())),
            ]
        })
        .collect()
}
