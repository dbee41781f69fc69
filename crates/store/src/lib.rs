//! The `.tributary` model file: an SQLite database that is the application's document.
//!
//! A [`Document`] holds the open file and the model read from it. Every edit is planned by
//! the engine into deltas, applied to the in-memory model, and written with its undo record
//! in one transaction; if the write fails, the in-memory model is put back, so what the user
//! sees is always what the file holds.

mod documents;
mod error;
mod lock;
mod rows;
pub mod schema;
mod tables;
mod telemetry;
mod versions;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use tributary_core::edit::{self, Command, Delta};
use tributary_core::{Model, Problem, validate};

pub use documents::TraceRecord;
pub use error::{Error, Result};
pub use lock::{Holder, WriterLock, lock_path};
pub use schema::Mode;
pub use telemetry::Tick;
pub use versions::{Planner, ShareCounts, StoredConflict, Version};

/// Undo steps kept in a file; older ones are dropped.
pub const HISTORY_LIMIT: i64 = 1000;

/// An open model file.
pub struct Document {
    conn: Connection,
    path: PathBuf,
    model: Model,
    warnings: Vec<Problem>,
    mode: Mode,
    /// SQLite's count of commits by other connections when `model` was read: when it moves,
    /// someone else wrote the file and the model is read again before an edit is planned.
    seen: i64,
    /// Held while the file is open for writing: one writer per file.
    _lock: Option<WriterLock>,
    /// Why a file asked for writing was opened read-only, for the user.
    note: Option<String>,
}

/// What undo and redo would do next, for menus and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub undo: Option<String>,
    pub redo: Option<String>,
}

/// What the history keeps of an edit: a new step, or a step undone or redone (its `seq` and
/// label).
enum Record {
    New(String),
    Undone(i64, String),
    Redone(i64, String),
}

impl Record {
    fn label(&self) -> &str {
        match self {
            Record::New(l) | Record::Undone(_, l) | Record::Redone(_, l) => l,
        }
    }
}

impl Document {
    /// Creates a new model file holding `model`. Refuses to overwrite an existing file. The
    /// file is written under a temporary name and renamed, so it appears whole or not at all.
    pub fn create(path: &Path, model: &Model) -> Result<Document> {
        Self::create_as(
            path,
            model,
            &Holder::this_process("the tributary command", false),
        )
    }

