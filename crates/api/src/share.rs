//! Sharing, comparing and merging models (issue 16), as the CLI and the app call them: the
//! diff of two files, of the open model with a file or a version; three-way merges whose
//! conflicts the file keeps until each is resolved; a colleague's copy opened as a scenario;
//! named versions; clean copies to share; and the git drivers (`share/git.rs`). The engine
//! work is `tributary_diff`'s; this wires it to files.

mod git;

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::edit::{Command, fresh_id};
use tributary_core::scenario::{self, Comparison};
use tributary_core::{Model, exchange};
use tributary_diff::{deltas, diff, merge, proposal, take_theirs};
use tributary_store::Document;
use ts_rs::TS;

pub use git::{GitSetup, git_diff, git_setup, textconv};
pub use tributary_diff::{Conflict, Diff, Impact, LeftOut, Reason, Side};

use crate::{
    ApiError, ErrorCode, FileKind, ModelView, Result, Session, in_file, load_model, sniff,
};

/// A named version kept in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct VersionInfo {
    pub name: String,
    /// When it was made, RFC 3339 (UTC).
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<String>,
}

impl From<tributary_store::Version> for VersionInfo {
    fn from(v: tributary_store::Version) -> Self {
        VersionInfo {
            name: v.name,
            created_at: v.created_at,
            author: v.author,
        }
    }
}

/// A conflict to resolve, with the number the file keeps it under (none when the merge was
/// written as JSON, which cannot keep it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ConflictEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub id: Option<i64>,
    pub conflict: Conflict,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MergeReport {
    /// The file written (or the open file merged into).
    pub output: String,
    /// What the merge took as the common base, in words.
    pub base: String,
    /// What the merge brought into ours: the diff of ours and the result.
    pub brought: Diff,
    /// Conflicts, settled for ours in the result.
    pub conflicts: Vec<ConflictEntry>,
}

/// Where a merge into the open file finds the common base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MergeBase {
    /// The newest version both files hold with the same content; none: nothing is deleted,
    /// and values that differ are conflicts.
    Auto,
    /// A version of the open file.
    Version { name: String },
    /// A model file or JSON.
    File { path: String },
}

/// A colleague's copy opened as a scenario of the open model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ProposalReport {
    pub scenario_id: String,
    pub scenario_name: String,
    /// The scenario's changes, one line each.
    pub included: Vec<String>,
    /// PBCs of theirs added to the model (serving no stage, so the baseline is unchanged).
    pub new_pbcs: Vec<String>,
    /// Their differences that a scenario cannot hold, with why.
    pub left_out: Vec<LeftOut>,
    /// The business case of their changes.
    pub comparison: Comparison,
}

/// What a copy to share holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ShareReport {
    pub output: String,
    pub kept: Vec<String>,
    pub left_out: Vec<String>,
}

/// "1 row", "37,644 rows".
fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", tributary_core::format::grouped(n as f64))
    }
}

fn name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// How the model in `b` differs from the model in `a` (either a `.tributary` file or JSON).
pub fn diff_files(a: &Path, b: &Path) -> Result<Diff> {
    Ok(diff(&load_model(a)?, &load_model(b)?))
}

impl Session {
    /// What the model in `other` would change in the open one.
    pub fn diff_with_file(&self, other: &Path) -> Result<Diff> {
        Ok(diff(self.model(), &load_model(other)?))
    }

    /// What changed since version `name`.
    pub fn diff_with_version(&self, name: &str) -> Result<Diff> {
        Ok(diff(&self.version_model(name)?, self.model()))
    }

    /// From version `from` to version `to` (to the model as it is now, without `to`).
    pub fn compare_versions(&self, from: &str, to: Option<&str>) -> Result<Diff> {
        let a = self.version_model(from)?;
        Ok(match to {
            Some(t) => diff(&a, &self.version_model(t)?),
            None => diff(&a, self.model()),
        })
    }

    fn version_model(&self, name: &str) -> Result<Model> {
        Ok(self.doc.version_model(name)?)
    }

