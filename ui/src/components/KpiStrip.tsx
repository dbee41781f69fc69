import { useStore } from "../state/store";
import { duration, moneyShort, number, percent } from "../format";
import type { StreamMetrics } from "../ipc/bindings/StreamMetrics";

/** A change with its sign and an arrow, green when it is good for the business. */
export function Delta({ before, after, betterWhen, format }: { before: number; after: number; betterWhen: "lower" | "higher"; format: (v: number) => string }) {
  const d = after - before;
  if (Math.abs(d) < 1e-9) return <span className="delta">no change</span>;
  const good = betterWhen === "lower" ? d < 0 : d > 0;
  const arrow = d < 0 ? "▼" : "▲";
  return (
    <span className={`delta ${good ? "good" : "bad"}`}>
      {arrow} {d > 0 ? "+" : "−"}
      {format(Math.abs(d))}
    </span>
  );
}

function findStream(list: StreamMetrics[] | undefined, id: string | null) {
  return list?.find((s) => s.id === id) ?? null;
}

export function KpiStrip() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  if (!ws) return null;
  const base = findStream(ws.snapshot.view.metrics.streams, streamId);
  const sc = ws.snapshot.scenario ? findStream(ws.snapshot.scenario.metrics.streams, streamId) : null;
  const cur = ws.snapshot.view.metrics.currency;
  const unit = ws.snapshot.view.metrics.unit;
  if (!base) {
    return <section className="kpis" aria-label="Key figures" />;
  }
  const m = sc ?? base;
  const cmp = (before: number, after: number, betterWhen: "lower" | "higher", f: (v: number) => string) =>
    sc ? <Delta before={before} after={after} betterWhen={betterWhen} format={f} /> : null;
  const empty = m.stages.length === 0;
  return (
    <section className="kpis" aria-label="Key figures" data-testid="kpis">
      <div className="kpi">
        <div className="label">Lead time</div>
        <div className="value num" data-testid="kpi-lead-time">
          {empty ? "—" : duration(m.lead_time, unit)}
        </div>
        <div className="sub num">
          {sc ? cmp(base.lead_time, sc.lead_time, "lower", (v) => duration(v, unit)) : empty ? "add stages to see it" : `${number(m.lead_time_weeks)} working weeks`}
        </div>
      </div>
      <div className="kpi">
        <div className="label">Process time</div>
        <div className="value num" data-testid="kpi-process-time">
          {empty ? "—" : duration(m.process_time, unit)}
        </div>
        <div className="sub num">{empty ? "" : `waiting ${duration(m.wait_time, unit)}`}</div>
      </div>
      <div className="kpi">
        <div className="label">Flow efficiency</div>
        <div className="value num" data-testid="kpi-flow-efficiency">
          {empty ? "—" : percent(m.flow_efficiency)}
        </div>
        <div className="sub num">{sc ? cmp(base.flow_efficiency, sc.flow_efficiency, "higher", (v) => `${(v * 100).toFixed(1)} pts`) : "hands-on share of lead time"}</div>
      </div>
      <div className="kpi">
        <div className="label">Rolled %C&amp;A</div>
        <div className="value num" data-testid="kpi-rolled-pca">
          {empty ? "—" : percent(m.rolled_pca)}
        </div>
        <div className="sub num">{sc ? cmp(base.rolled_pca, sc.rolled_pca, "higher", (v) => `${(v * 100).toFixed(1)} pts`) : "right first time, end to end"}</div>
      </div>
      <div className="kpi">
        <div className="label">Cost of delay a year</div>
        <div className="value num" data-testid="kpi-cost-of-delay">
          {moneyShort(m.annual_delay_cost, cur)}
        </div>
        <div className="sub num">{sc ? cmp(base.annual_delay_cost, sc.annual_delay_cost, "lower", (v) => moneyShort(v, cur)) : `${moneyShort(m.annual_delay_cost / 52, cur)} a week`}</div>
      </div>
      <div className="kpi bottleneck">
        <div className="label">Bottleneck</div>
        <div className="value" data-testid="kpi-bottleneck">
          {m.bottleneck?.name ?? "—"}
        </div>
        <div className="sub" title={m.bottleneck?.explanation}>
          {m.bottleneck ? (m.bottleneck.reason === "highest_utilisation" ? "most loaded stage" : "longest wait") : ""}
        </div>
      </div>
    </section>
  );
}
