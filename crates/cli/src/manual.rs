//! The CLI described for shells and for `man`, from the same clap definition that parses it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use tributary_api::{ApiError, ErrorCode};

use crate::args::Cli;

pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, ApiError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tributary", &mut out);
    let mut stdout = std::io::stdout().lock();
    // text this program made itself: nothing of the user's to clean, as `out` cleans it
    let _ = stdout.write_all(&out);
    let _ = stdout.flush();
    Ok(ExitCode::SUCCESS)
}

/// The manual pages, into `dir`: `tributary.1`, and one page per command
/// (`tributary-report.1`), as git has them.
pub fn pages(dir: &Path) -> Result<ExitCode, ApiError> {
    let cmd = Cli::command();
    std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(cmd, dir))
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Io,
                format!(
                    "the manual pages could not be written to {}: {e}",
                    dir.display()
                ),
            )
        })?;
    Ok(ExitCode::SUCCESS)
}
