// The telemetry Import dialog: choose an export in the native dialog, its format and stream;
// see its first rows and the events they become; map every status (with its counts) to a flow
// state and a stage; import with progress and Cancel (nothing is stored on cancel); read what
// was new. Everything shown is the engine's answer; the table only says what to map.
import { useEffect, useState } from "react";
import { ipc, type ApiError, type Format, type ImportProgress, type ImportReport, type Mapping, type Preview } from "../../ipc/client";
import { useStore } from "../../state/store";
import { FORMATS, guessFormat, isDelivery, sameMapping, tableRows, toMapping, type StatusRow, type TypeRow } from "./mapping";
import { MappingTable } from "./MappingTable";
import { useFlowStore } from "./flowStore";
import { count } from "./scale";
import "./flow.css";

export function ImportDialog() {
  const open = useStore((s) => s.dialog === "import");
  if (!open) return null;
  return <ImportDialogBody />;
}

const PHASES: Record<string, string> = {
  reading: "Reading the file",
  checking: "Checking the events",
  writing: "Writing to the model",
};

type Rows = { statuses: StatusRow[]; types: TypeRow[]; initial: Mapping };

function ImportDialogBody() {
  const ws = useStore((s) => s.ws);
  const currentStream = useStore((s) => s.streamId);
  const setDialog = useStore((s) => s.setDialog);
  const setView = useStore((s) => s.setView);
  const setStream = useStore((s) => s.setStream);
  const bump = useFlowStore((s) => s.bump);

  const streams = ws?.snapshot.view.model.streams ?? [];
  const [path, setPath] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>("events-csv");
  const [stream, setStreamChoice] = useState<string>(currentStream ?? streams[0]?.id ?? "");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [rows, setRows] = useState<Rows | null>(null);
  const [loading, setLoading] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [phase, setPhase] = useState<"form" | "importing" | "done">("form");
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  const close = () => setDialog(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && phase !== "importing") setDialog(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [phase, setDialog]);

  /** Reads the file under the chosen format and the stream's stored mapping. */
  const load = async (p: string, f: Format, s: string) => {
    setLoading(true);
    setMessage(null);
    try {
      const [pv, stored] = await Promise.all([ipc.telemetryPreview(p, f, s), ipc.getMapping(s)]);
      const t = tableRows(pv, stored);
      setPreview(pv);
      setRows({ ...t, initial: toMapping(t.statuses, t.types) });
    } catch (e) {
      setPreview(null);
      setRows(null);
      const err = e as ApiError;
      setMessage({ tone: "error", text: `${err.plain ?? err.message ?? String(e)}${isDelivery(f) ? "" : " Is it another format? Choose it above."}` });
    } finally {
      setLoading(false);
    }
  };

  const choose = async () => {
    try {
      const p = await ipc.pickTelemetry();
      if (!p) return;
      const f = guessFormat(p);
      setPath(p);
      setFormat(f);
      await load(p, f, stream);
    } catch (e) {
      setMessage({ tone: "error", text: (e as ApiError).plain ?? (e as ApiError).message ?? String(e) });
    }
  };

  const changed = rows !== null && !sameMapping(toMapping(rows.statuses, rows.types), rows.initial);

  const runImport = async () => {
    if (!path || !preview) return;
    const mapping = rows && changed ? toMapping(rows.statuses, rows.types) : null;
    setPhase("importing");
    setProgress(null);
    setCancelling(false);
    setMessage(null);
    try {
      const r = await ipc.telemetryImport(path, format, stream, mapping, (p) => setProgress(p));
      setReport(r);
      setPhase("done");
      bump();
      if (stream !== currentStream) setStream(stream);
      setView("flow");
    } catch (e) {
      const err = e as ApiError;
      setPhase("form");
      setMessage(
        err.code === "cancelled"
          ? { tone: "info", text: "Import cancelled: nothing was stored, the model is as it was." }
          : { tone: "error", text: err.plain ?? err.message ?? String(e) },
      );
    }
  };

  const cancel = async () => {
    setCancelling(true);
    try {
      await ipc.cancelImport();
    } catch (e) {
      setMessage({ tone: "error", text: (e as ApiError).plain ?? (e as ApiError).message ?? String(e) });
    }
  };

  const streamStages = streams.find((s) => s.id === stream)?.stages.map((s) => ({ id: s.id, name: s.name })) ?? [];
  const fileName = path ? (path.split(/[\\/]/).pop() ?? path) : null;

  return (
    <div className="overlay" role="presentation">
      <div className="dialog fl-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
        <h2 id="import-title">Import work-item or delivery history</h2>
        {phase === "done" && report ? (
          <Summary report={report} streamName={streams.find((s) => s.id === report.stream)?.name ?? report.stream} onClose={close} />
        ) : (
          <>
            <div className="fl-dialog-body">
              <div className="fl-choose">
                <div className="field">
                  <span className="lbl">Export file</span>
                  <div className="fl-file">
                    <span className={fileName ? "fl-path" : "fl-path fl-muted"} title={path ?? undefined} data-testid="import-path">
                      {fileName ?? "No file chosen"}
                    </span>
                    <button className="btn" onClick={() => void choose()} disabled={phase === "importing"} data-testid="import-choose">
                      Choose file…
                    </button>
                  </div>
                </div>
                <div className="field">
                  <label htmlFor="import-format">Format</label>
                  <select
                    id="import-format"
                    value={format}
                    disabled={phase === "importing"}
                    data-testid="import-format"
                    onChange={(e) => {
                      const f = e.target.value as Format;
                      setFormat(f);
                      if (path) void load(path, f, stream);
                    }}
                  >
                    {FORMATS.map((f) => (
                      <option key={f.value} value={f.value}>
                        {f.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="import-stream">Into the stream</label>
                  <select
                    id="import-stream"
                    value={stream}
                    disabled={phase === "importing"}
                    data-testid="import-stream"
                    onChange={(e) => {
                      setStreamChoice(e.target.value);
                      if (path) void load(path, format, e.target.value);
                    }}
                  >
                    {streams.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              {message && (
                <div className={message.tone === "error" ? "fl-message error" : "fl-message"} role={message.tone === "error" ? "alert" : "status"} data-testid="import-message">
                  {message.text}
                </div>
              )}
              {!path && !message && (
                <p className="fl-muted fl-help">
                  Export the history from the ticketing system (Jira, Azure DevOps, GitLab, GitHub) or the delivery pipeline, or write Tributary&apos;s
                  neutral events CSV (<code>item_id,item_type,timestamp,from_state,to_state</code>). Nothing is stored until you press Import; names of
                  people are not kept.
                </p>
              )}
              {loading && <p className="fl-muted">Reading the file…</p>}
              {preview && !loading && <PreviewPanel preview={preview} />}
              {preview && rows && !loading && !isDelivery(format) && (
                <MappingTable
                  statuses={rows.statuses}
                  types={rows.types}
                  stages={streamStages}
                  disabled={phase === "importing"}
                  onChange={(statuses, types) => setRows({ ...rows, statuses, types })}
                />
              )}
            </div>
            <div className="fl-dialog-foot">
              {phase === "importing" ? (
                <Progress progress={progress} cancelling={cancelling} onCancel={() => void cancel()} />
              ) : (
                <>
                  <span className="fl-muted">
                    {preview && !isDelivery(format) ? (changed ? "The stream's mapping will be replaced by this table." : "The stream's mapping stays as it is.") : ""}
                  </span>
                  <span className="spacer" />
                  <button className="btn" onClick={close} data-testid="import-close">
                    Cancel
                  </button>
                  <button className="btn primary" disabled={!preview || loading} onClick={() => void runImport()} data-testid="import-run">
                    Import
                  </button>
                </>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function PreviewPanel({ preview }: { preview: Preview }) {
  const raw = preview.raw.slice(0, 6);
  const events = preview.events.slice(0, 5);
  const delivery = Number(preview.deployments) + Number(preview.changes) + Number(preview.incidents) > 0;
  return (
    <div className="fl-preview" data-testid="import-preview">
      <p className="fl-counts" data-testid="preview-counts">
        {count(preview.rows)} records · {count(preview.items)} items · {count(preview.events_total)} events
        {delivery && ` · ${count(preview.deployments)} deployments, ${count(preview.changes)} changes, ${count(preview.incidents)} incidents`}
      </p>
      {[...preview.limitations, ...preview.notes].map((n) => (
        <p key={n} className="fl-note">
          {n}
        </p>
      ))}
      <div className="fl-preview-grid">
        {raw.length > 0 && (
          <div>
            <h3>First rows of the file</h3>
            <div className="fl-scroll">
              <table className="t fl-small" data-testid="preview-raw">
                <thead>
                  <tr>
                    {raw[0]!.map((h, i) => (
                      <th key={i}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {raw.slice(1).map((r, i) => (
                    <tr key={i}>
                      {r.map((c, k) => (
                        <td key={k}>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        {events.length > 0 && (
          <div>
            <h3>As events</h3>
            <div className="fl-scroll">
              <table className="t fl-small" data-testid="preview-events">
                <thead>
                  <tr>
                    <th>Item</th>
                    <th>Type</th>
                    <th>Time (UTC)</th>
                    <th>Move</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e, i) => (
                    <tr key={i}>
                      <td>{e.item_id}</td>
                      <td>{e.item_type}</td>
                      <td className="num">{e.timestamp.replace("T", " ").replace(/(\.\d+)?Z$/, "")}</td>
                      <td>
                        {e.from_state === "" ? "created" : e.from_state} → {e.to_state}
                        {e.blocked === true ? " · blocked" : e.blocked === false ? " · unblocked" : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

function Progress({ progress, cancelling, onCancel }: { progress: ImportProgress | null; cancelling: boolean; onCancel: () => void }) {
  const total = progress ? Number(progress.total) : 0;
  const share = progress && total > 0 ? Math.min(1, Number(progress.done) / total) : null;
  const label = progress ? (PHASES[progress.phase] ?? progress.phase) : "Starting";
  return (
    <div className="fl-progress" data-testid="import-progress">
      <div className="fl-progress-text">
        <span data-testid="import-phase">{cancelling ? "Cancelling…" : label}</span>
        <span className="num" data-testid="import-percent">
          {share === null ? "" : `${Math.floor(share * 100)} %`}
        </span>
      </div>
      <div className="fl-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={share === null ? undefined : Math.floor(share * 100)} aria-label={label}>
        <i style={{ width: share === null ? "100%" : `${share * 100}%` }} className={share === null ? "fl-indeterminate" : undefined} />
      </div>
      <button className="btn" onClick={onCancel} disabled={cancelling} data-testid="import-cancel">
        Cancel import
      </button>
    </div>
  );
}

function Summary({ report, streamName, onClose }: { report: ImportReport; streamName: string; onClose: () => void }) {
  const nothingNew = report.import_id === undefined || report.import_id === null;
  const delivery = Number(report.deployments_added) + Number(report.changes_added) + Number(report.incidents_added) + Number(report.incidents_resolved) > 0;
  return (
    <div data-testid="import-summary">
      <div className="fl-dialog-body">
        <p className="fl-lead">
          {nothingNew ? (
            <>
              <strong>{report.source}</strong> held nothing new for {streamName}: the model is unchanged.
            </>
          ) : (
            <>
              Imported <strong>{report.source}</strong> into {streamName}.
            </>
          )}
        </p>
        <div className="readout fl-readout">
          <span>Records read</span>
          <span className="num" data-testid="summary-rows">
            {count(report.rows.read)} ({count(report.rows.used)} used
            {report.rows.repaired > 0 ? `, ${count(report.rows.repaired)} repaired` : ""}
            {report.rows.quarantined > 0 ? `, ${count(report.rows.quarantined)} set aside` : ""}
            {report.rows.duplicates > 0 ? `, ${count(report.rows.duplicates)} repeated` : ""}
            {report.rows.skipped > 0 ? `, ${count(report.rows.skipped)} not status changes` : ""})
          </span>
          <span>Items</span>
          <span className="num" data-testid="summary-items">
            {count(report.items)} ({count(report.items_added)} new, {count(report.items_updated)} updated)
          </span>
          <span>Events</span>
          <span className="num" data-testid="summary-events">
            {count(report.events)} ({count(report.events_added)} new, {count(report.events_existing)} already stored)
          </span>
          {delivery && (
            <>
              <span>Delivery</span>
              <span className="num">
                {count(report.deployments_added)} deployments, {count(report.changes_added)} changes, {count(report.incidents_added)} incidents added
                {Number(report.incidents_resolved) > 0 ? `, ${count(report.incidents_resolved)} resolved since` : ""}
              </span>
            </>
          )}
          <span>Mapping</span>
          <span>{report.mapping_changed ? "replaced by the table" : "as it was"}</span>
          <span>Names of people</span>
          <span>{report.personal_data ? "kept" : "not kept"}</span>
        </div>
        {report.unmapped_statuses.length > 0 && (
          <div className="fl-message" data-testid="summary-unmapped">
            <strong>! Statuses not mapped</strong> (events entering each): {report.unmapped_statuses.map((c) => `${c.name} (${count(c.count)})`).join(", ")}. They
            count neither as active, waiting nor done: map them in the Measured flow view.
          </div>
        )}
        {report.unmapped_types.length > 0 && (
          <p className="fl-note">Item types not mapped: {report.unmapped_types.map((c) => `${c.name} (${count(c.count)})`).join(", ")}.</p>
        )}
        {[...report.limitations, ...report.notes].map((n) => (
          <p key={n} className="fl-note">
            {n}
          </p>
        ))}
      </div>
      <div className="fl-dialog-foot">
        <span className="spacer" />
        <button className="btn primary" onClick={onClose} data-testid="import-done">
          Show the measured flow
        </button>
      </div>
    </div>
  );
}
