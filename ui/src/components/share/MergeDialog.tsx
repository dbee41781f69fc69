// File > Merge changes from a file: what the merge brought in, then each conflict, one at a
// time, with both values in the engine's words: keep ours (the model stays as it is) or take
// theirs (one undo step). The file keeps the conflicts left until each is settled, so closing
// the dialog loses nothing: File > Resolve merge conflicts comes back to them.
import { useEffect, useState } from "react";
import { ipc, type ApiError } from "../../ipc/client";
import type { ConflictEntry } from "../../ipc/bindings/ConflictEntry";
import type { MergeReport } from "../../ipc/bindings/MergeReport";
import type { Side } from "../../ipc/bindings/Side";
import { useStore } from "../../state/store";
import { Dialog } from "../Dialog";
import { Changes } from "./DiffDialog";

/** What the merge dialog opens on: a merge just made, or (null) the conflicts kept. */
export type MergeShown = { file: string; report: MergeReport } | null;

function said(e: unknown) {
  const err = e as ApiError;
  return err.plain ?? err.message ?? String(e);
}

function ConflictStep({ c, index, count, onSide }: { c: ConflictEntry; index: number; count: number; onSide: (side: Side) => void }) {
  return (
    <div className="conflict" data-testid="conflict">
      <h3 data-testid="conflict-count">
        Conflict {index + 1} of {count}
      </h3>
      <p data-testid="conflict-text">{c.conflict.text}</p>
      {c.conflict.detail && <p className="hint">{c.conflict.detail}</p>}
      <div className="share-row">
        <button className="btn" onClick={() => onSide("ours")} data-testid="conflict-ours">
          Keep ours
        </button>
        <button className="btn primary" onClick={() => onSide("theirs")} data-testid="conflict-theirs">
          Take theirs
        </button>
      </div>
    </div>
  );
}

function MergeDialogOpen({ shown }: { shown: MergeShown }) {
  const setDialog = useStore((s) => s.setDialog);
  const [left, setLeft] = useState<ConflictEntry[] | null>(shown ? shown.report.conflicts : null);
  const [total, setTotal] = useState(shown?.report.conflicts.length ?? 0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (shown) return;
    ipc.conflicts().then(
      (list) => (setLeft(list), setTotal(list.length)),
      (e) => setError(said(e)),
    );
  }, [shown]);
  const settle = async (c: ConflictEntry, side: Side) => {
    try {
      const s = useStore.getState();
      const r = await ipc.resolveConflict(c.id ?? 0, side, s.scenarioId);
      await s.adopt(r.reply);
      setLeft(r.conflicts);
    } catch (e) {
      setError(said(e));
    }
  };
  const report = shown?.report;
  const next = left?.[0];
  const close = (
    <button className="btn" onClick={() => setDialog(null)} data-testid="merge-close" title={next ? "The file keeps the conflicts left: File > Resolve merge conflicts" : undefined}>
      {next ? "Later" : "Done"}
    </button>
  );
  return (
    <Dialog title={shown ? `Merged changes from ${shown.file}` : "Merge conflicts"} onClose={() => setDialog(null)} testId="merge-dialog" wide actions={close}>
      {report && <p className="hint">Common base: {report.base}.</p>}
      {report && <Changes diff={report.brought} />}
      {error && <p className="error">{error}</p>}
      {next ? (
        <ConflictStep c={next} index={Math.max(0, total - left!.length)} count={total} onSide={(side) => void settle(next, side)} />
      ) : (
        left && <p data-testid="merge-settled">{total > 0 ? "Every conflict is settled." : report ? "No conflict: their edits and yours combined." : "No merge conflict is waiting to be resolved."}</p>
      )}
    </Dialog>
  );
}

export function MergeDialog() {
  const open = useStore((s) => s.dialog === "merge");
  const shown = useStore((s) => (s.dialog === "merge" ? (s.dialogArg as MergeShown) : null));
  if (!open) return null;
  return <MergeDialogOpen shown={shown} />;
}

/** Asks for their file, merges it, and walks through what it brought. */
export async function mergeFromFile() {
  const s = useStore.getState();
  try {
    const m = await ipc.mergeFromFile(s.scenarioId);
    if (!m) return;
    await s.adopt(m.reply);
    s.setDialog("merge", { file: m.file, report: m.report } satisfies MergeShown);
  } catch (e) {
    s.notify(said(e), "error");
  }
}
