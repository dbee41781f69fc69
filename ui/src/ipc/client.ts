// The only module that talks to the desktop shell. Every call is one Tauri command; its types
// are generated from the Rust types (src/ipc/bindings, checked by `cargo test -p tributary-api`).
import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { Command } from "./bindings/Command";
import type { DependencyMatrix } from "./bindings/DependencyMatrix";
import type { Prioritization } from "./bindings/Prioritization";
import type { Workspace } from "./bindings/Workspace";

export type { ApiError, Command, DependencyMatrix, Prioritization, Workspace };

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
  workspace: (scenario: string | null) => call<Workspace>("workspace", { scenario }),
  execute: (command: Command, scenario: string | null) =>
    call<Workspace>("execute", { command, scenario }),
  undo: (scenario: string | null) => call<Workspace>("undo", { scenario }),
  redo: (scenario: string | null) => call<Workspace>("redo", { scenario }),
  newModel: () => call<Workspace>("new_model"),
  openDialog: () => call<Workspace | null>("open_dialog"),
  openRecent: (path: string) => call<Workspace>("open_recent", { path }),
  openExample: () => call<Workspace>("open_example"),
  saveAsDialog: (scenario: string | null) => call<Workspace | null>("save_as_dialog", { scenario }),
  prioritize: () => call<Prioritization>("prioritize"),
  dependencyMatrix: () => call<DependencyMatrix>("dependency_matrix"),
};

export type Ipc = typeof ipc;
