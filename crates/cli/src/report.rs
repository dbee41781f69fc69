//! `tributary report` (the PDF board report) and `tributary export` (JSON, xlsx, svg, png,
//! csv). The documents come from the api; this module names the file in errors and writes
//! atomically (a temporary file and a rename), so a failure never leaves half a file.

use std::path::Path;
use std::process::ExitCode;

use tributary_api::export::{self, ExportFormat, ExportRequest};
use tributary_api::{self as api, ApiError, ErrorCode};

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
    let source = api::open_any(file)?;
    let req = ExportRequest {
        stream: Some(stream.to_owned()),
        scenario: scenario.map(str::to_owned),
        author,
        date: date.map(str::to_owned),
        ..ExportRequest::new(ExportFormat::Pdf)
    };
    let measured = source
        .report_measured(&req)
        .map_err(|e| api::in_file(file, e))?;
    let with_flow = measured.as_ref().map(|m| {
        format!(
            "; measured flow of {} item{}, {}..{}",
            m.items_done,
            if m.items_done == 1 { "" } else { "s" },
            m.window_from,
            m.window_to
        )
    });
    let done =
        export::export_full(source.model(), &req, measured).map_err(|e| api::in_file(file, e))?;
    save(output, &done.bytes)?;
    println!(
        "wrote {} ({} pages{})",
        output.display(),
        done.pages.unwrap_or(0),
        with_flow.unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tributary export FILE [--format F] [-o PATH] [--stream ID] [--table T]`: the canonical
/// JSON by default; binary formats need a file; CSV into a folder writes every table.
pub fn export(
    file: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    stream: Option<&str>,
    table: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let req = ExportRequest {
        stream: stream.map(str::to_owned),
        table: table.map(str::to_owned),
        ..ExportRequest::new(format)
    };
    if format == ExportFormat::Json {
        return match output {
            Some(path) => api::write_json(&model, path).map(|_| ExitCode::SUCCESS),
            None => stdout(tributary_api::engine::exchange::to_json(&model).as_bytes()),
        };
    }
    if let (ExportFormat::Csv, Some(dir)) = (format, output)
        && dir.is_dir()
    {
        // every table (or the one asked for) into the folder; made in full before writing
        let files = export::csv_tables(&model, &req).map_err(|e| api::in_file(file, e))?;
        for (name, bytes) in &files {
            save(&dir.join(name), bytes)?;
        }
        println!("wrote {} tables into {}", files.len(), dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    // through the open file, so that an exchange file carries what the model's own held
    let bytes = match api::open_any(file)? {
        api::Opened::File(s) => s.export(&req),
        api::Opened::Json(m) => export::export(&m, &req),
    }
    .map_err(|e| api::in_file(file, e))?;
    match output {
        Some(path) => write(path, &bytes),
        None if format.is_binary() => {
            let what = match format {
                ExportFormat::Pdf => "a PDF report",
                ExportFormat::Xlsx => "an Excel workbook",
                _ => "a PNG picture",
            };
            Err(ApiError::new(
                ErrorCode::Invalid,
                format!("{what} is binary: give the file to write with -o PATH"),
            ))
        }
        None => stdout(&bytes),
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
