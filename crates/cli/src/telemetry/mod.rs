//! Measured flow from telemetry: `telemetry import|preview|map|imports`, `flow`,
//! `forecast`, `calibrate` and `dora`. Arguments are parsed here, the work is done through the
//! api, and this module only prints (tables for people, `--json` for machines).

mod fetch;
mod import;

use fetch::FetchCmd;
use import::{ImportArgs, PreviewArgs};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use tributary_api::engine::format::{number, percent};
use tributary_api::telemetry::{
    Calibration, DEFAULT_SEED, DEFAULT_TRIALS, DoraReport, FlowReport, Forecast, Mapping,
    MappingToml, Question, Statistic, StatusCount, Target, TypeCount, format_instant,
};
use tributary_api::{ApiError, ErrorCode, Session};

use crate::print::{indented, rows, table};
use crate::show;

/// The measured-flow commands, flattened into the top-level command list.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Work-item and delivery telemetry kept in the model file: import or fetch it, map
    /// statuses.
    Telemetry {
        #[command(subcommand)]
        command: TelemetryCmd,
    },
    /// Measured flow of a stream: flow time, throughput, WIP, aging, efficiency, stages
    /// drawn vs measured.
    Flow(FlowArgs),
    /// Monte Carlo forecast: when will N items be done, or how many in D days.
    Forecast(ForecastArgs),
    /// Set a stream's stage times from its measured flow (one undo step).
    Calibrate(CalibrateArgs),
    /// DORA four keys: deployment frequency, lead time for changes, change failure rate,
    /// time to restore.
    Dora(DoraArgs),
}

