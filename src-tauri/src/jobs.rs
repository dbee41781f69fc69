//! Commands for the longer jobs: simulation (with progress and cancel), exports (with a
//! preview and the native save dialog), and telemetry (import with progress and cancel,
//! measured flow, forecasts, calibration). Each is one call into `tributary-api`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tributary_api::export::{self, ExportRequest};
use tributary_api::simulate::{self, SimControl, SimOptions, SimProgress, SimResult};
use tributary_api::telemetry::{
    Calibration, FlowReport, Forecast, Format, ImportControl, ImportProgress, ImportReport,
    Mapping, Preview, Question, Statistic, Target,
};
use tributary_api::{ApiError, ErrorCode, Reply};

use crate::files::Dialog;
use crate::{Result, ShellState, lock, set_title};

/// Cancel switches of the running jobs, kept apart from the shell's lock so that Cancel
/// works while a job holds it.
#[derive(Default)]
pub struct Jobs {
    simulation: Mutex<Option<Arc<SimControl>>>,
    import_cancel: Arc<AtomicBool>,
}

type JobsState<'a> = State<'a, Jobs>;

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

#[tauri::command]
pub async fn simulate(
    state: ShellState<'_>,
    jobs: JobsState<'_>,
    scenario: Option<String>,
    options: SimOptions,
    on_progress: Channel<SimProgress>,
) -> Result<SimResult> {
    // Work on a copy of the model so that the app stays usable while the simulation runs.
    let model = lock(&state)?.session()?.model().clone();
    let control = Arc::new(SimControl::with_callback(move |p: SimProgress| {
        let _ = on_progress.send(p);
    }));
    *jobs.simulation.lock().map_err(internal)? = Some(control.clone());
    let run = control.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        simulate::simulate(&model, scenario.as_deref(), &options, &run)
    })
    .await
    .map_err(internal)?;
    *jobs.simulation.lock().map_err(internal)? = None;
    result
}

#[tauri::command]
pub async fn cancel_simulation(jobs: JobsState<'_>) -> Result<()> {
    if let Some(c) = jobs.simulation.lock().map_err(internal)?.as_ref() {
        c.cancel();
    }
    Ok(())
}

#[derive(Serialize)]
pub struct ExportPreview {
    /// The page as a `data:image/png;base64,...` URL.
    image: String,
    pages: u32,
}

#[tauri::command]
pub async fn export_preview(
    state: ShellState<'_>,
    request: ExportRequest,
    page: u32,
) -> Result<ExportPreview> {
    // Read the model and the stream's measured flow under the lock (milliseconds), then
    // typeset without it (100-300 ms), so the app stays responsive meanwhile.
    let (model, measured) = {
        let shell = lock(&state)?;
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
#[tauri::command]
pub async fn export_file(
    app: AppHandle,
    state: ShellState<'_>,
    request: ExportRequest,
) -> Result<Option<String>> {
    let (model, measured, stem) = {
        let shell = lock(&state)?;
        let session = shell.session()?;
        let m = session.model().clone();
        let stem = crate::files::file_stem(&m.name);
        (m, session.report_measured(&request)?, stem)
    };
    let ext = request.format.extension();
    let Some(mut path) = Dialog::new(&app).save_export(&format!("{stem}.{ext}"), ext) else {
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
#[tauri::command]
pub async fn pick_telemetry(app: AppHandle) -> Result<Option<String>> {
    Ok(Dialog::new(&app)
        .pick_telemetry()
        .map(|p| p.to_string_lossy().into_owned()))
}

#[tauri::command]
pub async fn telemetry_preview(
    state: ShellState<'_>,
    path: String,
    format: Format,
    stream: String,
) -> Result<Preview> {
    let shell = lock(&state)?;
    shell.session()?.telemetry_preview(
        &PathBuf::from(path),
        format,
        &stream,
        ImportControl::default(),
    )
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // each is one field of the import dialog
pub async fn telemetry_import(
    app: AppHandle,
    state: ShellState<'_>,
    jobs: JobsState<'_>,
    path: String,
    format: Format,
    stream: String,
    mapping: Option<Mapping>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport> {
    jobs.import_cancel.store(false, Ordering::Relaxed);
    let progress = move |p: ImportProgress| {
        let _ = on_progress.send(p);
    };
    let control = ImportControl {
        progress: Some(&progress),
        cancel: Some(&jobs.import_cancel),
    };
    let mut shell = lock(&state)?;
    let report = shell.session_mut()?.telemetry_import(
        &PathBuf::from(path),
        format,
        &stream,
        mapping,
        control,
    )?;
    set_title(&app, &mut shell);
    Ok(report)
}

#[tauri::command]
pub async fn cancel_import(jobs: JobsState<'_>) -> Result<()> {
    jobs.import_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command]
pub async fn get_mapping(state: ShellState<'_>, stream: String) -> Result<Mapping> {
    lock(&state)?.session()?.mapping(&stream)
}

#[tauri::command]
pub async fn set_mapping(state: ShellState<'_>, stream: String, mapping: Mapping) -> Result<()> {
    lock(&state)?
        .session_mut()?
        .set_mapping(&stream, &mapping)?;
    Ok(())
}

#[tauri::command]
pub async fn flow(
    state: ShellState<'_>,
    stream: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<FlowReport> {
    lock(&state)?
        .session()?
        .flow(&stream, from.as_deref(), to.as_deref())
}

#[tauri::command]
pub async fn forecast(
    state: ShellState<'_>,
    stream: String,
    question: Question,
    from: Option<String>,
    to: Option<String>,
    trials: u32,
    seed: u64,
) -> Result<Forecast> {
    lock(&state)?.session()?.forecast(
        &stream,
        question,
        from.as_deref(),
        to.as_deref(),
        trials,
        seed,
    )
}

#[tauri::command]
pub async fn plan_calibration(
    state: ShellState<'_>,
    stream: String,
    statistic: Statistic,
    target: Target,
) -> Result<Calibration> {
    lock(&state)?
        .session()?
        .plan_calibration(&stream, statistic, &target, None, None)
}

/// Writes the measured times into the map (one undo step) and returns what changed.
#[tauri::command]
pub async fn calibrate(
    app: AppHandle,
    state: ShellState<'_>,
    stream: String,
    statistic: Statistic,
    target: Target,
    scenario: Option<String>,
) -> Result<Reply> {
    let mut shell = lock(&state)?;
    shell
        .session_mut()?
        .calibrate(&stream, statistic, &target, None, None)?;
    shell.mark_edited();
    set_title(&app, &mut shell);
    shell.changes(scenario.as_deref())
}
