// Dragging PBCs with pointer events (not HTML5 drag and drop, which the WebView's file drop
// handling and WebDriver's synthetic pointer actions both break). A card or chip becomes a
// drag after the pointer moves a few pixels; the stage under the pointer is the target.
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useStore } from "../state/store";
import type { Command } from "../ipc/client";

export type DragItem =
  | { kind: "pbc"; pbc: string; label: string }
  | { kind: "chip"; pbc: string; stream: string; stage: string; label: string };

/** From this window width the library sits beside the map (styles.css); below, over it. */
export const LIBRARY_DOCKS = 1600;

type Target = { stream: string; stage: string } | { library: true } | null;

type Ctx = {
  start: (item: DragItem, e: React.PointerEvent) => void;
  target: Target;
  dragging: DragItem | null;
};

const DragContext = createContext<Ctx>({ start: () => undefined, target: null, dragging: null });

export function useDrag() {
  return useContext(DragContext);
}

/** What is under the pointer: a stage node (data-stage-id) or the PBC library. */
function targetAt(x: number, y: number): Target {
  for (const el of document.elementsFromPoint(x, y)) {
    const stage = (el as HTMLElement).closest?.("[data-stage-id]") as HTMLElement | null;
    if (stage?.dataset.stageId && stage.dataset.streamId) {
      return { stream: stage.dataset.streamId, stage: stage.dataset.stageId };
    }
    if ((el as HTMLElement).closest?.("[data-drop='library']")) return { library: true };
  }
  return null;
}

/** The command a drop means, in the baseline or in the active scenario. */
export function dropCommand(item: DragItem, target: Target, scenario: string | null): Command | null {
  if (!target) return null;
  if ("library" in target) {
    if (item.kind !== "chip") return null;
    return scenario
      ? { type: "upsert_change", scenario, change: { kind: "unassign_pbc", pbc: item.pbc, stream: item.stream, stage: item.stage } }
      : { type: "unassign", pbc: item.pbc, stream: item.stream, stage: item.stage };
  }
  if (item.kind === "pbc") {
    return scenario
      ? {
          type: "upsert_change",
          scenario,
          change: { kind: "assign_pbc", pbc: item.pbc, stream: target.stream, stage: target.stage, process_time: 0, wait_time: 0 },
        }
      : { type: "assign", assignment: { pbc: item.pbc, stream: target.stream, stage: target.stage, process_time: 0, wait_time: 0 } };
  }
  if (item.stream === target.stream && item.stage === target.stage) return null;
  if (scenario) {
    return {
      type: "batch",
      label: "Move PBC in scenario",
      commands: [
        { type: "upsert_change", scenario, change: { kind: "unassign_pbc", pbc: item.pbc, stream: item.stream, stage: item.stage } },
        {
          type: "upsert_change",
          scenario,
          change: { kind: "assign_pbc", pbc: item.pbc, stream: target.stream, stage: target.stage, process_time: 0, wait_time: 0 },
        },
      ],
    };
  }
  return { type: "move_assignment", pbc: item.pbc, stream: item.stream, from_stage: item.stage, to_stream: target.stream, to_stage: target.stage };
}

export function PbcDragProvider({ children }: { children: ReactNode }) {
  const [dragging, setDragging] = useState<DragItem | null>(null);
  const [target, setTarget] = useState<Target>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);
  const live = useRef<{ item: DragItem; x0: number; y0: number; active: boolean; target: Target } | null>(null);

  const start = useCallback((item: DragItem, e: React.PointerEvent) => {
    if (e.button !== 0) return;
    live.current = { item, x0: e.clientX, y0: e.clientY, active: false, target: null };
    const move = (ev: PointerEvent) => {
      const d = live.current;
      if (!d) return;
      if (!d.active && Math.hypot(ev.clientX - d.x0, ev.clientY - d.y0) < 5) return;
      if (!d.active) {
        d.active = true;
        setDragging(d.item);
        // over the map on a small screen, the library steps aside so every stage is a target
        const st = useStore.getState();
        if (st.panels.library && window.innerWidth < LIBRARY_DOCKS) st.setPanel("library", false);
      }
      ev.preventDefault();
      setPos({ x: ev.clientX, y: ev.clientY });
      d.target = targetAt(ev.clientX, ev.clientY);
      setTarget(d.target);
    };
    const up = async (ev: PointerEvent) => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      const d = live.current;
      live.current = null;
      setDragging(null);
      setTarget(null);
      setPos(null);
      if (!d?.active) return;
      const where = targetAt(ev.clientX, ev.clientY);
      const st = useStore.getState();
      const cmd = dropCommand(d.item, where, st.scenarioId);
      if (!cmd) {
        if (!where) {
          st.notify(
            d.item.kind === "pbc"
              ? `Drop ${d.item.label} on a stage to show that it serves that stage.`
              : `Drop ${d.item.label} on another stage to move it, or on the PBC library to remove it.`,
          );
        }
        return;
      }
      const ok = await st.run(cmd);
      if (ok && where && !("library" in where)) {
        // Open the new assignment so its time can be entered straight away.
        useStore.getState().select({ kind: "assignment", pbc: d.item.pbc, stream: where.stream, stage: where.stage });
      }
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }, []);

  return (
    <DragContext.Provider value={{ start, target, dragging }}>
      {children}
      {dragging && pos && (
        <div className="drag-ghost" style={{ left: pos.x, top: pos.y }} data-testid="drag-ghost">
          {dragging.label}
        </div>
      )}
    </DragContext.Provider>
  );
}
