//! What a model file keeps beside the model (migration 010): named versions, snapshots a user
//! makes and restores as one undo step; the conflicts a merge left to resolve; and clean copies
//! to share, without the undo history and, if asked, without the imported telemetry.
//!
//! The store decides nothing here: the edit that makes the model another one is planned by the
//! caller (the diff engine's deltas), checked to give exactly that model, and written like any
//! other edit, with its undo record, in one transaction.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tributary_core::edit::{self, Delta};
use tributary_core::{Model, exchange, validate};

use crate::error::{Error, Result};
use crate::schema::{self, Mode};
use crate::{Document, Record, temp_sibling};

/// A named version of the model kept in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub name: String,
    /// RFC 3339, as the caller gave it.
    pub created_at: String,
    pub author: Option<String>,
}

/// A conflict a merge recorded, as the merge wrote it (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConflict {
    pub id: i64,
    /// The merge it came from, for people.
    pub merge: String,
    pub record: String,
}

/// What a copy to share left out, and what it kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShareCounts {
    pub undo_steps: u64,
    pub conflicts: u64,
    pub versions: u64,
    /// Rows of imported telemetry (imports, work items, events, deployments, changes,
    /// incidents), kept or left out.
    pub telemetry_rows: u64,
    pub telemetry_kept: bool,
}

/// Plans the deltas that make the first model into the second.
pub type Planner = fn(&Model, &Model) -> Vec<Delta>;

/// Versions are named by people; a name is a line, not a document.
const NAME_LIMIT: usize = 200;

/// The telemetry tables, those that refer to others first.
const TELEMETRY: [&str; 6] = [
    "telemetry_events",
    "telemetry_deployments",
    "telemetry_changes",
    "telemetry_incidents",
    "telemetry_items",
    "telemetry_imports",
];

fn rule(path: &Path, source: tributary_core::Error) -> Error {
    Error::Model {
        path: path.to_owned(),
        source,
    }
}

impl Document {
    fn in_file(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| schema::classify(&self.path, e)
    }

