// The app's state: the last workspace the engine returned, and what the user is looking at.
// The UI never computes a metric and never keeps a second copy of the model: every action is
// one IPC call, and its answer (the whole workspace, or what changed in it) replaces the
// workspace.
import { create } from "zustand";
import { ipc, type ApiError, type Command, type Reply, type Workspace } from "../ipc/client";
import { receive } from "../ipc/replies";
import type { Model } from "../ipc/bindings/Model";
import type { ModelMetrics } from "../ipc/bindings/ModelMetrics";
import type { ScenarioView } from "../ipc/bindings/ScenarioView";

export type View = "map" | "matrix" | "compare" | "initiatives" | "simulate" | "flow";

export type Selection =
  | { kind: "stage"; stream: string; id: string }
  | { kind: "pbc"; id: string }
  | { kind: "assignment"; pbc: string; stream: string; stage: string }
  | { kind: "edge"; stream: string; from: string; to: string }
  | null;

export type Toast = { id: number; message: string; tone: "error" | "info" };

export type State = {
  ws: Workspace | null;
  /** The shell's version of `ws`, which its next patch is made against. */
  version: number;
  scenarioId: string | null;
  streamId: string | null;
  view: View;
  selection: Selection;
  presenting: boolean;
  /** In presentation: the stage being walked through, by index on the critical path. */
  walk: number | null;
  toast: Toast | null;
  /** The last error, with the engine's findings, for the field that caused it. */
  lastError: ApiError | null;
  load: () => Promise<void>;
  /** Sends one command; resolves to whether the engine accepted it. */
  run: (command: Command) => Promise<boolean>;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
  setScenario: (id: string | null) => Promise<void>;
  setStream: (id: string) => void;
  setView: (v: View) => void;
  select: (s: Selection) => void;
  setPresenting: (on: boolean) => void;
  setWalk: (i: number | null) => void;
  newModel: () => Promise<void>;
  open: () => Promise<void>;
  openRecent: (path: string) => Promise<void>;
  openExample: () => Promise<void>;
  save: () => Promise<void>;
  saveAs: () => Promise<void>;
  notify: (message: string, tone?: "error" | "info") => void;
  dismissToast: () => void;
  /** Adopts the shell's reply to a command outside `run` (calibrate, ...); resolves to the
   * new workspace. */
  adopt: (reply: Reply) => Promise<Workspace | null>;
  /** Which modal dialog is open. */
  dialog: "export" | "import" | null;
  setDialog: (d: "export" | "import" | null) => void;
};

let toastId = 0;

/** Keeps the chosen stream and scenario when they still exist, else falls back sensibly. */
function settle(ws: Workspace, s: Pick<State, "streamId" | "scenarioId">) {
  const streams = ws.snapshot.view.model.streams;
  const streamId =
    s.streamId && streams.some((x) => x.id === s.streamId) ? s.streamId : (streams[0]?.id ?? null);
  const scenarioId = ws.snapshot.scenario ? ws.snapshot.scenario.id : null;
  return { ws, streamId, scenarioId };
}