    pub fn versions(&self) -> Result<Vec<VersionInfo>> {
        Ok(self
            .doc
            .versions()?
            .into_iter()
            .map(VersionInfo::from)
            .collect())
    }

    /// Keeps the model as it is now as version `name`, by `author` (the model's author, else
    /// the user's login name, when not given).
    pub fn save_version(&mut self, name: &str, author: Option<&str>) -> Result<VersionInfo> {
        let login = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok();
        let author = author
            .map(str::to_owned)
            .or_else(|| self.model().author.clone())
            .or(login);
        Ok(self
            .doc
            .save_version(name, &now(), author.as_deref())?
            .into())
    }

    /// Makes the model what version `name` holds, as one step that undo takes back.
    pub fn restore_version(&mut self, name: &str) -> Result<ModelView> {
        let target = self.version_model(name)?;
        self.doc
            .replace_model(&format!("Restore version {name}"), &target, deltas)?;
        self.view()
    }

    pub fn delete_version(&mut self, name: &str) -> Result<()> {
        Ok(self.doc.delete_version(name)?)
    }

    /// Merges the model in `theirs` into the open one, as one step that undo takes back; the
    /// conflicts (settled for ours) stay in the file until each is resolved.
    pub fn merge_file(&mut self, theirs: &Path, base: &MergeBase) -> Result<MergeReport> {
        let t = load_model(theirs)?;
        let (b, said) = self.base_for(theirs, base)?;
        let m = merge(&b, self.model(), &t);
        let ours = self.model().clone();
        let label = format!("Merge of {}", name_of(theirs));
        let records = records(&m.conflicts)?;
        self.doc.record_merge(&label, &m.model, deltas, &records)?;
        Ok(MergeReport {
            output: self.path().display().to_string(),
            base: said,
            brought: diff(&ours, self.model()),
            conflicts: self.conflicts()?,
        })
    }

    fn base_for(&self, theirs: &Path, base: &MergeBase) -> Result<(Model, String)> {
        match base {
            MergeBase::Version { name } => {
                Ok((self.version_model(name)?, format!("version {name:?}")))
            }
            MergeBase::File { path } => Ok((load_model(Path::new(path))?, path.clone())),
            MergeBase::Auto => {
                Ok(common_version(&self.doc, theirs)?.unwrap_or_else(|| no_base(self.model())))
            }
        }
    }

    /// The conflicts the last merge left to resolve.
    pub fn conflicts(&self) -> Result<Vec<ConflictEntry>> {
        self.doc
            .conflicts()?
            .into_iter()
            .map(|c| {
                let conflict = serde_json::from_str(&c.record).map_err(|e| {
                    ApiError::new(
                        ErrorCode::Corrupt,
                        format!(
                            "{}: conflict {} cannot be read: {e}",
                            self.path().display(),
                            c.id
                        ),
                    )
                })?;
                Ok(ConflictEntry {
                    id: Some(c.id),
                    conflict,
                })
            })
            .collect()
    }

