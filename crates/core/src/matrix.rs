//! The PBC x stage dependency matrix, and what each PBC costs each stream in time.
//!
//! "Time added" is the sum of a PBC's contributions on a stream's stages. "Lead time impact"
//! is how much shorter the stream's lead time would be without those contributions: less than
//! the time added where the PBC sits off the critical path, because a parallel branch then
//! sets the pace.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::graph::Flow;
use crate::model::Model;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct DependencyMatrix {
    /// Rows: PBCs in the model's order.
    pub pbcs: Vec<MatrixPbc>,
    /// Columns: every stage of every stream, streams in order, stages in order.
    pub stages: Vec<MatrixStage>,
    /// Non-empty cells only (the matrix is sparse).
    pub cells: Vec<MatrixCell>,
    /// Per PBC and stream it serves.
    pub impacts: Vec<PbcImpact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MatrixPbc {
    pub id: String,
    pub name: String,
    pub kind: crate::model::PbcKind,
    pub lifecycle: crate::model::Lifecycle,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MatrixStage {
    pub stream: String,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MatrixCell {
    /// Index into `pbcs`.
    pub row: u32,
    /// Index into `stages`.
    pub column: u32,
    pub process_time: f64,
    pub wait_time: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct PbcImpact {
    pub pbc: String,
    pub stream: String,
    /// Stages of the stream the PBC serves.
    pub stages: u32,
    pub process_time: f64,
    pub wait_time: f64,
    /// Reduction of the stream's lead time if this PBC added no time.
    pub lead_time_impact: f64,
}

pub fn dependency_matrix(model: &Model) -> Result<DependencyMatrix> {
    let pbc_row: HashMap<&str, usize> = model
        .pbcs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut stages = Vec::new();
    let mut column: HashMap<(&str, &str), usize> = HashMap::new();
    for s in &model.streams {
        for st in &s.stages {
            column.insert((&s.id, &st.id), stages.len());
            stages.push(MatrixStage {
                stream: s.id.clone(),
                id: st.id.clone(),
                name: st.name.clone(),
            });
        }
    }
    let mut cells = Vec::with_capacity(model.assignments.len());
    for a in &model.assignments {
        if let (Some(&row), Some(&col)) = (
            pbc_row.get(a.pbc.as_str()),
            column.get(&(a.stream.as_str(), a.stage.as_str())),
        ) {
            cells.push(MatrixCell {
                row: row as u32,
                column: col as u32,
                process_time: a.process_time,
                wait_time: a.wait_time,
            });
        }
    }
    cells.sort_by_key(|c| (c.row, c.column));
    Ok(DependencyMatrix {
        pbcs: model
            .pbcs
            .iter()
            .map(|p| MatrixPbc {
                id: p.id.clone(),
                name: p.name.clone(),
                kind: p.kind,
                lifecycle: p.lifecycle,
            })
            .collect(),
        stages,
        cells,
        impacts: impacts(model)?,
    })
}

/// One assignment's share: (stage index, process time, wait time).
type Part = (usize, f64, f64);

/// For every (PBC, stream) pair with assignments: time added and lead-time impact.
pub fn impacts(model: &Model) -> Result<Vec<PbcImpact>> {
    let mut out = Vec::new();
    let pbc_order: HashMap<&str, usize> = model
        .pbcs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for stream in &model.streams {
        let flow = Flow::of(stream)?;
        let index: HashMap<&str, usize> = stream
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        // Full stage lead times, and each PBC's share per stage.
        let mut lead: Vec<f64> = stream
            .stages
            .iter()
            .map(|s| s.process_time + s.wait_time)
            .collect();
        let mut by_pbc: HashMap<&str, Vec<Part>> = HashMap::new();
        for a in model.assignments.iter().filter(|a| a.stream == stream.id) {
            if let Some(&i) = index.get(a.stage.as_str()) {
                lead[i] += a.process_time + a.wait_time;
                by_pbc
                    .entry(a.pbc.as_str())
                    .or_default()
                    .push((i, a.process_time, a.wait_time));
            }
        }
        let (_, full) = flow.longest_path(&lead);
        let mut pbcs: Vec<(&str, Vec<Part>)> = by_pbc.into_iter().collect();
        pbcs.sort_by_key(|(id, _)| pbc_order.get(id).copied().unwrap_or(usize::MAX));
        for (pbc, parts) in pbcs {
            let mut without = lead.clone();
            let (mut pt, mut wt) = (0.0, 0.0);
            for &(i, p, w) in &parts {
                without[i] -= p + w;
                pt += p;
                wt += w;
            }
            let (_, reduced) = flow.longest_path(&without);
            out.push(PbcImpact {
                pbc: pbc.to_owned(),
                stream: stream.id.clone(),
                stages: parts.len() as u32,
                process_time: pt,
                wait_time: wt,
                lead_time_impact: full - reduced,
            });
        }
    }
    Ok(out)
}
