import { useCallback, useEffect, useMemo, useState } from "react";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  useStoreApi,
  type Connection,
  type Edge as FlowEdge,
  type NodeChange,
} from "@xyflow/react";
import { useStore } from "../state/store";
import { StageNode, type StageNodeType } from "./StageNode";
import { reuseCache, reuseUnchanged, toFlow } from "./flow";
import { Ladder } from "./Ladder";
import { useMeasuredStages } from "./flow/flowStore";
import type { Stage } from "../ipc/bindings/Stage";

// Defined once, outside render, as React Flow asks.
const nodeTypes = { stage: StageNode };
const fitOptions = { padding: 0.18, maxZoom: 1.2 };
// Fit and the walk count the stages React Flow has not drawn yet (only the visible ones are
// rendered) at their declared size: `includeHiddenNodes` makes it use that size.
const fitAllOptions = { ...fitOptions, includeHiddenNodes: true };
const proOptions = { hideAttribution: true };
// Props React Flow copies into its store are module constants: a new array or function on every
// render would be copied again after every edit, and each copy makes every subscriber of that
// store (one per stage in the minimap) look again.
const snapGrid: [number, number] = [20, 20];
const minimapNodeColor = (n: { data: unknown }) => ((n.data as { bottleneck?: boolean }).bottleneck ? "#dc2626" : "#0f2747");
/** Below this zoom the text of a stage is too small to read on a laptop or a projector. */
const READABLE_ZOOM = 0.8;

export function newStage(name: string): Stage {
  return { id: "", name, process_time: 1, wait_time: 0, pca: 1 };
}

function Canvas() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const selection = useStore((s) => s.selection);
  const select = useStore((s) => s.select);
  const run = useStore((s) => s.run);
  const notify = useStore((s) => s.notify);
  const presenting = useStore((s) => s.presenting);
  const walk = useStore((s) => s.walk);
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  // While a stage is dragged its position is local; the drop sends one command.
  const [dragged, setDragged] = useState<Record<string, { x: number; y: number }>>({});

  const scenario = ws?.snapshot.scenario ?? null;
  const inScenario = scenario !== null;
  const model = scenario?.model ?? ws?.snapshot.view.model ?? null;
  const metrics = scenario?.metrics ?? ws?.snapshot.view.metrics ?? null;
  const stream = model?.streams.find((s) => s.id === streamId) ?? null;
  const sm = metrics?.streams.find((s) => s.id === streamId) ?? null;
  const walkStage = walk !== null && sm ? (sm.critical_path[walk] ?? null) : null;
  const measured = useMeasuredStages(streamId);

  // Caches of the last objects handed to React Flow (see reuseUnchanged); held for the
  // component's life, never a source of truth.
  const [nodeCache] = useState(() => reuseCache<StageNodeType>());
  const [edgeCache] = useState(() => reuseCache<FlowEdge>());
  const { nodes, edges } = useMemo(() => {
    if (!ws || !model || !metrics || !streamId) return { nodes: [] as StageNodeType[], edges: [] };
    const fresh = toFlow({
      model,
      metrics,
      layouts: ws.snapshot.view.layouts,
      streamId,
      future: scenario !== null,
      affected: scenario?.affected ?? [],
      selectedStage: selection?.kind === "stage" ? selection.id : null,
      selectedChip: selection?.kind === "assignment" ? { stage: selection.stage, pbc: selection.pbc } : null,
      walkStage,
      readOnly: presenting,
      measured,
    });
    return { nodes: reuseUnchanged(nodeCache, fresh.nodes), edges: reuseUnchanged(edgeCache, fresh.edges) };
  }, [ws, model, metrics, streamId, scenario, selection, walkStage, presenting, measured, nodeCache, edgeCache]);

  const shown = useMemo(
    () => nodes.map((n) => (dragged[n.id] ? { ...n, position: dragged[n.id]! } : n)),
    [nodes, dragged],
  );

  // Show a new stream whole when it fits at a readable size; otherwise start at its left end
  // at a readable zoom (Fit shows it all). Follow the walk in presentation.
  useEffect(() => {
    const t = setTimeout(() => {
      const all = flow.getNodes();
      if (all.length === 0) return;
      const { width, height, minZoom } = flowStore.getState();
      const whole = getViewportForBounds(flow.getNodesBounds(all), width, height, minZoom, fitOptions.maxZoom, fitOptions.padding);
      if (whole.zoom >= READABLE_ZOOM) {
        void flow.setViewport(whole);
      } else {
        const y = all[0]!.position.y;
        void flow.setViewport({ x: 70, y: 120 - y * READABLE_ZOOM, zoom: READABLE_ZOOM });
      }
    }, 30);
    return () => clearTimeout(t);
  }, [streamId, flow, flowStore, nodes.length]);
  useEffect(() => {
    if (walkStage) void flow.fitView({ nodes: [{ id: walkStage }], padding: 0.6, maxZoom: 1.4, duration: 300, includeHiddenNodes: true });
  }, [walkStage, flow]);

  const onNodesChange = useCallback((changes: NodeChange<StageNodeType>[]) => {
    for (const c of changes) {
      if (c.type === "position" && c.position) {
        const p = c.position;
        setDragged((d) => ({ ...d, [c.id]: { x: p.x, y: p.y } }));
      }
    }
  }, []);

  const onNodeDragStop = useCallback(
    async (_: unknown, _node: unknown, moved: StageNodeType[]) => {
      if (!streamId) return;
      const positions = moved.map((n) => ({ id: n.id, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } }));
      await run({ type: "set_positions", stream: streamId, positions });
      setDragged({});
    },
    [run, streamId],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!streamId || !c.source || !c.target) return;
      if (inScenario) {
        notify("The flow between stages belongs to the baseline. Switch to the baseline to connect stages.");
        return;
      }
      void run({ type: "connect", stream: streamId, from: c.source, to: c.target });
    },
    [run, streamId, inScenario, notify],
  );

  const onPaneDoubleClick = useCallback(
    async (e: React.MouseEvent) => {
      if (!stream || presenting) return;
      if (scenario) {
        notify("Stages belong to the baseline. Switch to the baseline to add one.");
        return;
      }
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const stage = { ...newStage(`Stage ${stream.stages.length + 1}`), position: { x: Math.round(p.x - 104), y: Math.round(p.y - 40) } };
      const last = stream.stages.at(-1)?.id;
      const ok = await run({ type: "add_stage", stream: stream.id, stage, connect_from: last });
      if (ok) {
        const created = useStore.getState().ws?.snapshot.view.model.streams.find((s) => s.id === stream.id)?.stages.at(-1);
        if (created) select({ kind: "stage", stream: stream.id, id: created.id });
      }
    },
    [stream, presenting, scenario, flow, run, select, notify],
  );

  const onNodeClick = useCallback((_: unknown, n: { id: string }) => streamId && select({ kind: "stage", stream: streamId, id: n.id }), [select, streamId]);
  const onEdgeClick = useCallback(
    (_: unknown, e: { source: string; target: string }) => streamId && select({ kind: "edge", stream: streamId, from: e.source, to: e.target }),
    [select, streamId],
  );
  const onPaneClick = useCallback(() => select(null), [select]);

  if (!ws || !stream) {
    return (
      <div className="canvas-empty">
        <div>
          <h3>No value stream yet</h3>
          Add a value stream with <strong>+ Stream</strong> above, then draw its stages.
        </div>
      </div>
    );
  }
  return (
    <>
      <ReactFlow
        nodes={shown}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
        onDoubleClick={(e) => {
          if ((e.target as HTMLElement).classList.contains("react-flow__pane")) void onPaneDoubleClick(e);
        }}
        zoomOnDoubleClick={false}
        fitView
        fitViewOptions={fitOptions}
        snapToGrid
        snapGrid={snapGrid}
        minZoom={0.1}
        maxZoom={2}
        deleteKeyCode={null}
        nodesDraggable={!presenting}
        nodesConnectable={!presenting && !scenario}
        elementsSelectable
        onlyRenderVisibleElements
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#cbd5e1" />
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={fitAllOptions} />
        {!presenting && stream.stages.length > 12 && (
          <MiniMap
            pannable
            zoomable
            position="bottom-right"
            nodeColor={minimapNodeColor}
            maskColor="rgb(243 245 248 / 0.7)"
          />
        )}
      </ReactFlow>
      {stream.stages.length === 0 && (
        <div className="canvas-empty">
          <div>
            <h3>Draw the first stage</h3>
            A value stream runs from a customer&apos;s request to the value delivered. Add its stages in order with{" "}
            <strong>+ Stage</strong> (or press <kbd>N</kbd>, or double-click the canvas), then drag PBCs from the library onto them.
          </div>
        </div>
      )}
    </>
  );
}

