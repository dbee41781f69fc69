//! Telemetry tests: definitions against hand calculations and REFERENCE.md E12-E16, every
//! import format on fixtures in the shape of the real exports, bad input, idempotent
//! re-imports, forecasts and calibration. One binary with modules keeps link time down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod calibrate;
mod common;
mod dora;
mod flow;
mod forecast;
mod formats;
mod imports;
mod reference;
