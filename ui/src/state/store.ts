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
import type { Preferences } from "../ipc/bindings/Preferences";
import { fileActions, type FileActions } from "./files";

export type View = "map" | "matrix" | "compare" | "initiatives" | "simulate" | "flow";

export type Selection =
  | { kind: "stage"; stream: string; id: string }
  | { kind: "pbc"; id: string }
  | { kind: "assignment"; pbc: string; stream: string; stage: string }
  | { kind: "edge"; stream: string; from: string; to: string }
  | null;

/** A toast may offer one action ("Undo"). */
export type Toast = { id: number; message: string; tone: "error" | "info"; action?: { label: string; run: () => void } };

/** The modal dialogs; `dialogArg` carries what the open one is about. */
export type DialogKind = "export" | "import" | "new" | "help" | "unsaved" | "scenario" | "time-unit" | "settings" | "room" | "versions" | "differences" | "share" | "merge";

/** What to do once the user has heard what happens to unsaved work. */
export type Pending = { what: "new" | "open" | "quit"; then: () => Promise<void> };

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
  /** Which side panels are open (on a small screen they open over the map). */
  panels: { library: boolean; inspector: boolean };
  prefs: Preferences | null;
  load: () => Promise<void>;
  /** Sends one command; resolves to whether the engine accepted it. */
  run: (command: Command) => Promise<boolean>;
  /** Runs `f`, whose commands' failures the caller shows itself, beside its field. */
  quietly: <T>(f: () => Promise<T>) => Promise<T>;
  /** Deletes something and offers to undo it: "Deleted “Assess”. Undo". */
  remove: (command: Command, what: string) => Promise<boolean>;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
  setScenario: (id: string | null) => Promise<void>;
  setStream: (id: string) => void;
  setView: (v: View) => void;
  select: (s: Selection) => void;
  setPresenting: (on: boolean) => void;
  setWalk: (i: number | null) => void;
  setPanel: (panel: "library" | "inspector", open: boolean) => void;
  setScale: (scale: number) => Promise<void>;
  notify: (message: string, tone?: "error" | "info", action?: Toast["action"]) => void;
  dismissToast: () => void;
  /** Adopts the shell's reply to a command outside `run` (calibrate, ...); resolves to the
   * new workspace. */
  adopt: (reply: Reply) => Promise<Workspace | null>;
  dialog: DialogKind | null;
  dialogArg: unknown;
  setDialog: (d: DialogKind | null, arg?: unknown) => void;
} & FileActions;

let toastId = 0;

/** Keeps the chosen stream and scenario when they still exist, else falls back sensibly. */
function settle(ws: Workspace, s: Pick<State, "streamId" | "scenarioId">) {
  const streams = ws.snapshot.view.model.streams;
  const streamId =
    s.streamId && streams.some((x) => x.id === s.streamId) ? s.streamId : (streams[0]?.id ?? null);
  const scenarioId = ws.snapshot.scenario ? ws.snapshot.scenario.id : null;
  return { ws, streamId, scenarioId };
}

type Set = (p: Partial<State>) => void;
type Get = () => State;

/** The engine's answer in the store; shared by every action. */
export type Core = {
  set: Set;
  get: Get;
  adopt: (reply: Reply | null, opts?: { fresh?: boolean }) => Promise<Workspace | null>;
  fail: (e: unknown, opts?: { inline?: boolean }) => void;
};

function core(set: Set, get: Get): Core {
  const fail: Core["fail"] = (e, opts = {}) => {
    const err = e as ApiError;
    set({ lastError: err });
    // An error the field it is about shows is said there, once, not again in a toast.
    if (!opts.inline) set({ toast: { id: ++toastId, message: err.plain ?? err.message ?? String(e), tone: "error" } });
  };
  const adopt: Core["adopt"] = async (reply, opts = {}) => {
    if (!reply) return null;
    let next = receive(get(), reply);
    // a patch against a version this UI does not hold: ask for the whole workspace
    if (!next) next = receive(get(), await ipc.workspace(get().scenarioId));
    if (!next) return null;
    const { ws, version } = next;
    const base = opts.fresh ? { streamId: null, scenarioId: null } : get();
    set({ ...settle(ws, base), version, lastError: null, ...(opts.fresh ? { selection: null, walk: null } : {}) });
    if (ws.notice) set({ toast: { id: ++toastId, message: ws.notice.plain ?? ws.notice.message, tone: "error" } });
    return ws;
  };
  return { set, get, adopt, fail };
}

