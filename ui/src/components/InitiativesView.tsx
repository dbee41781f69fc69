// Initiatives ranked by CD3 and WSJF, and the order that loses the least to delay.
import { useEffect, useState } from "react";
import { ipc, type Prioritization } from "../ipc/client";
import { useStore } from "../state/store";
import { money, number } from "../format";
import type { Initiative } from "../ipc/bindings/Initiative";

function Cell({ value, onCommit, testId }: { value: number; onCommit: (v: number) => void; testId?: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(value);
  return (
    <input
      className="n"
      value={text}
      inputMode="decimal"
      data-testid={testId}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        const v = Number(text.replace(",", "."));
        if (Number.isFinite(v) && v !== value) onCommit(v);
        setDraft(null);
      }}
      onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
    />
  );
}

export function InitiativesView() {
  const ws = useStore((s) => s.ws);
  const run = useStore((s) => s.run);
  const presenting = useStore((s) => s.presenting);
  const [p, setP] = useState<Prioritization | null>(null);
  useEffect(() => {
    let live = true;
    ipc
      .prioritize()
      .then((x) => live && setP(x))
      .catch(() => live && setP(null));
    return () => {
      live = false;
    };
  }, [ws]);
  if (!ws) return null;
  const model = ws.snapshot.view.model;
  const cur = model.currency;
  const items = model.initiatives;
  const update = (i: Initiative, patch: Partial<Initiative>) => void run({ type: "update_initiative", initiative: { ...i, ...patch } });
  const rank = (list: { id: string; rank: number }[] | undefined, id: string) => list?.find((r) => r.id === id)?.rank;
  const add = () =>
    void run({
      type: "add_initiative",
      initiative: { id: "", name: `Initiative ${items.length + 1}`, cost_of_delay_per_week: 1000, duration_weeks: 4, urgency: { profile: "standard" } },
    });
  const name = (id: string) => items.find((i) => i.id === id)?.name ?? id;
  return (
    <section className="page" aria-label="Initiatives">
      <h2>What to do first</h2>
      <p className="lead">
        CD3 divides the cost of delay per week by the weeks of work: doing the highest first loses the least money to waiting. WSJF uses the
        relative scores of SAFe. The best sequence below is the engine&apos;s, with deadlines and ramps taken into account.
      </p>
      {p && items.length > 0 && (
        <div className="card" data-testid="best-sequence">
          <h3>Best sequence</h3>
          <div style={{ fontSize: 15, fontWeight: 600 }}>{p.best.order.map(name).join("  →  ")}</div>
          <div className="hint" style={{ marginTop: 6, color: "var(--muted)" }}>
            Total delay cost {money(p.best.total_delay_cost, cur)}, against {money(p.listed_sequence.total_delay_cost, cur)} in the order listed
            {p.best.total_delay_cost < p.listed_sequence.total_delay_cost ? (
              <span className="pill good" style={{ marginLeft: 8 }}>
                ▼ saves {money(p.listed_sequence.total_delay_cost - p.best.total_delay_cost, cur)}
              </span>
            ) : null}
          </div>
        </div>
      )}
      <div className="card">
        <table className="t" data-testid="initiatives">
          <thead>
            <tr>
              <th>Initiative</th>
              <th className="n">Cost of delay / week ({cur})</th>
              <th className="n">Weeks</th>
              <th className="n">CD3</th>
              <th className="n">CD3 rank</th>
              <th className="n">Value</th>
              <th className="n">Time crit.</th>
              <th className="n">Risk red.</th>
              <th className="n">Job size</th>
              <th className="n">WSJF</th>
              <th className="n">WSJF rank</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const w = i.wsjf ?? { business_value: 0, time_criticality: 0, risk_reduction: 0, job_size: 1 };
              const setW = (patch: Partial<typeof w>) => update(i, { wsjf: { ...w, ...patch } });
              const cd3 = p?.cd3.find((r) => r.id === i.id)?.score;
              const wsjf = p?.wsjf.find((r) => r.id === i.id)?.score;
              return (
                <tr key={i.id}>
                  <td>
                    <input value={i.name} readOnly={presenting} onChange={() => undefined} onBlur={(e) => e.target.value !== i.name && update(i, { name: e.target.value })} aria-label="Initiative name" />
                  </td>
                  <td className="n">
                    <Cell value={i.cost_of_delay_per_week} onCommit={(v) => update(i, { cost_of_delay_per_week: v })} />
                  </td>
                  <td className="n">
                    <Cell value={i.duration_weeks} onCommit={(v) => update(i, { duration_weeks: v })} />
                  </td>
                  <td className="n">{cd3 === undefined ? "—" : number(cd3)}</td>
                  <td className="n">
                    <strong>{rank(p?.cd3, i.id) ?? "—"}</strong>
                  </td>
                  <td className="n">
                    <Cell value={w.business_value} onCommit={(v) => setW({ business_value: v })} />
                  </td>
                  <td className="n">
                    <Cell value={w.time_criticality} onCommit={(v) => setW({ time_criticality: v })} />
                  </td>
                  <td className="n">
                    <Cell value={w.risk_reduction} onCommit={(v) => setW({ risk_reduction: v })} />
                  </td>
                  <td className="n">
                    <Cell value={w.job_size} onCommit={(v) => setW({ job_size: v })} />
                  </td>
                  <td className="n">{wsjf === undefined ? "—" : number(wsjf)}</td>
                  <td className="n">
                    <strong>{rank(p?.wsjf, i.id) ?? "—"}</strong>
                  </td>
                  <td className="n">
                    {!presenting && (
                      <button className="btn small" onClick={() => void run({ type: "delete_initiative", id: i.id })} aria-label={`Delete ${i.name}`}>
                        ×
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {items.length === 0 && <p className="empty-note">No initiatives yet. Add the candidate pieces of work with their cost of delay and duration.</p>}
        {!presenting && (
          <div className="actions" style={{ marginTop: 10 }}>
            <button className="btn small" onClick={add}>
              + Initiative
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
