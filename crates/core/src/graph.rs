//! The flow graph of a stream (petgraph) and its critical path.
//!
//! A stream without edges is a line in the listed order. With edges, the stages form a
//! directed acyclic graph with branches and merges; the critical path is the longest path by
//! stage lead time, which is what an item waits for when parallel branches join.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::Stream;

/// The flow of one stream: stages (by index into `stream.stages`) in topological order,
/// with each stage's predecessors.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Stage indices in an order where every stage comes after its predecessors.
    pub order: Vec<usize>,
    /// `preds[i]`: indices of the stages that flow into stage `i`.
    pub preds: Vec<Vec<usize>>,
    /// `succs[i]`: indices of the stages stage `i` flows into.
    pub succs: Vec<Vec<usize>>,
}

impl Flow {
    /// Builds the flow graph; fails on edges to unknown stages and on cycles.
    pub fn of(stream: &Stream) -> Result<Flow> {
        let n = stream.stages.len();
        if stream.edges.is_empty() {
            let order: Vec<usize> = (0..n).collect();
            let preds = (0..n)
                .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
                .collect();
            let succs = (0..n)
                .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
                .collect();
            return Ok(Flow {
                order,
                preds,
                succs,
            });
        }

        let index: HashMap<&str, usize> = stream
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(n, stream.edges.len());
        let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
        let mut preds = vec![Vec::new(); n];
        let mut succs = vec![Vec::new(); n];
        for edge in &stream.edges {
            let lookup = |id: &str| {
                index.get(id).copied().ok_or_else(|| {
                    Error::NotFound(format!(
                        "stage {id:?} (in an edge {:?} -> {:?}) in stream {:?}",
                        edge.from, edge.to, stream.id
                    ))
                })
            };
            let (a, b) = (lookup(&edge.from)?, lookup(&edge.to)?);
            if a == b {
                return Err(Error::Cycle {
                    stream: stream.id.clone(),
                    stages: vec![edge.from.clone(), edge.to.clone()],
                });
            }
            graph.add_edge(nodes[a], nodes[b], ());
            preds[b].push(a);
            succs[a].push(b);
        }
        match toposort(&graph, None) {
            Ok(sorted) => Ok(Flow {
                order: sorted.into_iter().map(|n| graph[n]).collect(),
                preds,
                succs,
            }),
            Err(_) => Err(Error::Cycle {
                stream: stream.id.clone(),
                stages: describe_cycle(stream, &graph),
            }),
        }
    }

    /// Whether work can flow from stage `from` to stage `to` (a stage reaches itself).
    pub fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![false; self.succs.len()];
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            if v == to {
                return true;
            }
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            stack.extend(&self.succs[v]);
        }
        false
    }

    /// The longest path by `weight` (one weight per stage) from a stage with no
    /// predecessors to a stage with no successors, and its total. Ties go to the earlier
    /// stage in the stream's list, so the answer is stable.
    pub fn longest_path(&self, weight: &[f64]) -> (Vec<usize>, f64) {
        let n = self.preds.len();
        if n == 0 {
            return (Vec::new(), 0.0);
        }
        let mut dist = vec![0.0_f64; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        for &v in &self.order {
            let mut best: Option<usize> = None;
            for &u in &self.preds[v] {
                best = match best {
                    Some(b) if dist[b] > dist[u] || (dist[b] == dist[u] && b < u) => Some(b),
                    _ => Some(u),
                };
            }
            dist[v] = weight[v] + best.map_or(0.0, |b| dist[b]);
            via[v] = best;
        }
        let mut end = 0;
        let mut found = false;
        for v in 0..n {
            if !self.succs[v].is_empty() {
                continue;
            }
            if !found || dist[v] > dist[end] {
                end = v;
                found = true;
            }
        }
        let mut path = vec![end];
        let mut cur = end;
        while let Some(p) = via[cur] {
            path.push(p);
            cur = p;
        }
        path.reverse();
        (path, dist[end])
    }
}

