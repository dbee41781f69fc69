// What the Flow view, the Import dialog and the map share about telemetry. Telemetry is not
// part of the workspace (it is not a model edit), so an import bumps `revision` to tell the
// views that read it to ask the engine again.
import { useEffect, useMemo } from "react";
import { create } from "zustand";
import { ipc, type ApiError, type FlowReport } from "../../ipc/client";
import { useStore, type State } from "../../state/store";

/** A stage's measured lead time beside the drawn one (working time, the model's unit). */
export type StageMeasure = {
  /** Measured median lead time (active + waiting). */
  lead: number;
  /** Drawn lead time of the baseline map, when the engine knows the stage. */
  drawn: number | null;
  /** The engine's flag: measured median off the drawn lead time by more than 25 %. */
  flagged: boolean;
  items: number;
};

/** How long the map waits after a change of the drawn times before asking the engine again. */
export const REFRESH_AFTER_EDIT_MS = 1200;

type Measured = { key: string; stages: Record<string, StageMeasure> | null };

type FlowStore = {
  revision: number;
  bump: () => void;
  /** Per stream: the last measured stages fetched for the map, and for which key. */
  measured: Record<string, Measured>;
  setMeasured: (stream: string, m: Measured) => void;
};

export const useFlowStore = create<FlowStore>((set) => ({
  revision: 0,
  bump: () => set((s) => ({ revision: s.revision + 1 })),
  measured: {},
  setMeasured: (stream, m) => set((s) => ({ measured: { ...s.measured, [stream]: m } })),
}));

/** The engine's answer when a stream has no work-item telemetry yet. */
export function isNoTelemetry(e: unknown): boolean {
  const err = e as Partial<ApiError> | null;
  return !!err && err.code === "no_data";
}

/** The per-stage figures the map shows, from the engine's flow report. */
export function stageMeasures(r: FlowReport): Record<string, StageMeasure> {
  const out: Record<string, StageMeasure> = {};
  for (const s of r.stages) {
    if (s.measured.lead_p50 === undefined || s.measured.lead_p50 === null) continue;
    out[s.stage] = {
      lead: s.measured.lead_p50,
      drawn: s.drawn?.lead_time ?? null,
      flagged: s.gap?.flagged ?? false,
      items: Number(s.items),
    };
  }
  return out;
}

/** The baseline's drawn stage times of a stream, as text: the measured line is fetched again when they change. */
function drawnKey(s: State, stream: string | null): string {
  const sm = s.ws?.snapshot.view.metrics.streams.find((x) => x.id === stream);
  if (!sm) return "";
  return sm.stages.map((st) => `${st.id}:${st.process_time}:${st.wait_time}`).join("|");
}

/**
 * Measured against drawn for the stages of `stream`, for the map: fetched once per stream, and
 * again after an import or when the baseline's stage times change (calibration, an edit).
 * `null` while unknown or when the stream has no telemetry.
 */
export function useMeasuredStages(stream: string | null): Record<string, StageMeasure> | null {
  const revision = useFlowStore((s) => s.revision);
  const drawn = useStore((s) => drawnKey(s, stream));
  const entry = useFlowStore((s) => (stream ? s.measured[stream] : undefined));
  const setMeasured = useFlowStore((s) => s.setMeasured);
  const key = useMemo(() => `${revision}|${drawn}`, [revision, drawn]);
  // A stream without telemetry is asked again only after an import, not after every edit.
  const none = entry !== undefined && entry.stages === null && entry.key.startsWith(`${revision}|`);
  const fresh = entry !== undefined && (entry.key === key || none);
  useEffect(() => {
    if (!stream || fresh || drawn === "") return;
    let live = true;
    const load = () =>
      ipc
        .flow(stream, null, null)
        .then((r) => live && setMeasured(stream, { key, stages: stageMeasures(r) }))
        .catch((e: unknown) => live && setMeasured(stream, { key, stages: isNoTelemetry(e) ? null : (entry?.stages ?? null) }));
    // First sight of a stream, or after an import: at once. After an edit of the drawn times:
    // once the edits pause, so that the engine is not asked between two quick edits (the old
    // line stays meanwhile).
    const afterEdit = entry !== undefined && entry.key.startsWith(`${revision}|`);
    const timer = afterEdit ? setTimeout(() => void load(), REFRESH_AFTER_EDIT_MS) : (void load(), undefined);
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [stream, key, fresh, drawn, entry, revision, setMeasured]);
  return entry?.stages ?? null;
}