    /// Runs `f` in one write transaction that changes no model data (versions, conflicts),
    /// with the model read again first if another connection wrote the file.
    fn write<R>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Path, &Model) -> Result<R>,
    ) -> Result<R> {
        if self.mode == Mode::ReadOnly {
            return Err(self.read_only());
        }
        let path = self.path.clone();
        let err = |e| schema::classify(&path, e);
        let tx = crate::begin(&mut self.conn, &mut self.model, &mut self.seen, &path)?;
        let out = f(&tx, &path, &self.model)?;
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// The versions kept in the file, oldest first.
    pub fn versions(&self) -> Result<Vec<Version>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, created_at, author FROM versions ORDER BY id")
            .map_err(self.in_file())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Version {
                    name: r.get(0)?,
                    created_at: r.get(1)?,
                    author: r.get(2)?,
                })
            })
            .map_err(self.in_file())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.in_file())
    }

    /// Keeps the model as it is now under `name`, which no other version of the file has.
    pub fn save_version(
        &mut self,
        name: &str,
        created_at: &str,
        author: Option<&str>,
    ) -> Result<Version> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().count() > NAME_LIMIT
            || name.chars().any(char::is_control)
        {
            return Err(rule(
                &self.path,
                tributary_core::Error::Conflict(format!(
                    "a version needs a name of one line, at most {NAME_LIMIT} characters"
                )),
            ));
        }
        self.write(|tx, path, model| {
            let taken: bool = tx
                .query_row(
                    "SELECT count(*) > 0 FROM versions WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .map_err(|e| schema::classify(path, e))?;
            if taken {
                return Err(rule(
                    path,
                    tributary_core::Error::Conflict(format!(
                        "a version named {name:?} exists already"
                    )),
                ));
            }
            tx.execute(
                "INSERT INTO versions (name, created_at, author, model) VALUES (?1, ?2, ?3, ?4)",
                params![name, created_at, author, exchange::to_json(model)],
            )
            .map_err(|e| schema::classify(path, e))?;
            Ok(Version {
                name: name.to_owned(),
                created_at: created_at.to_owned(),
                author: author.map(str::to_owned),
            })
        })
    }

    /// The model as version `name` holds it, checked as an imported file is.
    pub fn version_model(&self, name: &str) -> Result<Model> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT model FROM versions WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.in_file())?;
        let Some(text) = text else {
            return Err(self.no_version(name));
        };
        exchange::from_json(&text).map_err(|e| Error::Corrupt {
            path: self.path.clone(),
            detail: format!("version {name:?} cannot be read: {e}"),
        })
    }

    fn no_version(&self, name: &str) -> Error {
        let known: Vec<String> = self
            .versions()
            .unwrap_or_default()
            .into_iter()
            .map(|v| format!("{:?}", v.name))
            .collect();
        let what = if known.is_empty() {
            format!("version {name:?} (the file has no versions)")
        } else {
            format!("version {name:?} (the file has {})", known.join(", "))
        };
        rule(&self.path, tributary_core::Error::NotFound(what))
    }

    pub fn delete_version(&mut self, name: &str) -> Result<()> {
        let gone = self.write(|tx, path, _| {
            tx.execute("DELETE FROM versions WHERE name = ?1", [name])
                .map_err(|e| schema::classify(path, e))
        })?;
        if gone == 0 {
            return Err(self.no_version(name));
        }
        Ok(())
    }

    /// Makes the model `target` as one edit with its undo record (a version restored, a merge,
    /// a conflict resolved), with `extra` written in the same transaction. The deltas come from
    /// `plan`, and must give `target` exactly. Returns whether the model changed.
    fn become_model(
        &mut self,
        label: &str,
        target: &Model,
        plan: Planner,
        extra: impl FnOnce(&Transaction<'_>, &Path) -> Result<()>,
    ) -> Result<bool> {
        validate::ensure_valid(target).map_err(|e| rule(&self.path, e))?;
        let path = self.path.clone();
        let mut extra = Some(extra);
        let done = self.commit(|model, tx| {
            let deltas = plan(model, target);
            if deltas.is_empty() {
                return Ok(None);
            }
            let mut probe = model.clone();
            edit::apply(&mut probe, &deltas).map_err(|e| rule(&path, e))?;
            if probe != *target {
                return Err(rule(
                    &path,
                    tributary_core::Error::Conflict(
                        "the planned edit does not give the model asked for".into(),
                    ),
                ));
            }
            if let Some(f) = extra.take() {
                f(tx, &path)?;
            }
            Ok(Some((deltas, Record::New(label.to_owned()))))
        })?;
        if let Some(f) = extra.take() {
            // nothing changed in the model: the rest is written on its own
            self.write(|tx, path, _| f(tx, path))?;
        }
        Ok(done.is_some())
    }

    /// Makes the model `target` as one undoable edit labelled `label`.
    pub fn replace_model(&mut self, label: &str, target: &Model, plan: Planner) -> Result<bool> {
        self.become_model(label, target, plan, |_, _| Ok(()))
    }

    /// A merge's result as one undoable edit, and its conflicts (JSON records) in place of
    /// those of any earlier merge.
    pub fn record_merge(
        &mut self,
        label: &str,
        target: &Model,
        plan: Planner,
        conflicts: &[String],
    ) -> Result<bool> {
        self.become_model(label, target, plan, |tx, path| {
            let err = |e| schema::classify(path, e);
            tx.execute("DELETE FROM conflicts", []).map_err(err)?;
            for c in conflicts {
                tx.execute(
                    "INSERT INTO conflicts (merge, record) VALUES (?1, ?2)",
                    params![label, c],
                )
                .map_err(err)?;
            }
            Ok(())
        })
    }

    /// The conflicts the last merge left to resolve.
    pub fn conflicts(&self) -> Result<Vec<StoredConflict>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, merge, record FROM conflicts ORDER BY id")
            .map_err(self.in_file())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredConflict {
                    id: r.get(0)?,
                    merge: r.get(1)?,
                    record: r.get(2)?,
                })
            })
            .map_err(self.in_file())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.in_file())
    }

    /// Settles conflict `id`: with `target`, the model becomes it (theirs' side taken) in the
    /// same undoable edit; without, ours stays and the record goes.
    pub fn resolve_conflict(
        &mut self,
        id: i64,
        label: &str,
        target: Option<&Model>,
        plan: Planner,
    ) -> Result<()> {
        let known = self.conflicts()?.iter().any(|c| c.id == id);
        if !known {
            return Err(rule(
                &self.path,
                tributary_core::Error::NotFound(format!(
                    "conflict {id} (it may be resolved already)"
                )),
            ));
        }
        let forget = move |tx: &Transaction<'_>, path: &Path| {
            tx.execute("DELETE FROM conflicts WHERE id = ?1", [id])
                .map(|_| ())
                .map_err(|e| schema::classify(path, e))
        };
        match target {
            Some(t) => self.become_model(label, t, plan, forget).map(|_| ()),
            None => self.write(|tx, path, _| forget(tx, path)),
        }
    }

    /// Writes a copy of the file to `out` (whole or not at all) and goes on working here.
    pub fn copy_to(&self, out: &Path) -> Result<()> {
        let tmp = self.vacuum_into(out)?;
        std::fs::rename(&tmp, out).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io {
                path: out.to_owned(),
                source: e,
            }
        })
    }

    fn vacuum_into(&self, out: &Path) -> Result<std::path::PathBuf> {
        if out == self.path {
            return Err(Error::Exists {
                path: out.to_owned(),
            });
        }
        let tmp = temp_sibling(out);
        let _ = std::fs::remove_file(&tmp);
        self.conn
            .execute("VACUUM INTO ?1", [tmp.to_string_lossy()])
            .map_err(|e| schema::classify(out, e))?;
        Ok(tmp)
    }

    /// A clean copy to share at `out`: the model and its versions, without the undo history
    /// or merge conflicts, and with the imported telemetry only if `keep_telemetry`. What was
    /// left out is gone from the copy's bytes too (it is rebuilt).
    pub fn share_copy(&self, out: &Path, keep_telemetry: bool) -> Result<ShareCounts> {
        let tmp = self.vacuum_into(out)?;
        let cleaned = clean(&tmp, out, keep_telemetry).and_then(|counts| {
            std::fs::rename(&tmp, out).map_err(|e| Error::Io {
                path: out.to_owned(),
                source: e,
            })?;
            Ok(counts)
        });
        if cleaned.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        cleaned
    }
}

