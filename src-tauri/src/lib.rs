//! The desktop shell. Each Tauri command is one call into `tributary-api`; the shell only
//! keeps the open session, the list of recent files and the window title, and opens native
//! file dialogs. No numbers are computed here.

mod bridge;
mod commands;
mod files;
mod instance;
mod jobs;
mod room;
mod share;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, RunEvent, WebviewWindow, WindowEvent};
use tributary_api::ipc::AppEvent;
use tributary_api::{
    self as api, ApiError, ErrorCode, ModelView, Outbox, Reply, Session, Snapshot, Workspace,
};

use files::{Area, Dirs, Settings, WindowState};

/// What the shell holds between commands.
pub struct Shell {
    session: Option<Session>,
    untitled: bool,
    edited: bool,
    dirs: Dirs,
    settings: Settings,
    notice: Option<ApiError>,
    /// The window title last set: setting it waits on the UI thread, so only on change.
    shown_title: String,
    /// The workspace the UI last received, so that an edit's reply carries only what changed.
    outbox: Outbox,
    /// Where the UI listens for what the shell tells it unasked (a close request).
    events: Option<Channel<AppEvent>>,
    /// The user confirmed closing: the next close request goes through.
    quitting: bool,
    /// The view the last edit computed, while the model is as it left it: the workshop room
    /// reads it instead of computing the numbers a second time.
    last_view: Option<ModelView>,
}

pub(crate) type Result<T> = std::result::Result<T, ApiError>;

/// The desktop app holds the files it has open for as long as they are open.
pub(crate) fn holder() -> api::Holder {
    api::Holder::this_process("Tributary", true)
}

pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

impl Shell {
    pub(crate) fn session(&self) -> Result<&Session> {
        self.session
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no model is open"))
    }

    pub(crate) fn session_mut(&mut self) -> Result<&mut Session> {
        self.last_view = None;
        self.session
            .as_mut()
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no model is open"))
    }

    pub(crate) fn mark_edited(&mut self) {
        self.edited = true;
    }

    /// The whole workspace: on start, after opening a model, and whenever the UI asks.
    pub(crate) fn workspace(&mut self, scenario: Option<&str>) -> Result<Reply> {
        let snapshot = self.session()?.snapshot(scenario)?;
        let ws = self.workspace_of(snapshot);
        self.outbox.full(&ws)
    }

    /// What changed in the workspace since the UI last received it, after an action on the
    /// same model.
    pub(crate) fn changes(&mut self, scenario: Option<&str>) -> Result<Reply> {
        let view = self.current_view()?;
        self.after_edit(view, scenario)
    }

    /// The changes around the view an edit, undo or redo returned: its numbers are computed
    /// once per edit, not again for the reply.
    pub(crate) fn after_edit(&mut self, view: ModelView, scenario: Option<&str>) -> Result<Reply> {
        let snapshot = Session::snapshot_of(view, scenario)?;
        let ws = self.workspace_of(snapshot);
        let reply = self.outbox.update(&ws);
        self.last_view = Some(ws.snapshot.view);
        reply
    }

    /// The model as it is now, with its numbers: the last edit's, where nothing changed since.
    pub(crate) fn current_view(&self) -> Result<ModelView> {
        match &self.last_view {
            Some(view) => Ok(view.clone()),
            None => self.session()?.view(),
        }
    }

    fn workspace_of(&mut self, snapshot: Snapshot) -> Workspace {
        Workspace {
            snapshot,
            untitled: self.untitled,
            edited: self.edited,
            read_only: self.session.as_ref().is_some_and(Session::is_read_only),
            recent: self.settings.recent_files(),
            notice: self.notice.take().map(|e| match &self.session {
                Some(s) => api::app::in_plain_words(s.model(), e),
                None => e,
            }),
        }
    }

    /// Whether closing the window now needs the user's word: the model lives only in the
    /// app's own folder and was edited.
    fn unsaved_work(&self) -> bool {
        self.untitled && self.edited && !self.quitting
    }

    /// Closes the open model, so that nothing but its one file is left behind.
    pub(crate) fn close_session(&mut self) {
        self.last_view = None;
        if let Some(s) = self.session.take() {
            let _ = s.close();
        }
    }