export const useStore = create<State>((set, get) => {
  const fail = (e: unknown) => {
    const err = e as ApiError;
    set({
      lastError: err,
      toast: { id: ++toastId, message: err.message ?? String(e), tone: "error" },
    });
  };
  const adopt = async (reply: Reply | null, opts: { fresh?: boolean } = {}): Promise<Workspace | null> => {
    if (!reply) return null;
    let next = receive(get(), reply);
    // a patch against a version this UI does not hold: ask for the whole workspace
    if (!next) next = receive(get(), await ipc.workspace(get().scenarioId));
    if (!next) return null;
    const { ws, version } = next;
    const base = opts.fresh ? { streamId: null, scenarioId: null } : get();
    set({ ...settle(ws, base), version, lastError: null, ...(opts.fresh ? { selection: null } : {}) });
    if (ws.notice) {
      set({ toast: { id: ++toastId, message: ws.notice.message, tone: "error" } });
    }
    return ws;
  };
  return {
    ws: null,
    version: 0,
    scenarioId: null,
    streamId: null,
    view: "map",
    selection: null,
    presenting: false,
    walk: null,
    toast: null,
    lastError: null,

    load: async () => {
      try {
        const first = !get().ws;
        await adopt(await ipc.workspace(get().scenarioId), { fresh: first });
        // for the start-up measurement in docs/performance.md
        if (first) requestAnimationFrame(() => performance.mark("tributary-interactive"));
      } catch (e) {
        fail(e);
      }
    },
    run: async (command) => {
      try {
        // Marks for the edit-to-view measurement (tests/e2e/specs/performance.test.js).
        performance.mark("ipc-start");
        const reply = await ipc.execute(command, get().scenarioId);
        performance.measure("ipc", "ipc-start");
        await adopt(reply);
        performance.measure("ipc+state", "ipc-start");
        return true;
      } catch (e) {
        fail(e);
        return false;
      }
    },
    undo: async () => {
      if (!get().ws?.snapshot.view.undo) return;
      try {
        await adopt(await ipc.undo(get().scenarioId));
      } catch (e) {
        fail(e);
      }
    },
    redo: async () => {
      if (!get().ws?.snapshot.view.redo) return;
      try {
        await adopt(await ipc.redo(get().scenarioId));
      } catch (e) {
        fail(e);
      }
    },
    setScenario: async (id) => {
      try {
        const next = receive(get(), await ipc.workspace(id));
        if (!next) return;
        const { ws, version } = next;
        set({ ...settle(ws, { ...get(), scenarioId: id }), version, scenarioId: ws.snapshot.scenario?.id ?? null });
      } catch (e) {
        fail(e);
      }
    },
    setStream: (id) => set({ streamId: id, selection: null, walk: null }),
    setView: (v) => set({ view: v }),
    select: (s) => set({ selection: s }),
    setPresenting: (on) => set({ presenting: on, walk: null, selection: on ? null : get().selection }),
    setWalk: (i) => set({ walk: i }),
    newModel: async () => {
      try {
        await adopt(await ipc.newModel(), { fresh: true });
      } catch (e) {
        fail(e);
      }
    },
    open: async () => {
      try {
        await adopt(await ipc.openDialog(), { fresh: true });
      } catch (e) {
        fail(e);
      }
    },
    openRecent: async (path) => {
      try {
        await adopt(await ipc.openRecent(path), { fresh: true });
      } catch (e) {
        fail(e);
      }
    },
    openExample: async () => {
      try {
        await adopt(await ipc.openExample(), { fresh: true });
      } catch (e) {
        fail(e);
      }
    },
    save: async () => {
      if (get().ws?.untitled) return get().saveAs();
      get().notify("Saved. Every change is saved to the file as you make it.", "info");
    },
    saveAs: async () => {
      try {
        const ws = await adopt(await ipc.saveAsDialog(get().scenarioId));
        if (ws) {
          get().notify(`Saved as ${ws.snapshot.view.file_name}`, "info");
        }
      } catch (e) {
        fail(e);
      }
    },
    notify: (message, tone = "info") => set({ toast: { id: ++toastId, message, tone } }),
    dismissToast: () => set({ toast: null }),
    adopt: (reply) => adopt(reply),
    dialog: null,
    setDialog: (d) => set({ dialog: d }),
  };
});

// ---- selectors: what the screen shows, all of it computed by the engine ----------------

export function activeScenario(s: State): ScenarioView | null {
  return s.ws?.snapshot.scenario ?? null;
}

/** The model as shown: the baseline, or the active scenario applied to it. */
export function shownModel(s: State): Model | null {
  if (!s.ws) return null;
  return s.ws.snapshot.scenario?.model ?? s.ws.snapshot.view.model;
}

export function shownMetrics(s: State): ModelMetrics | null {
  if (!s.ws) return null;
  return s.ws.snapshot.scenario?.metrics ?? s.ws.snapshot.view.metrics;
}

export function baselineModel(s: State): Model | null {
  return s.ws?.snapshot.view.model ?? null;
}
