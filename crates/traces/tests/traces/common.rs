//! Helpers: the real files under `../shared/external/traces`, and imports of strings.

use std::path::PathBuf;

use tributary_traces::{ImportOptions, Reason, TraceFormat, TraceSummary, import};

/// A real export; fails with a clear message when `../shared` is missing.
pub fn external(rel: &str) -> PathBuf {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/external/traces"
    ))
    .join(rel);
    assert!(
        p.exists(),
        "{} is missing: these tests read real exports from ../shared/external/traces (see its SOURCES.md)",
        p.display()
    );
    p
}

pub fn import_file(format: TraceFormat, rel: &str) -> TraceSummary {
    let f = std::fs::File::open(external(rel)).unwrap();
    import(format, f, ImportOptions::default()).unwrap()
}

pub fn import_str(format: TraceFormat, text: &str) -> tributary_traces::Result<TraceSummary> {
    import(format, text.as_bytes(), ImportOptions::default())
}

/// How many spans a summary counts for a repair or refusal reason.
pub fn reason(s: &TraceSummary, r: Reason) -> u64 {
    s.counts
        .reasons
        .iter()
        .find(|x| x.reason == r)
        .map_or(0, |x| x.count)
}