    /// Makes `session` the open document and remembers it.
    fn adopt(&mut self, session: Session, untitled: bool) {
        self.last_view = None;
        if let Some(old) = self.session.take() {
            // Every edit is saved already; closing only folds the log back into the file.
            let _ = old.close();
        }
        if !untitled {
            self.settings.remember(session.path());
        }
        self.settings.set_last(session.path());
        self.settings.save(&self.dirs);
        // An untitled model reopened after a restart still holds work; the example's working
        // copy (whose generated history is an edit of its own) counts from the first edit.
        self.edited = session.path().starts_with(self.dirs.untitled()) && session.has_history();
        self.session = Some(session);
        self.outbox.forget();
        self.untitled = untitled;
    }

    /// Opens a `.tributary` file, or imports a `tributary/1` JSON file into a new model.
    fn open_path(&mut self, path: &Path) -> Result<()> {
        self.open_path_as_is(path).map_err(|e| {
            // the user tried several files: say which one, by the name they see (not the path)
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            match name {
                Some(n) => {
                    let why = api::app::skip_places(&e.plain).to_owned();
                    e.with_plain(format!("“{n}” could not be opened: {why}"))
                }
                None => e,
            }
        })
    }

    fn open_path_as_is(&mut self, path: &Path) -> Result<()> {
        // Already open here: this process holds its lock, and it stays as it is.
        if self.session.as_ref().is_some_and(|s| s.path() == path) {
            return Ok(());
        }
        match api::sniff(path)? {
            api::FileKind::Tributary => {
                // being edited elsewhere: open to read, and the notice says who has it
                let (s, held) = Session::open_or_read(path, &holder())?;
                let untitled = path.starts_with(self.dirs.untitled());
                self.adopt(s, untitled);
                self.notice = held;
            }
            api::FileKind::Json => {
                let model = api::read_json(path)?;
                let target = self.dirs.fresh_untitled(&model.name).map_err(internal)?;
                let s = Session::create_as(&target, &model, &holder())?;
                self.adopt(s, true);
            }
        }
        Ok(())
    }

    /// The first model a user sees: the file given on the command line (`--example` for the
    /// bundled example), else the last one, else the bundled example.
    fn start(&mut self, arg: Option<PathBuf>) {
        if arg.as_deref() == Some(Path::new("--example")) {
            if let Err(e) = self.open_example() {
                self.notice = Some(e);
            }
            return;
        }
        let wanted = arg.or_else(|| self.settings.last());
        if let Some(path) = wanted {
            match self.open_path(&path) {
                Ok(()) => return,
                Err(e) => self.notice = Some(e),
            }
        }
        if let Err(e) = self.open_example() {
            self.notice = Some(e);
        }
    }

    fn open_example(&mut self) -> Result<()> {
        let model = tributary_api::engine::exchange::from_json(files::EXAMPLE)?;
        let path = self.dirs.example().map_err(internal)?;
        let s = match Session::open_as(&path, &holder()) {
            Ok(s) => s,
            Err(_) => {
                let _ = std::fs::remove_file(&path);
                let mut s = Session::create_as(&path, &model, &crate::holder())?;
                // the example's generated history, so the Measured flow view has data
                if let Err(e) = self.dirs.import_example_telemetry(&mut s) {
                    self.notice = Some(e);
                }
                s
            }
        };
        self.adopt(s, true);
        Ok(())
    }

    fn title(&self) -> String {
        match &self.session {
            Some(s) => {
                let name = s.model().name.clone();
                let file = s
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if self.untitled {
                    let state = if self.edited {
                        "edited, not saved to a file of your own yet"
                    } else {
                        "not saved to a file of your own yet"
                    };
                    format!("{name} ({state}) - Tributary")
                } else {
                    format!("{name} - {file} - Tributary")
                }
            }
            None => "Tributary".into(),
        }
    }
}

/// After a change of the model made outside `execute` (a restore, a merge, a calibration): the
/// title says so and the workshop room hears of it.
pub(crate) fn edited(app: &AppHandle, shell: &mut Shell) {
    shell.mark_edited();
    set_title(app, shell);
    crate::room::changed(app);
}

pub(crate) fn set_title(app: &AppHandle, shell: &mut Shell) {
    let title = shell.title();
    if title == shell.shown_title {
        return;
    }
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_title(&title);
    }
    shell.shown_title = title;
}

