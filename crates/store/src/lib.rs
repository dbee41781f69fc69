//! The `.tributary` model file: an SQLite database that is the application's document.
//!
//! A [`Document`] holds the open file and the model read from it. Every edit is planned by
//! the engine into deltas, applied to the in-memory model, and written with its undo record
//! in one transaction; if the write fails, the in-memory model is put back, so what the user
//! sees is always what the file holds.

mod error;
mod rows;
pub mod schema;
mod tables;
mod telemetry;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tributary_core::edit::{self, Command, Delta};
use tributary_core::{Model, Problem, validate};

pub use error::{Error, Result};
pub use schema::Mode;
pub use telemetry::Tick;

/// Undo steps kept in a file; older ones are dropped.
pub const HISTORY_LIMIT: i64 = 1000;

/// An open model file.
pub struct Document {
    conn: Connection,
    path: PathBuf,
    model: Model,
    warnings: Vec<Problem>,
    mode: Mode,
    /// Whether `settle` has run (it runs once, at close).
    settled: bool,
}

/// What undo and redo would do next, for menus and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub undo: Option<String>,
    pub redo: Option<String>,
}

enum Record {
    New(String),
    Undone(i64),
    Redone(i64),
}

impl Document {
    /// Creates a new model file holding `model`. Refuses to overwrite an existing file. The
    /// file is written under a temporary name and renamed, so it appears whole or not at all.
    pub fn create(path: &Path, model: &Model) -> Result<Document> {
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
        let written = (|| -> Result<()> {
            let mut conn = Connection::open_with_flags(
                &tmp,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| schema::classify(path, e))?;
            schema::harden(&conn, path)?;
            schema::migrate(&mut conn, path, 0)?;
            let tx = conn.transaction().map_err(|e| schema::classify(path, e))?;
            rows::insert_all(&tx, path, model)?;
            tx.commit().map_err(|e| schema::classify(path, e))?;
            conn.close().map_err(|(_, e)| schema::classify(path, e))?;
            Ok(())
        })();
        if let Err(e) = written {
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
        Document::open(path)
    }

    /// Opens a model file for editing.
    pub fn open(path: &Path) -> Result<Document> {
        Document::open_with(path, Mode::ReadWrite)
    }

    /// Opens a model file for reading; the file is never written.
    pub fn open_read_only(path: &Path) -> Result<Document> {
        Document::open_with(path, Mode::ReadOnly)
    }

    pub fn open_with(path: &Path, mode: Mode) -> Result<Document> {
        let conn = schema::open(path, mode)?;
        let model = rows::load(&conn, path)?;
        let warnings = validate::ensure_valid(&model).map_err(|source| Error::Model {
            path: path.to_owned(),
            source,
        })?;
        Ok(Document {
            conn,
            path: path.to_owned(),
            model,
            warnings,
            mode,
            settled: false,
        })
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Warnings found when the file was opened (edits are checked as they are made).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Applies one user action and saves it, with its undo record, in one transaction.
    pub fn execute(&mut self, cmd: &Command) -> Result<()> {
        let deltas = edit::plan(&self.model, cmd).map_err(|source| Error::Model {
            path: self.path.clone(),
            source,
        })?;
        self.commit(&deltas, Record::New(cmd.label()))
    }

    /// Undoes the last action; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        let Some((seq, label, deltas)) = self.history_row(
            "SELECT seq, label, deltas FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1",
        )?
        else {
            return Ok(None);
        };
        self.commit(&edit::invert(&deltas), Record::Undone(seq))?;
        Ok(Some(label))
    }

    /// Redoes the last undone action; returns its label, or `None` when there is none.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let Some((seq, label, deltas)) = self.history_row(
            "SELECT seq, label, deltas FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1",
        )?
        else {
            return Ok(None);
        };
        self.commit(&deltas, Record::Redone(seq))?;
        Ok(Some(label))
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

    fn history_row(&self, sql: &str) -> Result<Option<(i64, String, Vec<Delta>)>> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(|e| schema::classify(&self.path, e))?;
        row.map(|(seq, label, text)| match serde_json::from_str(&text) {
            Ok(d) => Ok((seq, label, d)),
            Err(e) => Err(Error::Corrupt {
                path: self.path.clone(),
                detail: format!("undo step {seq} ({label:?}) cannot be read: {e}"),
            }),
        })
        .transpose()
    }

    fn read_only(&self) -> Error {
        Error::Io {
            path: self.path.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the model was opened read-only",
            ),
        }
    }

    fn commit(&mut self, deltas: &[Delta], record: Record) -> Result<()> {
        if self.mode == Mode::ReadOnly {
            return Err(self.read_only());
        }
        // Apply to the in-memory model first (the writer needs final positions); undo what
        // was applied if anything after fails.
        let mut applied = 0;
        let result = (|| -> Result<()> {
            for d in deltas {
                edit::apply_one(&mut self.model, d).map_err(|source| Error::Model {
                    path: self.path.clone(),
                    source,
                })?;
                applied += 1;
            }
            let path = self.path.clone();
            let err = |e| schema::classify(&path, e);
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(err)?;
            rows::Writer::new(&tx, &path).write(&self.model, deltas)?;
            match &record {
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
                Record::Undone(seq) => {
                    tx.execute("UPDATE history SET undone = 1 WHERE seq = ?1", [seq])
                        .map_err(err)?;
                }
                Record::Redone(seq) => {
                    tx.execute("UPDATE history SET undone = 0 WHERE seq = ?1", [seq])
                        .map_err(err)?;
                }
            }
            tx.commit().map_err(err)?;
            Ok(())
        })();
        if let Err(e) = result {
            // Put the model back as the file still has it.
            let back = edit::invert(&deltas[..applied]);
            if edit::apply(&mut self.model, &back).is_err() {
                // Should the inverse not apply, re-read the file: it is the truth.
                if let Ok(m) = rows::load(&self.conn, &self.path) {
                    self.model = m;
                }
            }
            return Err(e);
        }
        Ok(())
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
        *self = Document::open_with(path, self.mode)?;
        Ok(())
    }

    /// Closes the file, folding the write-ahead log back into it so the file can be copied
    /// or committed on its own.
    pub fn close(mut self) -> Result<()> {
        self.settle().map_err(|e| schema::classify(&self.path, e))
    }

    /// Folds the write-ahead log back into the file and leaves it in rollback-journal mode, so
    /// the closed file stands alone: it can be copied, committed or mailed as it is, and
    /// opening it read-only later creates no `-wal`/`-shm` files beside it. Done once; when
    /// another process has the file open this cannot happen and the file stays in WAL mode,
    /// which is just as safe.
    fn settle(&mut self) -> rusqlite::Result<()> {
        if self.mode == Mode::ReadWrite && !self.settled {
            self.settled = true;
            self.conn.execute_batch(
                "PRAGMA wal_checkpoint(TRUNCATE);
                 PRAGMA journal_mode = DELETE;",
            )?;
        }
        Ok(())
    }
}

impl Drop for Document {
    fn drop(&mut self) {
        let _ = self.settle();
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
