//! Telemetry tests over files and memory: definitions against hand calculations and
//! REFERENCE.md E12-E15, every import format on fixtures in the shape of the real exports,
//! bad input, mapping files and forecasts. Imports into a model file and the figures over a
//! stored history are tested through the api's session (crates/api/tests/api/telemetry).
//! One binary with modules keeps link time down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod common;
mod forecast;
mod formats;
mod mapping;
mod reference;