function editActions({ set, get, adopt, fail }: Core) {
  // While a field commits, its errors are shown beside it rather than in a toast.
  let quiet = 0;
  const send = async (command: Command, loud: boolean) => {
    const inline = !loud || quiet > 0;
    try {
      // Marks for the edit-to-view measurement (tests/e2e/specs/performance.test.js).
      performance.mark("ipc-start");
      const reply = await ipc.execute(command, get().scenarioId);
      performance.measure("ipc", "ipc-start");
      await adopt(reply);
      performance.measure("ipc+state", "ipc-start");
      return true;
    } catch (e) {
      fail(e, { inline });
      return false;
    }
  };
  const step = (f: (scenario: string | null) => Promise<Reply>) => async () => {
    try {
      await adopt(await f(get().scenarioId));
    } catch (e) {
      fail(e);
    }
  };
  const undo = step(ipc.undo);
  return {
    run: (command: Command) => send(command, true),
    quietly: async <T,>(f: () => Promise<T>): Promise<T> => {
      quiet++;
      try {
        return await f();
      } finally {
        quiet--;
      }
    },
    remove: async (command: Command, what: string) => {
      const ok = await send(command, true);
      if (ok) set({ toast: { id: ++toastId, message: `Deleted ${what}.`, tone: "info", action: { label: "Undo", run: () => void undo() } } });
      return ok;
    },
    undo: async () => {
      if (get().ws?.snapshot.view.undo) await undo();
    },
    redo: async () => {
      if (get().ws?.snapshot.view.redo) await step(ipc.redo)();
    },
    setScenario: async (id: string | null) => {
      try {
        const next = receive(get(), await ipc.workspace(id));
        if (!next) return;
        const { ws, version } = next;
        set({ ...settle(ws, { ...get(), scenarioId: id }), version, scenarioId: ws.snapshot.scenario?.id ?? null });
      } catch (e) {
        fail(e);
      }
    },
  };
}

function viewActions({ set, get }: Core) {
  return {
    setStream: (id: string) => set({ streamId: id, selection: null, walk: null }),
    setView: (v: View) => set({ view: v }),
    select: (s: Selection) => set({ selection: s, ...(s ? { panels: { ...get().panels, inspector: true } } : {}) }),
    setPresenting: (on: boolean) => set({ presenting: on, walk: null, selection: on ? null : get().selection }),
    setWalk: (i: number | null) => set({ walk: i }),
    setPanel: (panel: "library" | "inspector", open: boolean) => set({ panels: { ...get().panels, [panel]: open } }),
    notify: (message: string, tone: "error" | "info" = "info", action?: Toast["action"]) => set({ toast: { id: ++toastId, message, tone, action } }),
    dismissToast: () => set({ toast: null }),
    setDialog: (d: DialogKind | null, arg?: unknown) => set({ dialog: d, dialogArg: arg ?? null }),
  };
}

/** Panels open by default where the screen has room for them beside the map. */
export function defaultPanels(width: number) {
  return { library: width >= 1600, inspector: width >= 1400 };
}

export const useStore = create<State>((set, get) => {
  const c = core(set, get);
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
    panels: defaultPanels(typeof window === "undefined" ? 1920 : window.innerWidth),
    prefs: null,
    dialog: null,
    dialogArg: null,
    load: async () => {
      try {
        const first = !get().ws;
        await c.adopt(await ipc.workspace(get().scenarioId), { fresh: first });
        // for the start-up measurement in docs/performance.md
        if (first) requestAnimationFrame(() => performance.mark("tributary-interactive"));
      } catch (e) {
        c.fail(e);
      }
    },
    setScale: async (scale: number) => {
      try {
        set({ prefs: await ipc.setPreferences({ ...(get().prefs ?? { ui_scale: 1 }), ui_scale: scale }) });
      } catch (e) {
        c.fail(e);
      }
    },
    adopt: (reply) => c.adopt(reply),
    ...editActions(c),
    ...viewActions(c),
    ...fileActions(c),
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

/** Whether the open model lives only in the app's own folder and holds work. */
export function unsavedWork(s: Pick<State, "ws">): boolean {
  return !!s.ws && s.ws.untitled && s.ws.edited;
}