#[derive(Debug, Subcommand)]
pub enum TelemetryCmd {
    /// Import an export into a stream's telemetry (idempotent: re-importing adds nothing).
    Import(ImportArgs),
    /// Show what an import would read: the first events, the statuses with their counts and
    /// the proposed mapping, what would be repaired or quarantined. Nothing is written.
    Preview(PreviewArgs),
    /// Fetch from a tracker's API instead of exporting (all pages, rate limits respected,
    /// only what changed since the last fetch), then import as a file would be.
    Fetch {
        #[command(subcommand)]
        source: FetchCmd,
    },
    /// Show a stream's statuses and types with their counts and mapping; set it with MAP.
    Map {
        file: PathBuf,
        #[arg(long)]
        stream: String,
        /// Mapping file (TOML) to store for the stream.
        map: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the imports recorded in a model file.
    Imports {
        file: PathBuf,
        #[arg(long)]
        stream: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct Window {
    /// First day of the window, YYYY-MM-DD (UTC).
    #[arg(long)]
    from: Option<String>,
    /// Last day of the window, inclusive.
    #[arg(long)]
    to: Option<String>,
}

#[derive(Debug, Args)]
pub struct FlowArgs {
    file: PathBuf,
    #[arg(long)]
    stream: String,
    #[command(flatten)]
    window: Window,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("question").required(true).args(["items", "days"])))]
pub struct ForecastArgs {
    file: PathBuf,
    #[arg(long)]
    stream: String,
    /// When will this many items be done?
    #[arg(long)]
    items: Option<u32>,
    /// How many items in this many days?
    #[arg(long)]
    days: Option<u32>,
    /// The history window (default: the last 90 days of data).
    #[command(flatten)]
    window: Window,
    #[arg(long, default_value_t = DEFAULT_TRIALS)]
    trials: u32,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    file: PathBuf,
    #[arg(long)]
    stream: String,
    /// median or mean of the measured times.
    #[arg(long, default_value = "median")]
    statistic: Statistic,
    /// Write into this scenario (created if missing) instead of the baseline.
    #[arg(long)]
    scenario: Option<String>,
    #[command(flatten)]
    window: Window,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct DoraArgs {
    file: PathBuf,
    /// Only this stream's deliveries (default: all).
    #[arg(long)]
    stream: Option<String>,
    #[command(flatten)]
    window: Window,
    #[arg(long)]
    json: bool,
}

/// The window's days, checked here so that an error names the option given.
fn window(w: &Window) -> Result<(Option<&str>, Option<&str>), ApiError> {
    tributary_api::telemetry::day(w.from.as_deref(), "--from")?;
    tributary_api::telemetry::day(w.to.as_deref(), "--to")?;
    Ok((w.from.as_deref(), w.to.as_deref()))
}

/// Now, as RFC 3339: the time an import is recorded under (the library reads no clock).
pub(super) fn now() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    format_instant(ms)
}

pub fn run(cmd: Commands) -> Result<ExitCode, ApiError> {
    match cmd {
        Commands::Telemetry { command } => match command {
            TelemetryCmd::Import(a) => import::import(a),
            TelemetryCmd::Preview(a) => import::preview(a),
            TelemetryCmd::Fetch { source } => fetch::run(source),
            TelemetryCmd::Map {
                file,
                stream,
                map,
                json,
            } => map_statuses(&file, &stream, map.as_deref(), json),
            TelemetryCmd::Imports { file, stream, json } => imports(&file, stream.as_deref(), json),
        },
        Commands::Flow(a) => {
            let (from, to) = window(&a.window)?;
            let doc = Session::open_read_only(&a.file)?;
            let r = doc.flow(&a.stream, from, to)?;
            show(a.json, &r, || print_flow(&doc, &r))
        }
        Commands::Forecast(a) => forecast(&a),
        Commands::Calibrate(a) => {
            let (from, to) = window(&a.window)?;
            let target = match &a.scenario {
                Some(name) => Target::Scenario { name: name.clone() },
                None => Target::Baseline,
            };
            let mut doc = Session::open(&a.file)?;
            let c = doc.calibrate(&a.stream, a.statistic, &target, from, to)?;
            doc.close()?;
            show(a.json, &c, || print_calibration(&a.file, &c))
        }
        Commands::Dora(a) => {
            let (from, to) = window(&a.window)?;
            let d = Session::open_read_only(&a.file)?.dora(a.stream.as_deref(), from, to)?;
            show(a.json, &d, || print_dora(&d))
        }
    }
}

/// Shows a stream's statuses and types with their mapping, after setting it from `map`.
fn map_statuses(
    file: &Path,
    stream: &str,
    map: Option<&Path>,
    as_json: bool,
) -> Result<ExitCode, ApiError> {
    let mut doc = match map {
        Some(_) => Session::open(file)?,
        None => Session::open_read_only(file)?,
    };
    if let Some(path) = map {
        let m = Mapping::from_toml_file(path).map_err(ApiError::from)?;
        for note in doc.mapping_notes(stream, &m)? {
            let _ = writeln!(std::io::stderr(), "note: {note}");
        }
        doc.set_mapping(stream, &m)?;
    }
    let statuses = doc.status_counts(stream)?;
    let types = doc.type_counts(stream)?;
    doc.close()?;
    let both = serde_json::json!({ "statuses": statuses, "types": types });
    show(as_json, &both, || print_mapping(&statuses, &types))
}

fn imports(file: &Path, stream: Option<&str>, as_json: bool) -> Result<ExitCode, ApiError> {
    let list = Session::open_read_only(file)?.imports(stream)?;
    show(as_json, &list, || {
        if list.is_empty() {
            return "No telemetry has been imported.\n".into();
        }
        let head = [
            "#",
            "Stream",
            "Source",
            "Format",
            "Imported at",
            "Rows",
            "Added",
        ];
        let mut t = table(4, &head);
        for r in &list {
            t.add_row(vec![
                r.id.to_string(),
                r.stream.clone(),
                r.source.clone(),
                r.format.clone(),
                r.imported_at.clone(),
                r.rows.to_string(),
                (r.events_added + r.deliveries_added).to_string(),
            ]);
        }
        indented(&t)
    })
}

fn forecast(a: &ForecastArgs) -> Result<ExitCode, ApiError> {
    let (from, to) = window(&a.window)?;
    let q = match (a.items, a.days) {
        (Some(items), _) => Question::When { items },
        (None, Some(days)) => Question::HowMany { days },
        (None, None) => return Err(ApiError::new(ErrorCode::Invalid, "give --items or --days")),
    };
    let doc = Session::open_read_only(&a.file)?;
    let f = doc.forecast(&a.stream, q, from, to, a.trials, a.seed)?;
    show(a.json, &f, || print_forecast(&a.stream, &f))
}

fn opt(v: Option<f64>) -> String {
    v.map_or("—".into(), number)
}

fn days(v: Option<f64>) -> String {
    v.map_or("—".into(), |d| format!("{} d", number(d)))
}

pub(super) fn print_mapping(statuses: &[StatusCount], types: &[TypeCount]) -> String {
    if statuses.is_empty() && types.is_empty() {
        return "The stream has no work-item telemetry yet.\n".into();
    }
    let mut t = table(
        3,
        &["Status", "Flow state", "Stage", "Events in", "Items now"],
    );
    for s in statuses {
        t.add_row(vec![
            s.status.clone(),
            s.state.map_or("(unmapped)".into(), |f| f.as_str().into()),
            s.stage.clone().unwrap_or_default(),
            s.events.to_string(),
            s.items_now.to_string(),
        ]);
    }
    let mut out = indented(&t);
    let mut t = table(2, &["Item type", "Kind", "Items"]);
    for ty in types {
        t.add_row(vec![
            ty.item_type.clone(),
            ty.kind.map_or("(unmapped)".into(), |k| k.as_str().into()),
            ty.items.to_string(),
        ]);
    }
    out.push('\n');
    out.push_str(&indented(&t));
    out
}

fn print_flow(doc: &Session, r: &FlowReport) -> String {
    let name = doc
        .model()
        .stream(&r.stream)
        .map_or(r.stream.clone(), |s| s.name.clone());
    let mut s = format!(
        "{name} (stream {:?}) · measured {}..{} ({} days)\n\n",
        r.stream, r.window.from, r.window.to, r.window.days
    );
    rows(&mut s, &flow_facts(r));
    flow_stages(&mut s, r);
    aging(&mut s, r);
    if !r.notes.is_empty() {
        s.push('\n');
        for n in &r.notes {
            s.push_str(&format!("note: {n}\n"));
        }
    }
    s
}

/// The headline figures of a measured flow.
fn flow_facts(r: &FlowReport) -> Vec<(&'static str, String)> {
    let ct = &r.cycle_time;
    let mut facts = vec![
        (
            "Flow time",
            if ct.count == 0 {
                "— (no item with a known start was done in the window)".into()
            } else {
                format!(
                    "50 % {} · 70 % {} · 85 % {} · 95 % {} (days, {} items)",
                    opt(ct.p50),
                    opt(ct.p70),
                    opt(ct.p85),
                    opt(ct.p95),
                    ct.count
                )
            },
        ),
        (
            "Throughput",
            format!(
                "{} done; {} a day; median {} a week",
                r.throughput.total,
                number(r.throughput.mean_per_day),
                opt(r.throughput.median_per_week)
            ),
        ),
        (
            "WIP",
            format!("{} at the end of the window (as of {})", r.wip, r.as_of),
        ),
        (
            "Flow efficiency",
            format!(
                "{} (active / flow time; median per item {})",
                r.flow_efficiency.map_or("—".into(), percent),
                r.flow_efficiency_median.map_or("—".into(), percent)
            ),
        ),
    ];
    let dist: Vec<String> = r
        .distribution
        .iter()
        .filter(|d| d.items > 0)
        .map(|d| format!("{} {}", d.kind, percent(d.share)))
        .collect();
    facts.push((
        "Distribution",
        if dist.is_empty() {
            "—".into()
        } else {
            dist.join(" · ")
        },
    ));
    facts
}

/// Each stage's drawn times against the measured ones.
fn flow_stages(s: &mut String, r: &FlowReport) {
    if r.stages.iter().any(|st| !st.statuses.is_empty()) {
        let u = r
            .stages
            .first()
            .map_or("h", |st| st.unit.suffix())
            .to_owned();
        s.push_str(&format!(
            "\nStages: drawn against measured (working time, {u}; ! = lead time off by more than 25 %)\n"
        ));
        let mut t = table(
            1,
            &[
                "Stage",
                "Items",
                "PT drawn",
                "PT median",
                "PT 85 %",
                "WT drawn",
                "WT median",
                "WT 85 %",
                "LT gap",
            ],
        );
        for st in &r.stages {
            let d = st.drawn.as_ref();
            t.add_row(vec![
                st.name.clone(),
                st.items.to_string(),
                d.map_or("—".into(), |d| number(d.process_time)),
                opt(st.measured.process_p50),
                opt(st.measured.process_p85),
                d.map_or("—".into(), |d| number(d.wait_time)),
                opt(st.measured.wait_p50),
                opt(st.measured.wait_p85),
                st.gap.as_ref().map_or("—".into(), |g| {
                    let arrow = if g.lead_time > 0.0 { "+" } else { "" };
                    format!(
                        "{arrow}{}{}",
                        number(g.lead_time),
                        if g.flagged { " !" } else { "" }
                    )
                }),
            ]);
        }
        s.push_str(&indented(&t));
    }
}

/// The oldest items in progress.
fn aging(s: &mut String, r: &FlowReport) {
    if !r.aging_wip.is_empty() {
        s.push_str("\nAging WIP (oldest first; ! = older than the 85th percentile of flow time)\n");
        let mut t = table(3, &["Item", "Status", "Stage", "Age"]);
        for a in r.aging_wip.iter().take(10) {
            t.add_row(vec![
                format!("{}{}", a.item_id, if a.beyond_p85 { " !" } else { "" }),
                a.status.clone(),
                a.stage.clone().unwrap_or_default(),
                format!(
                    "{}{}",
                    if a.start_unknown { ">= " } else { "" },
                    days(Some(a.age_days))
                ),
            ]);
        }
        s.push_str(&indented(&t));
        if r.aging_wip.len() > 10 {
            s.push_str(&format!("  ... and {} more\n", r.aging_wip.len() - 10));
        }
    }
}

fn print_forecast(stream: &str, f: &Forecast) -> String {
    let mut s = match (f.items, f.days) {
        (Some(n), _) => format!(
            "When will {n} items of stream {stream:?} be done? (day 1 = {} + 1 day)\n",
            f.window.to
        ),
        (_, Some(d)) => format!("How many items of stream {stream:?} in {d} days?\n"),
        _ => String::new(),
    };
    s.push_str(&format!(
        "{} trials, seed {}, history {}..{} ({} items in {} days)\n\n",
        f.trials, f.seed, f.window.from, f.window.to, f.history_items, f.window.days
    ));
    let mut t = table(1, &["Confidence", "Answer"]);
    for (c, v) in &f.percentiles {
        let answer = match f.question.as_str() {
            "when" => format!(
                "within {v} days ({})",
                f.dates.get(c).cloned().unwrap_or_default()
            ),
            _ => format!("at least {v} items"),
        };
        t.add_row(vec![format!("{c} %"), answer]);
    }
    s.push_str(&indented(&t));
    s
}

fn print_calibration(file: &Path, c: &Calibration) -> String {
    let u = c.unit.suffix();
    let target = match &c.target {
        Target::Baseline => "the baseline".to_owned(),
        Target::Scenario { name } => format!("scenario {name:?}"),
    };
    let mut s = format!(
        "Calibrated {target} of stream {:?} from the measured {} (saved in {}; `tributary undo` reverts it)\n\n",
        c.stream,
        c.statistic.as_str(),
        file.display()
    );
    let mut t = table(1, &["Stage", "Items", "Process", "Wait"]);
    for st in &c.stages {
        t.add_row(vec![
            st.name.clone(),
            st.items.to_string(),
            format!(
                "{} -> {} {u}",
                number(st.process_before),
                number(st.process_after)
            ),
            format!(
                "{} -> {} {u}",
                number(st.wait_before),
                number(st.wait_after)
            ),
        ]);
    }
    s.push_str(&indented(&t));
    for st in &c.stages {
        if let Some(n) = &st.note {
            s.push_str(&format!("note: {}: {n}\n", st.name));
        }
    }
    for k in &c.skipped {
        s.push_str(&format!("left as drawn: {k}\n"));
    }
    s
}

fn print_dora(d: &DoraReport) -> String {
    let mut s = format!(
        "DORA four keys{} · {}..{} ({} days)\n\n",
        d.stream
            .as_ref()
            .map_or(String::new(), |x| format!(" of stream {x:?}")),
        d.window.from,
        d.window.to,
        d.window.days
    );
    let df = &d.deployment_frequency;
    let lt = &d.lead_time_for_changes;
    let cfr = &d.change_failure_rate;
    let ttr = &d.time_to_restore;
    rows(
        &mut s,
        &[
            (
                "Deployment frequency",
                format!(
                    "{} a day ({} deployments); median {} a week",
                    number(df.mean_per_day),
                    df.deployments,
                    opt(df.median_per_week)
                ),
            ),
            (
                "Lead time for changes",
                format!(
                    "median {} hours ({} changes{})",
                    opt(lt.median_hours),
                    lt.changes,
                    if lt.ignored > 0 {
                        format!("; {} ignored, deployed before commit", lt.ignored)
                    } else {
                        String::new()
                    }
                ),
            ),
            (
                "Change failure rate",
                format!(
                    "{} ({} of {} deployments caused an incident)",
                    cfr.rate.map_or("unknown".into(), percent),
                    cfr.caused_incident,
                    cfr.deployments
                ),
            ),
            (
                "Time to restore",
                format!(
                    "median {} hours ({} incidents, {} open)",
                    opt(ttr.median_hours),
                    ttr.incidents,
                    ttr.open
                ),
            ),
        ],
    );
    for n in &d.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}