/// Empties what a shared copy leaves out, in one transaction, then rebuilds the file.
fn clean(tmp: &Path, out: &Path, keep_telemetry: bool) -> Result<ShareCounts> {
    let mut conn = schema::open(tmp, Mode::ReadWrite).map_err(|e| renamed(e, tmp, out))?;
    let err = |e| schema::classify(out, e);
    let count = |c: &Connection, table: &str| -> Result<u64> {
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n.max(0) as u64)
        .map_err(err)
    };
    let mut counts = ShareCounts {
        undo_steps: count(&conn, "history")?,
        conflicts: count(&conn, "conflicts")?,
        versions: count(&conn, "versions")?,
        telemetry_rows: 0,
        telemetry_kept: keep_telemetry,
    };
    for t in TELEMETRY {
        counts.telemetry_rows += count(&conn, t)?;
    }
    let tx = conn.transaction().map_err(err)?;
    tx.execute_batch("DELETE FROM history; DELETE FROM conflicts;")
        .map_err(err)?;
    if !keep_telemetry {
        for t in TELEMETRY {
            tx.execute(&format!("DELETE FROM {t}"), []).map_err(err)?;
        }
    }
    tx.commit().map_err(err)?;
    conn.execute_batch("VACUUM;").map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    Ok(counts)
}

/// An error about the temporary copy, told about the file the user asked for.
fn renamed(e: Error, tmp: &Path, out: &Path) -> Error {
    match e {
        Error::Corrupt { detail, .. } => Error::Corrupt {
            path: out.to_owned(),
            detail: detail.replace(&tmp.display().to_string(), &out.display().to_string()),
        },
        other => other,
    }
}
