//! The aggregates of imported distributed traces (migration 007), kept as JSON: the traces
//! crate makes and reads them, this module only stores them.

use rusqlite::{OptionalExtension, params};

use crate::error::Result;
use crate::schema::classify;
use crate::{Document, Mode};

/// One recorded import of traces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRecord {
    pub id: i64,
    pub source: String,
    pub format: String,
    pub imported_at: String,
    pub spans: u64,
    /// The aggregates as JSON.
    pub summary: String,
}

impl Document {
    /// Keeps the aggregates of an import of traces; returns its id.
    pub fn store_traces(
        &mut self,
        source: &str,
        format: &str,
        imported_at: &str,
        spans: u64,
        summary: &str,
    ) -> Result<i64> {
        if self.mode == Mode::ReadOnly {
            return Err(self.read_only());
        }
        let path = self.path.clone();
        self.conn
            .execute(
                "INSERT INTO trace_imports (source, format, imported_at, spans, summary)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![source, format, imported_at, spans as i64, summary],
            )
            .map_err(|e| classify(&path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The imports of traces, oldest first, and the newest one's aggregates.
    pub fn trace_imports(&self) -> Result<(Vec<TraceRecord>, Option<String>)> {
        let err = |e| classify(&self.path, e);
        let mut stmt = self
            .conn
            .prepare("SELECT id, source, format, imported_at, spans FROM trace_imports ORDER BY id")
            .map_err(err)?;
        let rows = stmt.query_map([], |r| {
            Ok(TraceRecord {
                id: r.get(0)?,
                source: r.get(1)?,
                format: r.get(2)?,
                imported_at: r.get(3)?,
                spans: r.get::<_, i64>(4)?.max(0) as u64,
                summary: String::new(),
            })
        });
        let list = rows.and_then(Iterator::collect).map_err(err)?;
        let newest = self
            .conn
            .query_row(
                "SELECT summary FROM trace_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        Ok((list, newest))
    }
}
