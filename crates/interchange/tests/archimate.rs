//! ArchiMate exchange files: the real files from Archi's test suite, round trips both ways,
//! schema validity of everything written, and bad input.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use tributary_interchange::{Mapping, archimate};

#[test]
fn each_real_file_goes_archi_tributary_archi_without_loss() {
    for f in REAL {
        let bytes = read_external(f);
        let proposed = archimate::inspect(&bytes).unwrap().proposed;
        let imported = archimate::read(&bytes, &proposed).unwrap();
        let xml = archimate::write(&imported.model, Some(&imported.kept)).unwrap();
        assert_schema_valid(&xml, f);
        let back = archimate::read(xml.as_bytes(), &proposed).unwrap().kept.doc;
        let original = &imported.kept.doc;
        assert_eq!(
            concept_rows(&back),
            concept_rows(original),
            "{f}: elements and relationships"
        );
        assert_eq!(view_rows(&back), view_rows(original), "{f}: views");
        assert_eq!(
            model_rows(&back),
            model_rows(original),
            "{f}: model, metadata, organisations"
        );
    }
}
