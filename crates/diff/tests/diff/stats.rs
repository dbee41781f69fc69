//! The random edits are worth testing with: on 500 seeded cases, most edited copies differ
//! from their base, and merges of two copies meet every kind of conflict. Without this, a
//! generator whose edits the engine mostly refused would make the properties pass vacuously.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tributary_diff::{Reason, diff, merge};

use crate::edits::{base, edited, ops};

#[test]
fn the_random_edits_change_models_and_make_conflicts() {
    let mut runner = TestRunner::deterministic();
    let (mut changed, mut conflicted) = (0, 0);
    let mut reasons = std::collections::HashSet::new();
    for _ in 0..500 {
        let (b, ex, ey) = (base(), ops(), ops())
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let (x, y) = (edited(&b, &ex), edited(&b, &ey));
        changed += usize::from(!diff(&b, &x).is_empty());
        let m = merge(&b, &x, &y);
        conflicted += usize::from(!m.conflicts.is_empty());
        reasons.extend(m.conflicts.iter().map(|c| c.reason));
    }
    assert!(
        changed > 350,
        "only {changed} of 500 copies differ from their base"
    );
    assert!(
        conflicted > 50,
        "only {conflicted} of 500 merges have a conflict"
    );
    for r in [
        Reason::BothChanged,
        Reason::DeletedByOurs,
        Reason::DeletedByTheirs,
        Reason::Invalid,
    ] {
        assert!(reasons.contains(&r), "no merge had a {r:?} conflict");
    }
}