    /// Resolves conflict `id`: ours keeps the model as it is; theirs puts their value there,
    /// as one step that undo takes back. Either way the conflict is settled.
    pub fn resolve_conflict(&mut self, id: i64, side: Side) -> Result<ModelView> {
        let entry = self
            .conflicts()?
            .into_iter()
            .find(|c| c.id == Some(id))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("conflict {id} does not exist (it may be resolved already)"),
                )
            })?;
        let c = entry.conflict;
        match side {
            Side::Ours => {
                self.doc
                    .resolve_conflict(id, &format!("Keep ours: {}", c.name), None, deltas)?
            }
            Side::Theirs => {
                let target = take_theirs(self.model(), &c).map_err(|e| in_file(self.path(), e))?;
                self.doc.resolve_conflict(
                    id,
                    &format!("Take theirs: {}", c.name),
                    Some(&target),
                    deltas,
                )?;
            }
        }
        self.view()
    }

    /// Opens the differences of a colleague's copy as a new scenario of the open model, so
    /// that their proposal is judged by its business case before it is accepted: one step
    /// that undo takes back.
    pub fn open_as_scenario(
        &mut self,
        theirs: &Path,
        name: Option<&str>,
    ) -> Result<ProposalReport> {
        let t = load_model(theirs)?;
        let name = name.map_or_else(
            || format!("Proposal from {}", name_of(theirs)),
            str::to_owned,
        );
        let model = self.model();
        let id = fresh_id(
            &name,
            "scenario",
            model.scenarios.iter().map(|s| s.id.as_str()),
        );
        let mut p = proposal(model, &t, &id, &name);
        if p.scenario.changes.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NoData,
                format!(
                    "{}: none of its differences is one a scenario can hold ({})",
                    theirs.display(),
                    plural(p.left_out.len() as u64, "difference")
                ),
            ));
        }
        p.scenario.description = Some(format!(
            "The changes in {}{}, as a scenario: judge their business case before taking them.",
            name_of(theirs),
            t.author
                .as_ref()
                .map(|a| format!(" by {a}"))
                .unwrap_or_default()
        ));
        let mut commands: Vec<Command> = p
            .new_pbcs
            .iter()
            .map(|pbc| Command::AddPbc { pbc: pbc.clone() })
            .collect();
        commands.push(Command::AddScenario {
            scenario: p.scenario.clone(),
        });
        self.execute(&Command::Batch {
            label: format!("Open {} as a scenario", name_of(theirs)),
            commands,
        })
        .map_err(|e| in_file(theirs, e))?;
        Ok(ProposalReport {
            comparison: scenario::compare(self.model(), &id)?,
            scenario_id: id,
            scenario_name: name,
            included: p.included,
            new_pbcs: p.new_pbcs.iter().map(|x| x.name.clone()).collect(),
            left_out: p.left_out,
        })
    }

    /// Writes a clean copy of the open file to `out`: no undo history, no merge conflicts,
    /// and the imported telemetry only if `keep_telemetry`.
    pub fn share(&self, out: &Path, keep_telemetry: bool) -> Result<ShareReport> {
        let c = self.doc.share_copy(out, keep_telemetry)?;
        let mut kept = vec![model_summary(self.model())];
        let mut left_out = vec![format!(
            "the undo history ({})",
            plural(c.undo_steps, "step")
        )];
        if c.versions > 0 {
            kept.push(format!(
                "{} (they hold earlier states of the model; delete any you do not want to share)",
                plural(c.versions, "named version")
            ));
        }
        let rows = format!(
            "the imported telemetry ({})",
            plural(c.telemetry_rows, "row")
        );
        match (c.telemetry_rows, c.telemetry_kept) {
            (0, _) => {}
            (_, true) => kept.push(rows),
            (_, false) => left_out.push(rows),
        }
        if c.conflicts > 0 {
            left_out.push(format!(
                "the conflicts of the last merge ({})",
                plural(c.conflicts, "conflict")
            ));
        }
        Ok(ShareReport {
            output: out.display().to_string(),
            kept,
            left_out,
        })
    }
}

fn model_summary(m: &Model) -> String {
    let stages: usize = m.streams.iter().map(|s| s.stages.len()).sum();
    format!(
        "the model: {}, {}, {}, {}",
        plural(m.streams.len() as u64, "stream"),
        plural(stages as u64, "stage"),
        plural(m.pbcs.len() as u64, "PBC"),
        plural(m.scenarios.len() as u64, "scenario")
    )
}

/// A clean copy of a model file or of a JSON model, as a `.tributary` file at `out`.
pub fn share_file(file: &Path, out: &Path, keep_telemetry: bool) -> Result<ShareReport> {
    match sniff(file)? {
        FileKind::Tributary => Session::open_read_only(file)?.share(out, keep_telemetry),
        FileKind::Json => {
            let model = load_model(file)?;
            write_model_file(&model, out, &[], "")?;
            Ok(ShareReport {
                output: out.display().to_string(),
                kept: vec![model_summary(&model)],
                left_out: vec!["nothing: a JSON model has no undo history or telemetry".into()],
            })
        }
    }
}

