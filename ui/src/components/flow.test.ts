import { describe, expect, it } from "vitest";
import { toFlow } from "./flow";
import { baselineWorkspace, workspace } from "../test/fixture";

function input(ws = baselineWorkspace(), over = {}) {
  const v = ws.snapshot.view;
  return {
    model: v.model,
    metrics: v.metrics,
    layouts: v.layouts,
    streamId: "mortgage",
    future: false,
    affected: [],
    selectedStage: null,
    selectedChip: null,
    walkStage: null,
    readOnly: false,
    ...over,
  };
}

describe("toFlow", () => {
  it("draws one node per stage at the engine's layout, with the engine's metrics", () => {
    const ws = baselineWorkspace();
    const { nodes } = toFlow(input(ws));
    const stream = ws.snapshot.view.model.streams[0]!;
    expect(nodes.map((n) => n.id)).toEqual(stream.stages.map((s) => s.id));
    const layout = ws.snapshot.view.layouts[0]!;
    nodes.forEach((n, k) => expect(n.position).toEqual(layout.positions[k]!.position));
    const scoring = nodes.find((n) => n.id === "scoring")!;
    // 0.5 h own + 48 h from the legacy scoring PBC, as the engine computed
    expect(scoring.data.metrics.wait_time).toBe(50);
    expect(scoring.data.chips.map((c) => c.pbc)).toEqual(["legacy-scoring"]);
  });

  it("declares every stage's size, so that Fit and the minimap count stages not drawn yet", () => {
    const { nodes } = toFlow(input(baselineWorkspace()));
    for (const n of nodes) {
      expect(n.initialWidth).toBeGreaterThan(0);
      expect(n.initialHeight).toBeGreaterThan(0);
    }
    const byChips = [...nodes].sort((a, b) => a.data.chips.length - b.data.chips.length);
    const fewest = byChips[0]!;
    const most = byChips.at(-1)!;
    expect(most.data.chips.length).toBeGreaterThan(fewest.data.chips.length);
    expect(most.initialHeight!).toBeGreaterThan(fewest.initialHeight!);
  });

  it("marks the bottleneck the engine found, and only that stage", () => {
    const ws = baselineWorkspace();
    const { nodes } = toFlow(input(ws));
    const flagged = nodes.filter((n) => n.data.bottleneck).map((n) => n.id);
    expect(flagged).toEqual([ws.snapshot.view.metrics.streams[0]!.bottleneck!.id]);
  });

  it("draws the explicit flow and highlights the critical path", () => {
    const ws = baselineWorkspace();
    const { edges } = toFlow(input(ws));
    expect(edges).toHaveLength(ws.snapshot.view.model.streams[0]!.edges.length);
    const path = ws.snapshot.view.metrics.streams[0]!.critical_path;
    const onPath = edges.filter((e) => e.style?.strokeWidth === 2.2).map((e) => e.id);
    expect(onPath).toEqual(path.slice(1).map((to, k) => `${path[k]}->${to}`));
  });

  it("draws a stream without edges as a line", () => {
    const ws = baselineWorkspace();
    ws.snapshot.view.model.streams[0]!.edges = [];
    const { edges, nodes } = toFlow(input(ws));
    expect(edges.map((e) => e.id)).toEqual(nodes.slice(1).map((n, k) => `${nodes[k]!.id}->${n.id}`));
  });

  it("shows a scenario's stages with kaizen bursts where it changes them", () => {
    const ws = workspace();
    const sc = ws.snapshot.scenario!;
    const { nodes } = toFlow({ ...input(ws), model: sc.model, metrics: sc.metrics, future: true, affected: sc.affected });
    const burst = nodes.filter((n) => n.data.affected).map((n) => n.id).sort();
    expect(burst).toEqual(sc.affected.map((a) => a.stage).sort());
    expect(nodes.every((n) => n.data.future)).toBe(true);
  });
});

describe("reuseUnchanged", () => {
  it("keeps the objects of unchanged nodes and replaces changed ones", async () => {
    const { reuseCache, reuseUnchanged } = await import("./flow");
    const cache = reuseCache<ReturnType<typeof toFlow>["nodes"][number]>();
    const ws = baselineWorkspace();
    const first = reuseUnchanged(cache, toFlow(input(ws)).nodes);
    const ws2 = baselineWorkspace();
    ws2.snapshot.view.metrics.streams[0]!.stages[1]!.wait_time = 99;
    const second = reuseUnchanged(cache, toFlow(input(ws2)).nodes);
    expect(second).not.toBe(first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.data.metrics.wait_time).toBe(99);
    expect(second[2]).toBe(first[2]);
  });

  it("returns the previous list itself when nothing changed, and a new one when the order did", async () => {
    const { reuseCache, reuseUnchanged } = await import("./flow");
    const cache = reuseCache<ReturnType<typeof toFlow>["edges"][number]>();
    const first = reuseUnchanged(cache, toFlow(input(baselineWorkspace())).edges);
    expect(first.length).toBeGreaterThan(1);
    // a fresh workspace with the same content: every edge is equal, so the list is kept
    expect(reuseUnchanged(cache, toFlow(input(baselineWorkspace())).edges)).toBe(first);
    // the same edges in another order make a new list of the same objects
    const reversed = reuseUnchanged(cache, [...toFlow(input(baselineWorkspace())).edges].reverse());
    expect(reversed).not.toBe(first);
    expect(reversed[0]).toBe(first.at(-1));
    // one edge fewer: a new list
    const fewer = reuseUnchanged(cache, toFlow(input(baselineWorkspace())).edges.slice(1));
    expect(fewer).toHaveLength(first.length - 1);
  });
});
