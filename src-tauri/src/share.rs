//! The commands of sharing and versions (issue 16): named versions kept in the file, the open
//! model compared with a version or another file, a colleague's copy opened as a scenario,
//! and a clean copy to share. Each is one call into `tributary_api::share`.

use tributary_api::ipc::{Compared, Merged, ProposalOpened, Resolved};
use tributary_api::share::{ConflictEntry, Diff, MergeBase, ShareReport, Side, VersionInfo};
use tributary_api::{ApiError, ErrorCode, Reply};

use crate::Result;
use crate::bridge::Ctx;
use crate::files::{self, Dialog};

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
    crate::edited(cx.app, &mut shell);
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
    crate::edited(cx.app, &mut shell);
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

/// Their edits merged into the open model; the reply shows the result.
pub async fn merge_from_file(cx: &Ctx<'_>, scenario: Option<String>) -> Result<Option<Merged>> {
    let Some(path) = Dialog::new(cx.app).pick_model_titled("Merge changes from a file") else {
        return Ok(None);
    };
    let mut shell = cx.lock()?;
    let mut report = shell.session_mut()?.merge_file(&path, &MergeBase::Auto)?;
    // the app names files without their folders
    report.output = files::shown(std::path::Path::new(&report.output));
    crate::edited(cx.app, &mut shell);
    let reply = shell.changes(scenario.as_deref())?;
    Ok(Some(Merged {
        file: files::shown(&path),
        report,
        reply,
    }))
}

pub async fn conflicts(cx: &Ctx<'_>) -> Result<Vec<ConflictEntry>> {
    cx.lock()?.session()?.conflicts()
}

pub async fn resolve_conflict(
    cx: &Ctx<'_>,
    id: u32,
    side: Side,
    scenario: Option<String>,
) -> Result<Resolved> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.resolve_conflict(i64::from(id), side)?;
    crate::edited(cx.app, &mut shell);
    let reply = shell.after_edit(view, scenario.as_deref())?;
    let conflicts = shell.session()?.conflicts()?;
    Ok(Resolved { conflicts, reply })
}
