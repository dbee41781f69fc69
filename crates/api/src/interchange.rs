//! Exchange with architecture tools: ArchiMate exchange files and Archi's CSV read into a
//! new model file (what the model does not hold is kept in the file and written back on
//! export), and any model written as either. The mapping is the interchange engine's.

use std::path::{Path, PathBuf};

use tributary_core::Model;
use tributary_interchange::{archi_csv, archimate};

use crate::{ApiError, ErrorCode, Result, Session};

pub use tributary_interchange::{Inspection, Kept, Mapping as ExchangeMapping, Report};

/// The largest exchange file read (the reader streams; the model and what is kept stay in
/// memory).
const LIMIT: u64 = 512 << 20;

impl From<tributary_interchange::Error> for ApiError {
    fn from(e: tributary_interchange::Error) -> Self {
        ApiError::new(ErrorCode::Invalid, e.to_string())
    }
}

/// What an exchange file is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeFormat {
    /// The Open Group ArchiMate Model Exchange File Format (XML).
    Archimate,
    /// Archi's CSV: `elements.csv`, `relations.csv`, `properties.csv` in one folder.
    ArchiCsv,
}

impl ExchangeFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeFormat::Archimate => "archimate",
            ExchangeFormat::ArchiCsv => "archi-csv",
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| crate::in_file(path, ApiError::new(ErrorCode::Io, e.to_string())))
}

/// The bytes of Archi's elements, relations and properties files.
type CsvBytes = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);

/// Archi's three CSV files: `path` is their folder or `elements.csv` itself (files may carry a
/// prefix, as Archi writes `model-elements.csv`).
fn csv_files(path: &Path) -> Result<CsvBytes> {
    let dir: PathBuf = if path.is_dir() {
        path.to_owned()
    } else {
        path.parent().map(Path::to_owned).unwrap_or_default()
    };
    let find = |name: &str| -> Option<PathBuf> {
        std::fs::read_dir(&dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(&format!("{name}.csv")))
            })
    };
    let elements = if path.is_dir() {
        find("elements").ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("{}: no elements.csv in the folder", path.display()),
            )
        })?
    } else {
        path.to_owned()
    };
    let optional = |name| find(name).map(|p| read(&p)).transpose();
    Ok((
        read(&elements)?,
        optional("relations")?,
        optional("properties")?,
    ))
}

/// What an ArchiMate exchange file holds, and the mapping proposed for it (the app's mapping
/// step shows this before anything is made).
pub fn inspect_archimate(path: &Path) -> Result<Inspection> {
    archimate::inspect(&read(path)?).map_err(|e| crate::in_file(path, e))
}

/// Reads an exchange file (or Archi's CSV) under `mapping` into a new model file at `out`,
/// keeping what the model does not hold. Nothing is made when the input is refused.
pub fn import_exchange(
    input: &Path,
    format: ExchangeFormat,
    mapping: &ExchangeMapping,
    out: &Path,
) -> Result<(Model, Report)> {
    let imported = match format {
        ExchangeFormat::Archimate => {
            let file = std::fs::File::open(input)
                .map_err(|e| crate::in_file(input, ApiError::new(ErrorCode::Io, e.to_string())))?;
            archimate::read_from(std::io::BufReader::new(file), mapping, LIMIT)
        }
        ExchangeFormat::ArchiCsv => {
            let (e, r, p) = csv_files(input)?;
            archi_csv::read(&e, r.as_deref(), p.as_deref(), mapping)
        }
    }
    .map_err(|e| crate::in_file(input, e))?;
    let kept = serde_json::to_string(&imported.kept)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let mut s = Session::create(out, &imported.model)?;
    s.doc.store_kept(format.as_str(), &kept)?;
    s.close()?;
    Ok((imported.model, imported.report))
}

impl Session {
    /// What an exchange file held beyond the model, if the model came from one.
    fn kept(&self) -> Result<Option<Kept>> {
        let Some((_, text)) = self.doc.kept()? else {
            return Ok(None);
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            ApiError::new(
                ErrorCode::Corrupt,
                format!("what the exchange file held cannot be read: {e}"),
            )
        })
    }

    /// The model as an ArchiMate exchange file, with what its own exchange file held.
    pub fn export_archimate(&self) -> Result<String> {
        Ok(archimate::write(self.doc.model(), self.kept()?.as_ref())?)
    }

    /// The model as Archi's three CSV files (file name, text).
    pub fn export_archi_csv(&self) -> Result<Vec<(String, String)>> {
        let files = archi_csv::write(self.doc.model(), self.kept()?.as_ref())?;
        Ok(vec![
            ("elements.csv".into(), files.elements),
            ("relations.csv".into(), files.relations),
            ("properties.csv".into(), files.properties),
        ])
    }
}

/// A JSON model as an ArchiMate exchange file (nothing kept from elsewhere).
pub fn archimate_of(model: &Model) -> Result<String> {
    Ok(archimate::write(model, None)?)
}
