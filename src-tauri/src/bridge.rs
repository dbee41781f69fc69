//! The Tauri commands, made from the one declaration of the app's commands
//! (`tributary_api::ipc_commands!`): each is a thin wrapper that gathers the shell's state
//! and calls the implementation of the same name in [`crate::commands`] with the declared
//! arguments, so the compiler checks every implementation against the declaration that the
//! UI's calls are generated from.

use std::sync::{Mutex, MutexGuard};

use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tributary_api::ApiError;

use crate::jobs::Jobs;
use crate::{Result, Shell, internal};

/// What a command works with: the app, the shell's state, the running jobs.
pub struct Ctx<'a> {
    pub app: &'a AppHandle,
    shell: &'a Mutex<Shell>,
    pub jobs: &'a Jobs,
}

impl Ctx<'_> {
    pub fn lock(&self) -> Result<MutexGuard<'_, Shell>> {
        self.shell.lock().map_err(internal)
    }

    /// The error in the app's words: the names of the open model's items instead of their
    /// ids, and no file paths (the message keeps them).
    fn plain(&self, e: ApiError) -> ApiError {
        match self.shell.lock() {
            Ok(shell) => match shell.session.as_ref() {
                Some(s) => tributary_api::app::in_plain_words(s.model(), e),
                None => e,
            },
            Err(_) => e,
        }
    }
}

macro_rules! tauri_commands {
    ($( $(#[doc = $doc:literal])* $name:ident (
        $($arg:ident : $ty:ty),* $(; $p:ident : $pty:ty)?
    ) -> $reply:ty ; )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            // the shell's three pieces of state come before the command's own arguments
            #[allow(clippy::too_many_arguments)]
            pub async fn $name(
                app: AppHandle,
                shell: State<'_, Mutex<Shell>>,
                jobs: State<'_, Jobs>,
                $($arg: $ty,)*
                $($p: Channel<$pty>,)?
            ) -> Result<$reply> {
                let cx = Ctx { app: &app, shell: shell.inner(), jobs: jobs.inner() };
                crate::commands::$name(&cx, $($arg,)* $($p)?)
                    .await
                    .map_err(|e| cx.plain(e))
            }
        )*

        /// Every command, for `tauri::Builder::invoke_handler`.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

tributary_api::ipc_commands!(tauri_commands);
