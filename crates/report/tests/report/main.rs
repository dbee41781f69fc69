//! One integration-test binary for the reports and exports: the PDF read back as text, the
//! workbook read back with calamine, the map as XML, the CSV tables, and bad input.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod bad_input;
mod common;
mod map;
mod measured;
mod pdf;
mod tables;
mod telemetry_data;
mod xlsx;
