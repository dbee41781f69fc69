// Baseline against the active scenario: time, flow and money, with the changes that make the
// difference. Every figure is the engine's comparison.
import { useState } from "react";
import { useStore } from "../state/store";
import { duration, money, moneyShort, number, percent } from "../format";
import { Delta } from "./KpiStrip";
import { NumberField, TextField } from "./fields";

export function CompareView() {
  const ws = useStore((s) => s.ws);
  const setScenario = useStore((s) => s.setScenario);
  const run = useStore((s) => s.run);
  const presenting = useStore((s) => s.presenting);
  const [newInvestment, setNewInvestment] = useState(false);
  if (!ws) return null;
  const scenarios = ws.snapshot.view.model.scenarios;
  const sc = ws.snapshot.scenario;
  if (!sc) {
    return (
      <section className="page" aria-label="Scenario comparison">
        <h2>Compare a future state with today</h2>
        <p className="lead">
          A scenario is a set of changes to the baseline: swap a legacy PBC for a cloud one, halve a wait, add an investment. Pick one to
          compare, or create one from the baseline with the scenario menu at the top right.
        </p>
        {scenarios.length === 0 ? (
          <div className="card">This model has no scenarios yet.</div>
        ) : (
          <div className="actions">
            {scenarios.map((s) => (
              <button key={s.id} className="btn" onClick={() => void setScenario(s.id)}>
                Compare “{s.name}”
              </button>
            ))}
          </div>
        )}
      </section>
    );
  }
  const c = sc.comparison;
  const cur = c.currency;
  const unit = c.unit;
  const changes = ws.snapshot.view.model.scenarios.find((s) => s.id === sc.id)?.changes ?? [];
  return (
    <section className="page" aria-label="Scenario comparison" data-testid="compare">
      <h2>{sc.name}</h2>
      <p className="lead">Against the baseline, as is. Investment falls now; each year&apos;s benefit at the year&apos;s end, from when the work is done.</p>
      <div className="big-figures">
        <div className="card">
          <div className="l">Cost of delay saved a year</div>
          <div className="v num" data-testid="cmp-delay-saved">
            {moneyShort(c.annual_delay_cost_saved, cur)}
          </div>
          <div className="s">plus {moneyShort(c.annual_run_cost_saved, cur)} run cost saved</div>
        </div>
        <div className="card">
          <div className="l">Investment</div>
          <div className="v num">{moneyShort(c.investment, cur)}</div>
          <div className="s">{c.build_weeks > 0 ? `benefits start after ${number(c.build_weeks)} weeks` : "benefits start at once"}</div>
        </div>
        <div className="card">
          <div className="l">Payback</div>
          <div className="v num" data-testid="cmp-payback">
            {c.payback_years === null ? "never" : `${number(c.payback_years)} years`}
          </div>
          <div className="s">IRR {c.irr === null ? "none" : percent(c.irr)}</div>
        </div>
        <div className="card">
          <div className="l">
            NPV at {percent(c.discount_rate)}, {c.horizon_years} years
          </div>
          <div className="v num" data-testid="cmp-npv" style={{ color: c.npv >= 0 ? "var(--good)" : "var(--bad)" }}>
            {c.npv >= 0 ? "+" : ""}
            {moneyShort(c.npv, cur)}
          </div>
          <div className="s">annual benefit {moneyShort(c.annual_benefit, cur)}</div>
        </div>
      </div>
      <div className="card">
        <h3>Stream by stream</h3>
        <table className="t">
          <thead>
            <tr>
              <th>Stream</th>
              <th className="n">Lead time</th>
              <th className="n">Change</th>
              <th className="n">Flow efficiency</th>
              <th className="n">Throughput / week</th>
              <th className="n">Cost of delay a year</th>
              <th className="n">Saved</th>
            </tr>
          </thead>
          <tbody>
            {c.streams.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="n">
                  {duration(s.baseline.lead_time, unit)} → <strong>{duration(s.scenario.lead_time, unit)}</strong>
                </td>
                <td className="n">
                  <Delta before={s.baseline.lead_time} after={s.scenario.lead_time} betterWhen="lower" format={(v) => duration(v, unit)} />
                </td>
                <td className="n">
                  {percent(s.baseline.flow_efficiency)} → <strong>{percent(s.scenario.flow_efficiency)}</strong>
                </td>
                <td className="n">
                  {number(s.baseline.throughput_per_week)} → {number(s.scenario.throughput_per_week)}
                </td>
                <td className="n">
                  {moneyShort(s.baseline.annual_delay_cost, cur)} → {moneyShort(s.scenario.annual_delay_cost, cur)}
                </td>
                <td className="n">{money(s.annual_delay_cost_saved, cur)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h3>Cash flows</h3>
        <table className="t">
          <thead>
            <tr>
              {c.cash_flows.map((_, t) => (
                <th key={t} className="n">
                  {t === 0 ? "Now" : `Year ${t}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {c.cash_flows.map((v, t) => (
                <td key={t} className="n" style={{ color: v < 0 ? "var(--bad)" : undefined }}>
                  {money(v, cur)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <div className="card">
        <h3>What this scenario changes</h3>
        {c.changes.length === 0 ? (
          <p className="empty-note" style={{ padding: 0 }}>
            Nothing yet. On the map, select a stage or a PBC chip and change its times, swap a PBC, or drag a new PBC onto a stage: each edit
            becomes a change of this scenario.
          </p>
        ) : (
          <table className="t">
            <tbody>
              {c.changes.map((text, i) => (
                <tr key={i}>
                  <td>{text}</td>
                  <td className="n" style={{ width: 90 }}>
                    {!presenting && (
                      <button className="btn small" onClick={() => void run({ type: "remove_change", scenario: sc.id, index: i })} title="Remove this change">
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {c.notes.map((n) => (
          <p key={n} className="hint" style={{ color: "var(--wait)" }}>
            {n}
          </p>
        ))}
        {!presenting && (
          <div className="actions" style={{ marginTop: 10 }}>
            <button className="btn small" onClick={() => setNewInvestment(!newInvestment)}>
              + Investment
            </button>
          </div>
        )}
        {newInvestment && <InvestmentForm scenario={sc.id} count={changes.filter((x) => x.kind === "investment").length} onDone={() => setNewInvestment(false)} />}
      </div>
    </section>
  );
}

function InvestmentForm({ scenario, count, onDone }: { scenario: string; count: number; onDone: () => void }) {
  const run = useStore((s) => s.run);
  const cur = useStore((s) => s.ws?.snapshot.view.model.currency ?? "EUR");
  const [name, setName] = useState(`Investment ${count + 1}`);
  const [amount, setAmount] = useState(0);
  const [weeks, setWeeks] = useState(0);
  return (
    <div className="form" style={{ padding: "10px 0 0", maxWidth: 520 }}>
      <TextField label="What is bought or built" value={name} onCommit={async (v) => (setName(v), true)} />
      <div className="row2">
        <NumberField label="Amount" unit={cur} value={amount} onCommit={async (v) => (setAmount(v ?? 0), true)} />
        <NumberField label="Duration" unit="weeks" value={weeks} onCommit={async (v) => (setWeeks(v ?? 0), true)} />
      </div>
      <div className="actions">
        <button
          className="btn primary small"
          onClick={async () => {
            if (await run({ type: "upsert_change", scenario, change: { kind: "investment", name, amount, duration_weeks: weeks } })) onDone();
          }}
        >
          Add investment
        </button>
        <button className="btn small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