    pub fn create_as(path: &Path, model: &Model, holder: &Holder) -> Result<Document> {
        if path.exists() {
            return Err(Error::Exists {
                path: path.to_owned(),
            });
        }
        validate::ensure_valid(model).map_err(|source| Error::Model {
            path: path.to_owned(),
            source,
        })?;
        let tmp = temp_sibling(path);
        if let Err(e) = write_new(&tmp, path, model) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io {
                path: path.to_owned(),
                source: e,
            }
        })?;
        Document::open_as(path, holder)
    }

    /// Opens a model file for editing, as the command line does (waiting a moment for another
    /// command that is writing it).
    pub fn open(path: &Path) -> Result<Document> {
        Self::open_as(path, &Holder::this_process("the tributary command", false))
    }

    /// Opens a model file for editing on behalf of `holder`, who holds it until closing.
    /// A file whose folder cannot be written (read-only media) opens read-only, with a note.
    pub fn open_as(path: &Path, holder: &Holder) -> Result<Document> {
        schema::sniff(path)?;
        let writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
        let lock = if writable {
            WriterLock::acquire(path, holder)?
        } else {
            None
        };
        let Some(lock) = lock else {
            let mut doc = Document::open_with(path, Mode::ReadOnly)?;
            doc.note =
                Some("the file or its folder is read-only: it was opened for reading".into());
            return Ok(doc);
        };
        let mut doc = Document::open_with(path, Mode::ReadWrite)?;
        doc._lock = Some(lock);
        Ok(doc)
    }

    /// Opens a model file for reading; the file is never written.
    pub fn open_read_only(path: &Path) -> Result<Document> {
        Document::open_with(path, Mode::ReadOnly)
    }

    /// Opens a file without taking its writer's lock (callers that hold it, and readers).
    fn open_with(path: &Path, mode: Mode) -> Result<Document> {
        let conn = schema::open(path, mode)?;
        let model = rows::load(&conn, path)?;
        let warnings = validate::ensure_valid(&model).map_err(|source| Error::Model {
            path: path.to_owned(),
            source,
        })?;
        let seen = data_version(&conn, path)?;
        Ok(Document {
            conn,
            path: path.to_owned(),
            model,
            warnings,
            mode,
            seen,
            _lock: None,
            note: None,
        })
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether the file was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.mode == Mode::ReadOnly
    }

    /// Why the file was opened read-only although it was asked for writing, if it was.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Warnings found when the file was opened (edits are checked as they are made).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Applies one user action and saves it, with its undo record, in one transaction. The
    /// command is planned inside the write transaction, against the model as the file holds
    /// it, so the undo record is always true. `Ok` means saved; an error means nothing was.
    pub fn execute(&mut self, cmd: &Command) -> Result<()> {
        let path = self.path.clone();
        self.commit(|model, _| {
            let deltas = edit::plan(model, cmd).map_err(|source| Error::Model { path, source })?;
            Ok(Some((deltas, Record::New(cmd.label()))))
        })
        .map(|_| ())
    }

    /// Applies `cmd` as [`execute`](Self::execute) does and returns the number of the undo
    /// step it made, for callers that undo per person (the workshop room). This document
    /// holds the file's writer lock, so no other writer can come between.
    pub fn execute_step(&mut self, cmd: &Command) -> Result<i64> {
        self.execute(cmd)?;
        self.newest_step()
    }

    fn newest_step(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT MAX(seq) FROM history", [], |r| r.get(0))
            .map_err(|e| schema::classify(&self.path, e))
    }

    /// Takes back undo step `seq` alone, as a new step labelled `label`, where nothing since
    /// has changed what it changed (one person's undo while others edit too). Returns the new
    /// step's number. A step changed again since, or already undone, is a `Model` error
    /// (`Conflict` or `NotFound`) and nothing is written.
    pub fn revert(&mut self, seq: i64, label: &str) -> Result<i64> {
        let path = self.path.clone();
        let sql =
            format!("SELECT seq, label, deltas FROM history WHERE seq = {seq} AND undone = 0");
        self.commit(|model, tx| {
            let model_err = |source| Error::Model {
                path: path.clone(),
                source,
            };
            let Some((_, _, deltas)) = history_row(tx, &path, &sql)? else {
                return Err(model_err(tributary_core::Error::NotFound(
                    "that edit in the undo history (it was undone already, or is too old)".into(),
                )));
            };
            let inverse = edit::invert(&deltas);
            edit::check_unchanged(model, &inverse).map_err(model_err)?;
            // others may have built on it since (an assignment to a stage it added)
            let mut after = model.clone();
            edit::apply(&mut after, &inverse).map_err(model_err)?;
            if validate::ensure_valid(&after).is_err() {
                return Err(model_err(tributary_core::Error::Conflict(
                    "later edits build on this one, so it cannot be undone on its own".into(),
                )));
            }
            Ok(Some((inverse, Record::New(label.to_owned()))))
        })?;
        self.newest_step()
    }

    /// Undoes the last action; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        self.step(true)
    }

    /// Redoes the last undone action; returns its label, or `None` when there is none.
    pub fn redo(&mut self) -> Result<Option<String>> {
        self.step(false)
    }

    fn step(&mut self, undo: bool) -> Result<Option<String>> {
        let sql = if undo {
            "SELECT seq, label, deltas FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1"
        } else {
            "SELECT seq, label, deltas FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1"
        };
        // Nothing to undo writes nothing.
        if history_row(&self.conn, &self.path, sql)?.is_none() {
            return Ok(None);
        }
        let path = self.path.clone();
        self.commit(|_, tx| {
            Ok(history_row(tx, &path, sql)?.map(|(seq, label, deltas)| {
                if undo {
                    (edit::invert(&deltas), Record::Undone(seq, label))
                } else {
                    (deltas, Record::Redone(seq, label))
                }
            }))
        })
    }

    /// The labels of the next undo and redo.
    pub fn history(&self) -> Result<History> {
        let label = |sql: &str| -> Result<Option<String>> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .optional()
                .map_err(|e| schema::classify(&self.path, e))
        };
        Ok(History {
            undo: label("SELECT label FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1")?,
            redo: label("SELECT label FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1")?,
        })
    }

    pub(crate) fn read_only(&self) -> Error {
        Error::Io {
            path: self.path.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the model was opened read-only",
            ),
        }
    }

    /// Runs one edit in one write transaction: reads the model again if another connection
    /// wrote the file, plans the deltas with `plan` (`None`: nothing to do), applies them to
    /// the model, writes them and the undo record, and commits. Returns the record's label.
    /// On any failure nothing is written and the model is as the file holds it.
    fn commit(
        &mut self,
        plan: impl FnOnce(&Model, &Transaction<'_>) -> Result<Option<(Vec<Delta>, Record)>>,
    ) -> Result<Option<String>> {
        if self.mode == Mode::ReadOnly {
            return Err(self.read_only());
        }
        let path = self.path.clone();
        let err = |e| schema::classify(&path, e);
        let tx = begin(&mut self.conn, &mut self.model, &mut self.seen, &path)?;
        let Some((deltas, record)) = plan(&self.model, &tx)? else {
            return Ok(None);
        };
        let before = self.model.clone();
        let written = (|| -> Result<()> {
            edit::apply(&mut self.model, &deltas).map_err(|source| Error::Model {
                path: path.clone(),
                source,
            })?;
            rows::Writer::new(&tx, &path).write(&self.model, &deltas)?;
            record_history(&tx, &path, &record, &deltas)?;
            tx.commit().map_err(err)
        })();
        if let Err(e) = written {
            // The transaction rolled back: the model goes back to what the file holds.
            self.model = before;
            return Err(e);
        }
        Ok(Some(record.label().to_owned()))
    }

    /// Writes a copy of the model file to `path` and continues working there. The copy is
    /// written under a temporary name and renamed, so it appears whole or not at all.
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        if path == self.path {
            return Ok(());
        }
        let tmp = temp_sibling(path);
        let _ = std::fs::remove_file(&tmp);
        self.conn
            .execute("VACUUM INTO ?1", [tmp.to_string_lossy()])
            .map_err(|e| schema::classify(path, e))?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io {
                path: path.to_owned(),
                source: e,
            }
        })?;
        let lock = self._lock.take();
        let mut next = Document::open_with(path, self.mode)?;
        if lock.is_some() {
            let holder = Holder::this_process("Tributary", true);
            next._lock = WriterLock::acquire(path, &holder)?;
        }
        *self = next;
        Ok(())
    }

    /// Closes the file. Every edit is in the file already; closing only lets go of it (a
    /// writer's lock goes with it).
    pub fn close(self) -> Result<()> {
        Ok(())
    }
}

