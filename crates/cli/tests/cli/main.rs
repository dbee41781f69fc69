//! One integration-test binary for the `tributary` command; each subject is a module.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod exchange;
mod model;
mod readme;
mod report;
mod room;
mod share;
mod simulate;
mod snapshots;
mod telemetry;
mod traces;
