// Generated from tributary_api::ipc_commands! by crates/api/tests/api/bridge.rs; do not edit.
// Every command the UI sends to the desktop shell, with its arguments and its reply.
import { call, channel } from "./invoke";
import type { About } from "./bindings/About";
import type { AppEvent } from "./bindings/AppEvent";
import type { Calibration } from "./bindings/Calibration";
import type { Command } from "./bindings/Command";
import type { Compared } from "./bindings/Compared";
import type { ConflictEntry } from "./bindings/ConflictEntry";
import type { DependencyMatrix } from "./bindings/DependencyMatrix";
import type { Diff } from "./bindings/Diff";
import type { ExportPreview } from "./bindings/ExportPreview";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { FlowReport } from "./bindings/FlowReport";
import type { Forecast } from "./bindings/Forecast";
import type { Format } from "./bindings/Format";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { Mapping } from "./bindings/Mapping";
import type { Merged } from "./bindings/Merged";
import type { Preferences } from "./bindings/Preferences";
import type { Preview } from "./bindings/Preview";
import type { Prioritization } from "./bindings/Prioritization";
import type { ProposalOpened } from "./bindings/ProposalOpened";
import type { Question } from "./bindings/Question";
import type { Reply } from "./bindings/Reply";
import type { Resolved } from "./bindings/Resolved";
import type { RoomAddress } from "./bindings/RoomAddress";
import type { RoomStatus } from "./bindings/RoomStatus";
import type { ShareReport } from "./bindings/ShareReport";
import type { Side } from "./bindings/Side";
import type { SimOptions } from "./bindings/SimOptions";
import type { SimProgress } from "./bindings/SimProgress";
import type { SimResult } from "./bindings/SimResult";
import type { Statistic } from "./bindings/Statistic";
import type { Target } from "./bindings/Target";
import type { Template } from "./bindings/Template";
import type { Term } from "./bindings/Term";
import type { UntitledModel } from "./bindings/UntitledModel";
import type { VersionInfo } from "./bindings/VersionInfo";

