import { useCallback, useMemo, useState } from "react";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge as FlowEdge,
  type NodeChange,
} from "@xyflow/react";
import { useStore } from "../state/store";
import { StageNode, type StageNodeType } from "./StageNode";
import { reuseCache, reuseUnchanged, toFlow } from "./flow";
import { Ladder } from "./Ladder";
import { useMeasuredStages } from "./flow/flowStore";
import { addStage } from "./map/addStage";
import { fitOptions, useViewport } from "./map/useViewport";

// Defined once, outside render, as React Flow asks.
const nodeTypes = { stage: StageNode };
// Fit and the walk count the stages React Flow has not drawn yet (only the visible ones are
// rendered) at their declared size: `includeHiddenNodes` makes it use that size.
const fitAllOptions = { ...fitOptions, includeHiddenNodes: true };
const proOptions = { hideAttribution: true };
// Props React Flow copies into its store are module constants: a new array or function on every
// render would be copied again after every edit, and each copy makes every subscriber of that
// store (one per stage in the minimap) look again.
const snapGrid: [number, number] = [20, 20];
const minimapNodeColor = (n: { data: unknown }) => ((n.data as { bottleneck?: boolean }).bottleneck ? "#dc2626" : "#0f2747");

/** The nodes and edges of the stream shown, derived from the engine's answer. */
function useElements() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const selection = useStore((s) => s.selection);
  const presenting = useStore((s) => s.presenting);
  const walk = useStore((s) => s.walk);
  const scenario = ws?.snapshot.scenario ?? null;
  const model = scenario?.model ?? ws?.snapshot.view.model ?? null;
  const metrics = scenario?.metrics ?? ws?.snapshot.view.metrics ?? null;
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
  return { nodes, edges, walkStage, stream: model?.streams.find((s) => s.id === streamId) ?? null };
}

/** What the pointer does on the canvas: drag (one command on drop), connect, select, add. */
function useHandlers(streamId: string | null, setDragged: (f: (d: Record<string, { x: number; y: number }>) => Record<string, { x: number; y: number }>) => void) {
  const run = useStore((s) => s.run);
  const notify = useStore((s) => s.notify);
  const select = useStore((s) => s.select);
  const inScenario = useStore((s) => !!s.scenarioId);
  const presenting = useStore((s) => s.presenting);
  const flow = useReactFlow();
  return {
    onNodesChange: useCallback(
      (changes: NodeChange<StageNodeType>[]) => {
        for (const c of changes) if (c.type === "position" && c.position) setDragged((d) => ({ ...d, [c.id]: { x: c.position!.x, y: c.position!.y } }));
      },
      [setDragged],
    ),
    onNodeDragStop: useCallback(
      async (_: unknown, _node: unknown, moved: StageNodeType[]) => {
        if (!streamId) return;
        const positions = moved.map((n) => ({ id: n.id, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } }));
        await run({ type: "set_positions", stream: streamId, positions });
        setDragged(() => ({}));
      },
      [run, streamId, setDragged],
    ),
    onConnect: useCallback(
      (c: Connection) => {
        if (!streamId || !c.source || !c.target) return;
        if (inScenario) return notify("The flow between stages belongs to the baseline. Switch to the baseline to connect stages.");
        void run({ type: "connect", stream: streamId, from: c.source, to: c.target });
      },
      [run, streamId, inScenario, notify],
    ),
    onDoubleClick: useCallback(
      (e: React.MouseEvent) => {
        if (!streamId || presenting || !(e.target as HTMLElement).classList.contains("react-flow__pane")) return;
        if (inScenario) return notify("Stages belong to the baseline. Switch to the baseline to add one.");
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        void addStage(streamId, { x: p.x - 104, y: p.y - 40 });
      },
      [streamId, presenting, inScenario, flow, notify],
    ),
    onNodeClick: useCallback((_: unknown, n: { id: string }) => streamId && select({ kind: "stage", stream: streamId, id: n.id }), [select, streamId]),
    onEdgeClick: useCallback((_: unknown, e: { source: string; target: string }) => streamId && select({ kind: "edge", stream: streamId, from: e.source, to: e.target }), [select, streamId]),
    onPaneClick: useCallback(() => select(null), [select]),
  };
}

function EmptyCanvas({ stream }: { stream: boolean }) {
  return (
    <div className="canvas-empty">
      {stream ? (
        <div>
          <h3>Draw the first stage</h3>
          A value stream runs from a customer&apos;s request to the value delivered. Add its stages in order with <strong>+ Stage</strong> (or press <kbd>N</kbd>, or
          double-click the canvas), then drag PBCs from the library onto them.
        </div>
      ) : (
        <div>
          <h3>No value stream yet</h3>
          Add a value stream with <strong>+ Stream</strong> above, then draw its stages.
        </div>
      )}
    </div>
  );
}

function Canvas() {
  const streamId = useStore((s) => s.streamId);
  const presenting = useStore((s) => s.presenting);
  const inScenario = useStore((s) => !!s.scenarioId);
  // While a stage is dragged its position is local; the drop sends one command.
  const [dragged, setDragged] = useState<Record<string, { x: number; y: number }>>({});
  const { nodes, edges, walkStage, stream } = useElements();
  const h = useHandlers(streamId, setDragged);
  useViewport(streamId, nodes.length, walkStage);
  const shown = useMemo(() => nodes.map((n) => (dragged[n.id] ? { ...n, position: dragged[n.id]! } : n)), [nodes, dragged]);
  if (!stream) return <EmptyCanvas stream={false} />;
  return (
    <>
      <ReactFlow
        nodes={shown}
        edges={edges}
        nodeTypes={nodeTypes}
        {...h}
        zoomOnDoubleClick={false}
        snapToGrid
        snapGrid={snapGrid}
        minZoom={0.1}
        maxZoom={2}
        deleteKeyCode={null}
        nodesDraggable={!presenting}
        nodesConnectable={!presenting && !inScenario}
        elementsSelectable
        onlyRenderVisibleElements
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#cbd5e1" />
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={fitAllOptions} />
        {!presenting && stream.stages.length > 12 && <MiniMap pannable zoomable position="bottom-right" nodeColor={minimapNodeColor} maskColor="rgb(243 245 248 / 0.7)" />}
      </ReactFlow>
      {stream.stages.length === 0 && <EmptyCanvas stream />}
    </>
  );
}

function Toolbar() {
  const streamId = useStore((s) => s.streamId);
  const hasStream = useStore((s) => !!s.ws?.snapshot.view.model.streams.some((x) => x.id === s.streamId));
  const inScenario = useStore((s) => !!s.scenarioId);
  const presenting = useStore((s) => s.presenting);
  const flow = useReactFlow();
  if (presenting) return null;
  return (
    <div className="canvas-toolbar">
      <button
        className="btn primary"
        disabled={!hasStream || inScenario}
        title={inScenario ? "Stages belong to the baseline: switch to it to add one" : "Add a stage after the selected one (N)"}
        data-testid="add-stage"
        onClick={() => streamId && void addStage(streamId)}
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
  const sc = useStore((s) => s.ws?.snapshot.scenario);
  const author = useStore((s) => s.ws?.snapshot.view.model.author);
  return (
    <div className="map-label" data-testid="map-label">
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
