//! `tributary report` (the PDF board report) and the non-JSON formats of `tributary export`
//! (xlsx, svg, png, csv). The documents come from `tributary-report`; this module loads the
//! model, names the file in errors, and writes atomically (a temporary file and a rename),
//! so a failure never leaves half a file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use tributary_api::{self as api, ApiError, ErrorCode};
use tributary_report::{self as report, MapOptions, ReportDate, ReportError, ReportOptions, Table};

/// What `tributary export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Canonical tributary/1 JSON (the default).
    Json,
    /// Excel workbook: a sheet per stream, the dependency matrix, scenarios, initiatives.
    Xlsx,
    /// The value stream map as SVG.
    Svg,
    /// The value stream map as PNG (144 dpi).
    Png,
    /// One table as CSV (see --table); with -o DIR, every table into that folder.
    Csv,
}

/// Pixels per point of exported PNG maps (2 = 144 dpi).
const PNG_SCALE: f32 = 2.0;

fn date_or_today(date: Option<&str>) -> Result<ReportDate, ApiError> {
    match date {
        Some(d) => d
            .parse()
            .map_err(|e: ReportError| ApiError::new(ErrorCode::Invalid, format!("--date: {e}"))),
        None => api::today().parse().map_err(|e: ReportError| {
            ApiError::new(ErrorCode::Internal, format!("the system clock: {e}"))
        }),
    }
}

/// `tributary report FILE --stream ID [--scenario ID] -o out.pdf [--author NAME] [--date D]`
///
/// On a `.tributary` file whose stream has telemetry with finished items, the report gains
/// the measured-flow page; a JSON model holds no telemetry.
pub fn report(
    file: &Path,
    stream: &str,
    scenario: Option<&str>,
    output: &Path,
    author: Option<String>,
    date: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let (model, measured) = match api::sniff(file)? {
        api::FileKind::Json => (api::read_json(file)?, None),
        api::FileKind::Tributary => {
            let session = api::Session::open_read_only(file)?;
            let measured = session
                .measured_flow(stream)
                .map_err(|e| api::in_file(file, e))?;
            (session.model().clone(), measured)
        }
    };
    let with_flow = measured.as_ref().map(|m| {
        format!(
            "; measured flow of {} item{}, {}..{}",
            m.items_done,
            if m.items_done == 1 { "" } else { "s" },
            m.window_from,
            m.window_to
        )
    });
    let options = ReportOptions {
        stream: stream.to_owned(),
        scenario: scenario.map(str::to_owned),
        date: date_or_today(date)?,
        author,
        measured,
    };
    let built = report::Report::build(&model, &options).map_err(|e| api::in_file(file, e))?;
    let pdf = built.pdf().map_err(|e| api::in_file(file, e))?;
    save(output, &pdf)?;
    println!(
        "wrote {} ({} pages{})",
        output.display(),
        built.page_count(),
        with_flow.unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tributary export FILE --format xlsx|svg|png|csv [-o PATH] [--stream ID] [--table T]`
pub fn export(
    file: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    stream: Option<&str>,
    table: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let map = || MapOptions {
        stream: stream.map(str::to_owned),
        ..MapOptions::default()
    };
    let needs_output = |what: &str| {
        ApiError::new(
            ErrorCode::Invalid,
            format!("{what} is binary: give the file to write with -o PATH"),
        )
    };
    match format {
        ExportFormat::Json => Err(ApiError::new(
            ErrorCode::Internal,
            "JSON export is handled by the export command itself",
        )),
        ExportFormat::Xlsx => {
            let path = output.ok_or_else(|| needs_output("an Excel workbook"))?;
            let bytes = report::workbook(&model, stream).map_err(|e| api::in_file(file, e))?;
            write(path, &bytes)
        }
        ExportFormat::Png => {
            let path = output.ok_or_else(|| needs_output("a PNG picture"))?;
            let bytes =
                report::map_png(&model, &map(), PNG_SCALE).map_err(|e| api::in_file(file, e))?;
            write(path, &bytes)
        }
        ExportFormat::Svg => {
            let svg = report::map_svg(&model, &map()).map_err(|e| api::in_file(file, e))?;
            match output {
                Some(path) => write(path, svg.as_bytes()),
                None => stdout(svg.as_bytes()),
            }
        }
        ExportFormat::Csv => {
            let chosen: Option<Table> = table
                .map(|t| {
                    t.parse()
                        .map_err(|e: String| ApiError::new(ErrorCode::Invalid, e))
                })
                .transpose()?;
            match output {
                Some(dir) if dir.is_dir() => {
                    // every table (or the one asked for) into the folder; check all first
                    let tables: Vec<Table> = chosen.map_or(Table::ALL.to_vec(), |t| vec![t]);
                    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
                    for t in tables {
                        let bytes = report::csv_table(&model, t, stream)
                            .map_err(|e| api::in_file(file, e))?;
                        files.push((dir.join(format!("{}.csv", t.name())), bytes));
                    }
                    for (path, bytes) in &files {
                        save(path, bytes)?;
                    }
                    println!("wrote {} tables into {}", files.len(), dir.display());
                    Ok(ExitCode::SUCCESS)
                }
                Some(path) => {
                    let t = chosen.unwrap_or(Table::Stages);
                    let bytes =
                        report::csv_table(&model, t, stream).map_err(|e| api::in_file(file, e))?;
                    write(path, &bytes)
                }
                None => {
                    let t = chosen.unwrap_or(Table::Stages);
                    let bytes =
                        report::csv_table(&model, t, stream).map_err(|e| api::in_file(file, e))?;
                    stdout(&bytes)
                }
            }
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<ExitCode, ApiError> {
    save(path, bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes through a temporary file and a rename; a missing folder or a folder given as the
/// file is named plainly.
fn save(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    if path.is_dir() {
        return Err(ApiError::new(
            ErrorCode::Io,
            format!("cannot write {}: it is a folder", path.display()),
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(ApiError::new(
            ErrorCode::Io,
            format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                parent.display()
            ),
        ));
    }
    api::write_atomically(path, bytes).map_err(|mut e| {
        e.message = format!("cannot write {}", e.message);
        e
    })
}

fn stdout(bytes: &[u8]) -> Result<ExitCode, ApiError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe is not an error worth reporting.
    let _ = out.write_all(bytes);
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}
