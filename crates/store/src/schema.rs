//! Opening a model file safely, checking its schema, and migrating it forward.
//!
//! A model file comes from anyone, so it is untrusted input. It is opened with SQLite's
//! defensive settings (no triggers, no views, an untrusted schema, cell size checks), its
//! header, application id and version are checked before anything is read, its integrity is
//! checked, and its schema must be exactly what the engine's migrations make: any other
//! table, index, trigger or view is named and refused.

use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// "Trib" in ASCII: the `application_id` of every model file.
pub const APPLICATION_ID: i32 = 0x5472_6962;

/// Migrations in order; a file's `user_version` is how many it has had.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("001_model", include_str!("../migrations/001_model.sql")),
    ("002_history", include_str!("../migrations/002_history.sql")),
    (
        "003_simulation",
        include_str!("../migrations/003_simulation.sql"),
    ),
    (
        "004_telemetry",
        include_str!("../migrations/004_telemetry.sql"),
    ),
    (
        "005_mappings",
        include_str!("../migrations/005_mappings.sql"),
    ),
    (
        "006_notes_and_links",
        include_str!("../migrations/006_notes_and_links.sql"),
    ),
    ("007_traces", include_str!("../migrations/007_traces.sql")),
    (
        "008_interchange",
        include_str!("../migrations/008_interchange.sql"),
    ),
    (
        "009_integrations",
        include_str!("../migrations/009_integrations.sql"),
    ),
    (
        "010_versions",
        include_str!("../migrations/010_versions.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| classify(path, source)
}

/// Turns SQLite's "not a database" and "malformed" into the errors users understand.
pub fn classify(path: &Path, source: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    if let rusqlite::Error::SqliteFailure(e, msg) = &source {
        match e.code {
            NotADatabase => {
                return Error::NotAModel {
                    path: path.to_owned(),
                    reason: "it is not an SQLite database".into(),
                };
            }
            DatabaseCorrupt => {
                return Error::Corrupt {
                    path: path.to_owned(),
                    detail: msg
                        .clone()
                        .unwrap_or_else(|| "database disk image is malformed".into()),
                };
            }
            _ => {}
        }
    }
    Error::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// The settings every connection gets before it reads a byte of the schema.
pub fn harden(conn: &Connection, path: &Path) -> Result<()> {
    let err = sqlite(path);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(&err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)
        .map_err(&err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)
        .map_err(&err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(&err)?;
    conn.execute_batch(
        "PRAGMA cell_size_check = ON;
         PRAGMA foreign_keys = ON;
         PRAGMA mmap_size = 0;",
    )
    .map_err(&err)?;
    Ok(())
}

/// Applies migrations `from+1..=to`, each in one `BEGIN IMMEDIATE` transaction with its
/// version bump, so a crash leaves the file at one version or the next.
pub fn migrate(conn: &mut Connection, path: &Path, from: i64) -> Result<()> {
    let err = sqlite(path);
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        if i == 0 {
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))
                .map_err(&err)?;
        }
        tx.execute_batch(sql).map_err(&err)?;
        tx.execute_batch(&format!("PRAGMA user_version = {};", i + 1))
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
    }
    Ok(())
}

/// One schema object as `sqlite_schema` lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Object {
    kind: String,
    name: String,
    sql: Option<String>,
}

fn objects(conn: &Connection, path: &Path) -> Result<Vec<Object>> {
    let err = sqlite(path);
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .map_err(&err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Object {
                kind: r.get(0)?,
                name: r.get(1)?,
                sql: r.get(2)?,
            })
        })
        .map_err(&err)?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(&err)
}

/// The schema the engine's migrations make at `version`, built in memory.
fn expected(version: i64) -> Result<Vec<Object>> {
    let path = Path::new(":memory:");
    let mem = Connection::open_in_memory().map_err(sqlite(path))?;
    harden(&mem, path)?;
    for (_, sql) in &MIGRATIONS[..version as usize] {
        mem.execute_batch(sql).map_err(sqlite(path))?;
    }
    objects(&mem, path)
}