/// `dir/.name.tmp-PID` beside `path`, so a rename onto `path` stays on one file system.
fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model.tributary".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Opens the write transaction (`BEGIN IMMEDIATE`: the one writer from here to the commit)
/// and reads the model again if another connection wrote the file since it was read.
pub(crate) fn begin<'c>(
    conn: &'c mut rusqlite::Connection,
    model: &mut Model,
    seen: &mut i64,
    path: &Path,
) -> Result<Transaction<'c>> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| schema::classify(path, e))?;
    let now = data_version(&tx, path)?;
    if now != *seen {
        *model = rows::load(&tx, path)?;
        *seen = now;
    }
    Ok(tx)
}

/// SQLite's count of the commits other connections made to the file.
fn data_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
        .map_err(|e| schema::classify(path, e))
}

/// Writes a new model file at `tmp` (named `path` in errors).
fn write_new(tmp: &Path, path: &Path, model: &Model) -> Result<()> {
    let mut conn = Connection::open_with_flags(
        tmp,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| schema::classify(path, e))?;
    schema::harden(&conn, path)?;
    schema::configure_journal(&conn, path)?;
    schema::migrate(&mut conn, path, 0)?;
    let tx = conn.transaction().map_err(|e| schema::classify(path, e))?;
    rows::insert_all(&tx, path, model)?;
    tx.commit().map_err(|e| schema::classify(path, e))?;
    conn.close().map_err(|(_, e)| schema::classify(path, e))
}

fn history_row(
    conn: &Connection,
    path: &Path,
    sql: &str,
) -> Result<Option<(i64, String, Vec<Delta>)>> {
    let row: Option<(i64, String, String)> = conn
        .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
        .map_err(|e| schema::classify(path, e))?;
    row.map(|(seq, label, text)| match serde_json::from_str(&text) {
        Ok(d) => Ok((seq, label, d)),
        Err(e) => Err(Error::Corrupt {
            path: path.to_owned(),
            detail: format!("undo step {seq} ({label:?}) cannot be read: {e}"),
        }),
    })
    .transpose()
}

/// Keeps the undo record of an edit in the file's history.
fn record_history(
    tx: &Transaction<'_>,
    path: &Path,
    record: &Record,
    deltas: &[Delta],
) -> Result<()> {
    let err = |e| schema::classify(path, e);
    match record {
        Record::New(label) => {
            tx.execute("DELETE FROM history WHERE undone = 1", [])
                .map_err(err)?;
            let text = serde_json::to_string(deltas)
                .unwrap_or_else(|e| unreachable!("deltas serialise: {e}"));
            tx.execute(
                "INSERT INTO history (label, deltas) VALUES (?1, ?2)",
                params![label, text],
            )
            .map_err(err)?;
            tx.execute(
                "DELETE FROM history WHERE seq <= (SELECT MAX(seq) FROM history) - ?1",
                params![HISTORY_LIMIT],
            )
            .map_err(err)?;
        }
        Record::Undone(seq, _) => {
            tx.execute("UPDATE history SET undone = 1 WHERE seq = ?1", [seq])
                .map_err(err)?;
        }
        Record::Redone(seq, _) => {
            tx.execute("UPDATE history SET undone = 0 WHERE seq = ?1", [seq])
                .map_err(err)?;
        }
    }
    Ok(())
}
