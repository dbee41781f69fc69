//! A room on its own, without the app: `tributary room serve FILE`. Opens the file as its one
//! writer, serves until Ctrl-C (or until `stop` resolves), and closes the file.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use tributary_api::{ApiError, ErrorCode, Session};

use crate::{Assets, DirAssets, NoAssets, Options, RoomError, RoomHandle, SessionHost};

/// Serves a room on the model file at `path`. `ready` is told the open room (to print its
/// addresses); the room closes when `stop` resolves.
pub fn serve_file(
    path: &Path,
    options: Options,
    ui: Option<&Path>,
    ready: impl FnOnce(&RoomHandle),
    stop: impl Future<Output = ()>,
) -> Result<(), RoomError> {
    let assets: Arc<dyn Assets> = match ui {
        None => Arc::new(NoAssets),
        Some(dir) => Arc::new(DirAssets::new(dir).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("{}: no web UI there (expected room.html: build the UI with `npm run build` in ui/)", dir.display()),
            )
        })?),
    };
    let session = Session::open(path)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    runtime.block_on(async move {
        let host = Arc::new(SessionHost::new(session));
        let room = crate::open(host, assets, options).await?;
        ready(&room);
        stop.await;
        room.close().await;
        Ok(())
    })
}

/// Ctrl-C, as the future `serve_file` stops on.
pub async fn ctrl_c() {
    // Without a signal handler the room runs until the process is killed, which is also fine.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
