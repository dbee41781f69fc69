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

pub use tributary_core::{FlowState, ItemKind, Mapping, StageMap, StateMap, TypeMap};

use crate::error::{Error, Result};

/// A mapping read from and written as its TOML file.
pub trait MappingToml: Sized {
    fn from_toml_file(path: &Path) -> Result<Self>;
    fn from_toml(text: &str) -> Result<Self, String>;
    fn to_toml(&self) -> String;
}

impl MappingToml for Mapping {
    /// Reads a mapping file.
    fn from_toml_file(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        <Mapping as MappingToml>::from_toml(&text).map_err(|message| Error::Mapping {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the TOML text of a mapping; the message names the table and key at fault.
    fn from_toml(text: &str) -> Result<Mapping, String> {
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
    fn to_toml(&self) -> String {
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
}
