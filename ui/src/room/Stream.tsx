// The model as the room sees it: each stream as a strip of stages with the engine's figures,
// the bottleneck marked, lead time and flow efficiency at the end; the stage the facilitator
// shows is highlighted and scrolled to.
import { useEffect, useRef, useState } from "react";
import type { Workspace } from "../ipc/bindings/Workspace";
import type { Stage } from "../ipc/bindings/Stage";
import type { RoomFollow } from "../ipc/bindings/RoomFollow";
import { duration, percent, parseNumber, unitSuffix } from "../format";
import { stages, streams, unit, type StageRow } from "./model";

type Props = {
  ws: Workspace;
  follow?: RoomFollow;
  /** The facilitator's "show this stage". */
  onShow?: (stream: string, stage: string) => void;
  /** Given when the viewer may edit. */
  onEdit?: (stream: string, stage: Stage) => void;
};

export function Streams({ ws, follow, onShow, onEdit }: Props) {
  return (
    <>
      {streams(ws).map((row) => (
        <section key={row.stream.id} className="stream card" aria-label={row.stream.name}>
          <h2>{row.stream.name}</h2>
          <ol className="stages">
            {stages(row).map((s) => (
              <StageBox
                key={s.stage.id}
                row={s}
                ws={ws}
                shown={follow?.stream === row.stream.id && follow.stage === s.stage.id}
                onShow={onShow && (() => onShow(row.stream.id, s.stage.id))}
                onEdit={onEdit && ((st) => onEdit(row.stream.id, st))}
              />
            ))}
          </ol>
          {row.metrics && (
            <dl className="totals">
              <div>
                <dt>Lead time</dt>
                <dd data-figure="lead-time">{duration(row.metrics.lead_time, unit(ws))}</dd>
              </div>
              <div>
                <dt>Flow efficiency</dt>
                <dd data-figure="flow-efficiency">{percent(row.metrics.flow_efficiency)}</dd>
              </div>
              <div>
                <dt>Rolled %C&amp;A</dt>
                <dd>{percent(row.metrics.rolled_pca)}</dd>
              </div>
            </dl>
          )}
        </section>
      ))}
    </>
  );
}

type BoxProps = {
  row: StageRow;
  ws: Workspace;
  shown: boolean;
  onShow?: () => void;
  onEdit?: (st: Stage) => void;
};

function StageBox({ row, ws, shown, onShow, onEdit }: BoxProps) {
  const ref = useRef<HTMLLIElement>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView?.({ behavior: "smooth", block: "nearest", inline: "center" });
  }, [shown]);
  const u = unit(ws);
  const m = row.metrics;
  const cls = ["stage", row.bottleneck ? "bottleneck" : "", shown ? "shown" : ""].join(" ");
  return (
    <li ref={ref} className={cls} data-stage={row.stage.id}>
      <h3>{row.stage.name}</h3>
      {row.bottleneck && <p className="tag">▲ Bottleneck</p>}
      <dl>
        <div>
          <dt>Process</dt>
          <dd data-figure="process">{m ? duration(m.process_time, u) : "—"}</dd>
        </div>
        <div>
          <dt>Wait</dt>
          <dd data-figure="wait">{m ? duration(m.wait_time, u) : "—"}</dd>
        </div>
        <div>
          <dt>%C&amp;A</dt>
          <dd>{m ? percent(m.pca) : "—"}</dd>
        </div>
      </dl>
      {onShow && (
        <button type="button" onClick={onShow} aria-pressed={shown}>
          {shown ? "Showing" : "Show"}
        </button>
      )}
      {onEdit && !editing && (
        <button type="button" onClick={() => setEditing(true)}>
          Edit
        </button>
      )}
      {onEdit && editing && (
        <EditStage
          stage={row.stage}
          suffix={unitSuffix(u)}
          onDone={(st) => {
            setEditing(false);
            if (st) onEdit(st);
          }}
        />
      )}
    </li>
  );
}

/** A stage's own times and %C&A (the PBCs' parts are the engine's, not typed here). */
function EditStage({ stage, suffix, onDone }: { stage: Stage; suffix: string; onDone: (s: Stage | null) => void }) {
  const [pt, setPt] = useState(String(stage.process_time));
  const [wait, setWait] = useState(String(stage.wait_time));
  const [pca, setPca] = useState(String(Math.round(stage.pca * 1000) / 10));
  const [problem, setProblem] = useState("");
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const [p, w, c] = [parseNumber(pt), parseNumber(wait), parseNumber(pca)];
    if (p === null || p < 0) return setProblem("Process time is a number of 0 or more");
    if (w === null || w < 0) return setProblem("Wait is a number of 0 or more");
    if (c === null || c <= 0 || c > 100) return setProblem("%C&A is between 0 and 100 %");
    onDone({ ...stage, process_time: p, wait_time: w, pca: c / 100 });
  };
  return (
    <form className="edit" onSubmit={save}>
      <label>
        Process <input inputMode="decimal" value={pt} onChange={(e) => setPt(e.target.value)} /> {suffix}
      </label>
      <label>
        Wait <input inputMode="decimal" value={wait} onChange={(e) => setWait(e.target.value)} /> {suffix}
      </label>
      <label>
        %C&amp;A <input inputMode="decimal" value={pca} onChange={(e) => setPca(e.target.value)} /> %
      </label>
      <p className="field-error" aria-live="polite">{problem}</p>
      <button type="submit" className="primary">Save</button>
      <button type="button" onClick={() => onDone(null)}>Cancel</button>
    </form>
  );
}
