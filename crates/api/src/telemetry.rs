//! Measured flow of an open model file: imports (parsed and checked by the telemetry engine,
//! stored by the store in one transaction), the mapping (a model edit with undo), and the
//! figures computed over the stored history: flow, forecasts, DORA keys, calibration.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use tributary_core::edit::Command;
use tributary_core::telemetry::History;
use tributary_telemetry::{self as telemetry, flow::FlowOptions};

use crate::{ApiError, ErrorCode, ModelView, Result, Session};

pub use tributary_telemetry::forecast::{DEFAULT_SEED, DEFAULT_TRIALS};
pub use tributary_telemetry::time::format_instant;
pub use tributary_telemetry::{
    Calibration, Control as ImportControl, DoraReport, FlowReport, Forecast, Format, ImportOptions,
    ImportRecord, ImportReport, Mapping, MappingToml, Outcome, Page, Phase, Preview,
    Progress as ImportProgress, Quarantine, Question, Repair, RowCounts, Rule, Select, Statistic,
    StatusCount, Target, TypeCount,
};

pub use tributary_telemetry::fetch::{
    AzureQuery, FetchOptions, FetchReport, GitHubQuery, GitLabQuery, JiraQuery, Query as FetchQuery,
};

/// What a fetch did: the requests it sent, and the import of each export it fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FetchOutcome {
    pub fetch: FetchReport,
    pub imports: Vec<ImportReport>,
}

/// An import checked and ready to be stored.
struct Ready {
    prepared: telemetry::Prepared,
    set: Option<Command>,
    mapping: Mapping,
    stream: String,
    notes: Vec<String>,
}

/// The token for `query` from the first of its environment variables that is set. It is
/// never stored in the model file or printed.
pub fn fetch_token(query: &FetchQuery) -> Option<(&'static str, String)> {
    query.token_variables().iter().find_map(|v| {
        std::env::var(v)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(|t| (*v, t.trim().to_owned()))
    })
}

/// A refused token's error says where tokens are read from.
fn token_hint(query: &FetchQuery, e: telemetry::Error) -> telemetry::Error {
    match e {
        telemetry::Error::Fetch { url, message } if message.starts_with("HTTP 401") => {
            telemetry::Error::Fetch {
                url,
                message: format!(
                    "{message}; the token is read from ${}",
                    query.token_variables().join(" or $")
                ),
            }
        }
        e => e,
    }
}

/// A day given as YYYY-MM-DD, as a day number.
pub fn day(text: Option<&str>, what: &str) -> Result<Option<i64>> {
    text.map(|t| {
        telemetry::time::parse_day(t)
            .map_err(|e| ApiError::new(ErrorCode::Invalid, format!("{what}: {e}")))
    })
    .transpose()
}

fn window(from: Option<&str>, to: Option<&str>) -> Result<FlowOptions> {
    Ok(FlowOptions {
        from: day(from, "from")?,
        to: day(to, "to")?,
    })
}

/// Reports the store's progress as the import's "writing" phase, and hears its cancel.
fn writing<'a>(control: &'a ImportControl<'a>) -> impl FnMut(u64, u64) -> bool + 'a {
    let mut shown: Option<u64> = None;
    move |written, total| {
        let step = written / 50_000;
        if shown != Some(step) || written == total {
            control.report(Phase::Writing, written, total);
            shown = Some(step);
        }
        !control.cancelled()
    }
}

impl Session {
    fn require_stream(&self, stream: &str) -> Result<()> {
        let model = self.doc.model();
        if model.stream(stream).is_some() {
            return Ok(());
        }
        Err(ApiError::from(telemetry::Error::NoStream {
            path: self.doc.path().to_owned(),
            stream: stream.to_owned(),
            available: model.streams.iter().map(|s| s.id.clone()).collect(),
        }))
    }

    fn item_history(&self, stream: &str) -> Result<History> {
        self.require_stream(stream)?;
        Ok(self.doc.item_history(stream)?)
    }

    /// The stream's telemetry mapping (empty when it has none).
    pub fn mapping(&self, stream: &str) -> Result<Mapping> {
        self.require_stream(stream)?;
        Ok(self.doc.model().mapping(stream))
    }

