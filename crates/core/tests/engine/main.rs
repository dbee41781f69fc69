//! One integration-test binary for the engine (keeps link time down).
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
mod integrations;
mod properties;
mod reference;
