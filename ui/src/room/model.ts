// Read-only questions of the model the room sent: which streams and stages, with the engine's
// own figures beside them (the page computes no figure).
import type { Workspace } from "../ipc/bindings/Workspace";
import type { Stage } from "../ipc/bindings/Stage";
import type { StageMetrics } from "../ipc/bindings/StageMetrics";
import type { StreamMetrics } from "../ipc/bindings/StreamMetrics";
import type { Stream } from "../ipc/bindings/Stream";
import type { RoomQuestion } from "../ipc/bindings/RoomQuestion";
import type { TimeUnit } from "../ipc/bindings/TimeUnit";
import { unitSuffix } from "../format";

export type StreamRow = { stream: Stream; metrics?: StreamMetrics };
export type StageRow = { stage: Stage; metrics?: StageMetrics; bottleneck: boolean };

export function streams(ws: Workspace): StreamRow[] {
  const view = ws.snapshot.view;
  return view.model.streams.map((stream) => ({
    stream,
    metrics: view.metrics.streams.find((m) => m.id === stream.id),
  }));
}

export function stages(row: StreamRow): StageRow[] {
  return row.stream.stages.map((stage) => ({
    stage,
    metrics: row.metrics?.stages.find((m) => m.id === stage.id),
    bottleneck: row.metrics?.bottleneck?.id === stage.id,
  }));
}

export function unit(ws: Workspace): TimeUnit {
  return ws.snapshot.view.metrics.unit;
}

/** What a number answer is counted in, for the label beside the input. */
export function answerUnit(q: RoomQuestion, ws: Workspace | null): string {
  if (q.kind === "stage_estimate") {
    if (q.field === "pca") return "%";
    return ws ? unitSuffix(unit(ws)) : "";
  }
  if (q.kind === "initiative_score" && q.field === "cost_of_delay_per_week") {
    return ws ? `${ws.snapshot.view.model.currency} a week` : "a week";
  }
  return "";
}

export const FIBONACCI = [1, 2, 3, 5, 8, 13, 20];

/** Whether the answer is a WSJF score, picked on the Fibonacci scale. */
export function isFibonacci(q: RoomQuestion): boolean {
  return q.kind === "initiative_score" && q.field !== "cost_of_delay_per_week";
}

export function stageName(ws: Workspace | null, stream: string, stage: string): string {
  const s = ws?.snapshot.view.model.streams.find((x) => x.id === stream);
  return s?.stages.find((x) => x.id === stage)?.name ?? stage;
}

/** The round people should look at now: the newest one not closed, else the newest. */
export function current<T extends { id: number; state: string }>(rounds: T[]): T | undefined {
  const open = rounds.filter((r) => r.state !== "closed");
  const pool = open.length > 0 ? open : rounds;
  return pool.reduce<T | undefined>((a, r) => (!a || r.id > a.id ? r : a), undefined);
}
