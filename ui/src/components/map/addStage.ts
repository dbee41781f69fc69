// Adding a stage where the user looks: after the selected stage (or at the end), selected at
// once, and never on top of another. Where every stage sits where the engine's layout puts it,
// the new one does too (the layout makes room); once stages have been dragged, it takes the
// first free place to the right of the one it follows, or where the user double-clicked.
import type { Stage } from "../../ipc/bindings/Stage";
import type { Stream } from "../../ipc/bindings/Stream";
import type { StreamLayout } from "../../ipc/bindings/StreamLayout";
import type { Command } from "../../ipc/client";
import { useStore } from "../../state/store";

/** The engine's grid (crates/core/src/layout.rs) and the stage box's size (styles.css). */
export const COLUMN = 260;
export const ROW = 180;
export const STAGE_WIDTH = 208;
export const STAGE_HEIGHT = 150;

export function newStage(name: string, position?: { x: number; y: number }): Stage {
  return { id: "", name, process_time: 1, wait_time: 0, pca: 1, ...(position ? { position } : {}) };
}

/** "Stage 7", the first number no stage of the stream uses as its name. */
function freshName(stream: Stream): string {
  const names = new Set(stream.stages.map((s) => s.name));
  for (let n = stream.stages.length + 1; ; n++) if (!names.has(`Stage ${n}`)) return `Stage ${n}`;
}

function overlaps(p: { x: number; y: number }, taken: { x: number; y: number }[]): boolean {
  return taken.some((q) => Math.abs(q.x - p.x) < STAGE_WIDTH + 20 && Math.abs(q.y - p.y) < STAGE_HEIGHT);
}

/** The first free place at or below `p`. */
export function freeSpot(p: { x: number; y: number }, taken: { x: number; y: number }[]): { x: number; y: number } {
  let at = { x: Math.round(p.x / 20) * 20, y: Math.round(p.y / 20) * 20 };
  for (let i = 0; i < 50 && overlaps(at, taken); i++) at = { x: at.x, y: at.y + ROW };
  return at;
}

/** The command that adds a stage after `after` (the last stage when null), at `at` when the
 * user pointed there. */
export function addStageCommand(stream: Stream, layout: StreamLayout | undefined, after: string | null, at?: { x: number; y: number }): Command {
  const anchor = after ?? stream.stages.at(-1)?.id ?? null;
  const k = anchor ? stream.stages.findIndex((s) => s.id === anchor) : -1;
  const taken = (layout?.positions ?? []).map((p) => p.position);
  const placed = stream.stages.some((s) => s.position);
  let position: { x: number; y: number } | undefined;
  if (at) position = freeSpot(at, taken);
  else if (placed && k >= 0) {
    const from = layout?.positions[k]?.position ?? { x: k * COLUMN, y: 0 };
    position = freeSpot({ x: from.x + COLUMN, y: from.y }, taken);
  }
  const stage = newStage(freshName(stream), position);
  if (stream.edges.length > 0) return { type: "add_stage", stream: stream.id, stage, connect_from: anchor ?? undefined };
  return { type: "add_stage", stream: stream.id, stage, index: k + 1 };
}

/** Adds the stage and selects it; the map brings it into view (MapView follows the selection). */
export async function addStage(streamId: string, at?: { x: number; y: number }): Promise<boolean> {
  const s = useStore.getState();
  const ws = s.ws;
  if (!ws || s.scenarioId) return false;
  const stream = ws.snapshot.view.model.streams.find((x) => x.id === streamId);
  if (!stream) return false;
  const layout = ws.snapshot.view.layouts.find((l) => l.stream === streamId);
  const after = s.selection?.kind === "stage" && s.selection.stream === streamId ? s.selection.id : null;
  const before = new Set(stream.stages.map((x) => x.id));
  if (!(await s.run(addStageCommand(stream, layout, after, at)))) return false;
  const now = useStore.getState().ws?.snapshot.view.model.streams.find((x) => x.id === streamId);
  const made = now?.stages.find((x) => !before.has(x.id));
  if (made) useStore.getState().select({ kind: "stage", stream: streamId, id: made.id });
  return true;
}
