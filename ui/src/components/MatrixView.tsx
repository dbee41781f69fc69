// The PBC x stage dependency matrix of the active stream in the state shown (the baseline, or
// the selected future state with its swaps and new PBCs), and the lead time each PBC costs it.
import { useEffect, useState } from "react";
import { ipc, type DependencyMatrix } from "../ipc/client";
import { useStore } from "../state/store";
import { duration, moneyShort } from "../format";
import type { Model } from "../ipc/bindings/Model";
import type { TimeUnit } from "../ipc/bindings/TimeUnit";

function useMatrix() {
  const ws = useStore((s) => s.ws);
  const scenarioId = useStore((s) => s.scenarioId);
  const [matrix, setMatrix] = useState<DependencyMatrix | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ipc
      .dependencyMatrix(scenarioId)
      .then((m) => live && (setMatrix(m), setError(null)))
      .catch((e: { plain?: string; message?: string }) => live && setError(e.plain ?? e.message ?? String(e)));
    return () => {
      live = false;
    };
  }, [ws, scenarioId]);
  return { matrix, error };
}

function Impacts({ matrix, stream, model, unit }: { matrix: DependencyMatrix; stream: string; model: Model; unit: TimeUnit }) {
  const impacts = matrix.impacts.filter((x) => x.stream === stream).sort((a, b) => b.lead_time_impact - a.lead_time_impact);
  const maxImpact = Math.max(...impacts.map((i) => i.process_time + i.wait_time), 1e-9);
  const pbcName = (id: string) => model.pbcs.find((p) => p.id === id)?.name ?? id;
  return (
    <div className="card">
      <h3>Lead time each PBC costs the stream</h3>
      <div className="bars">
        {impacts.map((x) => {
          const added = x.process_time + x.wait_time;
          return (
            <div className="bar-row" key={x.pbc}>
              <span className="bar-name" title={pbcName(x.pbc)}>
                {pbcName(x.pbc)}
              </span>
              <span className="track" title={`adds ${duration(added, unit)}, of which ${duration(x.lead_time_impact, unit)} on the critical path`}>
                <i className="added" style={{ width: `${(added / maxImpact) * 100}%` }} />
                <i className="critical" style={{ width: `${(x.lead_time_impact / maxImpact) * 100}%` }} />
              </span>
              <span className="num bar-value">−{duration(x.lead_time_impact, unit)} if gone</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Grid({ matrix, stream, model, unit }: { matrix: DependencyMatrix; stream: string; model: Model; unit: TimeUnit }) {
  const select = useStore((s) => s.select);
  const cols = matrix.stages.map((s, i) => ({ ...s, i })).filter((s) => s.stream === stream);
  const colSet = new Set(cols.map((c) => c.i));
  const cells = new Map<string, { process_time: number; wait_time: number }>();
  for (const c of matrix.cells) if (colSet.has(c.column)) cells.set(`${c.row}:${c.column}`, c);
  const rows = matrix.pbcs.map((p, i) => ({ ...p, i })).filter((p) => cols.some((c) => cells.has(`${p.i}:${c.i}`)));
  const runCost = (id: string) => model.pbcs.find((p) => p.id === id)?.annual_run_cost ?? 0;
  return (
    <div className="matrix-wrap">
      <table className="matrix" data-testid="matrix">
        <thead>
          <tr>
            <th>PBC</th>
            <th>Kind</th>
            <th className="n">Run cost</th>
            {cols.map((c) => (
              <th key={c.i}>{c.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id}>
              <th>
                <button className="linkish" onClick={() => select({ kind: "pbc", id: p.id })}>
                  {p.name}
                </button>
              </th>
              <td>
                <span className={`kind-tag ${p.kind}`}>{p.kind}</span>
              </td>
              <td className="num n">{moneyShort(runCost(p.id), model.currency)}</td>
              {cols.map((c) => {
                const cell = cells.get(`${p.i}:${c.i}`);
                if (!cell) return <td key={c.i} />;
                const t = cell.process_time + cell.wait_time;
                return (
                  <td key={c.i} className={t >= 8 ? "hit heavy" : "hit"} title={`process ${duration(cell.process_time, unit)}, wait ${duration(cell.wait_time, unit)}`}>
                    {t > 0 ? `+${duration(t, unit)}` : "●"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MatrixView() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const { matrix, error } = useMatrix();
  if (!ws) return null;
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const unit = ws.snapshot.view.metrics.unit;
  const stream = model.streams.find((s) => s.id === streamId);
  const sc = ws.snapshot.scenario;
  if (error) return <section className="page">{error}</section>;
  if (!matrix || !stream) return <section className="page" />;
  const serves = matrix.cells.some((c) => matrix.stages[c.column]?.stream === stream.id);
  return (
    <section className="page" aria-label="PBC matrix" data-testid="matrix-view">
      <h2>Which capabilities this stream depends on{sc ? ` in ${sc.name}` : ""}</h2>
      <p className="lead">
        Each cell is the time a PBC adds at a stage of <strong>{stream.name}</strong> (process + wait){sc ? ", with the future state's changes applied" : ""}. The bars
        show what each PBC costs the stream&apos;s lead time: the time it adds, and in dark the part on the critical path, which is what removing it would save.
      </p>
      {!serves ? (
        <div className="card">No PBC serves this stream yet. Drag PBCs from the library onto its stages on the map.</div>
      ) : (
        <>
          <Impacts matrix={matrix} stream={stream.id} model={model} unit={unit} />
          <Grid matrix={matrix} stream={stream.id} model={model} unit={unit} />
        </>
      )}
    </section>
  );
}
