// Where the map looks. A stream opens whole when it fits at a legible size, else from its start
// at the smallest legible zoom; edits and undo never move the view; a newly selected stage that
// is out of sight is brought into it by the shortest pan, keeping the zoom; presenting fits the
// map at the projector's legible size and leaving it returns to the view the user had.
import { useEffect, useRef } from "react";
import { getViewportForBounds, useReactFlow, useStoreApi, type Viewport } from "@xyflow/react";
import { useStore } from "../../state/store";

/** Stage names are 14 px at zoom 1 (18 px presenting, styles.css): these zooms draw them at 11
 * px on a laptop and at 14 px on a projector at least. */
export const READABLE_ZOOM = 0.8;
export const PRESENT_ZOOM = 0.8;
export const fitOptions = { padding: 0.12, maxZoom: 1.2 };
const PAD = 48;

/** The whole map if it fits at `minZoom` or more, else its start at `minZoom`. */
function useShowWhole() {
  const flow = useReactFlow();
  const rf = useStoreApi();
  return (minZoom: number, duration = 0) => {
    const all = flow.getNodes();
    if (all.length === 0) return;
    const { width, height, minZoom: floor } = rf.getState();
    const whole = getViewportForBounds(flow.getNodesBounds(all), width, height, floor, fitOptions.maxZoom, fitOptions.padding);
    if (whole.zoom >= minZoom) return void flow.setViewport(whole, { duration });
    const first = all.reduce((a, b) => (b.position.x < a.position.x ? b : a));
    const top = Math.min(...all.filter((n) => n.position.x < first.position.x + 300).map((n) => n.position.y));
    void flow.setViewport({ x: PAD + 40 - first.position.x * minZoom, y: PAD + 40 - top * minZoom, zoom: minZoom }, { duration });
  };
}

/** The smallest pan that brings the node `id` into sight, with a margin; null when it is. */
function panToShow(v: Viewport, box: { x: number; y: number; w: number; h: number }, width: number, height: number): Viewport | null {
  const left = box.x * v.zoom + v.x;
  const right = (box.x + box.w) * v.zoom + v.x;
  const top = box.y * v.zoom + v.y;
  const bottom = (box.y + box.h) * v.zoom + v.y;
  let dx = 0;
  let dy = 0;
  if (left < PAD) dx = PAD - left;
  else if (right > width - PAD) dx = Math.max(width - PAD - right, PAD - left);
  if (top < PAD) dy = PAD - top;
  else if (bottom > height - PAD) dy = Math.max(height - PAD - bottom, PAD - top);
  return dx === 0 && dy === 0 ? null : { x: v.x + dx, y: v.y + dy, zoom: v.zoom };
}

export function useViewport(streamId: string | null, nodeCount: number, walkStage: string | null) {
  const flow = useReactFlow();
  const rf = useStoreApi();
  const showWhole = useShowWhole();
  const path = useStore((s) => s.ws?.snapshot.view.path);
  const presenting = useStore((s) => s.presenting);
  const selected = useStore((s) => (s.selection?.kind === "stage" ? s.selection.id : null));
  const hasNodes = nodeCount > 0;
  const before = useRef<Viewport | null>(null);
  // A new model or stream, or a stream's first stage: its opening view. Not on later edits.
  useEffect(() => {
    if (!hasNodes) return;
    const t = setTimeout(() => showWhole(READABLE_ZOOM), 30);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, streamId, hasNodes]);
  useEffect(() => {
    if (presenting) {
      before.current = flow.getViewport();
      const t = setTimeout(() => showWhole(PRESENT_ZOOM, 250), 60);
      return () => clearTimeout(t);
    }
    if (before.current) {
      const v = before.current;
      before.current = null;
      const t = setTimeout(() => void flow.setViewport(v, { duration: 250 }), 60);
      return () => clearTimeout(t);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [presenting]);
  // Follow the selected stage (a new one above all) into sight, without a jump in zoom.
  useEffect(() => {
    if (!selected) return;
    const t = setTimeout(() => {
      const n = flow.getInternalNode(selected);
      if (!n) return;
      const { width, height } = rf.getState();
      const box = { x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, w: n.measured.width ?? 208, h: n.measured.height ?? 150 };
      const next = panToShow(flow.getViewport(), box, width, height);
      if (next) void flow.setViewport(next, { duration: 250 });
    }, 40);
    return () => clearTimeout(t);
  }, [selected, nodeCount, flow, rf]);
  useEffect(() => {
    if (walkStage) void flow.fitView({ nodes: [{ id: walkStage }], padding: 0.6, maxZoom: 1.4, duration: 300, includeHiddenNodes: true });
  }, [walkStage, flow]);
}
