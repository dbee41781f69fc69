//! Nothing to link: the checks are the tests in `tests/tidy.rs`, which read the workspace's
//! manifests, `ARCHITECTURE.md` and the Rust sources (rust-analyzer keeps such "tidy" tests).