/// Starts the desktop app.
pub fn run() {
    let arg = std::env::args_os().nth(1).map(PathBuf::from);
    let app = tauri::Builder::default()
        .plugin(instance::plugin())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dirs = Dirs::new(app.handle())?;
            let settings = Settings::load(&dirs);
            let window = open_window(app.handle(), settings.window)?;
            let _ = window.set_zoom(settings.preferences.checked().ui_scale);
            let mut shell = Shell {
                session: None,
                last_view: None,
                untitled: false,
                edited: false,
                dirs,
                settings,
                notice: None,
                shown_title: String::new(),
                outbox: Outbox::new(),
                events: None,
                quitting: false,
            };
            shell.start(arg.clone());
            set_title(app.handle(), &mut shell);
            app.manage(Mutex::new(shell));
            app.manage(jobs::Jobs::default());
            app.manage(room::Rooms::default());
            Ok(())
        })
        .on_window_event(on_window_event)
        .invoke_handler(bridge::handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("error: Tributary could not start: {e}");
            std::process::exit(1);
        });
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // the window's place for next time, and the model closed: one whole file is left
            if let Some(shell) = handle.try_state::<Mutex<Shell>>()
                && let Ok(mut shell) = shell.lock()
            {
                shell.close_session();
                shell.settings.save(&shell.dirs);
            }
        }
    });
}

/// The main window, made to fit the screen it opens on (tauri.conf.json describes it but does
/// not create it, so that it never opens larger than the screen and then shrinks).
fn open_window(app: &AppHandle, saved: Option<WindowState>) -> tauri::Result<WebviewWindow> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .unwrap_or_default();
    let area = app
        .primary_monitor()?
        .map(|m| {
            let k = m.scale_factor();
            let r = m.work_area();
            Area {
                x: f64::from(r.position.x) / k,
                y: f64::from(r.position.y) / k,
                width: f64::from(r.size.width) / k,
                height: f64::from(r.size.height) / k,
            }
        })
        .unwrap_or(Area {
            x: 0.0,
            y: 0.0,
            width: files::DEFAULT_SIZE.0,
            height: files::DEFAULT_SIZE.1,
        });
    let p = files::placement(saved, area);
    let window = tauri::WebviewWindowBuilder::from_config(app, &config)?
        .inner_size(p.width, p.height)
        .min_inner_size(
            files::MIN_SIZE.0.min(area.width),
            files::MIN_SIZE.1.min(area.height),
        )
        .position(p.x, p.y)
        .build()?;
    fit_decorations(&window, area);
    Ok(window)
}

/// A window manager adds a title bar and borders around the inner size: shrink the window by
/// as much as that makes it overflow the screen.
fn fit_decorations(window: &WebviewWindow, area: Area) {
    let (Ok(k), Ok(outer), Ok(inner)) = (
        window.scale_factor(),
        window.outer_size(),
        window.inner_size(),
    ) else {
        return;
    };
    let extra_w = f64::from(outer.width.saturating_sub(inner.width)) / k;
    let extra_h = f64::from(outer.height.saturating_sub(inner.height)) / k;
    let w = f64::from(inner.width) / k;
    let h = f64::from(inner.height) / k;
    if w + extra_w > area.width || h + extra_h > area.height {
        let size = tauri::LogicalSize::new(
            (area.width - extra_w).min(w),
            (area.height - extra_h).min(h),
        );
        let _ = window.set_size(size);
        let _ = window.set_position(tauri::LogicalPosition::new(area.x, area.y));
    }
}

/// Remembers the window's size and place, and asks the UI before closing on unsaved work.
fn on_window_event(window: &tauri::Window, event: &WindowEvent) {
    let Some(state) = window.try_state::<Mutex<Shell>>() else {
        return;
    };
    let Ok(mut shell) = state.lock() else {
        return;
    };
    match event {
        WindowEvent::Resized(_) | WindowEvent::Moved(_) => {
            let (Ok(k), Ok(size), Ok(pos)) = (
                window.scale_factor(),
                window.inner_size(),
                window.outer_position(),
            ) else {
                return;
            };
            if window.is_minimized().unwrap_or(false) {
                return;
            }
            shell.settings.window = Some(WindowState {
                width: f64::from(size.width) / k,
                height: f64::from(size.height) / k,
                x: f64::from(pos.x) / k,
                y: f64::from(pos.y) / k,
            });
        }
        WindowEvent::CloseRequested { api, .. } if shell.unsaved_work() => {
            if let Some(events) = &shell.events
                && events.send(AppEvent::CloseRequested).is_ok()
            {
                api.prevent_close();
            }
        }
        _ => {}
    }
}
