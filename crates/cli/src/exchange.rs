//! `tributary import --format archimate|archi-csv` and `export --format archi-csv`: models
//! from and to architecture tools, through the api's interchange.

use std::path::Path;
use std::process::ExitCode;

use tributary_api::interchange::{self, ExchangeFormat, ExchangeMapping};
use tributary_api::{ApiError, ErrorCode, Session};

use crate::out;
use crate::print::count;

fn format_of(name: &str) -> Result<ExchangeFormat, ApiError> {
    match name {
        "archimate" => Ok(ExchangeFormat::Archimate),
        "archi-csv" => Ok(ExchangeFormat::ArchiCsv),
        other => Err(ApiError::new(
            ErrorCode::Invalid,
            format!("unknown import format {other:?} (expected json, archimate or archi-csv)"),
        )),
    }
}

pub fn import(
    src: &Path,
    output: &Path,
    format: &str,
    pbc_types: Vec<String>,
    language: Option<String>,
) -> Result<ExitCode, ApiError> {
    let format = format_of(format)?;
    let mut mapping = match format {
        ExchangeFormat::Archimate => interchange::inspect_archimate(src)?.proposed,
        ExchangeFormat::ArchiCsv => ExchangeMapping::default(),
    };
    if !pbc_types.is_empty() {
        mapping.pbc_types = pbc_types;
    }
    if language.is_some() {
        mapping.language = language;
    }
    let (_, r) = interchange::import_exchange(src, format, &mapping, output)?;
    let kept: usize = r.kept_elements.iter().map(|c| c.count).sum();
    let mut text = format!(
        "imported {} into {}: {}, {}, {}, {}; {} and {} kept for export\n",
        src.display(),
        output.display(),
        count(r.streams, "stream"),
        count(r.stages, "stage"),
        count(r.pbcs, "PBC"),
        count(r.assignments, "assignment"),
        count(kept, "element"),
        count(
            r.kept_relationships.iter().map(|c| c.count).sum(),
            "relationship"
        ),
    );
    for w in r.warnings.iter().take(20) {
        text.push_str(&format!("  warning: {w}\n"));
    }
    out(&text)
}

/// Archi's three CSV files into the folder `dir`.
pub fn export_archi_csv(file: &Path, dir: &Path) -> Result<ExitCode, ApiError> {
    let files = Session::open_read_only(file)?.export_archi_csv()?;
    std::fs::create_dir_all(dir)
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", dir.display())))?;
    for (name, text) in &files {
        tributary_api::write_atomically(&dir.join(name), text.as_bytes())?;
    }
    out(&format!(
        "wrote {} files into {}\n",
        files.len(),
        dir.display()
    ))
}
