//! Where the app keeps its own files (settings, untitled models, the bundled example), and the
//! native file dialogs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use tributary_api::RecentFile;
use tributary_api::ipc::Preferences;

/// The model a first start opens.
pub const EXAMPLE: &str = include_str!("../../assets/examples/mortgage.json");
/// Its generated work-item history (assets/examples/mortgage.telemetry/README.txt).
const EXAMPLE_EVENTS: &str = include_str!("../../assets/examples/mortgage.telemetry/events.csv");
const EXAMPLE_MAP: &str = include_str!("../../assets/examples/mortgage.telemetry/map.toml");

/// Recent files kept in the menu.
const RECENT_LIMIT: usize = 8;

pub struct Dirs {
    config: PathBuf,
    data: PathBuf,
}

impl Dirs {
    pub fn new(app: &AppHandle) -> Result<Dirs, Box<dyn std::error::Error>> {
        let config = app.path().app_config_dir()?;
        let data = app.path().app_data_dir()?;
        std::fs::create_dir_all(&config)?;
        std::fs::create_dir_all(data.join("untitled"))?;
        Ok(Dirs { config, data })
    }

    /// Models not yet saved to a place of the user's choosing live here.
    pub fn untitled(&self) -> PathBuf {
        self.data.join("untitled")
    }

    /// The folders of models that live only in the app's data: the untitled ones and the
    /// example's working copy.
    pub fn unsaved_dirs(&self) -> [PathBuf; 2] {
        [self.untitled(), self.data.join("examples")]
    }

    pub fn example(&self) -> std::io::Result<PathBuf> {
        let dir = self.data.join("examples");
        std::fs::create_dir_all(&dir)?;
        Ok(dir.join("Mortgage decision (example).tributary"))
    }

    /// A new file name in the untitled folder: "Untitled model.tributary", "... 2", ...
    pub fn fresh_untitled(&self, name: &str) -> std::io::Result<PathBuf> {
        let dir = self.untitled();
        std::fs::create_dir_all(&dir)?;
        let stem = file_stem(name);
        let mut n = 1;
        loop {
            let file = if n == 1 {
                format!("{stem}.tributary")
            } else {
                format!("{stem} {n}.tributary")
            };
            let path = dir.join(file);
            if !path.exists() {
                return Ok(path);
            }
            n += 1;
        }
    }

    /// Imports the example's generated history into a freshly created example model.
    pub fn import_example_telemetry(
        &self,
        session: &mut tributary_api::Session,
    ) -> Result<(), tributary_api::ApiError> {
        use tributary_api::telemetry::{Format, ImportControl, Mapping, MappingToml};
        let events = self.data.join("examples").join("mortgage-events.csv");
        std::fs::write(&events, EXAMPLE_EVENTS).map_err(|e| {
            tributary_api::ApiError::new(
                tributary_api::ErrorCode::Io,
                format!("{}: {e}", events.display()),
            )
        })?;
        let mapping = Mapping::from_toml(EXAMPLE_MAP)
            .map_err(|e| tributary_api::ApiError::new(tributary_api::ErrorCode::Internal, e))?;
        let result = session.telemetry_import(
            &events,
            Format::EventsCsv,
            "mortgage",
            Some(mapping),
            ImportControl::default(),
        );
        let _ = std::fs::remove_file(&events);
        result.map(|_| ())
    }

    fn settings_file(&self) -> PathBuf {
        self.config.join("settings.json")
    }
}

