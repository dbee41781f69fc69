-- 001: the model. Why: the first .tributary format; one table per entity of the tributary/1
-- exchange format, with the checks of the engine's validation repeated as constraints so a
-- file edited by hand cannot hold a negative time. `ord` keeps each list in the user's order.
CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    time_unit TEXT NOT NULL CHECK (time_unit IN ('minutes', 'hours', 'days', 'weeks')),
    hours_per_day REAL NOT NULL CHECK (hours_per_day > 0 AND hours_per_day <= 24),
    days_per_week REAL NOT NULL CHECK (days_per_week > 0 AND days_per_week <= 7),
    discount_rate REAL NOT NULL,
    horizon_years INTEGER NOT NULL,
    author TEXT,
    description TEXT
) STRICT;

CREATE TABLE streams (
    id TEXT PRIMARY KEY NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    trigger_event TEXT,
    value_delivered TEXT,
    demand_per_week REAL NOT NULL CHECK (demand_per_week >= 0),
    cost_of_delay_per_week REAL NOT NULL CHECK (cost_of_delay_per_week >= 0),
    urgency TEXT NOT NULL,
    urgency_date TEXT,
    deadline_week REAL,
    ramp_weeks REAL
) STRICT;

CREATE TABLE stages (
    stream_id TEXT NOT NULL REFERENCES streams (id) DEFERRABLE INITIALLY DEFERRED,
    id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    process_time REAL NOT NULL CHECK (process_time >= 0),
    wait_time REAL NOT NULL CHECK (wait_time >= 0),
    pca REAL NOT NULL CHECK (pca > 0 AND pca <= 1),
    capacity REAL CHECK (capacity > 0),
    team TEXT,
    x REAL,
    y REAL,
    PRIMARY KEY (stream_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE edges (
    stream_id TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    ord INTEGER NOT NULL,
    PRIMARY KEY (stream_id, from_stage, to_stage),
    FOREIGN KEY (stream_id, from_stage) REFERENCES stages (stream_id, id) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (stream_id, to_stage) REFERENCES stages (stream_id, id) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;
CREATE INDEX edges_to ON edges (stream_id, to_stage);

CREATE TABLE pbcs (
    id TEXT PRIMARY KEY NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    domain TEXT,
    team TEXT,
    kind TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    annual_run_cost REAL NOT NULL CHECK (annual_run_cost >= 0),
    systems TEXT NOT NULL
) STRICT;

CREATE TABLE assignments (
    pbc_id TEXT NOT NULL REFERENCES pbcs (id) DEFERRABLE INITIALLY DEFERRED,
    stream_id TEXT NOT NULL,
    stage_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    process_time REAL NOT NULL CHECK (process_time >= 0),
    wait_time REAL NOT NULL CHECK (wait_time >= 0),
    note TEXT,
    PRIMARY KEY (pbc_id, stream_id, stage_id),
    FOREIGN KEY (stream_id, stage_id) REFERENCES stages (stream_id, id) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;
CREATE INDEX assignments_by_stage ON assignments (stream_id, stage_id);

CREATE TABLE integrations (
    id TEXT PRIMARY KEY NOT NULL,
    ord INTEGER NOT NULL,
    from_pbc TEXT NOT NULL REFERENCES pbcs (id) DEFERRABLE INITIALLY DEFERRED,
    to_pbc TEXT NOT NULL REFERENCES pbcs (id) DEFERRABLE INITIALLY DEFERRED,
    style TEXT NOT NULL,
    latency REAL NOT NULL CHECK (latency >= 0),
    note TEXT
) STRICT;
CREATE INDEX integrations_from ON integrations (from_pbc);
CREATE INDEX integrations_to ON integrations (to_pbc);

CREATE TABLE scenarios (
    id TEXT PRIMARY KEY NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- the scenario's changes as tributary/1 JSON: a scenario is edited as one unit
    changes TEXT NOT NULL
) STRICT;

CREATE TABLE initiatives (
    id TEXT PRIMARY KEY NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    stream_id TEXT REFERENCES streams (id) DEFERRABLE INITIALLY DEFERRED,
    cost_of_delay_per_week REAL NOT NULL CHECK (cost_of_delay_per_week >= 0),
    duration_weeks REAL NOT NULL CHECK (duration_weeks > 0),
    urgency TEXT NOT NULL,
    urgency_date TEXT,
    deadline_week REAL,
    ramp_weeks REAL,
    business_value REAL,
    time_criticality REAL,
    risk_reduction REAL,
    job_size REAL
) STRICT;
CREATE INDEX initiatives_by_stream ON initiatives (stream_id);
