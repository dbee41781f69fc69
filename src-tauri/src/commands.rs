//! The implementation of each command of the app (declared in `tributary_api::ipc_commands!`,
//! wrapped for Tauri in [`crate::bridge`]): each is one call into `tributary-api`. The
//! longer jobs (simulation, exports, telemetry) are in [`crate::jobs`].

use std::path::Path;

use tauri::Manager;
use tauri::ipc::Channel;
use tributary_api::engine::cod::Prioritization;
use tributary_api::engine::edit::Command;
use tributary_api::engine::matrix::DependencyMatrix;
use tributary_api::ipc::{AppEvent, Preferences, RoomAddress, RoomStatus};
use tributary_api::{self as api, ApiError, ErrorCode, Reply, Session, app};

use crate::bridge::Ctx;
use crate::files::{self, Dialog};
use crate::{Result, internal, set_title};

pub use crate::jobs::*;
pub use crate::share::*;

pub async fn workspace(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    cx.lock()?.workspace(scenario.as_deref())
}

pub async fn execute(cx: &Ctx<'_>, command: Command, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.execute(&command)?;
    shell.edited = true;
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn undo(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.undo()?;
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn redo(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.redo()?;
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn new_model(cx: &Ctx<'_>) -> Result<Reply> {
    new_from_template(cx, "blank".into()).await
}

pub async fn templates(_cx: &Ctx<'_>) -> Result<Vec<app::Template>> {
    app::templates()
}

/// A new untitled model made from a template; an example keeps its name (the file is named
/// after it), a blank model or a catalogue is "Untitled model".
pub async fn new_from_template(cx: &Ctx<'_>, template: String) -> Result<Reply> {
    let model = app::template_model(&template)?;
    crate::room::close(cx.app).await;
    let mut shell = cx.lock()?;
    let path = shell.dirs.fresh_untitled(&model.name).map_err(internal)?;
    let mut s = Session::create_as(&path, &model, &crate::holder())?;
    if template == "example-mortgage"
        && let Err(e) = shell.dirs.import_example_telemetry(&mut s)
    {
        // the model is fine without its history; the Measured flow view says there is none
        shell.notice = Some(e);
    }
    shell.adopt(s, true);
    set_title(cx.app, &mut shell);
    shell.workspace(None)
}

pub async fn untitled_models(cx: &Ctx<'_>) -> Result<Vec<app::UntitledModel>> {
    let shell = cx.lock()?;
    let dirs = shell.dirs.unsaved_dirs();
    Ok(app::untitled_models(&[&dirs[0], &dirs[1]]))
}

pub async fn discard_untitled(cx: &Ctx<'_>, path: String) -> Result<Vec<app::UntitledModel>> {
    let mut shell = cx.lock()?;
    let path = Path::new(&path);
    if shell.session.as_ref().is_some_and(|s| s.path() == path) {
        return Err(
            ApiError::new(ErrorCode::Busy, format!("{} is open", path.display())).with_plain(
                "This model is open. Open or start another one first, then discard it.",
            ),
        );
    }
    let dirs = shell.dirs.unsaved_dirs();
    app::discard_untitled(&[&dirs[0], &dirs[1]], path)?;
    shell.settings.forget(path);
    shell.settings.save(&shell.dirs);
    Ok(app::untitled_models(&[&dirs[0], &dirs[1]]))
}

pub async fn glossary(_cx: &Ctx<'_>) -> Result<Vec<app::Term>> {
    Ok(app::glossary())
}

pub async fn about(_cx: &Ctx<'_>) -> Result<app::About> {
    Ok(app::about(std::env::current_exe().ok().as_deref()))
}

pub async fn preferences(cx: &Ctx<'_>) -> Result<Preferences> {
    Ok(cx.lock()?.settings.preferences.checked())
}

/// Keeps the new preferences and applies the scale to the window at once.
pub async fn set_preferences(cx: &Ctx<'_>, preferences: Preferences) -> Result<Preferences> {
    let p = preferences.checked();
    if let Some(w) = cx.app.get_webview_window("main") {
        w.set_zoom(p.ui_scale).map_err(internal)?;
    }
    let mut shell = cx.lock()?;
    shell.settings.preferences = p;
    shell.settings.save(&shell.dirs);
    Ok(p)
}

pub async fn changes(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    cx.lock()?.changes(scenario.as_deref())
}

pub async fn room_addresses(_cx: &Ctx<'_>) -> Result<Vec<RoomAddress>> {
    Ok(crate::room::addresses())
}

pub async fn open_room(cx: &Ctx<'_>, bind: Option<String>) -> Result<RoomStatus> {
    crate::room::open(cx, bind).await
}

pub async fn room_status(cx: &Ctx<'_>) -> Result<Option<RoomStatus>> {
    Ok(crate::room::current(cx.app).await)
}

pub async fn close_room(cx: &Ctx<'_>) -> Result<()> {
    crate::room::close(cx.app).await;
    Ok(())
}

pub async fn app_events(cx: &Ctx<'_>, on_event: Channel<AppEvent>) -> Result<()> {
    cx.lock()?.events = Some(on_event);
    Ok(())
}

/// The user confirmed quitting: close the model and the window.
pub async fn quit(cx: &Ctx<'_>) -> Result<()> {
    {
        let mut shell = cx.lock()?;
        shell.quitting = true;
        shell.close_session();
        shell.settings.save(&shell.dirs);
    }
    cx.app.exit(0);
    Ok(())
}

pub async fn open_dialog(cx: &Ctx<'_>) -> Result<Option<Reply>> {
    let Some(path) = Dialog::new(cx.app).pick_model() else {
        return Ok(None);
    };
    crate::room::close(cx.app).await;
    let mut shell = cx.lock()?;
    shell.open_path(&path)?;
    set_title(cx.app, &mut shell);
    shell.workspace(None).map(Some)
}

pub async fn open_recent(cx: &Ctx<'_>, path: String) -> Result<Reply> {
    crate::room::close(cx.app).await;
    let mut shell = cx.lock()?;
    shell.open_path(Path::new(&path))?;
    set_title(cx.app, &mut shell);
    shell.workspace(None)
}

pub async fn open_example(cx: &Ctx<'_>) -> Result<Reply> {
    crate::room::close(cx.app).await;
    let mut shell = cx.lock()?;
    shell.open_example()?;
    set_title(cx.app, &mut shell);
    shell.workspace(None)
}

/// Save As: copies the model file to a place the user picks and continues there.
pub async fn save_as_dialog(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Option<Reply>> {
    let suggested = {
        let shell = cx.lock()?;
        format!(
            "{}.tributary",
            files::file_stem(&shell.session()?.model().name)
        )
    };
    let Some(mut path) = Dialog::new(cx.app).save_model(&suggested) else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension("tributary");
    }
    let mut shell = cx.lock()?;
    let before = shell.session()?.path().to_path_buf();
    if path.exists() && path != before {
        // The native dialog has asked the user to confirm the overwrite already.
        std::fs::remove_file(&path).map_err(|e| {
            ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display())).with_plain(format!(
                "{} could not be replaced: {e}",
                files::shown(&path)
            ))
        })?;
    }
    shell.session_mut()?.save_as(&path)?;
    let now = shell.session()?.path().to_path_buf();
    // An untitled model saved to a place of the user's own leaves the app's folder: it is no
    // longer an unsaved model to recover. (The bundled example's working copy stays.)
    if shell.untitled && before.starts_with(shell.dirs.untitled()) && before != now {
        let _ = std::fs::remove_file(&before);
        shell.settings.forget(&before);
    }
    shell.untitled = false;
    shell.settings.remember(&now);
    shell.settings.set_last(&now);
    shell.settings.save(&shell.dirs);
    set_title(cx.app, &mut shell);
    shell.changes(scenario.as_deref()).map(Some)
}

pub async fn prioritize(cx: &Ctx<'_>) -> Result<Prioritization> {
    api::prioritize(cx.lock()?.session()?.model())
}

pub async fn dependency_matrix(cx: &Ctx<'_>, scenario: Option<String>) -> Result<DependencyMatrix> {
    app::dependency_matrix(cx.lock()?.session()?.model(), scenario.as_deref())
}
