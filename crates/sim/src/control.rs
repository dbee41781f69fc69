//! Progress and cancellation for long runs. The app keeps a [`Control`] on its side (in an
//! `Arc`), starts the simulation on a worker thread, polls [`Control::progress`] or gets
//! called back, and calls [`Control::cancel`] when the user presses Cancel.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far a simulation has come: items completed over items to complete, over all runs,
/// streams and (for a comparison) both the baseline and the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "SimProgress")]
pub struct Progress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

impl Progress {
    /// Done as a share in [0, 1] (1 when there is nothing to do).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        }
    }
}

type Callback = Box<dyn Fn(Progress) + Send + Sync>;

/// Shared between the caller and the simulation: a cancel flag, a progress counter and an
/// optional callback. A simulation checks the flag every few thousand events and returns
/// [`crate::Error::Cancelled`] soon after it is set.
#[derive(Default)]
pub struct Control {
    cancelled: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    /// Last share reported through the callback, in thousandths, so that the callback fires
    /// at most about a thousand times per simulation.
    reported: AtomicU64,
    callback: Option<Callback>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancelled", &self.is_cancelled())
            .field("progress", &self.progress())
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl Control {
    pub fn new() -> Control {
        Control::default()
    }

    /// A control that calls `f` as work completes (from worker threads, at most about once
    /// per 0.1 % of the work, and once at the end).
    pub fn with_callback(f: impl Fn(Progress) + Send + Sync + 'static) -> Control {
        Control {
            callback: Some(Box::new(f)),
            ..Control::default()
        }
    }

    /// Asks the running simulation to stop; it returns [`crate::Error::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    /// Called once before the work starts.
    pub(crate) fn start(&self, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.reported.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.notify(true);
    }

    /// `n` more items completed.
    pub(crate) fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.notify(false);
    }

    fn notify(&self, force: bool) {
        let Some(f) = &self.callback else {
            return;
        };
        let p = self.progress();
        let permille = (p.share() * 1000.0) as u64;
        let last = self.reported.load(Ordering::Relaxed);
        if force
            || (permille > last
                && self
                    .reported
                    .compare_exchange(last, permille, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok())
        {
            f(p);
        }
    }
}
