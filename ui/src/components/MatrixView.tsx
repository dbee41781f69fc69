// The PBC x stage dependency matrix of the active stream, and the lead time each PBC costs it.
import { useEffect, useState } from "react";
import { ipc, type DependencyMatrix } from "../ipc/client";
import { useStore } from "../state/store";
import { duration, moneyShort } from "../format";

export function MatrixView() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const select = useStore((s) => s.select);
  const [matrix, setMatrix] = useState<DependencyMatrix | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ipc
      .dependencyMatrix()
      .then((m) => live && (setMatrix(m), setError(null)))
      .catch((e: { message?: string }) => live && setError(e.message ?? String(e)));
    return () => {
      live = false;
    };
  }, [ws]);
  if (!ws) return null;
  const unit = ws.snapshot.view.metrics.unit;
  const cur = ws.snapshot.view.model.currency;
  const model = ws.snapshot.view.model;
  const stream = model.streams.find((s) => s.id === streamId);
  if (error) return <section className="page">{error}</section>;
  if (!matrix || !stream) return <section className="page" />;
  const cols = matrix.stages.map((s, i) => ({ ...s, i })).filter((s) => s.stream === stream.id);
  const colSet = new Set(cols.map((c) => c.i));
  const cells = new Map<string, { process_time: number; wait_time: number }>();
  for (const c of matrix.cells) if (colSet.has(c.column)) cells.set(`${c.row}:${c.column}`, c);
  const rows = matrix.pbcs.map((p, i) => ({ ...p, i })).filter((p) => cols.some((c) => cells.has(`${p.i}:${c.i}`)));
  const impacts = matrix.impacts.filter((x) => x.stream === stream.id).sort((a, b) => b.lead_time_impact - a.lead_time_impact);
  const maxImpact = Math.max(...impacts.map((i) => i.process_time + i.wait_time), 1e-9);
  const pbcName = (id: string) => model.pbcs.find((p) => p.id === id)?.name ?? id;
  const runCost = (id: string) => model.pbcs.find((p) => p.id === id)?.annual_run_cost ?? 0;
  return (
    <section className="page" aria-label="PBC matrix">
      <h2>Which capabilities this stream depends on</h2>
      <p className="lead">
        Each cell is the time a PBC adds at a stage of <strong>{stream.name}</strong> (process + wait). The bars show what each PBC costs the
        stream&apos;s lead time: the time it adds, and in dark the part on the critical path, which is what removing it would save.
      </p>
      {rows.length === 0 ? (
        <div className="card">No PBC serves this stream yet. Drag PBCs from the library onto its stages on the map.</div>
      ) : (
        <>
          <div className="card">
            <h3>Lead time each PBC costs the stream</h3>
            <div className="bars">
              {impacts.map((x) => {
                const added = x.process_time + x.wait_time;
                return (
                  <div className="bar-row" key={x.pbc}>
                    <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{pbcName(x.pbc)}</span>
                    <span className="track" title={`adds ${duration(added, unit)}, of which ${duration(x.lead_time_impact, unit)} on the critical path`}>
                      <i style={{ width: `${(added / maxImpact) * 100}%`, background: "#fcd34d" }} />
                      <i style={{ width: `${(x.lead_time_impact / maxImpact) * 100}%`, background: "#b45309" }} />
                    </span>
                    <span className="num" style={{ textAlign: "right" }}>
                      −{duration(x.lead_time_impact, unit)} if gone
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
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
                      <button className="btn small" style={{ border: 0, padding: 0, height: "auto", background: "none" }} onClick={() => select({ kind: "pbc", id: p.id })}>
                        {p.name}
                      </button>
                    </th>
                    <td>
                      <span className={`kind-tag ${p.kind}`}>{p.kind}</span>
                    </td>
                    <td className="num" style={{ textAlign: "right" }}>
                      {moneyShort(runCost(p.id), cur)}
                    </td>
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
        </>
      )}
    </section>
  );
}
