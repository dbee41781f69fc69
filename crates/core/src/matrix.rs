//! The PBC x stage dependency matrix, and what each PBC costs each stream in time.
//!
//! "Time added" is the sum of a PBC's contributions on a stream's stages. "Lead time impact"
//! is how much shorter the stream's lead time would be without those contributions: less than
//! the time added where the PBC sits off the critical path, because a parallel branch then
//! sets the pace.

use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::graph::Flow;
use crate::model::{IntegrationStyle, Model};

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

impl MatrixCell {
    /// Process + wait time the PBC adds at the stage.
    pub fn time_added(&self) -> f64 {
        self.process_time + self.wait_time
    }
}

impl PbcImpact {
    /// Process + wait time the PBC adds on the stream's stages.
    pub fn time_added(&self) -> f64 {
        self.process_time + self.wait_time
    }
}

impl DependencyMatrix {
    /// The columns of the stream's stages, in flow order.
    pub fn columns_of(&self, stream: &str) -> Vec<usize> {
        (0..self.stages.len())
            .filter(|&c| self.stages[c].stream == stream)
            .collect()
    }

    /// The rows of the PBCs that serve at least one stage of the stream, in the model's order.
    pub fn rows_serving(&self, stream: &str) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .cells
            .iter()
            .filter(|c| self.stages[c.column as usize].stream == stream)
            .map(|c| c.row as usize)
            .collect();
        rows.dedup(); // cells are sorted by row
        rows
    }

    /// The PBC that costs the stream the most lead time, if any costs it some; ties go to the
    /// PBC first in the model.
    pub fn largest_impact(&self, stream: &str) -> Option<&PbcImpact> {
        self.impacts
            .iter()
            .filter(|i| i.stream == stream && i.lead_time_impact > 0.0)
            .reduce(|best, i| {
                if i.lead_time_impact > best.lead_time_impact {
                    i
                } else {
                    best
                }
            })
    }

    /// The time each PBC adds over every stage it serves (process + wait), by row.
    pub fn time_added_by_row(&self) -> Vec<f64> {
        let mut total = vec![0.0; self.pbcs.len()];
        for c in &self.cells {
            total[c.row as usize] += c.time_added();
        }
        total
    }
}

/// The batch integrations that touch a PBC serving the stream (candidates for events or
/// APIs).
pub fn batch_integrations(model: &Model, stream: &str) -> usize {
    let serving: HashSet<&str> = model
        .assignments
        .iter()
        .filter(|a| a.stream == stream)
        .map(|a| a.pbc.as_str())
        .collect();
    model
        .integrations
        .iter()
        .filter(|i| {
            i.style == IntegrationStyle::Batch
                && (serving.contains(i.from.as_str()) || serving.contains(i.to.as_str()))
        })
        .count()
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::tests::e1;
    use serde_json::json;

    /// E1 (stream s, four stages in a line) and a one-stage stream t; PBCs a, b, c, d in
    /// that order: a adds 2 + 6 h at Assess and 0 + 4 h at Approve, c 1 + 0 h at Fulfil,
    /// b 3 + 3 h on t; d serves nowhere.
    fn model() -> Model {
        let mut m = e1();
        let mut t = m.streams[0].clone();
        (t.id, t.name) = ("t".into(), "T".into());
        t.stages.truncate(1);
        t.stages[0].id = "x".into();
        m.streams.push(t);
        let pbcs = ["a", "b", "c", "d"].map(|id| json!({"id": id, "name": id.to_uppercase()}));
        m.pbcs = serde_json::from_value(json!(pbcs)).unwrap();
        let parts = [
            ("a", "s", "assess", 2.0, 6.0),
            ("a", "s", "approve", 0.0, 4.0),
            ("c", "s", "fulfil", 1.0, 0.0),
            ("b", "t", "x", 3.0, 3.0),
        ]
        .map(|(pbc, stream, stage, pt, wt)| {
            json!({"pbc": pbc, "stream": stream, "stage": stage,
                "process_time": pt, "wait_time": wt})
        });
        m.assignments = serde_json::from_value(json!(parts)).unwrap();
        m
    }

    #[test]
    fn who_serves_a_stream_and_what_it_costs() {
        let m = model();
        let dm = dependency_matrix(&m).unwrap();
        assert_eq!(dm.columns_of("s"), vec![0, 1, 2, 3]);
        assert_eq!(dm.columns_of("t"), vec![4]);
        assert_eq!(dm.rows_serving("s"), vec![0, 2], "a and c");
        assert_eq!(dm.rows_serving("t"), vec![1], "b");
        // on a line every hour a PBC adds is lead time: a 2 + 6 + 0 + 4 = 12 h, c 1 h
        let top = dm.largest_impact("s").unwrap();
        assert_eq!((top.pbc.as_str(), top.time_added()), ("a", 12.0));
        assert_eq!(top.lead_time_impact, 12.0);
        // a's cells: 2 + 6 h at Assess, 0 + 4 h at Approve
        let a: Vec<f64> = dm
            .cells
            .iter()
            .filter(|c| c.row == 0)
            .map(|c| c.time_added())
            .collect();
        assert_eq!(a, vec![8.0, 4.0]);
        // rows a, b, c, d: 12, 6, 1 and 0 h over every stage they serve
        assert_eq!(dm.time_added_by_row(), vec![12.0, 6.0, 1.0, 0.0]);
    }

    #[test]
    fn the_largest_impact_goes_to_the_first_pbc_on_a_tie() {
        let mut m = model();
        // c now adds 12 h as well (at Fulfil): a, first in the model, is named
        m.assignments[2].wait_time = 11.0;
        let dm = dependency_matrix(&m).unwrap();
        assert_eq!(dm.largest_impact("s").unwrap().pbc, "a");
        // no PBC on t adds lead time: none is named
        m.assignments[3].process_time = 0.0;
        m.assignments[3].wait_time = 0.0;
        assert!(dependency_matrix(&m).unwrap().largest_impact("t").is_none());
    }

    #[test]
    fn batch_integrations_that_touch_a_stream() {
        let mut m = model();
        // a serves s, b serves t, c serves s; 3 is not a batch
        let links = [("1", "a", "d", "batch"), ("2", "d", "b", "batch")]
            .into_iter()
            .chain([("3", "c", "a", "events"), ("4", "d", "c", "batch")])
            .map(|(id, from, to, style)| json!({"id": id, "from": from, "to": to, "style": style}))
            .collect::<Vec<_>>();
        m.integrations = serde_json::from_value(json!(links)).unwrap();
        assert_eq!(batch_integrations(&m, "s"), 2);
        assert_eq!(batch_integrations(&m, "t"), 1);
        assert_eq!(batch_integrations(&m, "nowhere"), 0);
    }
}