/// A file as the app names it to people: its name, not its whole path.
pub fn shown(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A name that is safe as a file name on every system.
pub fn file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_().,&".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').to_owned();
    if trimmed.is_empty() {
        "Untitled model".into()
    } else {
        trimmed.chars().take(80).collect()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    recent: Vec<PathBuf>,
    #[serde(default)]
    last: Option<PathBuf>,
    /// Where the window was and how large, in logical pixels, when the app last closed.
    #[serde(default)]
    pub window: Option<WindowState>,
    #[serde(default)]
    pub preferences: Preferences,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowState {
    pub width: f64,
    pub height: f64,
    pub x: f64,
    pub y: f64,
}

/// A rectangle of the screen in logical pixels (the monitor's work area: without panels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The size the window opens at on a first start, where the screen has room for it.
pub const DEFAULT_SIZE: (f64, f64) = (1440.0, 900.0);
/// On a first start on a screen larger than the default, the share of it the window takes
/// (a 1920x1080 monitor gets 1728x972: room for a whole stream beside the side panels).
pub const FIRST_SHARE: f64 = 0.9;
/// Below this the layout is not designed to work; a smaller screen gets all of itself.
pub const MIN_SIZE: (f64, f64) = (1024.0, 640.0);

/// Where the window opens: as large as last time (or, the first time, the default or most of a
/// larger screen) but never larger than the screen it opens on, and where it was if that is
/// still on this screen, else centred.
pub fn placement(saved: Option<WindowState>, area: Area) -> WindowState {
    let first = (
        DEFAULT_SIZE.0.max((area.width * FIRST_SHARE).round()),
        DEFAULT_SIZE.1.max((area.height * FIRST_SHARE).round()),
    );
    let (w, h) = saved.map_or(first, |s| (s.width, s.height));
    let width = w.max(MIN_SIZE.0).min(area.width);
    let height = h.max(MIN_SIZE.1).min(area.height);
    let centred = (
        area.x + (area.width - width) / 2.0,
        area.y + (area.height - height) / 2.0,
    );
    let (x, y) = match saved {
        Some(s)
            if s.x >= area.x
                && s.y >= area.y
                && s.x + width <= area.x + area.width
                && s.y + height <= area.y + area.height =>
        {
            (s.x, s.y)
        }
        _ => centred,
    };
    WindowState {
        width,
        height,
        x: x.round(),
        y: y.round(),
    }
}

impl Settings {
    /// Reads the settings; a missing or unreadable file gives the defaults (the settings are
    /// a convenience, never a reason not to start).
    pub fn load(dirs: &Dirs) -> Settings {
        std::fs::read_to_string(dirs.settings_file())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dirs: &Dirs) {
        if let Ok(text) = serde_json::to_string_pretty(self) {
            let _ = tributary_api::write_atomically(&dirs.settings_file(), text.as_bytes());
        }
    }

    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT_LIMIT);
    }

    /// Drops a file from the recent list and as the last one opened (it was discarded).
    pub fn forget(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        if self.last.as_deref() == Some(path) {
            self.last = None;
        }
    }

    pub fn set_last(&mut self, path: &Path) {
        self.last = Some(path.to_owned());
    }

    pub fn last(&self) -> Option<PathBuf> {
        self.last.clone().filter(|p| p.exists())
    }

    pub fn recent_files(&self) -> Vec<RecentFile> {
        self.recent
            .iter()
            .filter(|p| p.exists())
            .map(|p| RecentFile {
                path: p.to_string_lossy().into_owned(),
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// Native file dialogs. End-to-end tests cannot click in a native dialog, so when
/// `TRIBUTARY_E2E_DIALOG` names a file, each dialog answers with the line of that file for its
/// kind (`open PATH`, `save PATH`, or `cancel`) instead of showing itself.
pub struct Dialog<'a> {
    app: &'a AppHandle,
}

impl<'a> Dialog<'a> {
    pub fn new(app: &'a AppHandle) -> Dialog<'a> {
        Dialog { app }
    }

    fn scripted(kind: &str) -> Option<Option<PathBuf>> {
        let file = std::env::var_os("TRIBUTARY_E2E_DIALOG")?;
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines() {
            if line.trim() == "cancel" {
                return Some(None);
            }
            if let Some(p) = line.strip_prefix(kind).and_then(|r| r.strip_prefix(' ')) {
                return Some(Some(PathBuf::from(p.trim())));
            }
        }
        Some(None)
    }

    pub fn pick_model(&self) -> Option<PathBuf> {
        self.pick_model_titled("Open a model")
    }

    /// A model file to compare with or take changes from, under the dialog's `title`.
    pub fn pick_model_titled(&self, title: &str) -> Option<PathBuf> {
        if let Some(answer) = Self::scripted("open") {
            return answer;
        }
        self.app
            .dialog()
            .file()
            .set_title(title)
            .add_filter("Tributary model", &["tributary", "json"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok())
    }

    /// Where to save an export (a report, a workbook, a picture).
    pub fn save_export(&self, suggested: &str, extension: &str) -> Option<PathBuf> {
        if let Some(answer) = Self::scripted("save") {
            return answer;
        }
        self.app
            .dialog()
            .file()
            .set_title("Export")
            .set_file_name(suggested)
            .add_filter(extension.to_uppercase(), &[extension])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
    }

    /// An export of a ticketing system or delivery pipeline to import.
    pub fn pick_telemetry(&self) -> Option<PathBuf> {
        if let Some(answer) = Self::scripted("open") {
            return answer;
        }
        self.app
            .dialog()
            .file()
            .set_title("Import work-item or delivery history")
            .add_filter("CSV or JSON export", &["csv", "json"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok())
    }

    pub fn save_model(&self, suggested: &str) -> Option<PathBuf> {
        self.save_model_titled(suggested, "Save the model as")
    }

    pub fn save_model_titled(&self, suggested: &str, title: &str) -> Option<PathBuf> {
        if let Some(answer) = Self::scripted("save") {
            return answer;
        }
        self.app
            .dialog()
            .file()
            .set_title(title)
            .set_file_name(suggested)
            .add_filter("Tributary model", &["tributary"])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Area = Area {
        x: 0.0,
        y: 0.0,
        width: 1280.0,
        height: 720.0,
    };

    #[test]
    fn the_window_fits_the_screen_it_opens_on() {
        // first start on a 1280x720 projector: the whole screen, not 1440x900
        let p = placement(None, LAPTOP);
        assert_eq!((p.width, p.height, p.x, p.y), (1280.0, 720.0, 0.0, 0.0));
        // first start on a large screen: nine tenths of it, centred
        let big = Area {
            x: 0.0,
            y: 0.0,
            width: 1920.0,
            height: 1080.0,
        };
        let p = placement(None, big);
        assert_eq!((p.width, p.height, p.x, p.y), (1728.0, 972.0, 96.0, 54.0));
        // and on a 1440x900 screen, all of it (nine tenths would be smaller than the default)
        let mid = Area {
            width: 1440.0,
            height: 900.0,
            ..big
        };
        let p = placement(None, mid);
        assert_eq!((p.width, p.height, p.x, p.y), (1440.0, 900.0, 0.0, 0.0));
        // remembered size and place, on the screen they were on
        let saved = WindowState {
            width: 1600.0,
            height: 1000.0,
            x: 100.0,
            y: 40.0,
        };
        assert_eq!(placement(Some(saved), big), saved);
        // the same, opened on the small screen: shrunk to it and centred
        let p = placement(Some(saved), LAPTOP);
        assert_eq!((p.width, p.height, p.x, p.y), (1280.0, 720.0, 0.0, 0.0));
        // a window once made tiny opens usable again
        let tiny = WindowState {
            width: 300.0,
            height: 200.0,
            x: 0.0,
            y: 0.0,
        };
        let p = placement(Some(tiny), big);
        assert_eq!((p.width, p.height), MIN_SIZE);
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Mortgage / KYC: v2"), "Mortgage - KYC- v2");
        assert_eq!(file_stem("  ..  "), "Untitled model");
        assert_eq!(file_stem("Returns (RMA) pilot"), "Returns (RMA) pilot");
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Settings::default();
        let paths: Vec<PathBuf> = (0..10)
            .map(|i| {
                let p = dir.path().join(format!("m{i}.tributary"));
                std::fs::write(&p, b"x").unwrap();
                p
            })
            .collect();
        for p in &paths {
            s.remember(p);
        }
        s.remember(&paths[3]);
        let recent = s.recent_files();
        assert_eq!(recent.len(), RECENT_LIMIT);
        assert_eq!(recent[0].name, "m3.tributary");
        assert_eq!(recent[1].name, "m9.tributary");
        // files that disappeared are not offered
        std::fs::remove_file(&paths[9]).unwrap();
        assert!(s.recent_files().iter().all(|r| r.name != "m9.tributary"));
    }
}
