// Keyboard shortcuts for the common actions. Typing in a field is never intercepted, except
// for the save and undo chords which work everywhere.
import { useEffect } from "react";
import { useStore } from "../state/store";
import { newStage } from "./MapView";

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
}

export function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "z" && !typing(e)) {
        e.preventDefault();
        void (e.shiftKey ? s.redo() : s.undo());
        return;
      }
      if (mod && key === "y" && !typing(e)) {
        e.preventDefault();
        void s.redo();
        return;
      }
      if (mod && key === "s") {
        e.preventDefault();
        void (e.shiftKey ? s.saveAs() : s.save());
        return;
      }
      if (mod && key === "e") {
        e.preventDefault();
        s.setDialog("export");
        return;
      }
      if (mod && key === "o") {
        e.preventDefault();
        void s.open();
        return;
      }
      if (mod && key === "n") {
        e.preventDefault();
        void s.newModel();
        return;
      }
      if (mod || e.altKey || typing(e) || s.dialog) return;
      if (s.presenting) {
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
        return;
      }
      if (key === "p") s.setPresenting(true);
      else if (key === "escape") s.select(null);
      else if (key === "f") document.querySelector<HTMLButtonElement>("[data-testid='fit']")?.click();
      else if (key === "n" && s.view === "map" && !s.scenarioId) {
        const stream = s.ws?.snapshot.view.model.streams.find((x) => x.id === s.streamId);
        if (stream) {
          void s.run({ type: "add_stage", stream: stream.id, stage: newStage(`Stage ${stream.stages.length + 1}`), connect_from: stream.stages.at(-1)?.id });
        }
      } else if ((key === "delete" || key === "backspace") && s.selection && !s.scenarioId) {
        const sel = s.selection;
        e.preventDefault();
        if (sel.kind === "stage") void s.run({ type: "delete_stage", stream: sel.stream, id: sel.id }).then((ok) => ok && s.select(null));
        else if (sel.kind === "assignment") void s.run({ type: "unassign", pbc: sel.pbc, stream: sel.stream, stage: sel.stage }).then((ok) => ok && s.select(null));
        else if (sel.kind === "edge") void s.run({ type: "disconnect", stream: sel.stream, from: sel.from, to: sel.to }).then((ok) => ok && s.select(null));
        else if (sel.kind === "pbc") void s.run({ type: "delete_pbc", id: sel.id }).then((ok) => ok && s.select(null));
      } else if (key === "1") s.setView("map");
      else if (key === "2") s.setView("matrix");
      else if (key === "3") s.setView("compare");
      else if (key === "4") s.setView("initiatives");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
