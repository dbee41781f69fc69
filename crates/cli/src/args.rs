//! The command line, as clap parses it. Nothing here acts; `main` turns it into calls.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tributary",
    version,
    about = "Value stream models: flow metrics, cost of delay and scenarios, from the command line.",
    long_about = "Value stream models: flow metrics, cost of delay and scenarios, from the command line.\n\n\
        FILE is a .tributary model file; `metrics` and `validate` also read a tributary/1 JSON model.\n\
        Tables are for people; add --json for machine-readable output. Errors go to stderr with a\n\
        non-zero exit code."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create a new, empty model file.
    New {
        file: PathBuf,
        /// Model name (default: the file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Turn a tributary/1 JSON model into a model file.
    Import {
        json: PathBuf,
        /// The model file to create.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write a model as canonical tributary/1 JSON (stable order, diffs well in git).
    Export {
        file: PathBuf,
        /// Where to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Flow metrics of every stream: lead time, flow efficiency, %C&A, bottleneck, cost of delay.
    Metrics {
        file: PathBuf,
        /// Compute the model as this scenario makes it.
        #[arg(long)]
        scenario: Option<String>,
        /// Only this stream.
        #[arg(long)]
        stream: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A scenario against the baseline: time and money saved, investment, payback, NPV.
    Compare {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        #[arg(long)]
        json: bool,
    },
    /// Initiatives ranked by CD3 and WSJF, and the sequence with the least delay cost.
    Prioritize {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The PBC x stage dependency matrix and the lead time each PBC costs each stream.
    Matrix {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check a model and list every problem. Exit code 1 when there are errors.
    Validate {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Apply one edit, given as a JSON command (see docs/commands.md), and save it.
    Edit {
        file: PathBuf,
        /// The command as JSON, or @PATH to read it from a file.
        command: String,
    },
    /// Undo the last edit saved in a model file.
    Undo { file: PathBuf },
    /// Redo the last undone edit.
    Redo { file: PathBuf },
}
