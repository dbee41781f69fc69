//! The order of a merged list, from the orders of the base, ours and theirs: items both sides
//! keep follow the side that reordered them (ours when both did, which is then a conflict);
//! an item a side added follows the item it followed there. Where both sides added items at
//! one place, the run whose first key sorts first comes first, so the order does not depend
//! on which side is "ours".

use std::hash::Hash;

use crate::lists::{HashMap, HashSet, map, set};

pub(crate) struct Ordered<K> {
    pub keys: Vec<K>,
    /// Both sides reordered the items they share, differently: ours, then theirs.
    pub conflict: Option<(Vec<K>, Vec<K>)>,
}

/// The merged order of the keys in `keep`.
pub(crate) fn merge<K: Copy + Eq + Hash + Ord>(
    base: &[K],
    ours: &[K],
    theirs: &[K],
    keep: &HashSet<K>,
) -> Ordered<K> {
    let mut at: HashMap<K, usize> = map(base.len());
    at.extend(base.iter().enumerate().map(|(i, k)| (*k, i)));
    let survives = |k: &K| at.contains_key(k) && keep.contains(k);
    let seq = |side: &[K]| side.iter().copied().filter(survives).collect::<Vec<K>>();
    let (so, st) = (seq(ours), seq(theirs));
    // a side reordered what it kept when its survivors are not in the base's order
    let moved = |side: &[K]| side.windows(2).any(|w| at.get(&w[0]) > at.get(&w[1]));
    let (mo, mt) = (moved(&so), moved(&st));
    let conflict = (mo && mt && restricted(&so, &st) != restricted(&st, &so))
        .then(|| (so.clone(), st.clone()));
    let (primary, secondary) = if !mo && mt { (st, so) } else { (so, st) };
    let survivors = base.iter().filter(|k| survives(k)).count();
    let skeleton = if primary.len() == survivors {
        primary
    } else {
        weave(&primary, &[&secondary, &seq(base)])
    };
    let runs = [
        runs(ours, &survives, &at, keep),
        runs(theirs, &survives, &at, keep),
    ];
    if runs.iter().all(HashMap::is_empty) {
        return Ordered {
            keys: skeleton,
            conflict,
        };
    }
    let mut keys = Vec::with_capacity(keep.len());
    let mut seen = set(keep.len());
    let none = Vec::new();
    let mut emit = |anchor: Option<K>, keys: &mut Vec<K>| {
        let [a, b] = [0, 1].map(|i| runs[i].get(&anchor).unwrap_or(&none));
        for k in interleave(a, b) {
            if seen.insert(k) {
                keys.push(k);
            }
        }
    };
    emit(None, &mut keys);
    for k in skeleton {
        keys.push(k);
        emit(Some(k), &mut keys);
    }
    Ordered { keys, conflict }
}

/// Two sides' additions at one place. Keys both added split them into stretches; in each
/// stretch the side whose keys sort first goes first, which does not depend on which side is
/// which.
fn interleave<K: Copy + Eq + Hash + Ord>(a: &[K], b: &[K]) -> Vec<K> {
    let (ca, cb) = (restricted(a, b), restricted(b, a));
    if ca != cb {
        // the sides added the same keys in different orders: one run after the other
        let mut runs = [a, b];
        runs.sort();
        return runs.concat();
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    for c in ca.iter().map(Some).chain([None]) {
        let upto = |side: &[K], from: usize| {
            let end = c
                .and_then(|c| side[from..].iter().position(|x| x == c))
                .map_or(side.len(), |p| p + from);
            (from, end)
        };
        let ((ai, ae), (bi, be)) = (upto(a, i), upto(b, j));
        let mut stretches = [&a[ai..ae], &b[bi..be]];
        stretches.sort();
        out.extend(stretches.concat());
        out.extend(c.copied());
        (i, j) = (ae + 1, be + 1);
    }
    out
}

/// `a`'s keys that `b` holds too, in `a`'s order.
fn restricted<K: Copy + Eq + Hash>(a: &[K], b: &[K]) -> Vec<K> {
    let mut has = set(b.len());
    has.extend(b.iter().copied());
    a.iter().copied().filter(|k| has.contains(k)).collect()
}

/// `primary`, with the surviving keys it lacks put after the key they follow in the first of
/// `others` that holds them.
fn weave<K: Copy + Eq + Hash>(primary: &[K], others: &[&Vec<K>]) -> Vec<K> {
    let mut out = primary.to_vec();
    let mut placed = set(out.len());
    placed.extend(out.iter().copied());
    for src in others {
        for (i, k) in src.iter().enumerate() {
            if placed.contains(k) {
                continue;
            }
            let after = src[..i].iter().rev().find(|p| placed.contains(*p));
            let at = after
                .and_then(|p| out.iter().position(|x| x == p))
                .map_or(0, |x| x + 1);
            out.insert(at, *k);
            placed.insert(*k);
        }
    }
    out
}

/// A side's additions, grouped by the surviving key they follow (`None`: the start).
fn runs<K: Copy + Eq + Hash>(
    side: &[K],
    survives: &impl Fn(&K) -> bool,
    in_base: &HashMap<K, usize>,
    keep: &HashSet<K>,
) -> HashMap<Option<K>, Vec<K>> {
    let mut out: HashMap<Option<K>, Vec<K>> = map(0);
    let mut anchor = None;
    for k in side {
        if survives(k) {
            anchor = Some(*k);
        } else if keep.contains(k) && !in_base.contains_key(k) {
            out.entry(anchor).or_default().push(*k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(keys: &[&'static str]) -> HashSet<&'static str> {
        let mut s = set(keys.len());
        s.extend(keys.iter().copied());
        s
    }

    #[test]
    fn one_side_reordering_wins_and_additions_follow_their_neighbour() {
        let base = ["a", "b", "c"];
        let ours = ["a", "x", "b", "c"];
        let theirs = ["c", "a", "b"];
        let o = merge(&base, &ours, &theirs, &keep(&["a", "b", "c", "x"]));
        assert_eq!(o.keys, ["c", "a", "x", "b"]);
        assert!(o.conflict.is_none());
    }

    #[test]
    fn both_adding_at_one_place_gives_one_order_whichever_side_is_ours() {
        let base = ["a", "b"];
        let (x, y) = (["a", "x", "b"], ["a", "y", "b"]);
        let k = keep(&["a", "b", "x", "y"]);
        assert_eq!(merge(&base, &x, &y, &k).keys, ["a", "x", "y", "b"]);
        assert_eq!(merge(&base, &y, &x, &k).keys, ["a", "x", "y", "b"]);
    }

    #[test]
    fn runs_with_keys_in_common_interleave_along_them() {
        let base = ["a"];
        let (x, y) = (["a", "1", "2", "x"], ["a", "1", "2", "y"]);
        let k = keep(&["a", "1", "2", "x", "y"]);
        assert_eq!(merge(&base, &x, &y, &k).keys, ["a", "1", "2", "x", "y"]);
        assert_eq!(merge(&base, &y, &x, &k).keys, ["a", "1", "2", "x", "y"]);
    }

    #[test]
    fn both_reordering_differently_is_a_conflict_kept_as_ours() {
        let base = ["a", "b", "c"];
        let o = merge(&base, &["b", "a", "c"], &["a", "c", "b"], &keep(&base));
        assert_eq!(o.keys, ["b", "a", "c"]);
        assert!(o.conflict.is_some());
    }
}