function Toolbar() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const run = useStore((s) => s.run);
  const select = useStore((s) => s.select);
  const presenting = useStore((s) => s.presenting);
  const flow = useReactFlow();
  if (!ws || presenting) return null;
  const stream = ws.snapshot.view.model.streams.find((s) => s.id === streamId);
  const inScenario = ws.snapshot.scenario !== undefined && ws.snapshot.scenario !== null;
  return (
    <div className="canvas-toolbar">
      <button
        className="btn primary"
        disabled={!stream || inScenario}
        title={inScenario ? "Stages belong to the baseline" : "Add a stage at the end (N)"}
        data-testid="add-stage"
        onClick={async () => {
          if (!stream) return;
          const ok = await run({
            type: "add_stage",
            stream: stream.id,
            stage: newStage(`Stage ${stream.stages.length + 1}`),
            connect_from: stream.stages.at(-1)?.id,
          });
          if (ok) {
            const created = useStore.getState().ws?.snapshot.view.model.streams.find((s) => s.id === stream.id)?.stages.at(-1);
            if (created) select({ kind: "stage", stream: stream.id, id: created.id });
          }
        }}
      >
        + Stage
      </button>
      <button className="btn" onClick={() => void flow.fitView({ ...fitAllOptions, duration: 250 })} title="Fit the map to the screen (F)" data-testid="fit">
        Fit
      </button>
    </div>
  );
}

function MapLabel() {
  const ws = useStore((s) => s.ws);
  if (!ws) return null;
  const sc = ws.snapshot.scenario;
  const author = ws.snapshot.view.model.author;
  return (
    <div className="map-label">
      <strong>{sc ? (/^future state/i.test(sc.name) ? sc.name : `Future state: ${sc.name}`) : "Current state"}</strong>
      {author ? ` · ${author}` : ""}
    </div>
  );
}

export function MapView() {
  return (
    <section className="center" aria-label="Value stream map">
      <ReactFlowProvider>
        <div className="canvas" data-testid="canvas">
          <Toolbar />
          <MapLabel />
          <Canvas />
        </div>
      </ReactFlowProvider>
      <Ladder />
    </section>
  );
}
