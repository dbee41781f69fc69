-- 007: distributed traces. Why: where integration costs time (issue 20). An import of traces
-- keeps only its aggregates (per service and per calling pair: counts, percentiles, error
-- share; a few kilobytes of JSON), never the spans: size and privacy. The newest import is
-- the one the app compares with the model; earlier ones stay listed.
CREATE TABLE trace_imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    -- RFC 3339, given by the caller
    imported_at TEXT NOT NULL,
    spans INTEGER NOT NULL CHECK (spans >= 0),
    -- the TraceSummary as JSON
    summary TEXT NOT NULL
) STRICT;
