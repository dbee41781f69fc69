//! The desktop app's bridge, declared once: every command the UI sends to the shell, with its
//! arguments and its reply. The shell (`src-tauri/src/bridge.rs`) turns this list into its
//! Tauri commands, each checked by the compiler against its implementation; a test turns it
//! into the UI's typed calls (`ui/src/ipc/commands.ts`). So a command's name, arguments and
//! reply are written in one place.
//!
//! The list is handed to a macro of the caller's (`ipc_commands!(my_macro)`), one entry per
//! command: `name(arg: Type, ...) -> Reply;`, with a long job's progress type after a `;` in
//! the arguments (it travels on a channel; the UI passes a callback).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A page of the board report for the Export dialog's preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ExportPreview {
    /// The page as a `data:image/png;base64,...` URL.
    pub image: String,
    pub pages: u32,
}

/// What the user chose for the app itself (kept by the shell between runs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Preferences {
    /// The size of everything in the window: 1 as designed, 1.25 for a room, 0.9 for a small
    /// laptop.
    pub ui_scale: f64,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { ui_scale: 1.0 }
    }
}

impl Preferences {
    /// The scales offered: from a small laptop to the back of a room.
    pub const SCALES: [f64; 6] = [0.9, 1.0, 1.1, 1.25, 1.5, 1.75];

    /// The nearest scale offered, so a hand-edited settings file cannot make the window unusable.
    pub fn checked(self) -> Preferences {
        let s = self.ui_scale;
        let ui_scale = Self::SCALES
            .into_iter()
            .min_by(|a, b| (a - s).abs().total_cmp(&(b - s).abs()))
            .unwrap_or(1.0);
        Preferences { ui_scale }
    }
}

/// Something the shell tells the UI without being asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppEvent {
    /// The user closes the window while the model lives only in the app's own folder: the UI
    /// says what happens to it, and calls `quit` when the user confirms.
    CloseRequested,
    /// The model changed from outside the window (an edit in the workshop room): the UI asks
    /// for the changes (`changes`) and applies them as it applies an edit's reply.
    ModelChanged,
    /// Tributary was launched again on a file (a second model double-clicked) while this app
    /// runs: the launch ended there, and the UI opens the file here (`open_recent`), after the
    /// user's word where unsaved work would be set aside.
    OpenRequested {
        /// The file, as an absolute path.
        path: String,
    },
}

/// A network address of this computer the workshop room can listen on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct RoomAddress {
    /// The address itself ("192.168.1.20").
    pub ip: String,
    /// The interface's name ("wlan0").
    pub interface: String,
    /// This computer only (127.0.0.1): nobody else can join.
    pub loopback: bool,
}

/// The open workshop room, as its panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct RoomStatus {
    /// The address participants open (its token is in the path).
    pub join_url: String,
    /// The facilitator's own page: keep it off the projector.
    pub facilitator_url: String,
    /// The join address as a QR code (an SVG document).
    pub join_qr_svg: String,
    /// Open connections: the participants' pages and the facilitator's.
    pub connections: u32,
    /// Where the room listens ("192.168.1.20:40123").
    pub address: String,
    /// Listening on this computer only.
    pub local_only: bool,
}

/// The open model compared with another file (File > Compare with another model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Compared {
    /// The other file's name, without its folder.
    pub file: String,
    /// What the other file would change in the open model.
    pub diff: crate::share::Diff,
}

/// A colleague's copy opened as a scenario: what it holds, and the workspace that now has it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProposalOpened {
    pub report: crate::share::ProposalReport,
    /// The workspace with the new scenario chosen.
    pub reply: crate::Reply,
}

/// A file merged into the open model (File > Merge changes from a file).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Merged {
    /// Their file's name, without its folder.
    pub file: String,
    pub report: crate::share::MergeReport,
    /// The workspace with the merge in it.
    pub reply: crate::Reply,
}

/// A conflict resolved: the ones left, and the workspace with the choice in it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Resolved {
    pub conflicts: Vec<crate::share::ConflictEntry>,
    pub reply: crate::Reply,
}

