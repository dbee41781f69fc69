// The nodes and edges the canvas draws, derived from the engine's answer on every change: the
// stream's stages at the engine's layout, each with its metrics and PBC chips. Nothing here is
// a second copy of the model; it is recomputed from the workspace.
import { dequal } from "dequal";
import type { Edge as FlowEdge } from "@xyflow/react";
import { MarkerType } from "@xyflow/react";
import type { Model } from "../ipc/bindings/Model";
import type { ModelMetrics } from "../ipc/bindings/ModelMetrics";
import type { StreamLayout } from "../ipc/bindings/StreamLayout";
import type { StageRef } from "../ipc/bindings/StageRef";
import type { ChipData, StageNodeType } from "./StageNode";
import type { StageMeasure } from "./flow/flowStore";

export type FlowInput = {
  model: Model;
  metrics: ModelMetrics;
  layouts: StreamLayout[];
  streamId: string;
  future: boolean;
  affected: StageRef[];
  selectedStage: string | null;
  selectedChip: { stage: string; pbc: string } | null;
  walkStage: string | null;
  readOnly: boolean;
  /** Measured against drawn per stage id, when the stream has telemetry. */
  measured?: Record<string, StageMeasure> | null;
};

/** The stage box's width in styles.css (`.stage`), and its height without and per PBC chip. */
const STAGE_WIDTH = 208;
const STAGE_BASE_HEIGHT = 96;
const CHIP_HEIGHT = 17;

export function toFlow(i: FlowInput): { nodes: StageNodeType[]; edges: FlowEdge[] } {
  const stream = i.model.streams.find((s) => s.id === i.streamId);
  const sm = i.metrics.streams.find((s) => s.id === i.streamId);
  if (!stream || !sm) return { nodes: [], edges: [] };
  const layout = i.layouts.find((l) => l.stream === i.streamId);
  const pbcs = new Map(i.model.pbcs.map((p) => [p.id, p]));
  const chips = new Map<string, ChipData[]>();
  for (const a of i.model.assignments) {
    if (a.stream !== stream.id) continue;
    const p = pbcs.get(a.pbc);
    if (!p) continue;
    const list = chips.get(a.stage) ?? [];
    list.push({ pbc: p.id, name: p.name, kind: p.kind, process: a.process_time, wait: a.wait_time });
    chips.set(a.stage, list);
  }
  const affected = new Set(i.affected.filter((a) => a.stream === stream.id).map((a) => a.stage));
  const nodes: StageNodeType[] = stream.stages.map((st, k) => {
    const metrics = sm.stages[k];
    const pos = layout?.positions[k]?.position ?? { x: k * 260, y: 0 };
    const stageChips = chips.get(st.id) ?? [];
    return {
      id: st.id,
      type: "stage",
      position: { x: pos.x, y: pos.y },
      // The size of the stage box before React Flow has drawn it (only visible stages are drawn):
      // Fit, the minimap and the walk in presentation need the size of every stage.
      initialWidth: STAGE_WIDTH,
      initialHeight: STAGE_BASE_HEIGHT + CHIP_HEIGHT * stageChips.length,
      selected: i.selectedStage === st.id,
      data: {
        stream: stream.id,
        id: st.id,
        name: st.name,
        team: st.team,
        // metrics come in stage order from the engine
        metrics: metrics!,
        unit: i.metrics.unit,
        chips: stageChips,
        bottleneck: sm.bottleneck?.id === st.id,
        affected: affected.has(st.id),
        future: i.future,
        dim: i.walkStage !== null && i.walkStage !== st.id,
        selectedChip: i.selectedChip?.stage === st.id ? i.selectedChip.pbc : null,
        readOnly: i.readOnly,
        measured: i.measured?.[st.id] ?? null,
      },
    };
  });
  const pairs: [string, string][] =
    stream.edges.length > 0
      ? stream.edges.map((e) => [e.from, e.to])
      : stream.stages.slice(1).map((st, k) => [stream.stages[k]!.id, st.id]);
  const critical = new Set<string>();
  for (let k = 1; k < sm.critical_path.length; k++) critical.add(`${sm.critical_path[k - 1]}->${sm.critical_path[k]}`);
  const edges: FlowEdge[] = pairs.map(([from, to]) => {
    const onPath = critical.has(`${from}->${to}`);
    return {
      id: `${from}->${to}`,
      source: from,
      target: to,
      type: "smoothstep",
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: onPath ? "#0f2747" : "#94a3b8" },
      style: { stroke: onPath ? "#0f2747" : "#94a3b8", strokeWidth: onPath ? 2.2 : 1.5, strokeDasharray: i.future ? "6 4" : undefined },
      data: { explicit: stream.edges.length > 0 },
    };
  });
  return { nodes, edges };
}

/** The node or edge objects last handed to React Flow, by id and as the list it was given. */
export type ReuseCache<T> = { byId: Map<string, T>; list: T[] };

export function reuseCache<T>(): ReuseCache<T> {
  return { byId: new Map(), list: [] };
}

/**
 * Keeps the previous node and edge objects where nothing about them changed, so that after an
 * edit React Flow and the memoised stage components only redraw what did change (one stage and
 * its neighbours, not all 300 of a large map). The comparison is deep but stops at shared
 * objects: the workspace after an edit shares every unchanged part with the one before, so a
 * stage whose metrics did not change costs a handful of comparisons. When nothing changed at
 * all, the previous list itself is returned, and React Flow skips its update (an edit of a
 * stage's times usually leaves every edge as it was).
 */
export function reuseUnchanged<T extends { id: string }>(cache: ReuseCache<T>, next: T[]): T[] {
  const prev = cache.byId;
  const seen = new Set<string>();
  let same = next.length === cache.list.length;
  const out = next.map((item, k) => {
    seen.add(item.id);
    const old = prev.get(item.id);
    if (old && dequal(old, item)) {
      if (cache.list[k] !== old) same = false;
      return old;
    }
    same = false;
    prev.set(item.id, item);
    return item;
  });
  for (const id of [...prev.keys()]) if (!seen.has(id)) prev.delete(id);
  if (same) return cache.list;
  cache.list = out;
  return out;
}