/// Refuses any object the engine did not make, and a schema missing any it did.
fn check_schema(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let found = objects(conn, path)?;
    let want = expected(version)?;
    let foreign: Vec<String> = found
        .iter()
        .filter(|o| !want.contains(o))
        .map(|o| {
            if want.iter().any(|w| w.name == o.name) {
                format!("{} {:?} (changed)", o.kind, o.name)
            } else {
                format!("{} {:?}", o.kind, o.name)
            }
        })
        .collect();
    if !foreign.is_empty() {
        return Err(Error::ForeignSchema {
            path: path.to_owned(),
            objects: foreign,
        });
    }
    let missing: Vec<String> = want
        .iter()
        .filter(|w| !found.contains(w))
        .map(|w| format!("{} {:?}", w.kind, w.name))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            detail: format!("missing {}", missing.join(", ")),
        });
    }
    Ok(())
}

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For editing: migrates the file forward in place.
    ReadWrite,
    /// For reading only: an older file is migrated in memory, the file is left as it is.
    ReadOnly,
}

/// Opens an existing model file and returns a checked connection at the latest version.
///
/// Every check runs on a read-only connection first, so a file refused as damaged or foreign
/// keeps its bytes and its time stamp. Only then is a file for editing opened for writing
/// (migrated forward, and an older file's write-ahead log folded back into it).
pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    sniff(path)?;
    let (ro, version) = checked(path)?;
    match mode {
        Mode::ReadOnly if version < latest() => migrated_copy(&ro, path, version),
        Mode::ReadOnly => Ok(ro),
        Mode::ReadWrite => {
            drop(ro);
            let mut conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            configure_journal(&conn, path)?;
            if version < latest() {
                migrate(&mut conn, path, version)?;
            }
            Ok(conn)
        }
    }
}

fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(sqlite(path))?;
    harden(&conn, path)?;
    Ok(conn)
}

/// A read-only connection to a file that passed every check, and its schema version.
fn checked(path: &Path) -> Result<(Connection, i64)> {
    let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let version = match header(&conn, path) {
        Err(e) if left_mid_edit(&e) => {
            // A process died mid-edit: its journal rolls the file back to the last commit,
            // which takes a writer. Recover in place, or read a recovered copy.
            drop(conn);
            return match recover(path) {
                Ok(()) => checked(path),
                Err(_) => recovered_copy(path),
            };
        }
        other => other?,
    };
    integrity(&conn, path)?;
    check_schema(&conn, path, version)?;
    Ok((conn, version))
}

/// For a file left mid-edit where it cannot be written (read-only media): the file and its
/// journal are copied to a temporary folder, recovered there, and read into memory; the file
/// itself is left as it is.
fn recovered_copy(path: &Path) -> Result<(Connection, i64)> {
    let journal = journal_of(path);
    let dir = std::env::temp_dir().join(format!("tributary-recover-{}", std::process::id()));
    let copy = dir.join("model.tributary");
    let copied = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::copy(path, &copy))
        .and_then(|_| std::fs::copy(&journal, journal_of(&copy)));
    let result = copied
        .map_err(|_| unrecoverable(path))
        .and_then(|_| recover(&copy))
        .and_then(|_| checked(&copy))
        .and_then(|(conn, version)| {
            let mem = Connection::open_in_memory().map_err(sqlite(path))?;
            into(&conn, mem, path).map(|m| (m, version))
        });
    let _ = std::fs::remove_dir_all(&dir);
    result.map_err(|e| match e {
        Error::Corrupt { .. } => e,
        _ => unrecoverable(path),
    })
}

fn journal_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-journal");
    name.into()
}

/// `conn`'s database copied into `mem`.
fn into(conn: &Connection, mut mem: Connection, path: &Path) -> Result<Connection> {
    let err = sqlite(path);
    harden(&mem, path)?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut mem).map_err(&err)?;
        backup
            .run_to_completion(1024, std::time::Duration::ZERO, None)
            .map_err(&err)?;
    }
    Ok(mem)
}

/// The header's application id and version, checked.
fn header(conn: &Connection, path: &Path) -> Result<i64> {
    let err = sqlite(path);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(&err)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&err)?;
    if app_id != APPLICATION_ID {
        return Err(Error::NotAModel {
            path: path.to_owned(),
            reason: "it is an SQLite database made by another program".into(),
        });
    }
    if version > latest() {
        return Err(Error::NewerVersion {
            path: path.to_owned(),
            found: version,
            supported: latest(),
        });
    }
    if version < 1 {
        return Err(Error::NotAModel {
            path: path.to_owned(),
            reason: "it has no Tributary schema".into(),
        });
    }
    Ok(version)
}

