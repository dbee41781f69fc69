//! The difference of two models as the deltas that turn the first into the second, in the
//! engine's edit format: the store applies them, with their undo record, as one step (a
//! version restored, a merge, a conflict resolved). Applying them gives the second model
//! exactly, order of every list included.

use tributary_core::Model;
use tributary_core::each_entity;
use tributary_core::edit::Delta;
use tributary_core::entity::Entity;

use crate::lists::{kept_order, list_of, pair, places};
use crate::value::header;

type Step = fn(&Model, &Model, &mut Vec<Delta>);

/// The deltas that make `a` into `b`.
pub fn deltas(a: &Model, b: &Model) -> Vec<Delta> {
    let mut out = Vec::new();
    if a.settings() != b.settings() {
        out.push(Delta::Settings {
            before: Box::new(a.settings()),
            after: Box::new(b.settings()),
        });
    }
    let mut removals: Vec<Step> = Vec::new();
    let mut placements: Vec<Step> = Vec::new();
    macro_rules! kind {
        ($t:ty) => {
            removals.push(removed::<$t>);
            placements.push(placed::<$t>);
        };
    }
    each_entity!(kind);
    // Removals go first, from the last kind back (a stream's stages before the stream, an
    // assignment before its PBC); then each list is put in order, first kind first (a new
    // stream before its stages).
    for step in removals.iter().rev().chain(&placements) {
        step(a, b, &mut out);
    }
    out
}

/// Deltas deleting the items of `a` that `b` does not hold, the last of a list first.
fn removed<T: Entity>(a: &Model, b: &Model, out: &mut Vec<Delta>) {
    for place in places::<T>(a) {
        let (la, lb) = (list_of::<T>(a, place), list_of::<T>(b, place));
        let p = pair(la, lb);
        for &i in p.only_a.iter().rev() {
            out.push(Delta::of(place, Some((i, &header(&la[i]))), None));
        }
    }
}

/// Deltas that put each list of `b` in place, once the removals are done: the items that
/// kept their order stay, the others move (to the end first, then to their place), new ones
/// are inserted, changed ones updated.
fn placed<T: Entity>(a: &Model, b: &Model, out: &mut Vec<Delta>) {
    for place in places::<T>(b) {
        let (la, lb) = (list_of::<T>(a, place), list_of::<T>(b, place));
        let p = pair(la, lb);
        // the list once the removals are done: the items both hold, in a's order
        let mut left: Vec<usize> = p.both.iter().map(|(i, _)| *i).collect();
        left.sort_unstable();
        let rank = |i: usize| left.partition_point(|&x| x < i);
        let order: Vec<usize> = p.both.iter().map(|(i, _)| rank(*i)).collect();
        let kept = kept_order(&order);
        let mut moved: Vec<usize> = (0..p.both.len()).filter(|k| !kept[*k]).collect();
        moved.sort_by_key(|k| order[*k]);
        // `now` follows the list as the deltas leave it, as indices into `la` (or `None` for
        // an item of `b` not yet placed)
        let mut now: Vec<usize> = p
            .both
            .iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|((i, _), _)| *i)
            .collect();
        now.sort_unstable_by_key(|i| rank(*i));
        let last = left.len().saturating_sub(1);
        for (n, k) in moved.iter().enumerate() {
            let i = p.both[*k].0;
            let at = order[*k] - n;
            if at != last {
                let x = header(&la[i]);
                out.push(Delta::of(place, Some((at, &x)), Some((last, &x))));
            }
            now.push(i);
        }
        let from_a: std::collections::HashMap<usize, usize> =
            p.both.iter().map(|(i, j)| (*j, *i)).collect();
        for (j, y) in lb.iter().enumerate() {
            let Some(&i) = from_a.get(&j) else {
                out.push(Delta::of(place, None, Some((j, &header(y)))));
                now.insert(j, usize::MAX);
                continue;
            };
            let at = now[j..].iter().position(|x| *x == i).map_or(j, |p| p + j);
            if at != j || la[i] != *y {
                out.push(Delta::of(
                    place,
                    Some((at, &header(&la[i]))),
                    Some((j, &header(y))),
                ));
                now.remove(at);
                now.insert(j, i);
            }
        }
    }
}
