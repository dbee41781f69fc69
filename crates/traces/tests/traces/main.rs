//! Tests of trace import, comparison, calibration and fetch; one binary, modules by topic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bindings;
mod common;
mod fetch;
mod generated;
mod malformed;
mod model;
mod props;
mod real;
