//! One integration-test binary for the diff and the merge; each subject is a module.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod edits;
mod examples;
mod properties;
mod stats;
