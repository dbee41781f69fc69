//! `tributary`: value stream models from the command line. Parses arguments, calls the api,
//! prints. Errors go to stderr with exit code 1 (2 for usage errors, from clap).

mod args;
mod print;
mod report;
mod simulate;
mod telemetry;

use std::io::Write;
use std::path::Path;
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
            eprintln!("error: {}", e.message);
            for p in e.problems.iter().skip(1).take(20) {
                eprintln!("  {p}");
            }
            ExitCode::FAILURE
        }
    }
}

fn out(text: &str) -> Result<ExitCode, ApiError> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`tributary metrics m | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(ExitCode::SUCCESS)
}

fn json<T: Serialize>(value: &T) -> Result<ExitCode, ApiError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    out(&format!("{text}\n"))
}

fn run(cmd: Cmd) -> Result<ExitCode, ApiError> {
    match cmd {
        Cmd::New { file, name } => {
            let mut model = api::new_model(&file);
            if let Some(n) = name {
                model.name = n;
            }
            Session::create(&file, &model)?.close()?;
            out(&format!("created {}\n", file.display()))
        }
        Cmd::Import {
            json: src,
            output,
            force,
        } => {
            let model = api::read_json(&src)?;
            if force && output.exists() {
                // Write beside and swap in, so a failure keeps the old file.
                let tmp = output.with_extension("tributary.importing");
                let _ = std::fs::remove_file(&tmp);
                Session::create(&tmp, &model)?.close()?;
                std::fs::rename(&tmp, &output).map_err(|e| {
                    ApiError::new(ErrorCode::Io, format!("{}: {e}", output.display()))
                })?;
            } else {
                Session::create(&output, &model)?.close()?;
            }
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
        Cmd::Export {
            file,
            output,
            format,
            stream,
            table,
        } => report::export(
            &file,
            format,
            output.as_deref(),
            stream.as_deref(),
            table.as_deref(),
        ),
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
            json: as_json,
        } => {
            let model = api::load_model(&file)?;
            let mut m = api::metrics(&model, scenario.as_deref())?;
            if let Some(id) = &stream {
                m.streams.retain(|s| &s.id == id);
                if m.streams.is_empty() {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        format!("{}: stream {id:?} does not exist", file.display()),
                    ));
                }
            }
            if as_json {
                json(&m)
            } else {
                out(&print::metrics(&model, &m, scenario.as_deref()))
            }
        }
        Cmd::Compare {
            file,
            scenario,
            json: as_json,
        } => {
            let model = api::load_model(&file)?;
            let c = api::compare(&model, &scenario).map_err(|e| api::in_file(&file, e))?;
            if as_json {
                json(&c)
            } else {
                out(&print::comparison(&c))
            }
        }
        Cmd::Prioritize {
            file,
            json: as_json,
        } => {
            let model = api::load_model(&file)?;
            let p = api::prioritize(&model);
            if as_json {
                json(&p)
            } else {
                out(&print::prioritization(&model, &p))
            }
        }
        Cmd::Matrix {
            file,
            json: as_json,
        } => {
            let model = api::load_model(&file)?;
            let m = api::dependency_matrix(&model)?;
            if as_json {
                json(&m)
            } else {
                out(&print::matrix(&model, &m))
            }
        }
        Cmd::Validate {
            file,
            json: as_json,
        } => {
            let problems = api::validate_file(&file)?;
            let failed = problems.iter().any(|p| p.severity == Severity::Error);
            if as_json {
                json(&problems)?;
            } else {
                out(&print::problems(&problems))?;
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Edit { file, command } => {
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
            let mut s = Session::open(&file)?;
            let label = cmd.label();
            s.execute(&cmd).map_err(|e| api::in_file(&file, e))?;
            s.close()?;
            out(&format!("{label}: saved in {}\n", file.display()))
        }
        Cmd::Measured(cmd) => telemetry::run(cmd),
        Cmd::Simulate(args) => simulate::run(args),
        Cmd::Undo { file } => history(&file, true),
        Cmd::Redo { file } => history(&file, false),
    }
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
