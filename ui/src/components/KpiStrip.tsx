import type { ReactNode } from "react";
import { useStore } from "../state/store";
import { duration, moneyShort, number, percent, MINUS } from "../format";
import type { StreamMetrics } from "../ipc/bindings/StreamMetrics";
import { HelpLink } from "./Help";

/** A change with its sign and an arrow, green when it is good for the business. */
export function Delta({ before, after, betterWhen, format }: { before: number; after: number; betterWhen: "lower" | "higher"; format: (v: number) => string }) {
  const d = after - before;
  if (Math.abs(d) < 1e-9) return <span className="delta">no change</span>;
  const good = betterWhen === "lower" ? d < 0 : d > 0;
  const arrow = d < 0 ? "▼" : "▲";
  return (
    <span className={`delta ${good ? "good" : "bad"}`}>
      {arrow} {d > 0 ? "+" : MINUS}
      {format(Math.abs(d))}
    </span>
  );
}

function findStream(list: StreamMetrics[] | undefined, id: string | null) {
  return list?.find((s) => s.id === id) ?? null;
}

/** One headline figure: its label (with a link to what it means), the number, a comparison. */
function Kpi({ label, term, value, sub, testId, className = "kpi" }: { label: string; term?: string; value: ReactNode; sub: ReactNode; testId: string; className?: string }) {
  return (
    <div className={className}>
      <div className="label">
        {label}
        {term && <HelpLink term={term} label={label} />}
      </div>
      <div className="value num" data-testid={testId}>
        {value}
      </div>
      <div className="sub num">{sub}</div>
    </div>
  );
}

const pts = (v: number) => `${(v * 100).toFixed(1)} pts`;

export function KpiStrip() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  if (!ws) return null;
  const base = findStream(ws.snapshot.view.metrics.streams, streamId);
  const sc = ws.snapshot.scenario ? findStream(ws.snapshot.scenario.metrics.streams, streamId) : null;
  const cur = ws.snapshot.view.metrics.currency;
  const unit = ws.snapshot.view.metrics.unit;
  if (!base) return <section className="kpis" aria-label="Key figures" />;
  const m = sc ?? base;
  const cmp = (before: number, after: number, betterWhen: "lower" | "higher", f: (v: number) => string) => (sc ? <Delta before={before} after={after} betterWhen={betterWhen} format={f} /> : null);
  const empty = m.stages.length === 0;
  const t = (v: number) => duration(v, unit);
  const b = m.bottleneck;
  return (
    <section className="kpis" aria-label="Key figures" data-testid="kpis">
      <Kpi
        label="Lead time"
        term="lead_time"
        testId="kpi-lead-time"
        value={empty ? "—" : t(m.lead_time)}
        sub={sc ? cmp(base.lead_time, sc.lead_time, "lower", t) : empty ? "add stages to see it" : `${number(m.lead_time_weeks)} working weeks`}
      />
      <Kpi label="Process time" term="process_time" testId="kpi-process-time" value={empty ? "—" : t(m.process_time)} sub={empty ? "" : `waiting ${t(m.wait_time)}`} />
      <Kpi
        label="Flow efficiency"
        term="flow_efficiency"
        testId="kpi-flow-efficiency"
        value={empty ? "—" : percent(m.flow_efficiency)}
        sub={sc ? cmp(base.flow_efficiency, sc.flow_efficiency, "higher", pts) : "hands-on share of lead time"}
      />
      <Kpi label="Rolled %C&A" term="pca" testId="kpi-rolled-pca" value={empty ? "—" : percent(m.rolled_pca)} sub={sc ? cmp(base.rolled_pca, sc.rolled_pca, "higher", pts) : "right first time, end to end"} />
      <Kpi
        label="Cost of delay a year"
        term="cost_of_delay"
        testId="kpi-cost-of-delay"
        value={moneyShort(m.annual_delay_cost, cur)}
        sub={sc ? cmp(base.annual_delay_cost, sc.annual_delay_cost, "lower", (v) => moneyShort(v, cur)) : `${moneyShort(m.delay_cost_per_item, cur)} an item`}
      />
      <Kpi
        label="Bottleneck"
        className="kpi bottleneck"
        testId="kpi-bottleneck"
        value={<span title={b?.name}>{b?.name ?? "—"}</span>}
        sub={<span title={b?.explanation}>{b ? (b.reason === "highest_utilisation" ? "most loaded stage" : "longest wait") : empty ? "" : "nothing waits"}</span>}
      />
    </section>
  );
}
