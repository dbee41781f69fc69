//! `tributary`: value stream models from the command line. Parses arguments, calls the api,
//! prints. Errors go to stderr with exit code 1 (2 for usage errors, from clap).

mod args;
mod exchange;
mod manual;
mod print;
mod report;
mod room;
mod share;
mod simulate;
mod telemetry;
mod traces;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use serde::Serialize;
use tributary_api::engine::Severity;
use tributary_api::engine::edit::Command;
use tributary_api::{self as api, ApiError, ErrorCode, Session};

use args::{Cli, Cmd};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // With --json, a failure is JSON too (on stderr), so a script can read its code and the
    // place of each problem.
    let as_json = std::env::args().any(|a| a == "--json");
    match run(cli.command) {
        Ok(code) => code,
        Err(e) if as_json => {
            let text = serde_json::to_string_pretty(&serde_json::json!({ "error": e }))
                .unwrap_or_else(|_| format!("{{\"error\": {{\"message\": {:?}}}}}", e.message));
            eprintln!("{text}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {}", print::visible(&e.message));
            for p in e.problems.iter().skip(1).take(20) {
                eprintln!("  {}", print::visible(&p.to_string()));
            }
            ExitCode::FAILURE
        }
    }
}

fn out(text: &str) -> Result<ExitCode, ApiError> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`tributary metrics m | head`) is not an error worth reporting.
    let _ = stdout.write_all(print::visible(text).as_bytes());
    let _ = stdout.flush();
    Ok(ExitCode::SUCCESS)
}

fn json<T: Serialize>(value: &T) -> Result<ExitCode, ApiError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    out(&format!("{text}\n"))
}

fn export(
    file: &Path,
    format: args::ExportAs,
    output: Option<PathBuf>,
    stream: Option<&str>,
    table: Option<&str>,
) -> Result<ExitCode, ApiError> {
    match format {
        args::ExportAs::Format(format) => {
            report::export(file, format, output.as_deref(), stream, table)
        }
        args::ExportAs::ArchiCsv => {
            let dir = output.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Invalid,
                    "archi-csv is three files: give -o FOLDER",
                )
            })?;
            exchange::export_archi_csv(file, &dir)
        }
    }
}

fn compare(file: &Path, scenario: &str, as_json: bool) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let c = api::compare(&model, scenario).map_err(|e| api::in_file(file, e))?;
    show(as_json, &c, || print::comparison(&c))
}

fn prioritize(file: &Path, as_json: bool) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let p = api::prioritize(&model).map_err(|e| api::in_file(file, e))?;
    show(as_json, &p, || print::prioritization(&model, &p))
}

fn matrix(file: &Path, as_json: bool) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let m = api::dependency_matrix(&model)?;
    show(as_json, &m, || print::matrix(&model, &m))
}

fn run(cmd: Cmd) -> Result<ExitCode, ApiError> {
    match cmd {
        Cmd::New { file, name } => new(&file, name),
        Cmd::Import {
            json: src,
            output,
            force,
            format,
            pbc_types,
            language,
        } => match format.as_str() {
            "json" => import(&src, &output, force),
            other => exchange::import(&src, &output, other, pbc_types, language),
        },
        Cmd::Export {
            file,
            output,
            share,
            ..
        } if share.share => share::export(&file, output.as_deref(), &share),
        Cmd::Export {
            file,
            output,
            format,
            stream,
            table,
            share: _,
        } => export(&file, format, output, stream.as_deref(), table.as_deref()),
        Cmd::Report {
            file,
            stream,
            scenario,
            output,
            author,
            date,
        } => report::report(
            &file,
            &stream,
            scenario.as_deref(),
            &output,
            author,
            date.as_deref(),
        ),
        Cmd::Metrics {
            file,
            scenario,
            stream,
            json,
        } => metrics(&file, scenario.as_deref(), stream.as_deref(), json),
        Cmd::Compare {
            file,
            scenario,
            json,
        } => compare(&file, &scenario, json),
        Cmd::Prioritize { file, json } => prioritize(&file, json),
        Cmd::Matrix { file, json } => matrix(&file, json),
        Cmd::Validate { file, json } => validate(&file, json),
        Cmd::Edit { file, command } => edit(&file, command),
        Cmd::Measured(cmd) => telemetry::run(cmd),
        Cmd::Shared(cmd) => share::run(cmd),
        Cmd::Simulate(args) => simulate::run(args),
        Cmd::Traces { command } => traces::run(command),
        Cmd::Room { command } => room::run(command),
        Cmd::Undo { file } => history(&file, true),
        Cmd::Redo { file } => history(&file, false),
        Cmd::Completions { shell } => manual::completions(shell),
        Cmd::Manual { dir } => manual::pages(&dir),
    }
}