/// SQLite's answer when a read-only connection meets the journal of an interrupted edit.
fn left_mid_edit(e: &Error) -> bool {
    matches!(e, Error::Sqlite { source: rusqlite::Error::SqliteFailure(f, _), .. }
        if f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK)
}

/// Rolls back the edit a killed process left half done (its `-journal` holds the pages as
/// they were), by opening the file for writing once. On read-only media this cannot be done
/// here, and the error says how to recover.
fn recover(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| unrecoverable(path))?;
    harden(&conn, path)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|_| unrecoverable(path))?;
    Ok(())
}

fn unrecoverable(path: &Path) -> Error {
    Error::Corrupt {
        path: path.to_owned(),
        detail: "an edit was interrupted and the file is on read-only media, so it cannot be \
                 finished here; copy the file together with the -journal file beside it to a \
                 writable folder and open it there"
            .into(),
    }
}

/// The file's pages and rows are sound: SQLite's integrity check (with CHECK and NOT NULL
/// constraints), and the few rules of the model tables that a constraint cannot say.
fn integrity(conn: &Connection, path: &Path) -> Result<()> {
    let err = sqlite(path);
    let check: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA quick_check(5)").map_err(&err)?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .map_err(&err)?
            .collect::<std::result::Result<_, _>>()
            .map_err(&err)?
    };
    if check != ["ok"] {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            detail: check.join("; "),
        });
    }
    let bad = |detail: &str| Error::Corrupt {
        path: path.to_owned(),
        detail: detail.to_owned(),
    };
    let count = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(&err)
    };
    if count("SELECT count(*) FROM settings")? != 1 {
        return Err(bad("the model settings must be exactly one row"));
    }
    let has_history = count("SELECT count(*) FROM sqlite_schema WHERE name = 'history'")? > 0;
    if has_history
        && count("SELECT count(*) FROM history WHERE seq < 1 OR seq > 9007199254740992")? > 0
    {
        return Err(bad("the undo history is numbered out of range"));
    }
    Ok(())
}

/// The file at an older version, migrated in memory: the file itself is left as it is.
fn migrated_copy(conn: &Connection, path: &Path, version: i64) -> Result<Connection> {
    let mem = Connection::open_in_memory().map_err(sqlite(path))?;
    let mut mem = into(conn, mem, path)?;
    migrate(&mut mem, path, version)?;
    Ok(mem)
}

/// A rollback journal with `synchronous = FULL`, for the file's whole life: after every
/// commit the `.tributary` file alone holds every edit (it can be copied, mailed or committed
/// as it is), and a crash or kill at any moment leaves the last commit. A file left in
/// write-ahead-log mode by an earlier version has its log folded back in here.
pub fn configure_journal(conn: &Connection, path: &Path) -> Result<()> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(sqlite(path))?;
    if !mode.eq_ignore_ascii_case("delete") {
        let now: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(sqlite(path))?;
        if !now.eq_ignore_ascii_case("delete") {
            return Err(Error::Busy {
                path: path.to_owned(),
                holder: "open in another program that keeps it in write-ahead-log mode".into(),
            });
        }
    }
    conn.execute_batch("PRAGMA synchronous = FULL;")
        .map_err(sqlite(path))?;
    Ok(())
}

/// Checks the first bytes before SQLite sees the file, so that a text file, an image or a
/// truncated download gets a plain answer.
pub(crate) fn sniff(path: &Path) -> Result<()> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: path.to_owned(),
        },
        _ => Error::Io {
            path: path.to_owned(),
            source: e,
        },
    })?;
    if meta.is_dir() {
        return Err(Error::NotAModel {
            path: path.to_owned(),
            reason: "it is a folder".into(),
        });
    }
    let mut head = [0u8; 100];
    let mut f = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        source: e,
    })?;
    let n = f.read(&mut head).map_err(|e| Error::Io {
        path: path.to_owned(),
        source: e,
    })?;
    if n == 0 {
        return Err(Error::NotAModel {
            path: path.to_owned(),
            reason: "the file is empty".into(),
        });
    }
    if n < 16 || &head[..16] != b"SQLite format 3\0" {
        let looks_json = head[..n]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{');
        return Err(Error::NotAModel {
            path: path.to_owned(),
            reason: if looks_json {
                "it looks like JSON; use `tributary import` to turn a tributary/1 JSON model into a model file".into()
            } else {
                "it is not an SQLite database".into()
            },
        });
    }
    if n < 100 {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            detail: "the file is cut short".into(),
        });
    }
    Ok(())
}
