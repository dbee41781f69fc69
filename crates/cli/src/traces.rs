//! `tributary traces import|fetch|show|calibrate`: distributed traces beside the model. The
//! aggregation, the comparison and the calibration are the traces engine's, through the api;
//! this module parses and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tributary_api::engine::format::{number, percent};
use tributary_api::traces::{
    CalibrateOptions, CompareOptions, Query, TraceComparison, TraceFormat, TraceImportReport,
    TraceServer, TraceStatistic,
};
use tributary_api::{ApiError, ErrorCode, Session};

use crate::print::{indented, table};
use crate::show;

#[derive(Debug, Subcommand)]
pub enum TracesCmd {
    /// Aggregate an export of distributed traces and keep the aggregates in the model file.
    Import {
        file: PathBuf,
        /// otlp-json, jaeger-json or zipkin-json.
        #[arg(long)]
        format: TraceFormat,
        input: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Read the traces of a service from a Jaeger or Grafana Tempo query API.
    Fetch(FetchArgs),
    /// The newest traces against the model: integrations and PBC times drawn vs measured.
    Show {
        file: PathBuf,
        /// p50 (default), p85, p95, p99 or mean.
        #[arg(long, default_value = "p50")]
        statistic: TraceStatistic,
        #[arg(long)]
        json: bool,
    },
    /// Write the measured latencies into the model's integrations (one undo step).
    Calibrate {
        file: PathBuf,
        #[arg(long, default_value = "p50")]
        statistic: TraceStatistic,
        /// Also set the process time each PBC adds where it serves one stage.
        #[arg(long)]
        pbc_times: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    file: PathBuf,
    /// The Jaeger query API, such as http://localhost:16686.
    #[arg(long, conflicts_with = "tempo", required_unless_present = "tempo")]
    jaeger: Option<String>,
    /// The Tempo API, such as http://localhost:3200.
    #[arg(long)]
    tempo: Option<String>,
    #[arg(long)]
    service: String,
    /// Start of the window, RFC 3339 (default: an hour ago).
    #[arg(long)]
    since: Option<String>,
    /// End of the window, RFC 3339 (default: now).
    #[arg(long)]
    until: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(cmd: TracesCmd) -> Result<ExitCode, ApiError> {
    match cmd {
        TracesCmd::Import {
            file,
            format,
            input,
            json,
        } => {
            let mut s = Session::open(&file)?;
            let r = s.import_traces(&input, format)?;
            s.close()?;
            show(json, &r, || print_import(&r))
        }
        TracesCmd::Fetch(a) => fetch(a),
        TracesCmd::Show {
            file,
            statistic,
            json,
        } => {
            let opts = CompareOptions {
                statistic,
                ..CompareOptions::default()
            };
            let c = Session::open_read_only(&file)?.trace_comparison(opts)?;
            show(json, &c, || print_comparison(&c))
        }
        TracesCmd::Calibrate {
            file,
            statistic,
            pbc_times,
            json,
        } => {
            let mut s = Session::open(&file)?;
            let c = s.calibrate_from_traces(CalibrateOptions {
                statistic,
                pbc_times,
            })?;
            s.close()?;
            show(json, &c, || {
                let mut out = format!(
                    "Calibrated {} integration latencies and {} PBC times from the traces' {} (`tributary undo` reverts it)\n",
                    c.latencies.len(),
                    c.pbc_times.len(),
                    c.statistic.as_str()
                );
                for why in &c.skipped {
                    out.push_str(&format!("  left as it is: {why}\n"));
                }
                out
            })
        }
    }
}

fn micros(text: Option<&str>, default: jiff::Timestamp, what: &str) -> Result<i64, ApiError> {
    let t = match text {
        Some(t) => t.parse::<jiff::Timestamp>().map_err(|e| {
            ApiError::new(
                ErrorCode::Invalid,
                format!("{what}: {t:?} is not an RFC 3339 time ({e})"),
            )
        })?,
        None => default,
    };
    Ok(t.as_microsecond())
}

fn fetch(a: FetchArgs) -> Result<ExitCode, ApiError> {
    let now = jiff::Timestamp::now();
    let hour_ago = now - jiff::SignedDuration::from_hours(1);
    let (server, base) = match (&a.jaeger, &a.tempo) {
        (Some(url), _) => (TraceServer::Jaeger, url.clone()),
        (None, Some(url)) => (TraceServer::Tempo, url.clone()),
        (None, None) => {
            return Err(ApiError::new(
                ErrorCode::Invalid,
                "give --jaeger or --tempo",
            ));
        }
    };
    let query = Query {
        base_url: base,
        service: a.service.clone(),
        start_us: micros(a.since.as_deref(), hour_ago, "--since")?,
        end_us: micros(a.until.as_deref(), now, "--until")?,
    };
    let mut s = Session::open(&a.file)?;
    let r = s.fetch_traces(server, &query)?;
    s.close()?;
    show(a.json, &r, || print_import(&r))
}

fn print_import(r: &TraceImportReport) -> String {
    let c = &r.summary.counts;
    let mut out = format!(
        "imported {} ({}): {} spans read, {} used, {} repaired, {} refused\n",
        r.source,
        r.format.as_str(),
        c.read,
        c.used,
        c.repaired,
        c.refused
    );
    out.push_str(&print_comparison(&r.comparison));
    out
}

fn print_comparison(c: &TraceComparison) -> String {
    let u = c.unit.suffix();
    let mut out = format!(
        "\nIntegrations, drawn against measured ({}):\n",
        c.statistic.as_str()
    );
    let mut t = table(
        1,
        &[
            "Integration",
            "Style",
            "Calls",
            "Errors",
            "Drawn",
            "Measured",
            "Gap",
        ],
    );
    for i in &c.integrations {
        let (drawn, measured, gap) =
            i.latency
                .as_ref()
                .map_or(("—".into(), "not seen".into(), String::new()), |g| {
                    let flag = if g.flagged { " !" } else { "" };
                    (
                        format!("{} {u}", number(g.drawn)),
                        format!("{} {u}", number(g.measured)),
                        format!("{}{flag}", number(g.gap)),
                    )
                });
        t.add_row(vec![
            format!("{} -> {}", i.from, i.to),
            format!("{:?}", i.style).to_lowercase(),
            i.calls.to_string(),
            percent(i.error_share),
            drawn,
            measured,
            gap,
        ]);
    }
    out.push_str(&indented(&t));
    if !c.slowest.is_empty() {
        let top: Vec<&str> = c.slowest.iter().take(5).map(String::as_str).collect();
        out.push_str(&format!(
            "\nSlowest interfaces (time their calls cost): {}\n",
            top.join(", ")
        ));
    }
    for s in c.unmapped.iter().take(20) {
        out.push_str(&format!(
            "  unmapped service {:?}: {} spans (list it among a PBC's systems)\n",
            s.service, s.spans
        ));
    }
    for n in &c.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
