// What the rest of the UI imports to talk to the desktop shell. Every call is one Tauri
// command; the calls (./commands.ts) and their types (./bindings) are generated from Rust and
// checked by `cargo test -p tributary-api`.
import { commands } from "./commands";
import type { ExportPreview } from "./bindings/ExportPreview";
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
  ExportPreview,
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

export { asApiError } from "./invoke";

/** Every command of the desktop shell, typed from the Rust declaration (./commands.ts). */
export const ipc = commands;

export type Ipc = typeof ipc;