    /// Sets how a stream's statuses read: one edit, undone like any other. A key that names
    /// no status of the stream's telemetry but is close to one is refused ("did you mean").
    pub fn set_mapping(&mut self, stream: &str, mapping: &Mapping) -> Result<ModelView> {
        self.require_stream(stream)?;
        self.check_keys(stream, mapping, None)?;
        self.execute(&Command::SetMapping {
            stream: stream.to_owned(),
            mapping: mapping.clone(),
        })
    }

    /// What `set_mapping` would say of `mapping`: an error for keys that look like misspelt
    /// statuses or types of the stream, else a note for each key that matches nothing yet
    /// (kept, for when it appears). Shown to the user, so that no key is accepted silently.
    pub fn mapping_notes(&self, stream: &str, mapping: &Mapping) -> Result<Vec<String>> {
        self.require_stream(stream)?;
        self.check_keys(stream, mapping, None)
    }

    /// Refuses a mapping whose keys look like misspelt statuses or types of the stream (its
    /// stored log and `export`); returns notes for keys that match nothing yet.
    fn check_keys(
        &self,
        stream: &str,
        mapping: &Mapping,
        export: Option<&telemetry::Export>,
    ) -> Result<Vec<String>> {
        let (mut statuses, mut types) = self.doc.telemetry_names(stream)?;
        if let Some(x) = export {
            for e in &x.events {
                for s in [&e.from, &e.to] {
                    if !s.is_empty() {
                        statuses.push(s.clone());
                    }
                }
            }
            types.extend(x.items.iter().map(|i| i.item_type.clone()));
        }
        statuses.sort_unstable();
        statuses.dedup();
        types.sort_unstable();
        types.dedup();
        let unknown = telemetry::unknown_keys(mapping, &statuses, &types);
        let (close, far): (Vec<_>, Vec<_>) = unknown.into_iter().partition(|k| k.closest.is_some());
        if !close.is_empty() {
            let lines: Vec<String> = close.iter().map(ToString::to_string).collect();
            return Err(ApiError::new(
                ErrorCode::Invalid,
                format!(
                    "the mapping for stream {stream:?} names statuses it does not have: {}",
                    lines.join("; ")
                ),
            ));
        }
        Ok(far
            .iter()
            .map(|k| format!("mapping: {k} yet (kept for when it appears)"))
            .collect())
    }

    /// Reads an export without storing anything: the first rows and the statuses with their
    /// counts, under the stream's current mapping.
    pub fn telemetry_preview(
        &self,
        input: &Path,
        format: Format,
        stream: &str,
        control: ImportControl<'_>,
    ) -> Result<Preview> {
        self.telemetry_preview_with(
            input,
            &ImportOptions::new(stream, format, "1970-01-01T00:00:00Z"),
            control,
        )
    }

    /// [`Session::telemetry_preview`] with every option of an import (stage columns, the
    /// workflows of GitHub Actions runs, time zone); `opts.mapping`, when given, stands for the
    /// stream's mapping.
    pub fn telemetry_preview_with(
        &self,
        input: &Path,
        opts: &ImportOptions,
        control: ImportControl<'_>,
    ) -> Result<Preview> {
        let mapping = match &opts.mapping {
            Some(m) => m.clone(),
            None => self.mapping(&opts.stream)?,
        };
        Ok(telemetry::preview_with(input, opts, &mapping, 20, control)?)
    }

    /// Imports an export into a stream's telemetry, with the app's defaults (no personal
    /// data, UTC, recorded now).
    pub fn telemetry_import(
        &mut self,
        input: &Path,
        format: Format,
        stream: &str,
        mapping: Option<Mapping>,
        control: ImportControl<'_>,
    ) -> Result<ImportReport> {
        let mut opts = ImportOptions::new(stream, format, &jiff::Timestamp::now().to_string());
        opts.mapping = mapping;
        self.import_with(input, &opts, control)
    }

    /// Imports an export: the data in one transaction, then the mapping it brings (if it
    /// changes the stream's) as one edit. Bad input, a failure or a cancel store nothing;
    /// items that do not read as clean chains are repaired or quarantined (all of them listed
    /// in the report), or refuse the file with `opts.strict`.
    pub fn import_with(
        &mut self,
        input: &Path,
        opts: &ImportOptions,
        control: ImportControl<'_>,
    ) -> Result<ImportReport> {
        self.require_stream(&opts.stream)?;
        let (set, mapping) = self.planned_mapping(opts)?;
        let export = telemetry::import::read(input, opts, &mapping, control)?;
        let ready = self.prepare_export(input, opts, export, set, mapping, control)?;
        self.commit_export(ready, control)
    }