/// Calls `$m!` with the list of the app's commands.
#[macro_export]
macro_rules! ipc_commands {
    ($m:ident) => {
        $m! {
            /// The whole workspace: on start, and whenever the UI has lost track of it.
            workspace(scenario: Option<String>) -> $crate::Reply;
            /// Applies one edit; the reply carries what changed.
            execute(command: $crate::engine::edit::Command, scenario: Option<String>) -> $crate::Reply;
            undo(scenario: Option<String>) -> $crate::Reply;
            redo(scenario: Option<String>) -> $crate::Reply;
            /// File > New: an untitled model with one empty stream.
            new_model() -> $crate::Reply;
            /// What File > New offers: a blank model, the examples, the PBC catalogues.
            templates() -> Vec<$crate::app::Template>;
            /// File > New from one of the templates: a new untitled model.
            new_from_template(template: String) -> $crate::Reply;
            /// The models not yet saved to a file of the user's own, newest first.
            untitled_models() -> Vec<$crate::app::UntitledModel>;
            /// Deletes an unsaved model the user no longer wants; the list that is left.
            discard_untitled(path: String) -> Vec<$crate::app::UntitledModel>;
            /// What each figure means and how it is computed (the report's appendix says the same).
            glossary() -> Vec<$crate::app::Term>;
            /// Help > About: the version, the commit it was built from, the licences.
            about() -> $crate::app::About;
            preferences() -> $crate::ipc::Preferences;
            set_preferences(preferences: $crate::ipc::Preferences) -> $crate::ipc::Preferences;
            /// Events from the shell (a close request) arrive on the callback from now on.
            app_events(; on_event: $crate::ipc::AppEvent) -> ();
            /// What changed in the workspace since the UI last received it (after `model_changed`).
            changes(scenario: Option<String>) -> $crate::Reply;
            /// The addresses a workshop room can listen on, the LAN ones first.
            room_addresses() -> Vec<$crate::ipc::RoomAddress>;
            /// Opens the workshop room on the open model, on `bind` (an address of
            /// `room_addresses`; the first LAN address when absent).
            open_room(bind: Option<String>) -> $crate::ipc::RoomStatus;
            /// The open room; `null` when none is open.
            room_status() -> Option<$crate::ipc::RoomStatus>;
            /// Closes the room: everyone in it is told, its addresses stop working.
            close_room() -> ();
            /// Closes the model (every edit is in its file already) and the app.
            quit() -> ();
            /// File > Open: the native dialog; `null` when the user cancels.
            open_dialog() -> Option<$crate::Reply>;
            open_recent(path: String) -> $crate::Reply;
            open_example() -> $crate::Reply;
            /// File > Save As: the native dialog; `null` when the user cancels.
            save_as_dialog(scenario: Option<String>) -> Option<$crate::Reply>;
            /// File > Versions: the named versions the file keeps, oldest first.
            versions() -> Vec<$crate::share::VersionInfo>;
            /// Keeps the model as it is now as version `name`; the versions then kept.
            save_version(name: String) -> Vec<$crate::share::VersionInfo>;
            /// Makes the model what version `name` holds, as one step that undo takes back.
            restore_version(name: String, scenario: Option<String>) -> $crate::Reply;
            delete_version(name: String) -> Vec<$crate::share::VersionInfo>;
            /// What changed in the model since version `name`.
            compare_with_version(name: String) -> $crate::share::Diff;
            /// File > Compare with another model: the native dialog, then what that model
            /// would change in the open one; `null` when the user cancels.
            compare_with_file() -> Option<$crate::ipc::Compared>;
            /// File > Open their changes as a scenario: the native dialog, then a new scenario
            /// of the open model holding the other model's differences (one undo step).
            open_as_scenario() -> Option<$crate::ipc::ProposalOpened>;
            /// File > Share a copy: where to write, then a copy without the undo history (and
            /// without the imported telemetry unless `keep_telemetry`).
            share_copy(keep_telemetry: bool) -> Option<$crate::share::ShareReport>;
            /// File > Merge changes from a file: the native dialog, then their edits merged
            /// into the open model (one undo step; the base is found by itself); conflicts
            /// keep ours until each is resolved. `null` when the user cancels.
            merge_from_file(scenario: Option<String>) -> Option<$crate::ipc::Merged>;
            /// The conflicts the last merge left to resolve.
            conflicts() -> Vec<$crate::share::ConflictEntry>;
            /// Settles conflict `id` for ours (the model stays) or theirs (their value, one
            /// undo step).
            resolve_conflict(
                id: u32,
                side: $crate::share::Side,
                scenario: Option<String>
            ) -> $crate::ipc::Resolved;
            prioritize() -> $crate::engine::cod::Prioritization;
            /// The PBC x stage matrix of the baseline, or of a scenario's future state.
            dependency_matrix(scenario: Option<String>) -> $crate::engine::matrix::DependencyMatrix;
            /// Simulates on a copy of the model; progress arrives on the callback.
            simulate(
                scenario: Option<String>,
                options: $crate::simulate::SimOptions;
                on_progress: $crate::simulate::SimProgress
            ) -> $crate::simulate::SimResult;
            cancel_simulation() -> ();
            export_preview(request: $crate::export::ExportRequest, page: u32) -> $crate::ipc::ExportPreview;
            /// Asks where to save, then writes the export; the path written, `null` when cancelled.
            export_file(request: $crate::export::ExportRequest) -> Option<String>;
            /// Asks for an export of a ticketing system or pipeline; `null` when cancelled.
            pick_telemetry() -> Option<String>;
            telemetry_preview(
                path: String,
                format: $crate::telemetry::Format,
                stream: String
            ) -> $crate::telemetry::Preview;
            telemetry_import(
                path: String,
                format: $crate::telemetry::Format,
                stream: String,
                mapping: Option<$crate::telemetry::Mapping>;
                on_progress: $crate::telemetry::ImportProgress
            ) -> $crate::telemetry::ImportReport;
            cancel_import() -> ();
            get_mapping(stream: String) -> $crate::telemetry::Mapping;
            set_mapping(
                stream: String,
                mapping: $crate::telemetry::Mapping,
                scenario: Option<String>
            ) -> $crate::Reply;
            flow(stream: String, from: Option<String>, to: Option<String>) -> $crate::telemetry::FlowReport;
            forecast(
                stream: String,
                question: $crate::telemetry::Question,
                from: Option<String>,
                to: Option<String>,
                trials: u32,
                // a number in JavaScript: seeds the UI picks fit in 32 bits
                seed: u32
            ) -> $crate::telemetry::Forecast;
            plan_calibration(
                stream: String,
                statistic: $crate::telemetry::Statistic,
                target: $crate::telemetry::Target
            ) -> $crate::telemetry::Calibration;
            /// Writes the measured times into the map (one undo step).
            calibrate(
                stream: String,
                statistic: $crate::telemetry::Statistic,
                target: $crate::telemetry::Target,
                scenario: Option<String>
            ) -> $crate::Reply;
        }
    };
}
