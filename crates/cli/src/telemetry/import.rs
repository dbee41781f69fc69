//! `tributary telemetry import` and `preview`: the options that say how to read an export,
//! and the report of what became of every row (used, repaired, quarantined, duplicate,
//! skipped), with the `[states]` block to paste for what is unmapped.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use tributary_api::telemetry::{
    Format, ImportControl, ImportOptions, ImportReport, Mapping, MappingToml, Outcome, Page,
    Preview, Quarantine, Repair, RowCounts, Select,
};
use tributary_api::{ApiError, ErrorCode, Session};

use crate::print::{indented, rows, table};
use crate::show;

/// How to read an export: shared by `import`, `preview` and `fetch`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Mapping file (TOML: [states], optional [stages] and [types]); replaces the stream's.
    #[arg(long = "map")]
    pub map: Option<PathBuf>,
    /// IANA time zone of times without an offset (default UTC).
    #[arg(long)]
    pub time_zone: Option<String>,
    /// Keep names of people (assignee, actor, commit author). Off by default.
    #[arg(long)]
    pub personal_data: bool,
    /// Refuse the whole file when any item needs a repair or is quarantined.
    #[arg(long)]
    pub strict: bool,
    /// stage-dates-csv: the stage columns, FROM..TO (header names); detected when not given.
    #[arg(long, value_name = "FROM..TO")]
    pub stages: Option<String>,
    /// GitHub Actions: the deployment workflow (name, file such as deploy.yml, or id); may be
    /// given more than once. GitLab pipelines: the pipeline name.
    #[arg(long)]
    pub workflow: Vec<String>,
    /// GitHub Actions, GitLab pipelines: only runs of this branch.
    #[arg(long)]
    pub branch: Option<String>,
    /// GitHub Actions: only runs of this event (push, workflow_dispatch, ...); GitLab: source.
    #[arg(long)]
    pub event: Option<String>,
}

impl ReadArgs {
    /// The import options these arguments say, for `stream` and `format`.
    pub fn options(
        &self,
        stream: &str,
        format: Format,
        now: &str,
    ) -> Result<ImportOptions, ApiError> {
        let mut opts = ImportOptions::new(stream, format, now);
        opts.mapping = self
            .map
            .as_deref()
            .map(Mapping::from_toml_file)
            .transpose()
            .map_err(ApiError::from)?;
        opts.personal = self.personal_data;
        opts.time_zone = self.time_zone.clone();
        opts.strict = self.strict;
        opts.select = Select {
            stages: self.stages.as_deref().map(stage_range).transpose()?,
            workflows: self.workflow.clone(),
            branch: self.branch.clone(),
            event: self.event.clone(),
        };
        Ok(opts)
    }
}

fn stage_range(text: &str) -> Result<(String, String), ApiError> {
    match text.split_once("..") {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_owned(), b.trim().to_owned()))
        }
        _ => Err(ApiError::new(
            ErrorCode::Invalid,
            format!("--stages {text:?}: give the first and last stage column as FROM..TO"),
        )),
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The .tributary model file.
    file: PathBuf,
    /// The stream the data belongs to.
    #[arg(long)]
    stream: String,
    /// events-csv, jira-json, jira-history-csv, jira-csv, stage-dates-csv,
    /// azure-devops-json, gitlab-events-json, github-timeline-json, github-actions-json,
    /// gitlab-pipelines-json or deployments-csv.
    #[arg(long)]
    format: Format,
    /// The export to read.
    input: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The .tributary model file (for the stream's current mapping).
    file: PathBuf,
    /// The format of the export (see `telemetry import --help`).
    #[arg(long)]
    format: Format,
    /// The export to read.
    input: PathBuf,
    /// The stream whose mapping to read the export under (default: none).
    #[arg(long)]
    stream: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long)]
    json: bool,
}

