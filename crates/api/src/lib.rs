//! The one surface that the `tributary` CLI and the desktop app both call.
//!
//! Commands go in, views and reports come out, and every error is an [`ApiError`] with a
//! code, so that the app can react to a code and the CLI can print the message. Nothing here
//! computes a number: the engine does; this crate only wires the engine to the file.

pub mod app;
mod error;
pub mod export;
pub mod interchange;
pub mod ipc;
mod outbox;
pub mod room;
pub mod share;
pub mod simulate;
pub mod telemetry;
pub mod traces;

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::cod::{self, Prioritization};
use tributary_core::edit::{Command, StagePosition};
use tributary_core::matrix::{self, DependencyMatrix};
use tributary_core::metrics::{self, ModelMetrics};
use tributary_core::scenario::{self, Comparison};
use tributary_core::{Model, Problem, exchange, validate};
use tributary_store::Document;
pub use tributary_store::Holder;
use ts_rs::TS;

pub use error::{ApiError, ErrorCode, Result};
pub use outbox::{JsonTree, Outbox, PatchOp, PatchOpKind, Reply};
/// The engine's types and formatting, for callers that show what the api returns.
pub use tributary_core as engine;

/// Tributary's version ("0.1.0"), as `tributary --version`, Help > About and reports show it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit this build was made from ("commit 1a2b3c4d5e6f"), where `./dev package` said
/// (`TRIBUTARY_COMMIT`, read by `build.rs`); "a development build" otherwise.
pub const BUILD: &str = env!("TRIBUTARY_BUILD");
/// The version with its build: `tributary --version` and the About box.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("TRIBUTARY_BUILD"),
    ")"
);

/// What the app shows after opening a file or making an edit: the model and its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ModelView {
    pub path: String,
    pub file_name: String,
    pub model: Model,
    /// Baseline metrics of every stream.
    pub metrics: ModelMetrics,
    pub warnings: Vec<Problem>,
    /// What "Undo" would undo, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub undo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub redo: Option<String>,
    /// Where each stage of each stream sits on the canvas (saved or laid out by the engine).
    pub layouts: Vec<StreamLayout>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StreamLayout {
    pub stream: String,
    /// One per stage, in the stream's stage order.
    pub positions: Vec<StagePosition>,
}

/// A scenario as the app shows it: the model with its changes applied, its numbers, and the
/// comparison with the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ScenarioView {
    pub id: String,
    pub name: String,
    /// The baseline with the scenario's changes applied.
    pub model: Model,
    pub metrics: ModelMetrics,
    pub comparison: Comparison,
    /// Stages the scenario changes (where the map shows a kaizen burst).
    pub affected: Vec<StageRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StageRef {
    pub stream: String,
    pub stage: String,
}

/// Everything the app redraws after an action: the document, and the active scenario if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Snapshot {
    pub view: ModelView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scenario: Option<ScenarioView>,
}

/// What the desktop app holds open: the snapshot, whether the file still lives only in the
/// app's own folder (a new, untitled model), and the recently opened files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Workspace {
    pub snapshot: Snapshot,
    /// A new model not yet saved to a place the user chose.
    pub untitled: bool,
    /// Edits were made since the model was created (for untitled models).
    pub edited: bool,
    /// The file is open for reading only (another writer holds it, or read-only media): the
    /// notice says why; edits are refused.
    #[serde(default)]
    pub read_only: bool,
    pub recent: Vec<RecentFile>,
    /// Something the user should know, such as why the last file could not be reopened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub notice: Option<ApiError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct RecentFile {
    pub path: String,
    pub name: String,
}

/// An open model file.
pub struct Session {
    pub(crate) doc: Document,
}

impl Session {
    /// Opens a `.tributary` file for editing.
    pub fn open(path: &Path) -> Result<Session> {
        Ok(Session {
            doc: Document::open(path)?,
        })
    }

    /// Opens a `.tributary` file for editing on behalf of `holder` (the desktop app holds the
    /// files it has open; a second writer is told so).
    pub fn open_as(path: &Path, holder: &Holder) -> Result<Session> {
        Ok(Session {
            doc: Document::open_as(path, holder)?,
        })
    }