export const commands = {
  /** The whole workspace: on start, and whenever the UI has lost track of it. */
  workspace: (scenario: string | null) => call<Reply>("workspace", { scenario }),
  /** Applies one edit; the reply carries what changed. */
  execute: (command: Command, scenario: string | null) => call<Reply>("execute", { command, scenario }),
  undo: (scenario: string | null) => call<Reply>("undo", { scenario }),
  redo: (scenario: string | null) => call<Reply>("redo", { scenario }),
  /** File > New: an untitled model with one empty stream. */
  newModel: () => call<Reply>("new_model"),
  /** What File > New offers: a blank model, the examples, the PBC catalogues. */
  templates: () => call<Array<Template>>("templates"),
  /** File > New from one of the templates: a new untitled model. */
  newFromTemplate: (template: string) => call<Reply>("new_from_template", { template }),
  /** The models not yet saved to a file of the user's own, newest first. */
  untitledModels: () => call<Array<UntitledModel>>("untitled_models"),
  /** Deletes an unsaved model the user no longer wants; the list that is left. */
  discardUntitled: (path: string) => call<Array<UntitledModel>>("discard_untitled", { path }),
  /** What each figure means and how it is computed (the report's appendix says the same). */
  glossary: () => call<Array<Term>>("glossary"),
  /** Help > About: the version, the commit it was built from, the licences. */
  about: () => call<About>("about"),
  preferences: () => call<Preferences>("preferences"),
  setPreferences: (preferences: Preferences) => call<Preferences>("set_preferences", { preferences }),
  /** Events from the shell (a close request) arrive on the callback from now on. */
  appEvents: (onEvent: (progress: AppEvent) => void) => call<null>("app_events", { onEvent: channel(onEvent) }),
  /** What changed in the workspace since the UI last received it (after `model_changed`). */
  changes: (scenario: string | null) => call<Reply>("changes", { scenario }),
  /** The addresses a workshop room can listen on, the LAN ones first. */
  roomAddresses: () => call<Array<RoomAddress>>("room_addresses"),
  /** Opens the workshop room on the open model, on `bind` (an address of `room_addresses`; the first LAN address when absent). */
  openRoom: (bind: string | null) => call<RoomStatus>("open_room", { bind }),
  /** The open room; `null` when none is open. */
  roomStatus: () => call<RoomStatus | null>("room_status"),
  /** Closes the room: everyone in it is told, its addresses stop working. */
  closeRoom: () => call<null>("close_room"),
  /** Closes the model (every edit is in its file already) and the app. */
  quit: () => call<null>("quit"),
  /** File > Open: the native dialog; `null` when the user cancels. */
  openDialog: () => call<Reply | null>("open_dialog"),
  openRecent: (path: string) => call<Reply>("open_recent", { path }),
  openExample: () => call<Reply>("open_example"),
  /** File > Save As: the native dialog; `null` when the user cancels. */
  saveAsDialog: (scenario: string | null) => call<Reply | null>("save_as_dialog", { scenario }),
  /** File > Versions: the named versions the file keeps, oldest first. */
  versions: () => call<Array<VersionInfo>>("versions"),
  /** Keeps the model as it is now as version `name`; the versions then kept. */
  saveVersion: (name: string) => call<Array<VersionInfo>>("save_version", { name }),
  /** Makes the model what version `name` holds, as one step that undo takes back. */
  restoreVersion: (name: string, scenario: string | null) => call<Reply>("restore_version", { name, scenario }),
  deleteVersion: (name: string) => call<Array<VersionInfo>>("delete_version", { name }),
  /** What changed in the model since version `name`. */
  compareWithVersion: (name: string) => call<Diff>("compare_with_version", { name }),
  /** File > Compare with another model: the native dialog, then what that model would change in the open one; `null` when the user cancels. */
  compareWithFile: () => call<Compared | null>("compare_with_file"),
  /** File > Open their changes as a scenario: the native dialog, then a new scenario of the open model holding the other model's differences (one undo step). */
  openAsScenario: () => call<ProposalOpened | null>("open_as_scenario"),
  /** File > Share a copy: where to write, then a copy without the undo history (and without the imported telemetry unless `keep_telemetry`). */
  shareCopy: (keepTelemetry: boolean) => call<ShareReport | null>("share_copy", { keepTelemetry }),
  /** File > Merge changes from a file: the native dialog, then their edits merged into the open model (one undo step; the base is found by itself); conflicts keep ours until each is resolved. `null` when the user cancels. */
  mergeFromFile: (scenario: string | null) => call<Merged | null>("merge_from_file", { scenario }),
  /** The conflicts the last merge left to resolve. */
  conflicts: () => call<Array<ConflictEntry>>("conflicts"),
  /** Settles conflict `id` for ours (the model stays) or theirs (their value, one undo step). */
  resolveConflict: (id: number, side: Side, scenario: string | null) => call<Resolved>("resolve_conflict", { id, side, scenario }),
  prioritize: () => call<Prioritization>("prioritize"),
  /** The PBC x stage matrix of the baseline, or of a scenario's future state. */
  dependencyMatrix: (scenario: string | null) => call<DependencyMatrix>("dependency_matrix", { scenario }),
  /** Simulates on a copy of the model; progress arrives on the callback. */
  simulate: (scenario: string | null, options: SimOptions, onProgress: (progress: SimProgress) => void) => call<SimResult>("simulate", { scenario, options, onProgress: channel(onProgress) }),
  cancelSimulation: () => call<null>("cancel_simulation"),
  exportPreview: (request: ExportRequest, page: number) => call<ExportPreview>("export_preview", { request, page }),
  /** Asks where to save, then writes the export; the path written, `null` when cancelled. */
  exportFile: (request: ExportRequest) => call<string | null>("export_file", { request }),
  /** Asks for an export of a ticketing system or pipeline; `null` when cancelled. */
  pickTelemetry: () => call<string | null>("pick_telemetry"),
  telemetryPreview: (path: string, format: Format, stream: string) => call<Preview>("telemetry_preview", { path, format, stream }),
  telemetryImport: (path: string, format: Format, stream: string, mapping: Mapping | null, onProgress: (progress: ImportProgress) => void) => call<ImportReport>("telemetry_import", { path, format, stream, mapping, onProgress: channel(onProgress) }),
  cancelImport: () => call<null>("cancel_import"),
  getMapping: (stream: string) => call<Mapping>("get_mapping", { stream }),
  setMapping: (stream: string, mapping: Mapping, scenario: string | null) => call<Reply>("set_mapping", { stream, mapping, scenario }),
  flow: (stream: string, from: string | null, to: string | null) => call<FlowReport>("flow", { stream, from, to }),
  forecast: (stream: string, question: Question, from: string | null, to: string | null, trials: number, seed: number) => call<Forecast>("forecast", { stream, question, from, to, trials, seed }),
  planCalibration: (stream: string, statistic: Statistic, target: Target) => call<Calibration>("plan_calibration", { stream, statistic, target }),
  /** Writes the measured times into the map (one undo step). */
  calibrate: (stream: string, statistic: Statistic, target: Target, scenario: string | null) => call<Reply>("calibrate", { stream, statistic, target, scenario }),
};

export type Commands = typeof commands;