/// The stages of one cycle, in flow order, closed with the first stage again.
fn describe_cycle(stream: &Stream, graph: &DiGraph<usize, ()>) -> Vec<String> {
    for scc in tarjan_scc(graph) {
        if scc.len() < 2 {
            continue;
        }
        // Walk the cycle from the earliest listed stage, staying inside the component.
        let inside: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
        let Some(&start) = scc.iter().min_by_key(|n| graph[**n]) else {
            continue;
        };
        let mut walk = vec![start];
        let mut cur = start;
        loop {
            let next = graph
                .neighbors(cur)
                .filter(|n| inside.contains(n))
                .min_by_key(|n| {
                    // prefer closing the loop, then unvisited stages in list order
                    if *n == start {
                        (0, 0)
                    } else if walk.contains(n) {
                        (2, graph[*n])
                    } else {
                        (1, graph[*n])
                    }
                });
            match next {
                Some(n) if n == start => break,
                Some(n) if !walk.contains(&n) => {
                    walk.push(n);
                    cur = n;
                }
                _ => break,
            }
        }
        walk.push(start);
        return walk
            .into_iter()
            .map(|n| stream.stages[graph[n]].id.clone())
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Stage, Stream, Urgency};

    fn stage(id: &str) -> Stage {
        Stage {
            id: id.into(),
            name: id.into(),
            process_time: 1.0,
            wait_time: 0.0,
            pca: 1.0,
            capacity: None,
            team: None,
            position: None,
            uncertainty: None,
            note: None,
        }
    }

    fn stream(ids: &[&str], edges: &[(&str, &str)]) -> Stream {
        Stream {
            id: "s".into(),
            name: "s".into(),
            trigger: None,
            value: None,
            demand_per_week: 1.0,
            cost_of_delay_per_week: 0.0,
            urgency: Urgency::Standard,
            stages: ids.iter().map(|i| stage(i)).collect(),
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

    #[test]
    fn a_stream_without_edges_is_a_line() {
        let f = Flow::of(&stream(&["a", "b", "c"], &[])).unwrap();
        assert_eq!(f.order, vec![0, 1, 2]);
        assert_eq!(f.preds[2], vec![1]);
        let (path, total) = f.longest_path(&[1.0, 2.0, 3.0]);
        assert_eq!(path, vec![0, 1, 2]);
        assert_eq!(total, 6.0);
    }

    #[test]
    fn the_longest_branch_is_the_critical_path() {
        // a -> b -> d and a -> c -> d; c is longer.
        let s = stream(
            &["a", "b", "c", "d"],
            &[("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")],
        );
        let f = Flow::of(&s).unwrap();
        let (path, total) = f.longest_path(&[1.0, 2.0, 5.0, 1.0]);
        assert_eq!(path, vec![0, 2, 3]);
        assert_eq!(total, 7.0);
        // On a tie the earlier-listed branch wins.
        let (path, _) = f.longest_path(&[1.0, 5.0, 5.0, 1.0]);
        assert_eq!(path, vec![0, 1, 3]);
    }

    #[test]
    fn reachability_follows_the_flow() {
        let s = stream(&["a", "b", "c", "d"], &[("a", "b"), ("a", "c"), ("b", "d")]);
        let f = Flow::of(&s).unwrap();
        assert!(f.reaches(0, 3));
        assert!(f.reaches(2, 2));
        assert!(!f.reaches(2, 3));
        assert!(!f.reaches(3, 0));
    }

    #[test]
    fn a_cycle_is_named_stage_by_stage() {
        let s = stream(&["a", "b", "c"], &[("a", "b"), ("b", "c"), ("c", "b")]);
        match Flow::of(&s) {
            Err(Error::Cycle { stream, stages }) => {
                assert_eq!(stream, "s");
                assert_eq!(stages, vec!["b", "c", "b"]);
            }
            other => panic!("expected a cycle, got {other:?}"),
        }
        let s = stream(&["a"], &[("a", "a")]);
        assert!(matches!(Flow::of(&s), Err(Error::Cycle { .. })));
    }

    #[test]
    fn an_edge_to_an_unknown_stage_is_named() {
        let s = stream(&["a", "b"], &[("a", "zz")]);
        let err = Flow::of(&s).unwrap_err().to_string();
        assert!(err.contains("\"zz\""), "{err}");
    }
}
