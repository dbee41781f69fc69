//! One running app per user session: launching Tributary again (a second model
//! double-clicked, `tributary-app other.tributary`) reaches the app that runs, which opens the
//! file in its window. The second process ends at once, so two processes never compete for one
//! file or for the app's settings.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Wry};
use tributary_api::ipc::AppEvent;

use crate::Shell;

/// The plugin that forwards a second launch; it must be the first one the app registers.
pub fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_single_instance::init(|app, argv, cwd| launched_again(app, &argv, Path::new(&cwd)))
}

fn launched_again(app: &AppHandle, argv: &[String], cwd: &Path) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let Some(path) = file_argument(argv, cwd) else {
        return;
    };
    let state = app.state::<Mutex<Shell>>();
    let Ok(shell) = state.lock() else {
        return;
    };
    if let Some(events) = &shell.events {
        let path = path.to_string_lossy().into_owned();
        let _ = events.send(AppEvent::OpenRequested { path });
    }
}

/// The file a launch names: its first argument that is not an option, taken from the folder
/// the launch was made in.
fn file_argument(argv: &[String], cwd: &Path) -> Option<PathBuf> {
    let arg = argv.iter().skip(1).find(|a| !a.starts_with('-'))?;
    Some(cwd.join(arg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("tributary-app")
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_relative_file_is_found_from_where_the_launch_was_made() {
        let cwd = Path::new("/home/ana/models");
        assert_eq!(
            file_argument(&argv(&["pilot.tributary"]), cwd),
            Some(PathBuf::from("/home/ana/models/pilot.tributary"))
        );
        assert_eq!(
            file_argument(&argv(&["/tmp/board.tributary"]), cwd),
            Some(PathBuf::from("/tmp/board.tributary"))
        );
    }

    #[test]
    fn a_launch_without_a_file_only_brings_the_window_forward() {
        let cwd = Path::new("/home/ana");
        assert_eq!(file_argument(&argv(&[]), cwd), None);
        assert_eq!(file_argument(&argv(&["--example"]), cwd), None);
    }
}
