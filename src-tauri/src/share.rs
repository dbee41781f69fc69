//! The commands of sharing and versions (issue 16): named versions kept in the file, the open
//! model compared with a version or another file, a colleague's copy opened as a scenario,
//! and a clean copy to share. Each is one call into `tributary_api::share`.

use tributary_api::ipc::{Compared, ProposalOpened};
use tributary_api::share::{Diff, ShareReport, VersionInfo};
use tributary_api::{ApiError, ErrorCode, Reply};

use crate::bridge::Ctx;
use crate::files::{self, Dialog};
use crate::{Result, set_title};

pub async fn versions(cx: &Ctx<'_>) -> Result<Vec<VersionInfo>> {
    cx.lock()?.session()?.versions()
}

pub async fn save_version(cx: &Ctx<'_>, name: String) -> Result<Vec<VersionInfo>> {
    let mut shell = cx.lock()?;
    let session = shell.session_mut()?;
    session.save_version(&name, None)?;
    session.versions()
}

pub async fn restore_version(
    cx: &Ctx<'_>,
    name: String,
    scenario: Option<String>,
) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.restore_version(&name)?;
    shell.mark_edited();
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn delete_version(cx: &Ctx<'_>, name: String) -> Result<Vec<VersionInfo>> {
    let mut shell = cx.lock()?;
    let session = shell.session_mut()?;
    session.delete_version(&name)?;
    session.versions()
}

pub async fn compare_with_version(cx: &Ctx<'_>, name: String) -> Result<Diff> {
    cx.lock()?.session()?.diff_with_version(&name)
}

pub async fn compare_with_file(cx: &Ctx<'_>) -> Result<Option<Compared>> {
    let Some(path) = Dialog::new(cx.app).pick_model_titled("Compare with another model") else {
        return Ok(None);
    };
    let diff = cx.lock()?.session()?.diff_with_file(&path)?;
    Ok(Some(Compared {
        file: files::shown(&path),
        diff,
    }))
}

/// Their changes as a new scenario, which the reply shows.
pub async fn open_as_scenario(cx: &Ctx<'_>) -> Result<Option<ProposalOpened>> {
    let Some(path) = Dialog::new(cx.app).pick_model_titled("Open their changes as a scenario")
    else {
        return Ok(None);
    };
    let mut shell = cx.lock()?;
    let report = shell.session_mut()?.open_as_scenario(&path, None)?;
    shell.mark_edited();
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    let reply = shell.changes(Some(&report.scenario_id))?;
    Ok(Some(ProposalOpened { report, reply }))
}

pub async fn share_copy(cx: &Ctx<'_>, keep_telemetry: bool) -> Result<Option<ShareReport>> {
    let suggested = {
        let shell = cx.lock()?;
        let name = files::file_stem(&shell.session()?.model().name);
        format!("{name} (shared).tributary")
    };
    let Some(mut path) = Dialog::new(cx.app).save_model_titled(&suggested, "Share a copy") else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension("tributary");
    }
    let shell = cx.lock()?;
    let session = shell.session()?;
    if path == session.path() {
        return Err(ApiError::new(
            ErrorCode::Exists,
            format!("{} is the open model", path.display()),
        )
        .with_plain("The copy to share cannot replace the open model: choose another name."));
    }
    if path.exists() {
        // the native dialog has asked the user to confirm the overwrite already
        std::fs::remove_file(&path).map_err(|e| {
            ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display())).with_plain(format!(
                "{} could not be replaced: {e}",
                files::shown(&path)
            ))
        })?;
    }
    let mut report = session.share(&path, keep_telemetry)?;
    // the app names files without their folders
    report.output = files::shown(&path);
    Ok(Some(report))
}
