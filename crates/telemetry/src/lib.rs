//! Measured flow: work-item and delivery telemetry kept in the model file, beside the drawn map.
//!
//! Exports of ticketing systems and pipelines are parsed ([`formats`]) into one neutral event
//! log, checked with [`import::prepare`] (items that do not chain are repaired or quarantined,
//! [`repair`]) and stored by the store in one transaction (idempotent: a re-import adds
//! nothing). A stream's [`mapping::Mapping`] says how raw statuses read as flow states and
//! stages. From the log come the measured flow ([`flow`]), Monte Carlo forecasts
//! ([`forecast`]), the DORA keys ([`dora`]) and the calibration of the map ([`calibrate`]).
//! Definitions follow REFERENCE.md section 6; `docs/telemetry.md` says what each format holds.
//!
//! Everything here computes over data in memory: the store reads and writes the model file's
//! telemetry tables, and the api wires the two together. Telemetry is never loaded into the
//! model itself; only each stream's mapping is part of the model.

pub mod calibrate;
pub mod dora;
mod error;
pub mod event;
pub mod fetch;
pub mod flow;
pub mod forecast;
pub mod formats;
pub mod history;
pub mod import;
pub mod mapping;
pub mod repair;
pub mod stats;
pub mod time;

#[cfg(feature = "testkit")]
pub mod testkit;

pub use calibrate::{Calibration, Statistic, Target};
pub use dora::DoraReport;
pub use error::{Error, Location, Result};
pub use flow::{FlowOptions, FlowReport};
pub use forecast::{Forecast, Question};
pub use formats::{Control, Export, Format, Page, Phase, Progress, Select};
pub use history::History;
pub use import::{
    ImportOptions, ImportRecord, ImportReport, Outcome, Prepared, Preview, StatusCount, TypeCount,
    preview, preview_with, status_counts, type_counts,
};
pub use mapping::{FlowState, ItemKind, Mapping, MappingToml, UnknownKey, propose, unknown_keys};
pub use repair::{Quarantine, Repair, RowCounts, Rule};
