//! How a stream's raw statuses and item types read: each status maps to a flow state (and,
//! optionally, to a stage of the stream), each item type to a flow item kind. Nothing is
//! guessed: what is not mapped is listed with its counts.
//!
//! The mapping file is TOML:
//! ```toml
//! [states]            # in workflow order: the order of the cumulative flow diagram
//! "Backlog" = "new"
//! "In Progress" = "active"
//! "Done" = "done"
//! [stages]            # optional: status -> stage id of the stream
//! "In Progress" = "build"
//! [types]             # optional: raw item type -> feature | defect | risk | debt
//! "Bug" = "defect"
//! ```

use std::path::Path;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result, sql};

/// Kersten's flow states. New is not yet committed; waiting and active are in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    New,
    Waiting,
    Active,
    Done,
    Canceled,
}

impl FlowState {
    pub const ALL: [FlowState; 5] = [
        FlowState::New,
        FlowState::Waiting,
        FlowState::Active,
        FlowState::Done,
        FlowState::Canceled,
    ];

    /// Waiting or active: the item is committed to and not finished.
    pub fn in_progress(self) -> bool {
        matches!(self, FlowState::Waiting | FlowState::Active)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlowState::New => "new",
            FlowState::Waiting => "waiting",
            FlowState::Active => "active",
            FlowState::Done => "done",
            FlowState::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<FlowState> {
        FlowState::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// The Flow Framework's item kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Feature,
    Defect,
    Risk,
    Debt,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Feature,
        ItemKind::Defect,
        ItemKind::Risk,
        ItemKind::Debt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Feature => "feature",
            ItemKind::Defect => "defect",
            ItemKind::Risk => "risk",
            ItemKind::Debt => "debt",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StateMap {
    pub status: String,
    pub state: FlowState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageMap {
    pub status: String,
    /// A stage id of the stream.
    pub stage: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypeMap {
    pub item_type: String,
    pub kind: ItemKind,
}

/// A stream's mapping. Lists keep the order the user gave; the order of `states` is the
/// workflow order the cumulative flow diagram uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mapping {
    pub states: Vec<StateMap>,
    pub stages: Vec<StageMap>,
    pub types: Vec<TypeMap>,
}

impl Mapping {
    pub fn state_of(&self, status: &str) -> Option<FlowState> {
        self.states
            .iter()
            .find(|m| m.status == status)
            .map(|m| m.state)
    }

    pub fn stage_of(&self, status: &str) -> Option<&str> {
        self.stages
            .iter()
            .find(|m| m.status == status)
            .map(|m| m.stage.as_str())
    }

    pub fn kind_of(&self, item_type: &str) -> Option<ItemKind> {
        self.types
            .iter()
            .find(|m| m.item_type == item_type)
            .map(|m| m.kind)
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.stages.is_empty() && self.types.is_empty()
    }

    /// Reads a mapping file.
    pub fn from_toml_file(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Mapping::from_toml(&text).map_err(|message| Error::Mapping {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the TOML text of a mapping; the message names the table and key at fault.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| format!("not valid TOML: {}", e.message().trim_end()))?;
        let mut m = Mapping::default();
        for (key, value) in &table {
            let Some(inner) = value.as_table() else {
                return Err(format!(
                    "{key:?} must be a table ([states], [stages] or [types])"
                ));
            };
            for (raw, v) in inner {
                let Some(v) = v.as_str() else {
                    return Err(format!("[{key}] {raw:?}: the value must be a string"));
                };
                match key.as_str() {
                    "states" => {
                        let state = FlowState::parse(v).ok_or_else(|| {
                            format!(
                                "[states] {raw:?} = {v:?}: a flow state is one of new, waiting, active, done, canceled"
                            )
                        })?;
                        m.states.push(StateMap {
                            status: raw.clone(),
                            state,
                        });
                    }
                    "stages" => {
                        if v.trim().is_empty() {
                            return Err(format!("[stages] {raw:?}: the stage id is empty"));
                        }
                        m.stages.push(StageMap {
                            status: raw.clone(),
                            stage: v.to_owned(),
                        });
                    }
                    "types" => {
                        let kind = ItemKind::parse(v).ok_or_else(|| {
                            format!(
                                "[types] {raw:?} = {v:?}: an item kind is one of feature, defect, risk, debt"
                            )
                        })?;
                        m.types.push(TypeMap {
                            item_type: raw.clone(),
                            kind,
                        });
                    }
                    other => {
                        return Err(format!(
                            "unknown table [{other}] (expected [states], [stages] and [types])"
                        ));
                    }
                }
            }
        }
        Ok(m)
    }

    /// The mapping as a TOML file, in the same form [`Mapping::from_toml`] reads.
    pub fn to_toml(&self) -> String {
        fn quote(s: &str) -> String {
            toml::Value::String(s.to_owned()).to_string()
        }
        let mut out = String::from("[states]\n");
        for m in &self.states {
            out.push_str(&format!(
                "{} = {}\n",
                quote(&m.status),
                quote(m.state.as_str())
            ));
        }
        if !self.stages.is_empty() {
            out.push_str("\n[stages]\n");
            for m in &self.stages {
                out.push_str(&format!("{} = {}\n", quote(&m.status), quote(&m.stage)));
            }
        }
        if !self.types.is_empty() {
            out.push_str("\n[types]\n");
            for m in &self.types {
                out.push_str(&format!(
                    "{} = {}\n",
                    quote(&m.item_type),
                    quote(m.kind.as_str())
                ));
            }
        }
        out
    }

    /// Checks that every stage named is a stage of the stream.
    pub fn check_stages(&self, stream: &tributary_core::Stream) -> Result<(), String> {
        for m in &self.stages {
            if stream.stage(&m.stage).is_none() {
                let ids: Vec<&str> = stream.stages.iter().map(|s| s.id.as_str()).collect();
                return Err(format!(
                    "[stages] {:?} = {:?}: stream {:?} has no such stage (its stages: {})",
                    m.status,
                    m.stage,
                    stream.id,
                    ids.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The mapping stored for a stream (empty if none).
pub fn load(conn: &Connection, file: &Path, stream: &str) -> Result<Mapping> {
    let mut stmt = conn
        .prepare(
            "SELECT kind, raw, value FROM telemetry_mapping WHERE stream_id = ?1 ORDER BY kind, ord",
        )
        .map_err(sql(file))?;
    let rows = stmt
        .query_map([stream], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(sql(file))?;
    let mut m = Mapping::default();
    for row in rows {
        let (kind, raw, value) = row.map_err(sql(file))?;
        let detail = format!("telemetry mapping of stream {stream:?}: {kind} {raw:?} = {value:?}");
        let corrupt = || {
            Error::Store(tributary_store::Error::Corrupt {
                path: file.to_owned(),
                detail: detail.clone(),
            })
        };
        match kind.as_str() {
            "state" => m.states.push(StateMap {
                status: raw,
                state: FlowState::parse(&value).ok_or_else(corrupt)?,
            }),
            "stage" => m.stages.push(StageMap {
                status: raw,
                stage: value,
            }),
            "type" => m.types.push(TypeMap {
                item_type: raw,
                kind: ItemKind::parse(&value).ok_or_else(corrupt)?,
            }),
            _ => return Err(corrupt()),
        }
    }
    Ok(m)
}

/// Replaces the stream's stored mapping.
pub(crate) fn save(conn: &Connection, file: &Path, stream: &str, m: &Mapping) -> Result<()> {
    conn.execute(
        "DELETE FROM telemetry_mapping WHERE stream_id = ?1",
        [stream],
    )
    .map_err(sql(file))?;
    let mut stmt = conn
        .prepare(
            "INSERT INTO telemetry_mapping (stream_id, kind, raw, value, ord) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql(file))?;
    let rows = m
        .states
        .iter()
        .map(|s| ("state", s.status.as_str(), s.state.as_str()))
        .chain(
            m.stages
                .iter()
                .map(|s| ("stage", s.status.as_str(), s.stage.as_str())),
        )
        .chain(
            m.types
                .iter()
                .map(|t| ("type", t.item_type.as_str(), t.kind.as_str())),
        );
    for (ord, (kind, raw, value)) in rows.enumerate() {
        stmt.execute(params![stream, kind, raw, value, ord as i64])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Invalid(format!("the mapping names {kind} {raw:?} twice"))
                }
                e => sql(file)(e),
            })?;
    }
    Ok(())
}
