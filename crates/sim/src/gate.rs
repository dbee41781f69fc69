//! Batch departures: a batch integration attached to a stage runs every T of working time, at
//! phase + k T (the phase drawn once per run), and each run takes R. An item that has done its
//! other wait before the stage leaves with the end of the next run, so the batch's wait is
//! drawn by the clock rather than added as its mean T/2 + R (REFERENCE.md section 7).

use tributary_core::integration::IntegrationPart;
use tributary_core::metrics::StageMetrics;
use tributary_core::{IntegrationStyle, Model};

use crate::draw::Stream;

/// One batch a stage's items pass through, in the model's terms.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    /// The integration's id, for messages.
    pub id: String,
    /// The integration's position in the model: which of a run's phase draws is its own, so
    /// that a scenario changing another integration leaves its phase where it was.
    pub integration: usize,
    /// T: working time between runs.
    pub interval: f64,
    /// R: how long a run takes.
    pub run: f64,
}

impl Gate {
    /// The gate of an attached integration: a batch with an interval. A batch without one
    /// adds only its run time, as a fixed wait (as the flow metrics count it).
    fn of(model: &Model, part: &IntegrationPart) -> Option<Gate> {
        if part.style != IntegrationStyle::Batch {
            return None;
        }
        let integration = model.integrations.iter().position(|x| x.id == part.id)?;
        let x = &model.integrations[integration];
        let interval = x.interval.filter(|t| t.is_finite() && *t > 0.0)?;
        Some(Gate {
            id: x.id.clone(),
            integration,
            interval,
            run: x.latency,
        })
    }

    /// The mean wait of an item arriving at a random moment: T/2 + R.
    pub(crate) fn mean_wait(&self) -> f64 {
        self.interval / 2.0 + self.run
    }

    /// When an item ready at time `t` has passed the batch: the end of the first run that
    /// starts at or after `t`, runs starting at `phase` + k T. IEEE arithmetic only (and a
    /// `ceil`, which is exact), so the same on every machine.
    #[inline]
    pub(crate) fn departure(&self, phase: f64, t: f64) -> f64 {
        let k = ((t - phase) / self.interval).ceil();
        let mut start = phase + k * self.interval;
        // the quotient's rounding can land one run early
        if start < t {
            start += self.interval;
        }
        start + self.run
    }
}

/// What the integrations attached to a stage add to its times in a simulation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attached {
    /// Added to every drawn wait: events, and batches without an interval.
    pub wait: f64,
    /// The batches with an interval, passed one after another in the model's order.
    pub gates: Vec<Gate>,
}

impl Attached {
    pub(crate) fn of(model: &Model, m: &StageMetrics) -> Attached {
        let mut out = Attached::default();
        // folded from +0 in the model's order, as the flow metrics fold the parts, so that
        // without batches the fixed wait is theirs to the bit
        for part in &m.integrations {
            match Gate::of(model, part) {
                Some(g) => out.gates.push(g),
                None => out.wait += part.wait_time,
            }
        }
        out
    }

    /// The batches' mean wait, in all.
    pub(crate) fn mean_gate_wait(&self) -> f64 {
        self.gates.iter().map(Gate::mean_wait).sum()
    }
}

/// The random-number component of a run's batch phases: above every stage's three (at most
/// 3 x `MAX_STAGES` + 1), so that drawing phases shifts no other draw.
const PHASES: usize = 0xFFFF;
const _: () = assert!(3 * crate::plan::MAX_STAGES < PHASES);

/// A run's phase draws, uniform in [0, 1): the j-th for the integration at position j of the
/// model (the phase of its runs is that draw x its interval). `count` is one past the
/// highest position of an integration with a gate; 0 draws nothing.
pub(crate) fn phases(seed: u64, stream: usize, run: u32, count: usize) -> Vec<f64> {
    if count == 0 {
        return Vec::new();
    }
    let mut s = Stream::new(seed, stream, run, PHASES);
    (0..count).map(|_| s.uniform()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e17() -> Gate {
        Gate {
            id: "nightly".into(),
            integration: 0,
            interval: 8.0,
            run: 0.5,
        }
    }

    // Runs at 3, 11, 19, ... (phase 3, every 8 h), each taking 0.5 h.
    #[test]
    fn an_item_leaves_with_the_end_of_the_next_run() {
        let g = e17();
        for (ready, leaves) in [
            (0.0, 3.5),   // before the first run: waits for it
            (3.0, 3.5),   // exactly at a run: goes with it
            (3.25, 11.5), // just missed one: the next, 7.75 h later
            (10.0, 11.5),
            (50.0, 51.5), // 3 + 6 x 8 = 51
            (51.0, 51.5),
        ] {
            assert_eq!(g.departure(3.0, ready), leaves, "ready at {ready}");
        }
        // phase 0: the runs are at multiples of 8
        assert_eq!(g.departure(0.0, 0.0), 0.5);
        assert_eq!(g.departure(0.0, 16.0), 16.5);
        assert_eq!(g.departure(0.0, 16.000_001), 24.5);
    }

    // Whatever the phase and the moment, the wait lies in [R, T + R]: never less than a
    // run, never more than a whole interval and a run.
    #[test]
    fn the_wait_lies_between_a_run_and_an_interval_and_a_run() {
        let g = Gate {
            id: "often".into(),
            integration: 0,
            interval: 0.3,
            run: 0.05,
        };
        let mut s = Stream::new(4, 0, 0, 0);
        for _ in 0..100_000 {
            let phase = s.uniform() * g.interval;
            let t = s.uniform() * 1e5;
            let w = g.departure(phase, t) - t;
            assert!(w >= g.run && w <= g.interval + g.run + 1e-9, "{w} at {t}");
        }
    }

    #[test]
    fn phases_are_drawn_only_for_batches_and_keep_their_places() {
        assert!(phases(1, 0, 0, 0).is_empty());
        let three = phases(1, 0, 2, 3);
        let five = phases(1, 0, 2, 5);
        assert_eq!(three[..], five[..3]);
        assert!(five.iter().all(|u| (0.0..1.0).contains(u)));
        assert_ne!(phases(1, 0, 3, 3), three, "each run has its own phases");
    }
}
