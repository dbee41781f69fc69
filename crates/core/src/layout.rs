//! Where a stage sits on a value stream map when the user has not placed it.
//!
//! The rule (value stream mapping reads left to right): each stage goes in a column given by
//! its topological depth, the number of hand-offs on the longest chain of stages before it,
//! so every stage stands to the right of all the stages that feed it. Stages that share a
//! column are parallel branches and are stacked in rows; within a column they are ordered by
//! the mean row of the stages that feed them (which keeps branches straight and avoids
//! crossing arrows), then in the order the stream lists them. A stream without edges is a
//! line: one stage per column, all in row 0.
//!
//! The desktop canvas and the exports (SVG, PNG, PDF) share this rule, so a map looks the
//! same wherever it is drawn. Pure: no I/O.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::graph::Flow;
use crate::model::{Position, Stream};

/// Canvas distance between the left edges of two neighbouring columns.
pub const COLUMN_SPACING: f64 = 260.0;
/// Canvas distance between the top edges of two stacked rows.
pub const ROW_SPACING: f64 = 180.0;

/// The grid cell of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Slot {
    /// Topological depth: 0 for stages nothing flows into.
    pub column: u32,
    /// Place in the column's stack, 0 at the top.
    pub row: u32,
}

/// The grid of a stream: one slot per stage, in the stream's stage order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Grid {
    pub slots: Vec<Slot>,
    /// Number of columns (0 for a stream without stages).
    pub columns: u32,
    /// Rows of the tallest column (0 for a stream without stages).
    pub rows: u32,
}

impl Grid {
    /// Stage indices in column `c`, top to bottom.
    pub fn column(&self, c: u32) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.slots[i].column == c)
            .collect();
        v.sort_by_key(|&i| self.slots[i].row);
        v
    }
}

/// Columns by topological depth, parallel branches stacked. Fails on an edge to an unknown
/// stage or a cycle, as the flow graph does.
pub fn grid(stream: &Stream) -> Result<Grid> {
    let flow = Flow::of(stream)?;
    let n = stream.stages.len();
    let mut depth = vec![0u32; n];
    for &v in &flow.order {
        depth[v] = flow.preds[v]
            .iter()
            .map(|&p| depth[p] + 1)
            .max()
            .unwrap_or(0);
    }
    let columns = depth.iter().map(|d| d + 1).max().unwrap_or(0);
    let mut row = vec![0u32; n];
    let mut rows = 0u32;
    for c in 0..columns {
        let mut members: Vec<(f64, usize)> = (0..n)
            .filter(|&i| depth[i] == c)
            .map(|i| {
                let preds = &flow.preds[i];
                let mean = if preds.is_empty() {
                    // sources keep their listed order, after fed stages of the same column
                    f64::INFINITY
                } else {
                    preds.iter().map(|&p| f64::from(row[p])).sum::<f64>() / preds.len() as f64
                };
                (mean, i)
            })
            .collect();
        members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (r, &(_, i)) in members.iter().enumerate() {
            row[i] = r as u32;
        }
        rows = rows.max(members.len() as u32);
    }
    Ok(Grid {
        slots: (0..n)
            .map(|i| Slot {
                column: depth[i],
                row: row[i],
            })
            .collect(),
        columns,
        rows,
    })
}

/// Canvas position of every stage: its saved `position` where it has one, else its grid
/// cell at [`COLUMN_SPACING`] x [`ROW_SPACING`].
pub fn positions(stream: &Stream) -> Result<Vec<Position>> {
    let g = grid(stream)?;
    Ok(stream
        .stages
        .iter()
        .zip(&g.slots)
        .map(|(st, slot)| {
            st.position.unwrap_or(Position {
                x: f64::from(slot.column) * COLUMN_SPACING,
                y: f64::from(slot.row) * ROW_SPACING,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Stage, Urgency};

    fn stream(ids: &[&str], edges: &[(&str, &str)]) -> Stream {
        Stream {
            id: "s".into(),
            name: "s".into(),
            trigger: None,
            value: None,
            demand_per_week: 1.0,
            cost_of_delay_per_week: 0.0,
            urgency: Urgency::Standard,
            stages: ids
                .iter()
                .map(|id| Stage {
                    id: (*id).into(),
                    name: (*id).into(),
                    process_time: 1.0,
                    wait_time: 1.0,
                    pca: 1.0,
                    capacity: None,
                    team: None,
                    position: None,
                    uncertainty: None,
                    note: None,
                })
                .collect(),
            edges: edges
                .iter()
                .map(|(a, b)| Edge {
                    from: (*a).into(),
                    to: (*b).into(),
                })
                .collect(),
            arrivals: None,
        }
    }

    fn cells(g: &Grid) -> Vec<(u32, u32)> {
        g.slots.iter().map(|s| (s.column, s.row)).collect()
    }

    #[test]
    fn a_line_is_one_stage_per_column() {
        let g = grid(&stream(&["a", "b", "c"], &[])).unwrap();
        assert_eq!(cells(&g), vec![(0, 0), (1, 0), (2, 0)]);
        assert_eq!((g.columns, g.rows), (3, 1));
    }

    #[test]
    fn parallel_branches_share_a_column_and_stack() {
        // REFERENCE.md E4: Start, then B1 and B2 in parallel, both into End.
        let s = stream(
            &["start", "b1", "b2", "end"],
            &[
                ("start", "b1"),
                ("start", "b2"),
                ("b1", "end"),
                ("b2", "end"),
            ],
        );
        let g = grid(&s).unwrap();
        assert_eq!(cells(&g), vec![(0, 0), (1, 0), (1, 1), (2, 0)]);
        assert_eq!((g.columns, g.rows), (3, 2));
        assert_eq!(g.column(1), vec![1, 2]);
    }

    #[test]
    fn a_stage_stands_right_of_everything_that_feeds_it() {
        // a -> b -> c -> d and a -> d: d goes after c, not after a.
        let s = stream(
            &["d", "c", "b", "a"],
            &[("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")],
        );
        let g = grid(&s).unwrap();
        assert_eq!(cells(&g), vec![(3, 0), (2, 0), (1, 0), (0, 0)]);
    }

    #[test]
    fn branches_follow_the_row_of_what_feeds_them() {
        // Two chains a1 -> a2 and b1 -> b2, with b listed first in column 1.
        let s = stream(&["a1", "b1", "b2", "a2"], &[("a1", "a2"), ("b1", "b2")]);
        let g = grid(&s).unwrap();
        // a1 row 0, b1 row 1; a2 follows a1 (row 0) though b2 is listed before it.
        assert_eq!(cells(&g), vec![(0, 0), (0, 1), (1, 1), (1, 0)]);
    }

    #[test]
    fn saved_positions_win_over_the_grid() {
        let mut s = stream(&["a", "b"], &[]);
        s.stages[1].position = Some(Position { x: 5.0, y: 7.0 });
        let p = positions(&s).unwrap();
        assert_eq!(p[0], Position { x: 0.0, y: 0.0 });
        assert_eq!(p[1], Position { x: 5.0, y: 7.0 });
        let empty = grid(&stream(&[], &[])).unwrap();
        assert_eq!((empty.columns, empty.rows), (0, 0));
    }

    #[test]
    fn a_cycle_is_refused() {
        let s = stream(&["a", "b"], &[("a", "b"), ("b", "a")]);
        assert!(grid(&s).is_err());
    }
}
