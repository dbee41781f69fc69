// Baseline against the active scenario: time, flow and money, with the changes that make the
// difference (each removable, investments editable). Every figure is the engine's comparison.
import { useState } from "react";
import { useStore } from "../state/store";
import { duration, money, moneyShort, number, percent, prose } from "../format";
import { Delta } from "./KpiStrip";
import { NumberField, TextField } from "./fields";
import { HelpLink } from "./Help";
import type { Comparison } from "../ipc/bindings/Comparison";
import type { Change } from "../ipc/bindings/Change";

function NoScenario() {
  const scenarios = useStore((s) => s.ws?.snapshot.view.model.scenarios ?? []);
  const setScenario = useStore((s) => s.setScenario);
  const setDialog = useStore((s) => s.setDialog);
  return (
    <section className="page" aria-label="Scenario comparison">
      <h2>Compare a future state with today</h2>
      <p className="lead">
        A scenario is a set of changes to the baseline: swap a legacy PBC for a cloud one, halve a wait, add an investment. Pick one to compare, or create one from
        the baseline.
      </p>
      <div className="actions">
        {scenarios.map((s) => (
          <button key={s.id} className="btn" onClick={() => void setScenario(s.id)}>
            Compare “{s.name}”
          </button>
        ))}
        <button className="btn primary" onClick={() => setDialog("scenario", { mode: "new" })} data-testid="compare-new-scenario">
          + New scenario…
        </button>
      </div>
    </section>
  );
}

function BigFigures({ c }: { c: Comparison }) {
  const cur = c.currency;
  const invested = c.investment > 0;
  return (
    <div className="big-figures">
      <div className="card">
        <div className="l">
          Cost of delay saved a year <HelpLink term="cost_of_delay" />
        </div>
        <div className="v num" data-testid="cmp-delay-saved">
          {moneyShort(c.annual_delay_cost_saved, cur)}
        </div>
        <div className="s num">plus {moneyShort(c.annual_run_cost_saved, cur)} run cost saved</div>
      </div>
      <div className="card">
        <div className="l">Investment</div>
        <div className="v num">{invested ? moneyShort(c.investment, cur) : "none"}</div>
        <div className="s num">{!invested ? "add one below to see payback and IRR" : c.build_weeks > 0 ? `benefits start after ${number(c.build_weeks)} weeks` : "benefits start at once"}</div>
      </div>
      <div className="card">
        <div className="l">Payback</div>
        <div className="v num" data-testid="cmp-payback">
          {!invested ? "—" : c.payback_years === null ? "never" : `${number(c.payback_years)} years`}
        </div>
        <div className="s num">{invested ? `IRR ${c.irr === null ? "none" : percent(c.irr)}` : "nothing to pay back"}</div>
      </div>
      <div className="card">
        <div className="l">
          NPV at {percent(c.discount_rate)}, {c.horizon_years} years
        </div>
        <div className={c.npv >= 0 ? "v num good" : "v num bad"} data-testid="cmp-npv">
          {c.npv > 0 ? "+" : ""}
          {moneyShort(c.npv, cur)}
        </div>
        <div className="s num">annual benefit {moneyShort(c.annual_benefit, cur)}</div>
      </div>
    </div>
  );
}

