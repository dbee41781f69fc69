// File > Share a copy: a .tributary to send to a colleague, without the undo history (the
// values typed and taken back) and, unless chosen, without the imported work-item history,
// which can be large or sensitive. Says what the copy kept and what it left out.
import { useState } from "react";
import { ipc, type ApiError } from "../../ipc/client";
import type { ShareReport } from "../../ipc/bindings/ShareReport";
import { useStore } from "../../state/store";
import { Dialog } from "../Dialog";

export function ShareDialog() {
  const open = useStore((s) => s.dialog === "share");
  if (!open) return null;
  return <ShareDialogOpen />;
}

function Written({ report }: { report: ShareReport }) {
  return (
    <div data-testid="share-report">
      <p>
        Written: <strong>{report.output}</strong>
      </p>
      <h3>Kept</h3>
      <ul data-testid="share-kept">
        {report.kept.map((k) => (
          <li key={k}>{k}</li>
        ))}
      </ul>
      <h3>Left out</h3>
      <ul data-testid="share-left-out">
        {report.left_out.map((k) => (
          <li key={k}>{k}</li>
        ))}
      </ul>
    </div>
  );
}

function ShareDialogOpen() {
  const setDialog = useStore((s) => s.setDialog);
  const notify = useStore((s) => s.notify);
  const [keep, setKeep] = useState(false);
  const [report, setReport] = useState<ShareReport | null>(null);
  const write = async () => {
    try {
      const r = await ipc.shareCopy(keep);
      if (r) setReport(r);
    } catch (e) {
      const err = e as ApiError;
      notify(err.plain ?? err.message ?? String(e), "error");
    }
  };
  return (
    <Dialog
      title="Share a copy"
      onClose={() => setDialog(null)}
      testId="share-dialog"
      actions={
        report ? (
          <button className="btn primary" onClick={() => setDialog(null)} data-testid="share-done">
            Done
          </button>
        ) : (
          <>
            <button className="btn" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button className="btn primary" onClick={() => void write()} data-testid="share-write">
              Choose where to save…
            </button>
          </>
        )
      }
    >
      {report ? (
        <Written report={report} />
      ) : (
        <>
          <p>A copy of the model to send to someone: it holds the model, its scenarios and its named versions, but not the undo history, so values typed and taken back are not in it.</p>
          <label className="share-check">
            <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} data-testid="share-telemetry" /> Include the imported work-item history (it can be large, and names people and tickets)
          </label>
        </>
      )}
    </Dialog>
  );
}
