// Keyboard shortcuts for the common actions. Typing in a field is never intercepted, except
// for the save and undo chords which work everywhere.
import { useEffect } from "react";
import { useStore, type State } from "../state/store";
import { addStage } from "./map/addStage";

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
}

/** The chords with Ctrl (or Cmd); true when one was handled. */
function chord(e: KeyboardEvent, s: State, key: string): boolean {
  const actions: Record<string, () => unknown> = {
    z: () => (e.shiftKey ? s.redo() : s.undo()),
    y: () => s.redo(),
    s: () => (e.shiftKey ? s.saveAs() : s.save()),
    e: () => s.setDialog("export"),
    o: () => s.open(),
    n: () => s.newModel(),
    q: () => s.quit(),
  };
  const f = actions[key];
  if (!f || ((key === "z" || key === "y") && typing(e))) return false;
  e.preventDefault();
  void f();
  return true;
}

/** Arrow keys walk the stages while presenting; Esc or P leaves. */
function presentKey(e: KeyboardEvent, s: State, key: string) {
  const sm = (s.ws?.snapshot.scenario?.metrics ?? s.ws?.snapshot.view.metrics)?.streams.find((x) => x.id === s.streamId);
  const n = sm?.critical_path.length ?? 0;
  if (key === "arrowright" && n > 0) {
    e.preventDefault();
    s.setWalk(s.walk === null ? 0 : Math.min(n - 1, s.walk + 1));
  } else if (key === "arrowleft" && n > 0) {
    e.preventDefault();
    s.setWalk(s.walk === null ? n - 1 : Math.max(0, s.walk - 1));
  } else if (key === "escape" || key === "p") {
    s.setPresenting(false);
  }
}

/** Delete removes what is selected, with "Undo" in the toast. */
function deleteSelected(s: State) {
  const sel = s.selection;
  const model = s.ws?.snapshot.view.model;
  if (!sel || !model) return;
  const stage = (stream: string, id: string) => model.streams.find((x) => x.id === stream)?.stages.find((x) => x.id === id)?.name ?? "the stage";
  const pbc = (id: string) => model.pbcs.find((p) => p.id === id)?.name ?? "the PBC";
  const done = (ok: boolean) => ok && s.select(null);
  if (sel.kind === "stage") void s.remove({ type: "delete_stage", stream: sel.stream, id: sel.id }, `“${stage(sel.stream, sel.id)}”`).then(done);
  else if (sel.kind === "assignment") void s.remove({ type: "unassign", pbc: sel.pbc, stream: sel.stream, stage: sel.stage }, `${pbc(sel.pbc)} from ${stage(sel.stream, sel.stage)}`).then(done);
  else if (sel.kind === "edge") void s.remove({ type: "disconnect", stream: sel.stream, from: sel.from, to: sel.to }, "the arrow").then(done);
  else if (sel.kind === "pbc") void s.remove({ type: "delete_pbc", id: sel.id }, `the PBC “${pbc(sel.id)}”`).then(done);
}

const VIEW_KEYS = { "1": "map", "2": "matrix", "3": "compare", "4": "initiatives", "5": "simulate", "6": "flow" } as const;

export function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      const key = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && chord(e, s, key)) return;
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e) || s.dialog) return;
      if (s.presenting) return presentKey(e, s, key);
      if (key === "p") s.setPresenting(true);
      else if (key === "escape") s.select(null);
      else if (key === "f") document.querySelector<HTMLButtonElement>("[data-testid='fit']")?.click();
      else if (key === "?") s.setDialog("help", null);
      else if (key === "n" && s.view === "map" && !s.scenarioId && s.streamId) void addStage(s.streamId);
      else if ((key === "delete" || key === "backspace") && s.selection && !s.scenarioId) {
        e.preventDefault();
        deleteSelected(s);
      } else if (key in VIEW_KEYS) s.setView(VIEW_KEYS[key as keyof typeof VIEW_KEYS]);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
