//! The web UI a participant's browser loads: from the app's own bundled files, or from a
//! folder (`ui/dist` of a checkout, or where a package installs it).

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// One file of the web UI.
pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    pub mime: String,
}

/// Where the room finds the web UI's files, by their path under the UI's root
/// (`room.html`, `assets/index-1a2b.js`).
pub trait Assets: Send + Sync + 'static {
    fn get(&self, path: &str) -> Option<Asset>;
}

/// The web UI from a folder on disk. Only plain relative paths inside it are served: no
/// `..`, no absolute paths, nothing a link leads out to.
pub struct DirAssets {
    root: PathBuf,
}

impl DirAssets {
    /// A folder holding `room.html`, the participant's page; `None` if it does not.
    pub fn new(root: &Path) -> Option<DirAssets> {
        let root = root.canonicalize().ok()?;
        root.join("room.html")
            .is_file()
            .then_some(DirAssets { root })
    }
}

impl Assets for DirAssets {
    fn get(&self, path: &str) -> Option<Asset> {
        let rel = Path::new(path);
        if path.contains('\\') || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return None;
        }
        let full = self.root.join(rel).canonicalize().ok()?;
        if !full.starts_with(&self.root) || !full.is_file() {
            return None;
        }
        let bytes = std::fs::read(&full).ok()?;
        Some(Asset {
            bytes: Cow::Owned(bytes),
            mime: mime_of(path),
        })
    }
}

/// No web UI: the protocol alone (tests, a room driven by its own clients).
pub struct NoAssets;

impl Assets for NoAssets {
    fn get(&self, _path: &str) -> Option<Asset> {
        None
    }
}

/// The content type of a file by its name.
pub fn mime_of(path: &str) -> String {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_files_inside_the_folder_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let ui = dir.path().join("ui");
        std::fs::create_dir_all(ui.join("assets")).unwrap();
        std::fs::write(ui.join("room.html"), "<!doctype html>").unwrap();
        std::fs::write(ui.join("assets/app.js"), "1").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let a = DirAssets::new(&ui).unwrap();
        assert_eq!(a.get("room.html").unwrap().mime, "text/html");
        assert_eq!(a.get("assets/app.js").unwrap().mime, "text/javascript");
        for bad in [
            "../secret.txt",
            "/etc/passwd",
            "assets/../../secret.txt",
            "..\\secret.txt",
            "",
            "assets",
        ] {
            assert!(a.get(bad).is_none(), "{bad:?} was served");
        }
        assert!(DirAssets::new(dir.path()).is_none(), "no room.html, no UI");
    }
}
