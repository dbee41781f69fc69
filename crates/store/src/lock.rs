//! One writer per model file. Whoever opens a file for editing holds an advisory lock on a
//! small companion file (`.NAME.lock` beside it) that says who they are, so that a second
//! writer is told who has the file ("open in Tributary on this computer since 10:42") before
//! anything is written, instead of the two taking turns and corrupting each other's undo.
//!
//! The lock is the operating system's (flock on Unix): it dies with the process that holds
//! it, so a crash never leaves a file locked; the companion file is removed on close.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Who holds a file for writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// "Tributary" for the desktop app, "the tributary command" for the CLI.
    pub program: String,
    /// Whether the holder keeps the file open for a long time (the app), so that waiting for
    /// it is pointless.
    pub long_lived: bool,
    pub pid: u32,
    pub host: String,
    /// When it took the file, as the local time of day people recognise ("10:42").
    pub since: String,
}

impl Holder {
    /// This process, as `program`.
    pub fn this_process(program: &str, long_lived: bool) -> Holder {
        Holder {
            program: program.to_owned(),
            long_lived,
            pid: std::process::id(),
            host: hostname(),
            since: jiff::ZonedDateTime::now().strftime("%H:%M").to_string(),
        }
    }

    /// "open in Tributary on this computer since 10:42 (process 1234)".
    pub fn describe(&self) -> String {
        let here = if self.host == hostname() {
            "on this computer".to_owned()
        } else {
            format!("on {}", self.host)
        };
        format!(
            "open in {} {here} since {} (process {})",
            self.program, self.since, self.pid
        )
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

/// The companion lock file of a model file.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model.tributary".into());
    path.with_file_name(format!(".{name}.lock"))
}

/// The lock a writer holds while its file is open.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
    path: PathBuf,
}

/// How long a writer waits for another short-lived writer (a CLI edit) to finish.
const PATIENCE: Duration = Duration::from_secs(5);

impl WriterLock {
    /// Takes `model`'s lock for `holder`, waiting a little while the holder is a short-lived
    /// writer. `Ok(None)` when no lock can be taken because the folder is read-only (the file
    /// is then opened read-only by the caller).
    pub fn acquire(model: &Path, holder: &Holder) -> Result<Option<WriterLock>> {
        let path = lock_path(model);
        let started = Instant::now();
        loop {
            let Some(mut file) = Self::locked(model, &path, started)? else {
                return Ok(None);
            };
            // A writer that just closed removed the file it held: then the lock is on a file
            // nobody else will look at, and the one at `path` is the one to take.
            if !still_at(&file, &path) {
                continue;
            }
            let text = serde_json::to_string(holder)
                .unwrap_or_else(|e| unreachable!("a holder serialises: {e}"));
            file.set_len(0)
                .and_then(|_| file.rewind())
                .and_then(|_| file.write_all(text.as_bytes()))
                .and_then(|_| file.flush())
                .map_err(|e| io(&path, e))?;
            return Ok(Some(WriterLock { file, path }));
        }
    }

    /// Opens the lock file and locks it, waiting for a short-lived holder.
    fn locked(model: &Path, path: &Path, started: Instant) -> Result<Option<File>> {
        let mut file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if read_only_folder(&e) => return Ok(None),
            Err(e) => return Err(io(path, e)),
        };
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(file)),
                Err(TryLockError::WouldBlock) => {
                    let other = read_holder(&mut file);
                    let wait = other.as_ref().is_none_or(|h| !h.long_lived);
                    if !wait || started.elapsed() > PATIENCE {
                        return Err(Error::Busy {
                            path: model.to_owned(),
                            holder: other
                                .map_or("open for writing elsewhere".into(), |h| h.describe()),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(15));
                }
                Err(TryLockError::Error(e)) => return Err(io(path, e)),
            }
        }
    }
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no other writer takes a file about to vanish.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(4096).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

fn read_only_folder(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}