    /// Opens a `.tributary` file for editing on behalf of `holder`; where another writer holds
    /// it, opens it for reading instead (one file, one writer), with the notice that says who
    /// has it.
    pub fn open_or_read(path: &Path, holder: &Holder) -> Result<(Session, Option<ApiError>)> {
        match Document::open_as(path, holder) {
            Ok(doc) => Ok((Session { doc }, None)),
            Err(tributary_store::Error::Busy { holder: who, .. }) => {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let notice = ApiError::new(
                    ErrorCode::Busy,
                    format!("{} is {who}; opened read-only", path.display()),
                )
                .with_plain(format!(
                    "“{name}” is {who}. It is open here read-only: you can look, present and \
                     export it; to change it, close it there and open it again."
                ));
                Ok((Session::open_read_only(path)?, Some(notice)))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Creates a new model file holding `model`, held by `holder`.
    pub fn create_as(path: &Path, model: &Model, holder: &Holder) -> Result<Session> {
        Ok(Session {
            doc: Document::create_as(path, model, holder)?,
        })
    }

    /// Whether edits are refused (the file was opened for reading).
    pub fn is_read_only(&self) -> bool {
        self.doc.is_read_only()
    }

    /// Why a file asked for editing was opened read-only (read-only media), if it was.
    pub fn note(&self) -> Option<&str> {
        self.doc.note()
    }

    /// Opens a `.tributary` file for reading only.
    pub fn open_read_only(path: &Path) -> Result<Session> {
        Ok(Session {
            doc: Document::open_read_only(path)?,
        })
    }

    /// Creates a new model file holding `model`.
    pub fn create(path: &Path, model: &Model) -> Result<Session> {
        Ok(Session {
            doc: Document::create(path, model)?,
        })
    }

    pub fn path(&self) -> &Path {
        self.doc.path()
    }

    pub fn model(&self) -> &Model {
        self.doc.model()
    }

    pub fn view(&self) -> Result<ModelView> {
        let history = self.doc.history()?;
        let path = self.doc.path();
        Ok(ModelView {
            path: path.to_string_lossy().into_owned(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            model: self.doc.model().clone(),
            metrics: metrics::compute(self.doc.model())?,
            warnings: validate::validate(self.doc.model()).problems,
            undo: history.undo,
            redo: history.redo,
            layouts: layouts(self.doc.model())?,
        })
    }

    /// The view, and the scenario `scenario` if it still exists (an undo can remove it).
    pub fn snapshot(&self, scenario: Option<&str>) -> Result<Snapshot> {
        Self::snapshot_of(self.view()?, scenario)
    }

    /// The snapshot around a view already computed (the one an edit returns), so that an edit
    /// computes the model's numbers once.
    pub fn snapshot_of(view: ModelView, scenario: Option<&str>) -> Result<Snapshot> {
        let scenario = match scenario.and_then(|id| view.model.scenario(id)) {
            Some(s) => Some(scenario_view(&view.model, &view.metrics, s)?),
            None => None,
        };
        Ok(Snapshot { view, scenario })
    }

    /// Applies one user action and returns the new view.
    pub fn execute(&mut self, cmd: &Command) -> Result<ModelView> {
        self.doc.execute(cmd)?;
        self.view()
    }

    /// Applies one action and returns the number of the undo step it made, for undo per
    /// person ([`Session::revert`]).
    pub fn execute_step(&mut self, cmd: &Command) -> Result<i64> {
        Ok(self.doc.execute_step(cmd)?)
    }

    /// Takes back undo step `seq` alone (one person's undo while others edit), as a new step
    /// labelled `label`; refused with `Conflict` where a later edit changed what it changed.
    /// Returns the new step's number.
    pub fn revert(&mut self, seq: i64, label: &str) -> Result<i64> {
        Ok(self.doc.revert(seq, label)?)
    }

    pub fn undo(&mut self) -> Result<ModelView> {
        self.doc.undo()?;
        self.view()
    }

    pub fn redo(&mut self) -> Result<ModelView> {
        self.doc.redo()?;
        self.view()
    }

    /// Copies the file to `path` and continues there.
    pub fn save_as(&mut self, path: &Path) -> Result<ModelView> {
        self.doc.save_as(path)?;
        self.view()
    }

    pub fn close(self) -> Result<()> {
        Ok(self.doc.close()?)
    }

    /// Whether the file holds edits (an undo or redo history): a model reopened after a
    /// restart still counts as worked on.
    pub fn has_history(&self) -> bool {
        self.doc
            .history()
            .is_ok_and(|h| h.undo.is_some() || h.redo.is_some())
    }
}

/// Canvas positions of every stage of every stream.
pub fn layouts(model: &Model) -> Result<Vec<StreamLayout>> {
    model
        .streams
        .iter()
        .map(|s| {
            let positions = tributary_core::layout::positions(s)?;
            Ok(StreamLayout {
                stream: s.id.clone(),
                positions: s
                    .stages
                    .iter()
                    .zip(positions)
                    .map(|(st, position)| StagePosition {
                        id: st.id.clone(),
                        position,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A scenario with its applied model, metrics and comparison against `baseline`.
pub fn scenario_view(
    model: &Model,
    baseline: &ModelMetrics,
    scenario: &tributary_core::Scenario,
) -> Result<ScenarioView> {
    let (applied, _) = scenario::apply(model, scenario)?;
    let metrics = metrics::compute(&applied)?;
    let comparison = scenario::compare_with(model, baseline, scenario)?;
    Ok(ScenarioView {
        id: scenario.id.clone(),
        name: scenario.name.clone(),
        affected: scenario::affected_stages(model, scenario)
            .into_iter()
            .map(|(stream, stage)| StageRef { stream, stage })
            .collect(),
        model: applied,
        metrics,
        comparison,
    })
}

/// Metrics of a model, for the baseline or a scenario.
pub fn metrics(model: &Model, scenario_id: Option<&str>) -> Result<ModelMetrics> {
    Ok(match scenario_id {
        None => metrics::compute(model)?,
        Some(id) => scenario::metrics(model, scenario::find(model, id)?)?,
    })
}

/// Compares a scenario with the baseline.
pub fn compare(model: &Model, scenario_id: &str) -> Result<Comparison> {
    Ok(scenario::compare(model, scenario_id)?)
}

/// CD3 and WSJF rankings and the best sequence of the model's initiatives.
pub fn prioritize(model: &Model) -> Result<Prioritization> {
    Ok(cod::prioritize_model(model)?)
}

pub fn dependency_matrix(model: &Model) -> Result<DependencyMatrix> {
    Ok(matrix::dependency_matrix(model)?)
}

/// The kind of model file, told by its content rather than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Json,
    Tributary,
}

/// A model file if it starts as an SQLite database does, else JSON (whose reader then says
/// what is wrong with it: a list, a comment, a byte order mark are all named).
pub fn sniff(path: &Path) -> Result<FileKind> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let n = f.read(&mut head).map_err(|e| io_error(path, e))?;
    if n == 0 || (n == 16 && &head == b"SQLite format 3\0") || !looks_like_text(&head[..n]) {
        // empty, a database, or binary: the model file's reader names which
        return Ok(FileKind::Tributary);
    }
    Ok(FileKind::Json)
}

fn looks_like_text(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.iter()
        .all(|&b| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80)
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    let code = match e.kind() {
        std::io::ErrorKind::NotFound => ErrorCode::NotFound,
        std::io::ErrorKind::PermissionDenied => ErrorCode::ReadOnly,
        _ => ErrorCode::Io,
    };
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => e.to_string(),
    };
    ApiError::new(code, format!("{}: {what}", path.display()))
}

/// A model read from a `tributary/1` JSON file, or a `.tributary` file opened read-only
/// (which may hold telemetry beside its model).
pub enum Opened {
    Json(Box<Model>),
    File(Box<Session>),
}

impl Opened {
    pub fn model(&self) -> &Model {
        match self {
            Opened::Json(m) => m,
            Opened::File(s) => s.model(),
        }
    }

    /// What the board report of `req` shows of measured flow (a JSON model has none).
    pub fn report_measured(
        &self,
        req: &export::ExportRequest,
    ) -> Result<Option<export::MeasuredFlow>> {
        match self {
            Opened::Json(_) => Ok(None),
            Opened::File(s) => s.report_measured(req),
        }
    }
}

/// Opens a model file of either kind for reading, told by its content.
pub fn open_any(path: &Path) -> Result<Opened> {
    Ok(match sniff(path)? {
        FileKind::Json => Opened::Json(Box::new(read_json(path)?)),
        FileKind::Tributary => Opened::File(Box::new(Session::open_read_only(path)?)),
    })
}

/// Reads a model from a `tributary/1` JSON file or a `.tributary` file (read-only).
pub fn load_model(path: &Path) -> Result<Model> {
    match sniff(path)? {
        FileKind::Json => read_json(path),
        FileKind::Tributary => Ok(Document::open_read_only(path)?.model().clone()),
    }
}

/// Reads and checks a `tributary/1` JSON file.
pub fn read_json(path: &Path) -> Result<Model> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    exchange::from_json(&text).map_err(|e| in_file(path, e))
}

/// Every problem of a model file at once (errors and warnings), for `validate`. A file that
/// cannot be read at all is an error.
pub fn validate_file(path: &Path) -> Result<Vec<Problem>> {
    match sniff(path)? {
        FileKind::Json => {
            let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
            let model = exchange::parse(&text).map_err(|e| in_file(path, e))?;
            Ok(validate::validate(&model).problems)
        }
        FileKind::Tributary => match Document::open_read_only(path) {
            Ok(doc) => Ok(doc.warnings().to_vec()),
            Err(e) => match e.model_error() {
                Some(tributary_core::Error::Invalid(problems)) => Ok(problems.clone()),
                _ => Err(e.into()),
            },
        },
    }
}

/// Creates a model file from a JSON model file.
/// Creates a model file from a JSON model file and returns the model. With `replace`, an
/// existing file is replaced, but only once the new one is whole: it is written beside and
/// renamed over, so a failure keeps the old file.
pub fn import_json(json_path: &Path, out: &Path, replace: bool) -> Result<Model> {
    let model = read_json(json_path)?;
    if replace && out.exists() {
        let tmp = out.with_extension("tributary.importing");
        let _ = std::fs::remove_file(&tmp);
        Session::create(&tmp, &model)?.close()?;
        std::fs::rename(&tmp, out).map_err(|e| io_error(out, e))?;
    } else {
        Session::create(out, &model)?.close()?;
    }
    Ok(model)
}

/// Writes the canonical JSON of a model to a file, atomically (temporary file and rename).
pub fn write_json(model: &Model, out: &Path) -> Result<()> {
    write_atomically(out, exchange::to_json(model).as_bytes())
}

/// Writes bytes to `path` through a temporary sibling and a rename, so a reader never sees
/// half a file and a failure leaves any earlier file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp: PathBuf = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io_error(path, e)
        })
}

/// Today's date in the local time zone, as YYYY-MM-DD: the CLI and the app stamp reports
/// with it (the engines themselves read no clock).
pub fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// Prefixes an error's message with the file it came from, once.
pub fn in_file(path: &Path, e: impl Into<ApiError>) -> ApiError {
    let mut e = e.into();
    let shown = path.display().to_string();
    if !e.message.starts_with(&shown) {
        e.message = format!("{shown}: {}", e.message);
    }
    e
}

/// A new, empty model named after its file.
pub fn new_model(path: &Path) -> Model {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Untitled model".into());
    Model::new(name)
}

/// What File > New makes: an untitled model with one empty stream to draw on.
pub fn untitled_model() -> Model {
    let mut model = Model::new("Untitled model");
    model.streams.push(tributary_core::Stream {
        id: "stream".into(),
        name: "New value stream".into(),
        trigger: None,
        value: None,
        demand_per_week: 10.0,
        cost_of_delay_per_week: 1000.0,
        urgency: Default::default(),
        stages: Vec::new(),
        edges: Vec::new(),
        arrivals: None,
    });
    model
}
