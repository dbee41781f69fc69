//! The implementation of each command of the app (declared in `tributary_api::ipc_commands!`,
//! wrapped for Tauri in [`crate::bridge`]): each is one call into `tributary-api`. The
//! longer jobs (simulation, exports, telemetry) are in [`crate::jobs`].

use std::path::Path;

use tributary_api::engine::cod::Prioritization;
use tributary_api::engine::edit::Command;
use tributary_api::engine::matrix::DependencyMatrix;
use tributary_api::{self as api, ApiError, ErrorCode, Reply, Session};

use crate::bridge::Ctx;
use crate::files::{self, Dialog};
use crate::{Result, internal, set_title};

pub use crate::jobs::*;

pub async fn workspace(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    cx.lock()?.workspace(scenario.as_deref())
}

pub async fn execute(cx: &Ctx<'_>, command: Command, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.execute(&command)?;
    shell.edited = true;
    set_title(cx.app, &mut shell);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn undo(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.undo()?;
    set_title(cx.app, &mut shell);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn redo(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.redo()?;
    set_title(cx.app, &mut shell);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn new_model(cx: &Ctx<'_>) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let model = api::untitled_model();
    let path = shell
        .dirs
        .fresh_untitled("Untitled model")
        .map_err(internal)?;
    let s = Session::create_as(&path, &model, &crate::holder())?;
    shell.adopt(s, true);
    set_title(cx.app, &mut shell);
    shell.workspace(None)
}

pub async fn open_dialog(cx: &Ctx<'_>) -> Result<Option<Reply>> {
    let Some(path) = Dialog::new(cx.app).pick_model() else {
        return Ok(None);
    };
    let mut shell = cx.lock()?;
    shell.open_path(&path)?;
    set_title(cx.app, &mut shell);
    shell.workspace(None).map(Some)
}

pub async fn open_recent(cx: &Ctx<'_>, path: String) -> Result<Reply> {
    let mut shell = cx.lock()?;
    shell.open_path(Path::new(&path))?;
    set_title(cx.app, &mut shell);
    shell.workspace(None)
}

pub async fn open_example(cx: &Ctx<'_>) -> Result<Reply> {
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
    if path.exists() && path != shell.session()?.path() {
        // The native dialog has asked the user to confirm the overwrite already.
        std::fs::remove_file(&path)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display())))?;
    }
    shell.session_mut()?.save_as(&path)?;
    let old = shell.session()?.path().to_path_buf();
    shell.untitled = false;
    shell.settings.remember(&old);
    shell.settings.set_last(&old);
    shell.settings.save(&shell.dirs);
    set_title(cx.app, &mut shell);
    shell.changes(scenario.as_deref()).map(Some)
}

pub async fn prioritize(cx: &Ctx<'_>) -> Result<Prioritization> {
    api::prioritize(cx.lock()?.session()?.model())
}

pub async fn dependency_matrix(cx: &Ctx<'_>) -> Result<DependencyMatrix> {
    api::dependency_matrix(cx.lock()?.session()?.model())
}
