//! The model's lists, walked through each kind's [`Entity`] description: where a kind's items
//! live (the model's own list, or one list per stream for stages and edges), items of two
//! lists matched by key, and which of the matched items kept their order.

use tributary_core::Model;
use tributary_core::entity::{Entity, Key};

/// Hash maps and sets keyed by items' keys: fast, and seeded at random so that a model made
/// to collide cannot slow a merge down.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

pub(crate) fn map<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, Default::default())
}

pub(crate) fn set<K>(capacity: usize) -> HashSet<K> {
    HashSet::with_capacity_and_hasher(capacity, Default::default())
}

/// The list of kind `T` in `stream` (or the model's own), empty when there is none.
pub(crate) fn list_of<'m, T: Entity>(m: &'m Model, stream: Option<&str>) -> &'m [T] {
    T::list(m, stream).map_or(&[], Vec::as_slice)
}

/// Where lists of kind `T` live in a model: `[None]`, or every stream's id.
pub(crate) fn places<T: Entity>(m: &Model) -> Vec<Option<&str>> {
    if T::IN_STREAM {
        m.streams.iter().map(|s| Some(s.id.as_str())).collect()
    } else {
        vec![None]
    }
}

/// An item's key as owned text, without the unused trailing parts.
pub(crate) fn key_text(key: Key<'_>) -> Vec<String> {
    let used = key.iter().rposition(|k| !k.is_empty()).map_or(0, |i| i + 1);
    key[..used].iter().map(|k| (*k).to_owned()).collect()
}

/// Whether an item's key is the one written as `text`.
pub(crate) fn key_is(key: Key<'_>, text: &[String]) -> bool {
    key_text(key) == text
}

/// The items of two lists matched by key.
pub(crate) struct Pairs {
    /// (index in `a`, index in `b`), in `b`'s order.
    pub both: Vec<(usize, usize)>,
    pub only_a: Vec<usize>,
    pub only_b: Vec<usize>,
}

pub(crate) fn index<T: Entity>(list: &[T]) -> HashMap<Key<'_>, usize> {
    let mut m = map(list.len());
    m.extend(list.iter().enumerate().map(|(i, x)| (x.key(), i)));
    m
}

pub(crate) fn pair<T: Entity>(a: &[T], b: &[T]) -> Pairs {
    let in_a = index(a);
    let mut seen = vec![false; a.len()];
    let mut both = Vec::new();
    let mut only_b = Vec::new();
    for (j, y) in b.iter().enumerate() {
        match in_a.get(&y.key()) {
            Some(&i) if !seen[i] => {
                seen[i] = true;
                both.push((i, j));
            }
            _ => only_b.push(j),
        }
    }
    let only_a = (0..a.len()).filter(|i| !seen[*i]).collect();
    Pairs {
        both,
        only_a,
        only_b,
    }
}

/// For each of `order` (positions in the old list, in the new list's order), whether it is
/// one of the longest run of items that kept their relative order: the others moved. Among
/// runs of one length the one found first is taken, so the answer is the same every time.
pub(crate) fn kept_order(order: &[usize]) -> Vec<bool> {
    // Patience sorting: tails[k] is the index in `order` of the smallest last element of an
    // increasing run of length k + 1; prev links each element to the one before it.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; order.len()];
    for (i, &x) in order.iter().enumerate() {
        let k = tails.partition_point(|&t| order[t] < x);
        if k > 0 {
            prev[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut kept = vec![false; order.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        kept[i] = true;
        at = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::kept_order;

    #[test]
    fn the_longest_run_in_order_stays() {
        // 0 1 2 3 with the last moved to the front: 1 2 3 stay, 0... reads [3, 0, 1, 2]
        assert_eq!(kept_order(&[3, 0, 1, 2]), vec![false, true, true, true]);
        assert_eq!(kept_order(&[0, 1, 2]), vec![true, true, true]);
        // reversed: one stays
        assert_eq!(kept_order(&[2, 1, 0]).iter().filter(|k| **k).count(), 1);
        assert!(kept_order(&[]).is_empty());
        // 1 3 0 2 4: the longest increasing runs have length 3 (1 3 4, 1 2 4, 0 2 4)
        assert_eq!(
            kept_order(&[1, 3, 0, 2, 4]).iter().filter(|k| **k).count(),
            3
        );
    }
}
