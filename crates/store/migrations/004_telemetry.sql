-- 004: telemetry. Why: measured flow (issue 7). A stream's work-item history and its
-- deliveries are imported from ticketing systems and pipelines so that the measured flow can be
-- shown beside the drawn map, forecast and used to calibrate it. The data can be a million rows,
-- so it lives in these tables and never in the in-memory model; times are UTC milliseconds since
-- the Unix epoch. Unique keys make a re-import add nothing and a newer export add only what is
-- new. Names of people (assignee, actor, author) stay NULL unless the user opted in. No foreign
-- key names `streams`: deleting a stream must not be refused, and undoing it finds the data again.
CREATE TABLE telemetry_imports (
    id INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    -- RFC 3339, given by the caller (the engine reads no clock)
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL CHECK (rows_read >= 0),
    items_added INTEGER NOT NULL CHECK (items_added >= 0),
    events_added INTEGER NOT NULL CHECK (events_added >= 0),
    events_existing INTEGER NOT NULL CHECK (events_existing >= 0),
    deliveries_added INTEGER NOT NULL CHECK (deliveries_added >= 0),
    personal_data INTEGER NOT NULL CHECK (personal_data IN (0, 1)),
    -- what the format cannot measure, for people (one sentence per line)
    note TEXT
) STRICT;
CREATE INDEX telemetry_imports_by_stream ON telemetry_imports (stream_id);

-- One row per work item of a stream.
CREATE TABLE telemetry_items (
    id INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    item_type TEXT NOT NULL,
    title TEXT,
    link TEXT,
    assignee TEXT,
    UNIQUE (stream_id, item_id)
) STRICT;

-- The neutral event log: an item moved from one raw status to another. `from_state` '' means
-- the item was created; from = to records a change of the blocked flag only.
CREATE TABLE telemetry_events (
    item INTEGER NOT NULL REFERENCES telemetry_items (id),
    ts INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL CHECK (to_state <> ''),
    -- NULL: not known; 0 or 1: the item is (not) blocked from this moment
    blocked INTEGER CHECK (blocked IN (0, 1)),
    -- order among events of the item with the same timestamp
    seq INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES telemetry_imports (id),
    actor TEXT,
    PRIMARY KEY (item, ts, from_state, to_state)
) STRICT, WITHOUT ROWID;

CREATE TABLE telemetry_deployments (
    stream_id TEXT NOT NULL,
    id TEXT NOT NULL,
    deployed_at INTEGER NOT NULL,
    environment TEXT NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    import_id INTEGER NOT NULL REFERENCES telemetry_imports (id),
    PRIMARY KEY (stream_id, id)
) STRICT, WITHOUT ROWID;

-- A change (commit) and when it reached production.
CREATE TABLE telemetry_changes (
    stream_id TEXT NOT NULL,
    id TEXT NOT NULL,
    committed_at INTEGER NOT NULL,
    deployed_at INTEGER NOT NULL,
    deployment_id TEXT,
    author TEXT,
    import_id INTEGER NOT NULL REFERENCES telemetry_imports (id),
    PRIMARY KEY (stream_id, id, deployed_at)
) STRICT, WITHOUT ROWID;

CREATE TABLE telemetry_incidents (
    stream_id TEXT NOT NULL,
    id TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    resolved_at INTEGER,
    -- the deployment that caused it, if known (change failure rate)
    deployment_id TEXT,
    import_id INTEGER NOT NULL REFERENCES telemetry_imports (id),
    PRIMARY KEY (stream_id, id)
) STRICT, WITHOUT ROWID;

-- How a stream's raw statuses and item types read: status -> flow state, status -> stage of
-- the stream, item type -> flow item kind. `ord` keeps the workflow order the user gave.
CREATE TABLE telemetry_mapping (
    stream_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'stage', 'type')),
    raw TEXT NOT NULL,
    value TEXT NOT NULL,
    ord INTEGER NOT NULL,
    CHECK (kind <> 'state' OR value IN ('new', 'waiting', 'active', 'done', 'canceled')),
    CHECK (kind <> 'type' OR value IN ('feature', 'defect', 'risk', 'debt')),
    PRIMARY KEY (stream_id, kind, raw)
) STRICT, WITHOUT ROWID;
