//! Interchange with architecture tools: ArchiMate exchange files ([`archimate`]) and Archi's
//! CSV ([`archi_csv`]) read into a Tributary model and written back without loss, and
//! spreadsheets of stages and PBCs from application-portfolio tools ([`sheet`]).
//!
//! Pure: it reads the bytes it is given and returns values; the caller stores them. The mapping
//! is described in `docs/interchange.md`.

pub mod archi_csv;
pub mod archimate;
mod decode;
pub mod doc;
mod error;
mod export;
mod fields;
mod ids;
mod import;
mod kept;
mod mapping;
pub mod sheet;
mod view;
mod xml_read;
mod xml_write;

pub use error::{At, Error, Result};
pub use kept::{
    AssignmentLink, Count, EdgeLink, Imported, Inspection, Kept, Links, Mapping, PropertyInfo,
    Report, StageLink, SystemLink, ValueStreamInfo,
};