pub fn import(a: ImportArgs) -> Result<ExitCode, ApiError> {
    let opts = a.read.options(&a.stream, a.format, &super::now())?;
    let mut doc = Session::open(&a.file)?;
    let report = doc.import_with(&a.input, &opts, ImportControl::default())?;
    doc.close()?;
    show(a.json, &report, || print_import(&a.file, &a.input, &report))
}

pub fn preview(a: PreviewArgs) -> Result<ExitCode, ApiError> {
    let doc = Session::open_read_only(&a.file)?;
    let stream = a.stream.clone().unwrap_or_default();
    let mut opts = a.read.options(&stream, a.format, &super::now())?;
    if a.stream.is_none() && opts.mapping.is_none() {
        opts.mapping = Some(Mapping::default());
    }
    let p = doc.telemetry_preview_with(&a.input, &opts, ImportControl::default())?;
    show(a.json, &p, || print_preview(&a.input, &p))
}

/// "120 (100 used, 5 repaired, ...)", or the count alone when every row was used.
fn row_line(c: &RowCounts) -> String {
    let parts: Vec<String> = [
        (c.used, "used"),
        (c.repaired, "repaired"),
        (c.quarantined, "quarantined"),
        (c.duplicates, "duplicates"),
        (c.skipped, "skipped"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    if c.used == c.read {
        c.read.to_string()
    } else {
        format!("{} ({})", c.read, parts.join(", "))
    }
}

pub(super) fn print_import(file: &Path, input: &Path, r: &ImportReport) -> String {
    let mut s = format!(
        "imported {} ({}) into {}, stream {:?}\n",
        input.display(),
        r.format,
        file.display(),
        r.stream
    );
    rows(&mut s, &import_facts(r));
    page(&mut s, r.page.as_ref());
    lists(&mut s, &r.rows, &r.repaired, &r.quarantined);
    unmapped(&mut s, r);
    for l in &r.limitations {
        s.push_str(&format!("limitation: {l}\n"));
    }
    for n in &r.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

fn import_facts(r: &ImportReport) -> Vec<(&'static str, String)> {
    let mut facts = vec![("Rows read", row_line(&r.rows))];
    if r.items > 0 || r.events > 0 {
        facts.push((
            "Items",
            format!(
                "{} ({} new, {} updated)",
                r.items, r.items_added, r.items_updated
            ),
        ));
        let left = if r.events_left_out > 0 {
            format!(", {} left out", r.events_left_out)
        } else {
            String::new()
        };
        facts.push((
            "Events",
            format!(
                "{} ({} new, {} already stored{left})",
                r.events, r.events_added, r.events_existing
            ),
        ));
    }
    if r.deployments_added + r.changes_added + r.incidents_added + r.incidents_resolved > 0 {
        facts.push((
            "Deliveries added",
            format!(
                "{} deployments, {} changes, {} incidents ({} resolved since)",
                r.deployments_added, r.changes_added, r.incidents_added, r.incidents_resolved
            ),
        ));
    }
    match r.outcome {
        Outcome::Stored => {}
        Outcome::AlreadyImported => {
            facts.push((
                "Result",
                "nothing new: the file was already imported".into(),
            ));
        }
        Outcome::NothingToImport => {
            facts.push((
                "Result",
                "nothing to import: no row holds a usable status change or delivery (see below)"
                    .into(),
            ));
        }
    }
    if r.mapping_changed {
        facts.push(("Mapping", "replaced from the mapping file".into()));
    }
    facts.push((
        "Personal data",
        if r.personal_data {
            "kept (asked for)".into()
        } else {
            "not kept".into()
        },
    ));
    facts
}

fn page(s: &mut String, p: Option<&Page>) {
    if let Some(p) = p {
        s.push_str(&format!("\nPage: {}\n", p.message));
    }
}

/// The skipped rows by reason, and every repaired and quarantined item.
fn lists(s: &mut String, c: &RowCounts, repaired: &[Repair], quarantined: &[Quarantine]) {
    if !c.skipped_why.is_empty() {
        s.push_str("\nSkipped rows:\n");
        for w in &c.skipped_why {
            s.push_str(&format!("  {} {}\n", w.count, w.name));
        }
    }
    if !repaired.is_empty() {
        s.push_str(&format!(
            "\nRepaired items ({}; the rules are in docs/telemetry.md):\n",
            repaired.len()
        ));
        let mut t = table(2, &["Item", "Rule", "What was done"]);
        for r in repaired {
            t.add_row(vec![
                r.item_id.clone(),
                r.rule.to_string(),
                r.detail.clone(),
            ]);
        }
        s.push_str(&indented(&t));
    }
    if !quarantined.is_empty() {
        s.push_str(&format!(
            "\nQuarantined items ({}; left out of this import, the rest is stored):\n",
            quarantined.len()
        ));
        let mut t = table(2, &["Item", "Where", "Why"]);
        for q in quarantined {
            t.add_row(vec![
                q.item_id.clone(),
                q.location.clone(),
                q.reason.clone(),
            ]);
        }
        s.push_str(&indented(&t));
    }
}

fn unmapped(s: &mut String, r: &ImportReport) {
    if !r.unmapped_statuses.is_empty() {
        s.push_str("\nUnmapped statuses, in workflow order (map them with --map or `tributary telemetry map`):\n");
        for c in r.unmapped_statuses.iter().take(20) {
            s.push_str(&format!("  {:?}: {} events\n", c.name, c.count));
        }
        if r.unmapped_statuses.len() > 20 {
            let more = r.unmapped_statuses.len() - 20;
            s.push_str(&format!(
                "  ... and {more} more (all of them with --json)\n"
            ));
        }
        if let Some(block) = &r.states_block {
            s.push_str("A block to paste into the mapping file:\n\n");
            s.push_str(block);
            s.push('\n');
        }
    }
    if !r.unmapped_types.is_empty() {
        s.push_str("Unmapped item types:\n");
        for c in r.unmapped_types.iter().take(20) {
            s.push_str(&format!("  {:?}: {} items\n", c.name, c.count));
        }
        if r.unmapped_types.len() > 20 {
            let more = r.unmapped_types.len() - 20;
            s.push_str(&format!(
                "  ... and {more} more (all of them with --json)\n"
            ));
        }
    }
}

fn print_preview(input: &Path, p: &Preview) -> String {
    let mut s = format!(
        "{} read as {} (nothing is written)\n",
        input.display(),
        p.format
    );
    let mut facts = vec![
        ("Rows read", row_line(&p.row_counts)),
        ("Items", p.items.to_string()),
    ];
    facts.push(("Events", p.events_total.to_string()));
    if p.deployments + p.changes + p.incidents > 0 {
        facts.push((
            "Deliveries",
            format!(
                "{} deployments, {} changes, {} incidents",
                p.deployments, p.changes, p.incidents
            ),
        ));
    }
    rows(&mut s, &facts);
    page(&mut s, p.page.as_ref());
    lists(&mut s, &p.row_counts, &p.repaired, &p.quarantined);
    if !p.events.is_empty() {
        s.push_str("\nFirst events:\n");
        let mut t = table(2, &["Item", "Type", "Time", "From", "To"]);
        for e in p.events.iter().take(10) {
            t.add_row(vec![
                e.item_id.clone(),
                e.item_type.clone(),
                e.timestamp.clone(),
                e.from_state.clone(),
                e.to_state.clone(),
            ]);
        }
        s.push_str(&indented(&t));
    }
    if !p.statuses.is_empty() {
        s.push_str("\nStatuses, in workflow order:\n");
        s.push_str(&super::print_mapping(&p.statuses, &p.types));
        s.push_str("\nProposed mapping (check every line, then import with --map):\n\n");
        s.push_str(&p.proposed_mapping);
    }
    for l in &p.limitations {
        s.push_str(&format!("limitation: {l}\n"));
    }
    for n in &p.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}
