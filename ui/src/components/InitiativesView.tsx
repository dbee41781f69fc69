// Initiatives ranked by CD3 and WSJF, and the order that loses the least to delay. An initiative
// may take its cost of delay from a scenario (the scenario's delay cost saved a year / 52, as the
// engine ranks it), so the business case is not typed twice.
import { useEffect, useState } from "react";
import { ipc, type Prioritization } from "../ipc/client";
import { useStore } from "../state/store";
import { money, number, parseNumber } from "../format";
import { HelpLink } from "./Help";
import type { Initiative } from "../ipc/bindings/Initiative";
import type { Scenario } from "../ipc/bindings/Scenario";

/** A table cell that edits locally and commits once; a refused or unreadable value stays,
 * marked, with the reason as its tooltip. */
function Cell({ value, onCommit, testId, label, text = false }: { value: string; onCommit: (v: string) => Promise<boolean>; testId?: string; label: string; text?: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = draft ?? value;
  const commit = async () => {
    if (draft === null || draft === value) return setDraft(null);
    if (!text && parseNumber(draft) === null) return setError(`“${draft}” is not a number.`);
    if (text && draft.trim() === "") return setError("A name cannot be empty.");
    const ok = await useStore.getState().quietly(() => onCommit(draft));
    if (ok) {
      setDraft(null);
      setError(null);
    } else setError(useStore.getState().lastError?.plain ?? "Not accepted.");
  };
  return (
    <span className={error ? "cell invalid" : "cell"} title={error ?? undefined}>
      <input
        className={text ? undefined : "n"}
        value={shown}
        inputMode={text ? undefined : "decimal"}
        aria-label={label}
        aria-invalid={!!error}
        data-testid={testId}
        onChange={(e) => (setDraft(e.target.value), setError(null))}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (e.key === "Escape") {
            setDraft(null);
            setError(null);
          }
        }}
      />
      {error && <span className="cell-error">{error}</span>}
    </span>
  );
}

function usePrioritization() {
  const ws = useStore((s) => s.ws);
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
  return p;
}

function BestSequence({ p, items, cur }: { p: Prioritization; items: Initiative[]; cur: string }) {
  const name = (id: string) => items.find((i) => i.id === id)?.name ?? id;
  const saves = p.listed_sequence.total_delay_cost - p.best.total_delay_cost;
  return (
    <div className="card" data-testid="best-sequence">
      <h3>Best sequence</h3>
      <div className="sequence">{p.best.order.map(name).join("  →  ")}</div>
      <div className="hint num">
        Total delay cost {money(p.best.total_delay_cost, cur)}, against {money(p.listed_sequence.total_delay_cost, cur)} in the order listed
        {saves > 0 && <span className="pill good">▼ saves {money(saves, cur)}</span>}
      </div>
    </div>
  );
}

