// The only module that talks to the desktop shell. Every call is one Tauri command; its types
// are generated from the Rust types (src/ipc/bindings, checked by `cargo test -p tributary-api`).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { Command } from "./bindings/Command";
import type { DependencyMatrix } from "./bindings/DependencyMatrix";
import type { Prioritization } from "./bindings/Prioritization";
import type { Reply } from "./bindings/Reply";
import type { Workspace } from "./bindings/Workspace";
import type { SimOptions } from "./bindings/SimOptions";
import type { SimProgress } from "./bindings/SimProgress";
import type { SimResult } from "./bindings/SimResult";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { FlowReport } from "./bindings/FlowReport";
import type { Forecast } from "./bindings/Forecast";
import type { Format } from "./bindings/Format";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { Mapping } from "./bindings/Mapping";
import type { Preview } from "./bindings/Preview";
import type { Question } from "./bindings/Question";
import type { Statistic } from "./bindings/Statistic";
import type { Target } from "./bindings/Target";
import type { Calibration } from "./bindings/Calibration";

export type {
  ApiError,
  Calibration,
  Command,
  DependencyMatrix,
  ExportRequest,
  FlowReport,
  Forecast,
  Format,
  ImportProgress,
  ImportReport,
  Mapping,
  Preview,
  Prioritization,
  Question,
  Reply,
  SimOptions,
  SimProgress,
  SimResult,
  Statistic,
  Target,
  Workspace,
};

/** A page of the board report as an image URL, and how many pages there are. */
export type ExportPreview = { image: string; pages: number };

/** A channel the shell reports a long job's progress on. */
function progressChannel<T>(onProgress: (p: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onProgress;
  return ch;
}

/** Errors come back as data; anything else (a crash in the bridge) becomes one too. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const err = e as ApiError;
    return { code: err.code, message: err.message, problems: err.problems ?? [] };
  }
  return { code: "internal", message: String(e), problems: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asApiError(e);
  }
}

export const ipc = {
  // The workspace comes whole from `workspace` and when a model is opened; edits answer with
  // what changed (see ./replies.ts).
  workspace: (scenario: string | null) => call<Reply>("workspace", { scenario }),
  execute: (command: Command, scenario: string | null) => call<Reply>("execute", { command, scenario }),
  undo: (scenario: string | null) => call<Reply>("undo", { scenario }),
  redo: (scenario: string | null) => call<Reply>("redo", { scenario }),
  newModel: () => call<Reply>("new_model"),
  openDialog: () => call<Reply | null>("open_dialog"),
  openRecent: (path: string) => call<Reply>("open_recent", { path }),
  openExample: () => call<Reply>("open_example"),
  saveAsDialog: (scenario: string | null) => call<Reply | null>("save_as_dialog", { scenario }),
  prioritize: () => call<Prioritization>("prioritize"),
  dependencyMatrix: () => call<DependencyMatrix>("dependency_matrix"),

  // simulation: progress arrives on the channel; cancelSimulation stops it
  simulate: (scenario: string | null, options: SimOptions, onProgress: (p: SimProgress) => void) =>
    call<SimResult>("simulate", { scenario, options, onProgress: progressChannel(onProgress) }),
  cancelSimulation: () => call<void>("cancel_simulation"),

  // exports: a preview of a report page, and the export written where the user chooses
  exportPreview: (request: ExportRequest, page: number) => call<ExportPreview>("export_preview", { request, page }),
  exportFile: (request: ExportRequest) => call<string | null>("export_file", { request }),

  // measured flow
  pickTelemetry: () => call<string | null>("pick_telemetry"),
  telemetryPreview: (path: string, format: Format, stream: string) =>
    call<Preview>("telemetry_preview", { path, format, stream }),
  telemetryImport: (path: string, format: Format, stream: string, mapping: Mapping | null, onProgress: (p: ImportProgress) => void) =>
    call<ImportReport>("telemetry_import", { path, format, stream, mapping, onProgress: progressChannel(onProgress) }),
  cancelImport: () => call<void>("cancel_import"),
  getMapping: (stream: string) => call<Mapping>("get_mapping", { stream }),
  setMapping: (stream: string, mapping: Mapping) => call<void>("set_mapping", { stream, mapping }),
  flow: (stream: string, from: string | null, to: string | null) => call<FlowReport>("flow", { stream, from, to }),
  forecast: (stream: string, question: Question, from: string | null, to: string | null, trials: number, seed: number) =>
    call<Forecast>("forecast", { stream, question, from, to, trials, seed }),
  planCalibration: (stream: string, statistic: Statistic, target: Target) =>
    call<Calibration>("plan_calibration", { stream, statistic, target }),
  calibrate: (stream: string, statistic: Statistic, target: Target, scenario: string | null) =>
    call<Reply>("calibrate", { stream, statistic, target, scenario }),
};

export type Ipc = typeof ipc;
