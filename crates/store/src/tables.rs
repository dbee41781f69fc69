//! Each entity's table, described once: its name, its key columns, and where each column's
//! value lives in the entity's JSON form (a JSON pointer). Reading and writing rows is derived
//! from these descriptions in `rows.rs`, so adding a field to an entity is a field in
//! `tributary_core::model`, a column in a migration, and one line here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tributary_core::entity::Entity;
use tributary_core::*;

/// How a column stores its part of the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Real,
    Int,
    /// A nested value (a list, a distribution) as JSON text.
    Json,
}

/// One column: its name, and where its value is in the entity's JSON form. `STREAM` stands
/// for the stream a stage or an edge belongs to, which is not a field of the entity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub name: &'static str,
    pub at: &'static str,
    pub ty: Ty,
}

pub(crate) const STREAM: &str = "$stream";

const fn text(name: &'static str, at: &'static str) -> Column {
    Column {
        name,
        at,
        ty: Ty::Text,
    }
}
const fn real(name: &'static str, at: &'static str) -> Column {
    Column {
        name,
        at,
        ty: Ty::Real,
    }
}
const fn int(name: &'static str, at: &'static str) -> Column {
    Column {
        name,
        at,
        ty: Ty::Int,
    }
}
const fn json_col(name: &'static str, at: &'static str) -> Column {
    Column {
        name,
        at,
        ty: Ty::Json,
    }
}

/// A value kept as one row of a table.
pub(crate) trait Row: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    /// Every column but `ord`, key columns first.
    const COLUMNS: &'static [Column];
    /// The JSON a row is read into: fields the table does not hold.
    fn empty() -> Value {
        json!({})
    }
}

/// An entity's table: one row per item, in list order by `ord`.
pub(crate) trait Table: Row + Entity {
    /// How many of the first columns make the row's key (a stage's stream and id).
    const KEY: usize;
}

const URGENCY: [Column; 4] = [
    text("urgency", "/urgency/profile"),
    text("urgency_date", "/urgency/date"),
    real("deadline_week", "/urgency/deadline_week"),
    real("ramp_weeks", "/urgency/ramp_weeks"),
];

impl Row for Settings {
    const TABLE: &'static str = "settings";
    const COLUMNS: &'static [Column] = &[
        text("name", "/name"),
        text("currency", "/currency"),
        text("time_unit", "/time_unit"),
        real("hours_per_day", "/calendar/hours_per_day"),
        real("days_per_week", "/calendar/days_per_week"),
        real("discount_rate", "/finance/discount_rate"),
        int("horizon_years", "/finance/horizon_years"),
        text("author", "/author"),
        text("description", "/description"),
    ];
}

impl Row for Stream {
    const TABLE: &'static str = "streams";
    const COLUMNS: &'static [Column] = &[
        text("id", "/id"),
        text("name", "/name"),
        text("trigger_event", "/trigger"),
        text("value_delivered", "/value"),
        real("demand_per_week", "/demand_per_week"),
        real("cost_of_delay_per_week", "/cost_of_delay_per_week"),
        URGENCY[0],
        URGENCY[1],
        URGENCY[2],
        URGENCY[3],
        text("arrivals", "/arrivals"),
    ];
    /// A stream's stages and edges have tables of their own.
    fn empty() -> Value {
        json!({ "stages": [] })
    }
}
impl Table for Stream {
    const KEY: usize = 1;
}

impl Row for Stage {
    const TABLE: &'static str = "stages";
    const COLUMNS: &'static [Column] = &[
        text("stream_id", STREAM),
        text("id", "/id"),
        text("name", "/name"),
        real("process_time", "/process_time"),
        real("wait_time", "/wait_time"),
        real("pca", "/pca"),
        real("capacity", "/capacity"),
        text("team", "/team"),
        real("x", "/position/x"),
        real("y", "/position/y"),
        json_col("uncertainty", "/uncertainty"),
        text("note", "/note"),
    ];
}
impl Table for Stage {
    const KEY: usize = 2;
}

impl Row for Edge {
    const TABLE: &'static str = "edges";
    const COLUMNS: &'static [Column] = &[
        text("stream_id", STREAM),
        text("from_stage", "/from"),
        text("to_stage", "/to"),
    ];
}
impl Table for Edge {
    const KEY: usize = 3;
}

impl Row for Pbc {
    const TABLE: &'static str = "pbcs";
    const COLUMNS: &'static [Column] = &[
        text("id", "/id"),
        text("name", "/name"),
        text("domain", "/domain"),
        text("team", "/team"),
        text("kind", "/kind"),
        text("lifecycle", "/lifecycle"),
        real("annual_run_cost", "/annual_run_cost"),
        json_col("systems", "/systems"),
    ];
}
impl Table for Pbc {
    const KEY: usize = 1;
}

impl Row for Assignment {
    const TABLE: &'static str = "assignments";
    const COLUMNS: &'static [Column] = &[
        text("pbc_id", "/pbc"),
        text("stream_id", "/stream"),
        text("stage_id", "/stage"),
        real("process_time", "/process_time"),
        real("wait_time", "/wait_time"),
        text("note", "/note"),
    ];
}
impl Table for Assignment {
    const KEY: usize = 3;
}

impl Row for Integration {
    const TABLE: &'static str = "integrations";
    const COLUMNS: &'static [Column] = &[
        text("id", "/id"),
        text("from_pbc", "/from"),
        text("to_pbc", "/to"),
        text("style", "/style"),
        real("latency", "/latency"),
        text("note", "/note"),
        real("interval", "/interval"),
        real("calls_per_item", "/calls_per_item"),
        text("at_stream", "/at/stream"),
        text("at_stage", "/at/stage"),
        text("at_after", "/at/after"),
        text("name", "/name"),
    ];
}
impl Table for Integration {
    const KEY: usize = 1;
}

impl Row for Scenario {
    const TABLE: &'static str = "scenarios";
    const COLUMNS: &'static [Column] = &[
        text("id", "/id"),
        text("name", "/name"),
        text("description", "/description"),
        json_col("changes", "/changes"),
    ];
}
impl Table for Scenario {
    const KEY: usize = 1;
}

impl Row for Initiative {
    const TABLE: &'static str = "initiatives";
    const COLUMNS: &'static [Column] = &[
        text("id", "/id"),
        text("name", "/name"),
        text("stream_id", "/stream"),
        real("cost_of_delay_per_week", "/cost_of_delay_per_week"),
        real("duration_weeks", "/duration_weeks"),
        URGENCY[0],
        URGENCY[1],
        URGENCY[2],
        URGENCY[3],
        real("business_value", "/wsjf/business_value"),
        real("time_criticality", "/wsjf/time_criticality"),
        real("risk_reduction", "/wsjf/risk_reduction"),
        real("job_size", "/wsjf/job_size"),
        text("scenario_id", "/scenario"),
    ];
}
impl Table for Initiative {
    const KEY: usize = 1;
}

impl Row for StreamMapping {
    const TABLE: &'static str = "mappings";
    const COLUMNS: &'static [Column] = &[
        text("stream_id", "/stream"),
        json_col("states", "/mapping/states"),
        json_col("stages", "/mapping/stages"),
        json_col("types", "/mapping/types"),
    ];
}
impl Table for StreamMapping {
    const KEY: usize = 1;
}