fn records(conflicts: &[Conflict]) -> Result<Vec<String>> {
    conflicts
        .iter()
        .map(|c| {
            serde_json::to_string(c).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
        })
        .collect()
}

/// No common base: nothing is taken as deleted, and every value the sides hold differently
/// is a conflict.
fn no_base(ours: &Model) -> (Model, String) {
    let mut empty = Model::new(String::new());
    empty.format.clone_from(&ours.format);
    (
        empty,
        "none (no version both files hold): nothing is deleted, values that differ are conflicts"
            .into(),
    )
}

/// The newest version of ours that theirs (a model file) holds with the same content.
fn common_version(ours: &Document, theirs: &Path) -> Result<Option<(Model, String)>> {
    if sniff(theirs)? != FileKind::Tributary {
        return Ok(None);
    }
    let other = Document::open_read_only(theirs)?;
    let theirs_names: Vec<String> = other.versions()?.into_iter().map(|v| v.name).collect();
    for v in ours.versions()?.into_iter().rev() {
        if !theirs_names.contains(&v.name) {
            continue;
        }
        let mine = ours.version_model(&v.name)?;
        if other.version_model(&v.name)? == mine {
            return Ok(Some((
                mine,
                format!("version {:?}, which both files hold", v.name),
            )));
        }
    }
    Ok(None)
}

/// A new model file at `out` holding `model` (and merge conflicts), replacing any file there
/// once it is whole.
fn write_model_file(model: &Model, out: &Path, conflicts: &[String], label: &str) -> Result<()> {
    let tmp = out.with_file_name(format!(".{}.merging-{}", name_of(out), std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> Result<()> {
        let mut doc = Document::create(&tmp, model)?;
        if !conflicts.is_empty() {
            doc.record_merge(label, model, deltas, conflicts)?;
        }
        doc.close()?;
        std::fs::rename(&tmp, out)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", out.display())))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// How a merge's output is written, told by its name, else like ours.
fn output_kind(ours: &Path, out: &Path) -> Result<FileKind> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    Ok(match ext.as_deref() {
        Some("json") => FileKind::Json,
        Some("tributary") => FileKind::Tributary,
        _ => sniff(ours)?,
    })
}

/// Merges the models of `theirs` and `ours`, both made from `base`, into `out` (which may be
/// `ours`, as git's merge driver asks). A model file keeps ours' history, versions and
/// telemetry, gains the merge as one undo step named `label` (default "Merge of THEIRS"), and
/// keeps the conflicts; JSON holds the model.
pub fn merge_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    out: &Path,
    label: Option<&str>,
) -> Result<MergeReport> {
    let (b, o, t) = (load_model(base)?, load_model(ours)?, load_model(theirs)?);
    let m = merge(&b, &o, &t);
    let label = label.map_or_else(|| format!("Merge of {}", name_of(theirs)), str::to_owned);
    let records = records(&m.conflicts)?;
    let kept = match (output_kind(ours, out)?, sniff(ours)?) {
        (FileKind::Json, _) => {
            crate::write_json(&m.model, out)?;
            false
        }
        (FileKind::Tributary, FileKind::Tributary) => {
            if out != ours {
                Document::open_read_only(ours)?.copy_to(out)?;
            }
            let mut doc = Document::open(out)?;
            doc.record_merge(&label, &m.model, deltas, &records)?;
            true
        }
        (FileKind::Tributary, FileKind::Json) => {
            write_model_file(&m.model, out, &records, &label)?;
            true
        }
    };
    let conflicts = if kept {
        Session::open_read_only(out)?.conflicts()?
    } else {
        m.conflicts
            .into_iter()
            .map(|conflict| ConflictEntry { id: None, conflict })
            .collect()
    };
    Ok(MergeReport {
        output: out.display().to_string(),
        base: base.display().to_string(),
        brought: diff(&o, &m.model),
        conflicts,
    })
}

/// The canonical JSON of a model, for a reader that wants text.
pub fn canonical(path: &Path) -> Result<String> {
    Ok(exchange::to_json(&load_model(path)?))
}
