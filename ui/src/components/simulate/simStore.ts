// The Simulate view's own state: the runs made (per stream and scenario), the one running, and
// how the last attempt ended. It lives outside the component so that a run goes on, and its
// result stays, while the user looks at another view. Every number in it is the engine's.
import { create } from "zustand";
import { asApiError, ipc, type ApiError, type SimOptions, type SimProgress, type SimResult, type Workspace } from "../../ipc/client";
import { useStore } from "../../state/store";

/** What the user asks for: items per run, runs and the seed. */
export type RunSettings = { items: number; runs: number; seed: number };

/** Finishes in well under a second on the examples (debug build included). */
export const DEFAULT_SETTINGS: RunSettings = { items: 5000, runs: 8, seed: 1 };
/** The engine's defaults (`tributary simulate`), so that the app and the CLI draw the same bars. */
export const HISTOGRAM_BINS = 40;
export const WIP_SAMPLES = 200;
/** The engine refuses more than this many items per stream (items x runs). */
export const MAX_ITEMS_TOTAL = 20_000_000;

export type Run = {
  stream: string;
  scenario: string | null;
  settings: RunSettings;
  result: SimResult;
  /** The model the run was made on (see `fingerprint`). */
  fingerprint: string;
  seconds: number;
};

export type Outcome = { kind: "cancelled" } | { kind: "error"; error: ApiError; fingerprint: string };

export type Job = { key: string; stream: string; scenario: string | null; progress: SimProgress | null; cancelling: boolean };

type SimState = {
  runs: Record<string, Run>;
  outcomes: Record<string, Outcome>;
  job: Job | null;
  start: (settings: RunSettings) => Promise<void>;
  cancel: () => Promise<void>;
  reset: () => void;
};

/** Results are kept per stream and per scenario (the baseline is scenario null). */
export function runKey(stream: string, scenario: string | null): string {
  return `${stream}\u0000${scenario ?? ""}`;
}

const prints = new WeakMap<Workspace, Map<string, string>>();

/**
 * The model a run of `scenario` (null: the baseline) depends on, as text: the model without
 * the other scenarios. Two workspaces with the same such model (the scenario shown switched,
 * another scenario edited) give the same fingerprint; any edit that reaches the run, undo
 * included, gives another. The shell simulates exactly this model.
 */
export function fingerprint(ws: Workspace, scenario: string | null): string {
  let byScenario = prints.get(ws);
  if (!byScenario) {
    byScenario = new Map();
    prints.set(ws, byScenario);
  }
  const key = scenario ?? "";
  let p = byScenario.get(key);
  if (p === undefined) {
    const model = ws.snapshot.view.model;
    p = JSON.stringify({ ...model, scenarios: model.scenarios.filter((s) => s.id === scenario) });
    byScenario.set(key, p);
  }
  return p;
}

export function options(settings: RunSettings, stream: string): SimOptions {
  return {
    items: settings.items,
    runs: settings.runs,
    seed: settings.seed,
    stream,
    histogram_bins: HISTOGRAM_BINS,
    wip_samples: WIP_SAMPLES,
  };
}

const empty = { runs: {}, outcomes: {}, job: null };

export const useSim = create<SimState>((set, get) => ({
  ...empty,
  start: async (settings) => {
    const { ws, streamId, scenarioId } = useStore.getState();
    if (!ws || !streamId || get().job) return;
    const key = runKey(streamId, scenarioId);
    const print = fingerprint(ws, scenarioId);
    const outcomes = { ...get().outcomes };
    delete outcomes[key];
    set({ job: { key, stream: streamId, scenario: scenarioId, progress: null, cancelling: false }, outcomes });
    const started = performance.now();
    const onProgress = (p: SimProgress) => {
      const job = get().job;
      if (job?.key === key) set({ job: { ...job, progress: p } });
    };
    try {
      const result = await ipc.simulate(scenarioId, options(settings, streamId), onProgress);
      const run: Run = {
        stream: streamId,
        scenario: scenarioId,
        settings,
        result,
        fingerprint: print,
        seconds: (performance.now() - started) / 1000,
      };
      set({ runs: { ...get().runs, [key]: run }, job: null });
    } catch (e) {
      const error = asApiError(e);
      const outcome: Outcome = error.code === "cancelled" ? { kind: "cancelled" } : { kind: "error", error, fingerprint: print };
      set({ outcomes: { ...get().outcomes, [key]: outcome }, job: null });
    }
  },
  cancel: async () => {
    const job = get().job;
    if (!job) return;
    set({ job: { ...job, cancelling: true } });
    try {
      await ipc.cancelSimulation();
    } catch {
      // the run ends by itself; its own promise reports how
    }
  },
  reset: () => set(empty),
}));
