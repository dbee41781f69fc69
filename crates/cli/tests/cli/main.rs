//! One integration-test binary for the `tributary` command; each subject is a module.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod model;
mod readme;
mod report;
mod share;
mod simulate;
mod snapshots;
mod telemetry;