/// JSON for machines, or the table `table` makes for people.
pub(crate) fn show<T: Serialize>(
    as_json: bool,
    value: &T,
    table: impl FnOnce() -> String,
) -> Result<ExitCode, ApiError> {
    if as_json { json(value) } else { out(&table()) }
}

fn new(file: &Path, name: Option<String>) -> Result<ExitCode, ApiError> {
    let mut model = api::new_model(file);
    if let Some(n) = name {
        model.name = n;
    }
    Session::create(file, &model)?.close()?;
    out(&format!("created {}\n", file.display()))
}

fn import(src: &Path, output: &Path, force: bool) -> Result<ExitCode, ApiError> {
    let model = api::import_json(src, output, force)?;
    let stages: usize = model.streams.iter().map(|s| s.stages.len()).sum();
    out(&format!(
        "imported {} into {}: {}, {}, {}, {}\n",
        src.display(),
        output.display(),
        print::count(model.streams.len(), "stream"),
        print::count(stages, "stage"),
        print::count(model.pbcs.len(), "PBC"),
        print::count(model.scenarios.len(), "scenario")
    ))
}

fn metrics(
    file: &Path,
    scenario: Option<&str>,
    stream: Option<&str>,
    as_json: bool,
) -> Result<ExitCode, ApiError> {
    let model = api::load_model(file)?;
    let mut m = api::metrics(&model, scenario)?;
    if let Some(id) = stream {
        m.streams.retain(|s| s.id == id);
        if m.streams.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("{}: stream {id:?} does not exist", file.display()),
            ));
        }
    }
    show(as_json, &m, || print::metrics(&model, &m, scenario))
}

/// Exit code 1 when the model has errors, whatever the format.
fn validate(file: &Path, as_json: bool) -> Result<ExitCode, ApiError> {
    let problems = api::validate_file(file)?;
    show(as_json, &problems, || print::problems(&problems))?;
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One command as JSON, given inline or as `@file.json`.
fn edit(file: &Path, command: String) -> Result<ExitCode, ApiError> {
    let text = match command.strip_prefix('@') {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{p}: {e}")))?,
        None => command,
    };
    let cmd: Command = serde_json::from_str(&text).map_err(|e| {
        ApiError::new(
            ErrorCode::Json,
            format!("the command is not valid (see docs/commands.md): {e}"),
        )
    })?;
    let mut s = Session::open(file)?;
    let label = cmd.label();
    s.execute(&cmd).map_err(|e| api::in_file(file, e))?;
    s.close()?;
    out(&format!("{label}: saved in {}\n", file.display()))
}

fn history(file: &Path, undo: bool) -> Result<ExitCode, ApiError> {
    let mut s = Session::open(file)?;
    let before = s.view()?;
    let label = if undo { before.undo } else { before.redo };
    let Some(label) = label else {
        return out(&format!(
            "nothing to {} in {}\n",
            if undo { "undo" } else { "redo" },
            file.display()
        ));
    };
    if undo {
        s.undo()?;
    } else {
        s.redo()?;
    }
    s.close()?;
    out(&format!(
        "{} {label}\n",
        if undo { "undid" } else { "redid" }
    ))
}
