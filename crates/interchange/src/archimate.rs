//! ArchiMate's Open Group exchange format (3.0, 3.1, 3.2): inspect a file for the mapping
//! step, read it into a model with everything else kept, and write a model back.

use std::io::Read;

use tributary_core::Model;

use crate::doc::Doc;
use crate::error::Result;
use crate::kept::{Imported, Inspection, Kept, Mapping};
use crate::{export, import, xml_read, xml_write};

pub use xml_read::DEFAULT_LIMIT;

/// What the file holds and the mapping Tributary proposes for it.
pub fn inspect(bytes: &[u8]) -> Result<Inspection> {
    let doc = xml_read::parse_bytes(bytes, DEFAULT_LIMIT)?;
    import::check_doc(&doc)?;
    Ok(crate::mapping::inspect(&doc))
}

/// Reads an exchange file into a valid model, the kept rest and a report.
pub fn read(bytes: &[u8], mapping: &Mapping) -> Result<Imported> {
    imported(xml_read::parse_bytes(bytes, DEFAULT_LIMIT)?, mapping)
}

/// As [`read`], from a stream (memory follows what is kept, not the size of the text);
/// errors give byte offsets rather than lines. `limit` caps the bytes read.
pub fn read_from(input: impl Read, mapping: &Mapping, limit: u64) -> Result<Imported> {
    imported(xml_read::parse_reader(input, limit)?, mapping)
}

pub(crate) fn imported(doc: Doc, mapping: &Mapping) -> Result<Imported> {
    let built = import::build(&doc, mapping)?;
    Ok(Imported {
        model: built.model,
        kept: Kept {
            mapping: mapping.clone(),
            links: built.links,
            doc,
        },
        report: built.report,
    })
}

/// Writes the model as an exchange file; with what an import kept, everything of the original
/// file is written back, updated where the model changed.
pub fn write(model: &Model, kept: Option<&Kept>) -> Result<String> {
    let mut doc = export::build_doc(model, kept)?;
    crate::ids::make_valid(&mut doc);
    Ok(xml_write::write(&doc))
}
