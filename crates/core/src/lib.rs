//! Tributary's domain engine: the value stream model, its validation, flow metrics, cost of
//! delay, scenarios and edits. Pure: no file system, no database, no clock, no randomness.
//!
//! Start at [`model`] for the data, [`exchange`] for the `tributary/1` JSON, [`metrics`] for
//! the numbers, [`scenario`] for comparisons and [`edit`] for changes with undo.

pub mod cod;
pub mod edit;
pub mod entity;
pub mod error;
pub mod estimates;
pub mod exchange;
pub mod finance;
pub mod format;
pub mod glossary;
pub mod graph;
pub mod integration;
pub mod layout;
pub mod matrix;
pub mod metrics;
pub mod model;
pub mod queue;
pub mod scenario;
pub mod telemetry;
pub mod validate;

pub use error::{Error, Problem, Result, Severity};
pub use model::*;

#[cfg(feature = "testkit")]
pub mod testkit;