function Streams({ c }: { c: Comparison }) {
  const cur = c.currency;
  const unit = c.unit;
  return (
    <div className="card">
      <h3>Stream by stream</h3>
      <div className="table-scroll">
        <table className="t" data-testid="cmp-streams">
          <thead>
            <tr>
              <th>Stream</th>
              <th className="n">Lead time</th>
              <th className="n">Change</th>
              <th className="n">Flow efficiency</th>
              <th className="n">Throughput / week</th>
              <th className="n">Cost of delay a year</th>
              <th className="n">Saved a year</th>
            </tr>
          </thead>
          <tbody>
            {c.streams.map((s) => (
              <tr key={s.id}>
                <td className="name">{s.name}</td>
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
    </div>
  );
}

function CashFlows({ c }: { c: Comparison }) {
  return (
    <div className="card">
      <h3>Cash flows</h3>
      <div className="table-scroll">
        <table className="t" data-testid="cmp-cash-flows">
          <thead>
            <tr>
              {c.cash_flows.map((_, t) => (
                <th key={t} className="n">
                  Year {t}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {c.cash_flows.map((v, t) => (
                <td key={t} className={v < 0 ? "n bad" : "n"}>
                  {money(v, c.currency)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <p className="hint">Year 0 is now: the investment falls there; each year&apos;s benefit at that year&apos;s end.</p>
    </div>
  );
}

type Editing = { index: number | null; change: { name: string; amount: number; duration_weeks: number } } | null;

function ChangeRow({ text, change, index, scenario, onEdit }: { text: string; change: Change | undefined; index: number; scenario: string; onEdit: (e: Editing) => void }) {
  const remove = useStore((s) => s.remove);
  const presenting = useStore((s) => s.presenting);
  return (
    <tr data-testid="cmp-change">
      <td>{prose(text)}</td>
      <td className="n actions-cell">
        {!presenting && change?.kind === "investment" && (
          <button className="btn small" onClick={() => onEdit({ index, change: { name: change.name, amount: change.amount, duration_weeks: change.duration_weeks } })} data-testid="edit-investment">
            Edit
          </button>
        )}
        {!presenting && (
          <button className="btn small" onClick={() => void remove({ type: "remove_change", scenario, index }, "the change")} title="Remove this change">
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

function Changes({ c, scenario }: { c: Comparison; scenario: string }) {
  const changes = useStore((s) => s.ws?.snapshot.view.model.scenarios.find((x) => x.id === scenario)?.changes ?? []);
  const presenting = useStore((s) => s.presenting);
  const [editing, setEditing] = useState<Editing>(null);
  const count = changes.filter((x) => x.kind === "investment").length;
  return (
    <div className="card">
      <h3>What this scenario changes</h3>
      {c.changes.length === 0 ? (
        <p className="empty-note flush">
          Nothing yet. On the map, select a stage or a PBC chip and change its times, swap a PBC, or drag a new PBC onto a stage: each edit becomes a change of this
          scenario.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="t">
            <tbody>
              {c.changes.map((text, i) => (
                <ChangeRow key={i} text={text} change={changes[i]} index={i} scenario={scenario} onEdit={setEditing} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {c.notes.map((n) => (
        <p key={n} className="hint warn">
          {prose(n)}
        </p>
      ))}
      {!presenting && !editing && (
        <div className="actions">
          <button className="btn small" onClick={() => setEditing({ index: null, change: { name: `Investment ${count + 1}`, amount: 0, duration_weeks: 0 } })} data-testid="add-investment">
            + Investment
          </button>
        </div>
      )}
      {editing && <InvestmentForm scenario={scenario} editing={editing} onDone={() => setEditing(null)} />}
    </div>
  );
}

/** A new investment, or one edited: a renamed one replaces the old in one undo step. */
function InvestmentForm({ scenario, editing, onDone }: { scenario: string; editing: NonNullable<Editing>; onDone: () => void }) {
  const run = useStore((s) => s.run);
  const cur = useStore((s) => s.ws?.snapshot.view.model.currency ?? "EUR");
  const [v, setV] = useState(editing.change);
  const save = async () => {
    const upsert = { type: "upsert_change" as const, scenario, change: { kind: "investment" as const, ...v } };
    const cmd =
      editing.index === null
        ? upsert
        : { type: "batch" as const, label: `Edit investment ${v.name}`, commands: [{ type: "remove_change" as const, scenario, index: editing.index }, upsert] };
    if (await run(cmd)) onDone();
  };
  return (
    <div className="form inline-form" data-testid="investment-form">
      <TextField label="What is bought or built" value={v.name} required onCommit={async (name) => (setV({ ...v, name }), true)} testId="investment-name" />
      <div className="row2">
        <NumberField label="Amount" unit={cur} field="amount" value={v.amount} onCommit={async (amount) => (setV({ ...v, amount: amount ?? 0 }), true)} testId="investment-amount" />
        <NumberField label="Duration" unit="weeks" field="duration_weeks" value={v.duration_weeks} onCommit={async (w) => (setV({ ...v, duration_weeks: w ?? 0 }), true)} testId="investment-weeks" />
      </div>
      <div className="actions">
        <button className="btn primary small" onClick={() => void save()} data-testid="investment-save">
          {editing.index === null ? "Add investment" : "Save investment"}
        </button>
        <button className="btn small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function CompareView() {
  const sc = useStore((s) => s.ws?.snapshot.scenario);
  if (!sc) return <NoScenario />;
  const c = sc.comparison;
  return (
    <section className="page" aria-label="Scenario comparison" data-testid="compare">
      <h2>{sc.name}</h2>
      <p className="lead">Against the baseline, as is. Investment falls now; each year&apos;s benefit at the year&apos;s end, from when the work is done.</p>
      <BigFigures c={c} />
      <Streams c={c} />
      <CashFlows c={c} />
      <Changes c={c} scenario={sc.id} />
    </section>
  );
}