    /// The mapping an import sets (as the edit to make, refused before anything is read when
    /// the engine would refuse it), and the mapping to read the export under.
    fn planned_mapping(&self, opts: &ImportOptions) -> Result<(Option<Command>, Mapping)> {
        let current = self.doc.model().mapping(&opts.stream);
        let set = opts
            .mapping
            .as_ref()
            .filter(|m| **m != current)
            .map(|m| Command::SetMapping {
                stream: opts.stream.clone(),
                mapping: m.clone(),
            });
        if let Some(cmd) = &set {
            tributary_core::edit::plan(self.doc.model(), cmd).map_err(|e| self.in_file(e))?;
        }
        Ok((set, opts.mapping.clone().unwrap_or(current)))
    }

    /// Everything about an import that can fail before anything is written: the mapping's
    /// keys, the check against what is stored.
    fn prepare_export(
        &self,
        input: &Path,
        opts: &ImportOptions,
        export: telemetry::Export,
        set: Option<Command>,
        mapping: Mapping,
        control: ImportControl<'_>,
    ) -> Result<Ready> {
        let notes = match &set {
            Some(_) => self.check_keys(&opts.stream, &mapping, Some(&export))?,
            None => Vec::new(),
        };
        let stored = if export.events.is_empty() {
            Default::default()
        } else {
            self.doc.stored_events(&opts.stream)?
        };
        let prepared =
            telemetry::import::prepare(input, opts, export, &stored, set.is_some(), control)?;
        Ok(Ready {
            prepared,
            set,
            mapping,
            stream: opts.stream.clone(),
            notes,
        })
    }

    /// Stores a prepared import in one transaction, then sets its mapping (one edit).
    fn commit_export(&mut self, ready: Ready, control: ImportControl<'_>) -> Result<ImportReport> {
        let Ready {
            prepared,
            set,
            mapping,
            stream,
            notes,
        } = ready;
        let counts = self
            .doc
            .store_import(prepared.batch(), &mut writing(&control))
            .map_err(|e| match e {
                tributary_store::Error::Cancelled => ApiError::from(telemetry::Error::Cancelled),
                e => ApiError::from(e),
            })?;
        if let Some(cmd) = &set {
            self.doc.execute(cmd)?;
        }
        let history = if prepared.needs_history() {
            Some(self.doc.item_history(&stream)?)
        } else {
            None
        };
        let mut report = prepared.finish(counts, history.as_ref(), &mapping);
        report.notes.extend(notes);
        Ok(report)
    }

    /// When the last fetch of `source` into `stream` started (UTC ms): the next asks only for
    /// what changed since.
    fn last_fetch(&self, stream: &str, source: &str) -> Result<Option<i64>> {
        Ok(self
            .doc
            .telemetry_imports(Some(stream))?
            .iter()
            .filter(|r| r.source == source)
            .filter_map(|r| r.imported_at.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond())
            .max())
    }

    /// Fetches from a tracker's API what `query` names (only what changed since the last fetch
    /// of the same query into the stream) and imports it as a file would be: everything is
    /// fetched and checked first, then each export (GitHub gives two: the timelines and the
    /// runs) is stored in one transaction. `opts.imported_at` should be when the fetch starts.
    /// The token is sent to the server only; a cut connection, a refused token or a cancel
    /// store nothing.
    pub fn fetch(
        &mut self,
        query: &FetchQuery,
        token: Option<String>,
        opts: &ImportOptions,
        fetch_opts: &FetchOptions,
        control: ImportControl<'_>,
    ) -> Result<FetchOutcome> {
        self.require_stream(&opts.stream)?;
        let (set, mapping) = self.planned_mapping(opts)?;
        let source = query.source();
        let since = self.last_fetch(&opts.stream, &source)?;
        let (fetched, fetch) =
            telemetry::fetch::fetch(query, &query.auth(token), since, fetch_opts, control)
                .map_err(|e| token_hint(query, e))?;
        let name = std::path::PathBuf::from(&source);
        let mut ready = Vec::with_capacity(fetched.len());
        for (k, f) in fetched.iter().enumerate() {
            let mut o = opts.clone();
            o.format = f.format;
            o.source = Some(source.clone());
            if let FetchQuery::GitHub(q) = query {
                o.select.workflows.clone_from(&q.workflows);
            }
            let export = telemetry::import::read_bytes(&f.body, &name, &o, &mapping, control)?;
            let set_now = if k == 0 { set.clone() } else { None };
            ready.push(self.prepare_export(
                &name,
                &o,
                export,
                set_now,
                mapping.clone(),
                control,
            )?);
        }
        let mut imports = Vec::with_capacity(ready.len());
        for r in ready {
            imports.push(self.commit_export(r, control)?);
        }
        Ok(FetchOutcome { fetch, imports })
    }

