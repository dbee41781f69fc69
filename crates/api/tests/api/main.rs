//! One integration-test binary for the api: generated files, example models, sessions.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
mod bridge;
mod commands_doc;
mod examples;
mod generated;
mod legacy;
mod outbox;
mod sessions;
mod share;
mod telemetry;

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
