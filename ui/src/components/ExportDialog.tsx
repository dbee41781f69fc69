// Export: the board report (PDF) with a preview of its pages, the workbook, pictures of the
// map and the tables. The engine makes every file; the save location comes from the native
// dialog.
import { useEffect, useState } from "react";
import { ipc, type ExportPreview } from "../ipc/client";
import { useStore } from "../state/store";
import type { ExportFormat } from "../ipc/bindings/ExportFormat";
import type { ExportRequest } from "../ipc/bindings/ExportRequest";

const FORMATS: { value: ExportFormat; label: string; note: string }[] = [
  { value: "pdf", label: "Board report (PDF)", note: "Cover, executive summary, the map, where the time goes, PBC dependencies, the business case, initiatives and the 90-day roadmap." },
  { value: "xlsx", label: "Workbook (Excel)", note: "A sheet per stream with every stage's metrics, the dependency matrix, scenarios and initiatives; totals and ratios are live formulas." },
  { value: "svg", label: "Map picture (SVG)", note: "The value stream map as a vector picture, for wikis and slides." },
  { value: "png", label: "Map picture (PNG)", note: "The value stream map as an image at 144 dpi." },
  { value: "csv", label: "Stages table (CSV)", note: "Every stage with its times, %C&A, load and PBCs, for a spreadsheet." },
  { value: "json", label: "Model (tributary/1 JSON)", note: "The whole model in the exchange format: diffs well in git, imports anywhere." },
];

export function ExportDialog() {
  const open = useStore((s) => s.dialog === "export");
  if (!open) return null;
  return <ExportDialogOpen />;
}

function ExportDialogOpen() {
  const ws = useStore((s) => s.ws);
  const setDialog = useStore((s) => s.setDialog);
  const notify = useStore((s) => s.notify);
  const streamId = useStore((s) => s.streamId);
  const scenarioId = useStore((s) => s.scenarioId);
  const model = ws?.snapshot.view.model;
  const [format, setFormat] = useState<ExportFormat>("pdf");
  const [stream, setStream] = useState(streamId ?? model?.streams[0]?.id ?? "");
  const [scenario, setScenario] = useState<string>(scenarioId ?? model?.scenarios[0]?.id ?? "");
  const [author, setAuthor] = useState(model?.author ?? "");
  const [page, setPage] = useState(0);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const request: ExportRequest = {
    format,
    stream: stream || undefined,
    scenario: scenario || undefined,
    author: author.trim() || undefined,
  };
  const key = JSON.stringify({ ...request, page });

  useEffect(() => {
    if (format !== "pdf") return;
    let live = true;
    const req = JSON.parse(key) as ExportRequest & { page: number };
    const t = setTimeout(() => {
      ipc
        .exportPreview({ format: req.format, stream: req.stream, scenario: req.scenario, author: req.author }, req.page)
        .then((p) => {
          if (!live) return;
          setPreview(p);
          setPreviewError(null);
        })
        .catch((e: { plain?: string; message?: string }) => {
          if (!live) return;
          setPreview(null);
          setPreviewError(e.plain ?? e.message ?? String(e));
        });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, format]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setDialog(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setDialog]);

  if (!model) return null;
  const run = async () => {
    setBusy(true);
    try {
      const path = await ipc.exportFile(request);
      if (path) {
        notify(`Exported to ${path}`);
        setDialog(null);
      }
    } catch (e) {
      notify((e as { plain?: string; message?: string }).plain ?? (e as { message?: string }).message ?? String(e), "error");
    } finally {
      setBusy(false);
    }
  };
  const chosen = FORMATS.find((f) => f.value === format)!;
  const pages = preview?.pages ?? 0;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Export" onPointerDown={(e) => e.target === e.currentTarget && setDialog(null)}>
      <div className="dialog export-dialog" data-testid="export-dialog">
        <h2>Export</h2>
        <div className="export-grid">
          <div className="form" style={{ padding: 0 }}>
            <div className="field">
              <span className="lbl">What</span>
              <div className="choice-list" role="radiogroup">
                {FORMATS.map((f) => (
                  <label key={f.value} className={f.value === format ? "choice on" : "choice"}>
                    <input type="radio" name="format" value={f.value} checked={f.value === format} onChange={() => setFormat(f.value)} data-testid={`export-${f.value}`} />
                    {f.label}
                  </label>
                ))}
              </div>
              <span className="hint">{chosen.note}</span>
            </div>
            {format !== "json" && (
              <div className="field">
                <label htmlFor="export-stream">Value stream</label>
                <select id="export-stream" value={stream} onChange={(e) => (setStream(e.target.value), setPage(0))}>
                  {model.streams.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {(format === "pdf" || format === "svg" || format === "png") && (
              <div className="field">
                <label htmlFor="export-scenario">Compare with</label>
                <select id="export-scenario" value={scenario} onChange={(e) => (setScenario(e.target.value), setPage(0))}>
                  <option value="">No scenario (current state only)</option>
                  {model.scenarios.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {format === "pdf" && (
              <div className="field">
                <label htmlFor="export-author">Prepared by</label>
                <input id="export-author" value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="Name on the cover" />
              </div>
            )}
          </div>
          <div className="export-preview" data-testid="export-preview">
            {format !== "pdf" ? (
              <p className="empty-note">The file is made by the engine when you export; the report has a page preview.</p>
            ) : previewError ? (
              <p className="empty-note" role="alert">
                {previewError}
              </p>
            ) : preview ? (
              <>
                <img src={preview.image} alt={`Page ${page + 1} of the board report`} data-testid="export-preview-image" />
                <div className="pager">
                  <button className="btn small" disabled={page === 0} onClick={() => setPage(page - 1)}>
                    ←
                  </button>
                  <span className="num" data-testid="export-page">
                    Page {page + 1} of {pages}
                  </span>
                  <button className="btn small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                    →
                  </button>
                </div>
              </>
            ) : (
              <p className="empty-note">Typesetting the preview…</p>
            )}
          </div>
        </div>
        <div className="actions" style={{ justifyContent: "flex-end", marginTop: 16 }}>
          <button className="btn" onClick={() => setDialog(null)}>
            Cancel
          </button>
          <button className="btn primary" onClick={() => void run()} disabled={busy} data-testid="export-go">
            {busy ? "Exporting…" : "Export…"}
          </button>
        </div>
      </div>
    </div>
  );
}