    fn in_file(&self, e: tributary_core::Error) -> ApiError {
        crate::in_file(self.doc.path(), e)
    }

    /// The imports recorded in the file (of one stream, or all), oldest first.
    pub fn imports(&self, stream: Option<&str>) -> Result<Vec<ImportRecord>> {
        Ok(self.doc.telemetry_imports(stream)?)
    }

    /// Every raw status of the stream's stored log with its counts and mapping.
    pub fn status_counts(&self, stream: &str) -> Result<Vec<StatusCount>> {
        let h = self.item_history(stream)?;
        Ok(telemetry::status_counts(
            &h,
            &self.doc.model().mapping(stream),
        ))
    }

    /// Every raw item type of the stream's stored log with its count and mapping.
    pub fn type_counts(&self, stream: &str) -> Result<Vec<TypeCount>> {
        let h = self.item_history(stream)?;
        Ok(telemetry::type_counts(
            &h,
            &self.doc.model().mapping(stream),
        ))
    }

    /// The measured flow of a stream over `from..=to` (YYYY-MM-DD; default: all its data),
    /// with what each import's format cannot measure among its notes.
    pub fn flow(&self, stream: &str, from: Option<&str>, to: Option<&str>) -> Result<FlowReport> {
        self.flow_in(stream, window(from, to)?)
    }

    fn flow_in(&self, stream: &str, opts: FlowOptions) -> Result<FlowReport> {
        let h = self.item_history(stream)?;
        let model = self.doc.model();
        let mut report = telemetry::flow::compute(&h, &model.mapping(stream), Some(model), opts)?;
        for rec in self.doc.telemetry_imports(Some(stream))? {
            for line in rec.note.iter().flat_map(|n| n.lines()) {
                let line = format!("{} ({}): {line}", rec.source, rec.format);
                if !report.notes.contains(&line) {
                    report.notes.push(line);
                }
            }
        }
        Ok(report)
    }

    /// A Monte Carlo forecast over the history window (default: the last 90 days of data).
    pub fn forecast(
        &self,
        stream: &str,
        question: Question,
        from: Option<&str>,
        to: Option<&str>,
        trials: u32,
        seed: u64,
    ) -> Result<Forecast> {
        let h = self.item_history(stream)?;
        let w = window(from, to)?;
        let mapping = self.doc.model().mapping(stream);
        Ok(telemetry::forecast::forecast_stream(
            &h, &mapping, question, w.from, w.to, trials, seed,
        )?)
    }

    /// The DORA four keys of one stream's deliveries, or of all streams'.
    pub fn dora(
        &self,
        stream: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<DoraReport> {
        if let Some(s) = stream {
            self.require_stream(s)?;
        }
        let w = window(from, to)?;
        let d = self.doc.deliveries(stream)?;
        Ok(telemetry::dora::compute(&d, stream, w.from, w.to)?)
    }

    /// What calibrating a stream from its measured flow would change, without changing it.
    pub fn plan_calibration(
        &self,
        stream: &str,
        statistic: Statistic,
        target: &Target,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Calibration> {
        let report = self.flow(stream, from, to)?;
        Ok(telemetry::calibrate::plan(
            self.doc.model(),
            &report,
            statistic,
            target,
        )?)
    }

    /// Calibrates a stream from its measured flow: one undo step.
    pub fn calibrate(
        &mut self,
        stream: &str,
        statistic: Statistic,
        target: &Target,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Calibration> {
        let plan = self.plan_calibration(stream, statistic, target, from, to)?;
        self.doc.execute(&plan.command)?;
        Ok(plan)
    }
}
