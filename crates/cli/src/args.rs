//! The command line, as clap parses it. Nothing here acts; `main` turns it into calls.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tributary_api::export::ExportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "tributary",
    version = tributary_api::VERSION,
    long_version = tributary_api::LONG_VERSION,
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
        /// A tributary/1 JSON model, an ArchiMate exchange file, or Archi's CSV (the folder of
        /// its three files, or its elements.csv).
        json: PathBuf,
        /// The model file to create.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
        /// json (default), archimate or archi-csv.
        #[arg(long, default_value = "json")]
        format: String,
        /// ArchiMate element types that become PBCs (default: what the file proposes, e.g.
        /// Capability, or ApplicationComponent when it has no capabilities).
        #[arg(long, value_delimiter = ',')]
        pbc_types: Vec<String>,
        /// The language whose names win in a multilingual file (an xml:lang, e.g. en or nl).
        #[arg(long)]
        language: Option<String>,
    },
    /// Write a model as canonical tributary/1 JSON (stable order, diffs well in git).
    Export {
        file: PathBuf,
        /// Where to write (default: standard output; xlsx and png need a file).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// json (the model), pdf (the board report of the first stream), xlsx (workbook), svg
        /// or png (the value stream map), csv (a table; with -o DIR, every table), archimate
        /// (an ArchiMate exchange file), archi-csv (Archi's three CSV files, into -o DIR).
        #[arg(long, default_value = "json", value_parser = export_format)]
        format: ExportAs,
        /// The stream to map (svg, png) or to limit the sheets and tables to (xlsx, csv).
        #[arg(long)]
        stream: Option<String>,
        /// The CSV table: stages (default), matrix, initiatives or comparison.
        #[arg(long)]
        table: Option<String>,
        #[command(flatten)]
        share: crate::share::ShareFlags,
    },
    /// A board report as PDF: summary, value stream map, where the time goes, the dependency
    /// matrix, the scenario's business case, initiatives and a 90-day roadmap.
    Report {
        file: PathBuf,
        /// The stream the report is about.
        #[arg(long)]
        stream: String,
        /// Compare the current state with this scenario.
        #[arg(long)]
        scenario: Option<String>,
        /// The PDF to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Who prepared the report (default: the model's author).
        #[arg(long)]
        author: Option<String>,
        /// The report's date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
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
    // Measured flow from telemetry: `telemetry`, `flow`, `forecast`, `calibrate`, `dora`.
    #[command(flatten)]
    Measured(crate::telemetry::Commands),
    // Sharing: `diff`, `merge`, `versions`, `conflicts`, `propose`, `git`.
    #[command(flatten)]
    Shared(crate::share::Commands),
    /// Monte Carlo simulation of work items through a stream: lead time percentiles, throughput,
    /// utilisation, rework and the cost of delay as ranges; with --scenario, beside the baseline.
    Simulate(crate::simulate::SimulateArgs),
    /// Distributed traces beside the model: where integration between PBCs costs time.
    Traces {
        #[command(subcommand)]
        command: crate::traces::TracesCmd,
    },
    /// A workshop room: the model live in participants' browsers, for estimates, votes and notes.
    Room {
        #[command(subcommand)]
        command: crate::room::RoomCmd,
    },
    /// Undo the last edit saved in a model file.
    Undo { file: PathBuf },
    /// Redo the last undone edit.
    Redo { file: PathBuf },
    /// Shell completions on stdout (the package installs them for bash, zsh and fish):
    /// `tributary completions bash > ~/.local/share/bash-completion/completions/tributary`.
    Completions { shell: clap_complete::Shell },
    /// Writes the manual pages (roff) into DIR; the package installs them (`man tributary`).
    #[command(hide = true)]
    Manual { dir: PathBuf },
}

/// An export format, or Archi's CSV, which is three files and the CLI's alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportAs {
    Format(ExportFormat),
    ArchiCsv,
}

fn export_format(text: &str) -> Result<ExportAs, String> {
    if text.eq_ignore_ascii_case("archi-csv") {
        return Ok(ExportAs::ArchiCsv);
    }
    text.parse().map(ExportAs::Format)
}