function Row({ i, p, scenarios, cur }: { i: Initiative; p: Prioritization | null; scenarios: Scenario[]; cur: string }) {
  const run = useStore((s) => s.run);
  const remove = useStore((s) => s.remove);
  const presenting = useStore((s) => s.presenting);
  const update = (patch: Partial<Initiative>) => run({ type: "update_initiative", initiative: { ...i, ...patch } });
  const num = (f: (v: number) => Promise<boolean>) => (v: string) => f(parseNumber(v) ?? NaN);
  const w = i.wsjf ?? { business_value: 0, time_criticality: 0, risk_reduction: 0, job_size: 1 };
  const setW = (patch: Partial<typeof w>) => update({ wsjf: { ...w, ...patch } });
  const ranked = p?.costs_of_delay.find((c) => c.id === i.id);
  const score = (list: { id: string; score: number; rank: number }[] | undefined) => list?.find((r) => r.id === i.id);
  const cd3 = score(p?.cd3);
  const wsjf = score(p?.wsjf);
  return (
    <tr data-testid={`initiative-${i.id}`}>
      <td className="name-cell">
        <Cell text value={i.name} label="Initiative name" testId={`initiative-name-${i.id}`} onCommit={(v) => update({ name: v.trim() })} />
      </td>
      <td>
        <select value={i.scenario ?? ""} aria-label="Cost of delay from" data-testid={`initiative-scenario-${i.id}`} disabled={presenting} onChange={(e) => void update({ scenario: e.target.value || undefined })}>
          <option value="">typed here</option>
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </td>
      <td className="n">
        {i.scenario ? (
          <span className="linked num" data-testid={`initiative-cod-${i.id}`} title="The scenario's cost of delay saved a year, / 52">
            {ranked ? money(ranked.per_week, cur) : "—"}
          </span>
        ) : (
          <Cell value={String(i.cost_of_delay_per_week)} label="Cost of delay a week" testId={`initiative-cod-${i.id}`} onCommit={num((v) => update({ cost_of_delay_per_week: v }))} />
        )}
      </td>
      <td className="n">
        <Cell value={String(i.duration_weeks)} label="Weeks" onCommit={num((v) => update({ duration_weeks: v }))} />
      </td>
      <td className="n">{cd3 ? number(cd3.score) : "—"}</td>
      <td className="n">
        <strong>{cd3?.rank ?? "—"}</strong>
      </td>
      {(["business_value", "time_criticality", "risk_reduction", "job_size"] as const).map((k) => (
        <td className="n" key={k}>
          <Cell value={String(w[k])} label={k.replace(/_/g, " ")} onCommit={num((v) => setW({ [k]: v }))} />
        </td>
      ))}
      <td className="n">{wsjf ? number(wsjf.score) : "—"}</td>
      <td className="n">
        <strong>{wsjf?.rank ?? "—"}</strong>
      </td>
      <td className="n">
        {!presenting && (
          <button className="btn small" onClick={() => void remove({ type: "delete_initiative", id: i.id }, `the initiative “${i.name}”`)} aria-label={`Delete ${i.name}`}>
            ×
          </button>
        )}
      </td>
    </tr>
  );
}

function Head({ cur }: { cur: string }) {
  return (
    <thead>
      <tr>
        <th>Initiative</th>
        <th>Cost of delay from</th>
        <th className="n">
          Cost of delay / week ({cur}) <HelpLink term="cost_of_delay" />
        </th>
        <th className="n">Weeks</th>
        <th className="n">
          CD3 <HelpLink term="cd3" />
        </th>
        <th className="n">CD3 rank</th>
        <th className="n">Value</th>
        <th className="n">Time crit.</th>
        <th className="n">Risk red.</th>
        <th className="n">Job size</th>
        <th className="n">
          WSJF <HelpLink term="wsjf" />
        </th>
        <th className="n">WSJF rank</th>
        <th />
      </tr>
    </thead>
  );
}

export function InitiativesView() {
  const model = useStore((s) => s.ws?.snapshot.view.model);
  const run = useStore((s) => s.run);
  const presenting = useStore((s) => s.presenting);
  const p = usePrioritization();
  if (!model) return null;
  const cur = model.currency;
  const items = model.initiatives;
  const add = () =>
    void run({ type: "add_initiative", initiative: { id: "", name: `Initiative ${items.length + 1}`, cost_of_delay_per_week: 1000, duration_weeks: 4, urgency: { profile: "standard" } } });
  return (
    <section className="page" aria-label="Initiatives">
      <h2>What to do first</h2>
      <p className="lead">
        CD3 divides the cost of delay per week by the weeks of work: doing the highest first loses the least money to waiting. WSJF uses the relative scores of SAFe.
        An initiative that makes a scenario real can take its cost of delay from that scenario&apos;s delay cost saved. The best sequence below is the engine&apos;s,
        with deadlines and ramps taken into account.
      </p>
      {p && items.length > 0 && <BestSequence p={p} items={items} cur={cur} />}
      <div className="card">
        <div className="table-scroll tall">
          <table className="t" data-testid="initiatives">
            <Head cur={cur} />
            <tbody>
              {items.map((i) => (
                <Row key={i.id} i={i} p={p} scenarios={model.scenarios} cur={cur} />
              ))}
            </tbody>
          </table>
        </div>
        {items.length === 0 && <p className="empty-note">No initiatives yet. Add the candidate pieces of work with their cost of delay and duration.</p>}
        {!presenting && (
          <div className="actions">
            <button className="btn small" onClick={add} data-testid="add-initiative">
              + Initiative
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
