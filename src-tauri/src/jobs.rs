//! Commands for the longer jobs: simulation (with progress and cancel), exports (with a
//! preview and the native save dialog), and telemetry (import with progress and cancel,
//! measured flow, forecasts, calibration). Each is one call into `tributary-api`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tauri::ipc::Channel;
use tributary_api::Reply;
use tributary_api::export::{self, ExportRequest};
use tributary_api::ipc::ExportPreview;
use tributary_api::simulate::{self, SimControl, SimOptions, SimProgress, SimResult};
use tributary_api::telemetry::{
    Calibration, FlowReport, Forecast, Format, ImportControl, ImportProgress, ImportReport,
    Mapping, Preview, Question, Statistic, Target,
};

use crate::bridge::Ctx;
use crate::files::Dialog;
use crate::{Result, internal, set_title};

/// Cancel switches of the running jobs, kept apart from the shell's lock so that Cancel
/// works while a job holds it.
#[derive(Default)]
pub struct Jobs {
    simulation: Mutex<Option<Arc<SimControl>>>,
    import_cancel: Arc<AtomicBool>,
}

pub async fn simulate(
    cx: &Ctx<'_>,
    scenario: Option<String>,
    options: SimOptions,
    on_progress: Channel<SimProgress>,
) -> Result<SimResult> {
    // Work on a copy of the model so that the app stays usable while the simulation runs.
    let model = cx.lock()?.session()?.model().clone();
    let control = Arc::new(SimControl::with_callback(move |p: SimProgress| {
        let _ = on_progress.send(p);
    }));
    *cx.jobs.simulation.lock().map_err(internal)? = Some(control.clone());
    let run = control.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        simulate::simulate(&model, scenario.as_deref(), &options, &run)
    })
    .await
    .map_err(internal)?;
    *cx.jobs.simulation.lock().map_err(internal)? = None;
    result
}

pub async fn cancel_simulation(cx: &Ctx<'_>) -> Result<()> {
    if let Some(c) = cx.jobs.simulation.lock().map_err(internal)?.as_ref() {
        c.cancel();
    }
    Ok(())
}

pub async fn export_preview(
    cx: &Ctx<'_>,
    request: ExportRequest,
    page: u32,
) -> Result<ExportPreview> {
    // Read the model and the stream's measured flow under the lock (milliseconds), then
    // typeset without it (100-300 ms), so the app stays responsive meanwhile.
    let (model, measured) = {
        let shell = cx.lock()?;
        let session = shell.session()?;
        (session.model().clone(), session.report_measured(&request)?)
    };
    let (png, pages) = tauri::async_runtime::spawn_blocking(move || {
        export::report_preview_with(&model, &request, measured, page)
    })
    .await
    .map_err(internal)??;
    Ok(ExportPreview {
        image: format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ),
        pages,
    })
}

/// Asks where to save, then writes the export there. `None` when the user cancels.
pub async fn export_file(cx: &Ctx<'_>, request: ExportRequest) -> Result<Option<String>> {
    let (model, measured, stem) = {
        let shell = cx.lock()?;
        let session = shell.session()?;
        let m = session.model().clone();
        let stem = crate::files::file_stem(&m.name);
        (m, session.report_measured(&request)?, stem)
    };
    let ext = request.format.extension();
    let Some(mut path) = Dialog::new(cx.app).save_export(&format!("{stem}.{ext}"), ext) else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension(ext);
    }
    let bytes = tauri::async_runtime::spawn_blocking(move || {
        export::export_with(&model, &request, measured)
    })
    .await
    .map_err(internal)??;
    tributary_api::write_atomically(&path, &bytes)?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// Asks for an export of a ticketing system or pipeline to import.
pub async fn pick_telemetry(cx: &Ctx<'_>) -> Result<Option<String>> {
    Ok(Dialog::new(cx.app)
        .pick_telemetry()
        .map(|p| p.to_string_lossy().into_owned()))
}

pub async fn telemetry_preview(
    cx: &Ctx<'_>,
    path: String,
    format: Format,
    stream: String,
) -> Result<Preview> {
    let shell = cx.lock()?;
    shell.session()?.telemetry_preview(
        &PathBuf::from(path),
        format,
        &stream,
        ImportControl::default(),
    )
}

pub async fn telemetry_import(
    cx: &Ctx<'_>,
    path: String,
    format: Format,
    stream: String,
    mapping: Option<Mapping>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport> {
    cx.jobs.import_cancel.store(false, Ordering::Relaxed);
    let progress = move |p: ImportProgress| {
        let _ = on_progress.send(p);
    };
    let control = ImportControl {
        progress: Some(&progress),
        cancel: Some(&cx.jobs.import_cancel),
    };
    let mut shell = cx.lock()?;
    let report = shell.session_mut()?.telemetry_import(
        &PathBuf::from(path),
        format,
        &stream,
        mapping,
        control,
    )?;
    set_title(cx.app, &mut shell);
    crate::room::changed(cx.app);
    Ok(report)
}

pub async fn cancel_import(cx: &Ctx<'_>) -> Result<()> {
    cx.jobs.import_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

pub async fn get_mapping(cx: &Ctx<'_>, stream: String) -> Result<Mapping> {
    cx.lock()?.session()?.mapping(&stream)
}

/// Sets how the stream's statuses read: a model edit like any other, undone like any other.
pub async fn set_mapping(
    cx: &Ctx<'_>,
    stream: String,
    mapping: Mapping,
    scenario: Option<String>,
) -> Result<Reply> {
    let mut shell = cx.lock()?;
    let view = shell.session_mut()?.set_mapping(&stream, &mapping)?;
    crate::edited(cx.app, &mut shell);
    shell.after_edit(view, scenario.as_deref())
}

pub async fn flow(
    cx: &Ctx<'_>,
    stream: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<FlowReport> {
    cx.lock()?
        .session()?
        .flow(&stream, from.as_deref(), to.as_deref())
}

pub async fn forecast(
    cx: &Ctx<'_>,
    stream: String,
    question: Question,
    from: Option<String>,
    to: Option<String>,
    trials: u32,
    seed: u32,
) -> Result<Forecast> {
    cx.lock()?.session()?.forecast(
        &stream,
        question,
        from.as_deref(),
        to.as_deref(),
        trials,
        u64::from(seed),
    )
}

pub async fn plan_calibration(
    cx: &Ctx<'_>,
    stream: String,
    statistic: Statistic,
    target: Target,
) -> Result<Calibration> {
    cx.lock()?
        .session()?
        .plan_calibration(&stream, statistic, &target, None, None)
}

/// Writes the measured times into the map (one undo step) and returns what changed.
pub async fn calibrate(
    cx: &Ctx<'_>,
    stream: String,
    statistic: Statistic,
    target: Target,
    scenario: Option<String>,
) -> Result<Reply> {
    let mut shell = cx.lock()?;
    shell
        .session_mut()?
        .calibrate(&stream, statistic, &target, None, None)?;
    crate::edited(cx.app, &mut shell);
    shell.changes(scenario.as_deref())
}
