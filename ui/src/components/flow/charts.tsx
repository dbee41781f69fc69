// The Flow view's charts, drawn as SVG at their real width. Each value axis starts at zero;
// lines and labels sit at the engine's values; labels name what they mark instead of a legend.
import type { ReactNode } from "react";
import type { FlowReport } from "../../ipc/bindings/FlowReport";
import type { FlowState } from "../../ipc/bindings/FlowState";
import type { Forecast } from "../../ipc/bindings/Forecast";
import type { Mapping } from "../../ipc/bindings/Mapping";
import { percent } from "../../format";
import { axis, count, dateTicks, dayNumber, dayString, days, spread, useWidth, yScale } from "./scale";

export const PERCENTILES = [50, 70, 85, 95] as const;
export type Percentile = (typeof PERCENTILES)[number];

type Margin = { l: number; r: number; t: number; b: number };

/** The chart's box: an SVG at the measured width, with a title for screen readers. */
function Chart({ label, height, testId, children }: { label: string; height: number; testId: string; children: (width: number) => ReactNode }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  return (
    <div className="fl-chart" ref={ref}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={testId}>
        {children(width)}
      </svg>
    </div>
  );
}

function YAxis({ ticks, y, x0, x1, fmt }: { ticks: number[]; y: (v: number) => number; x0: number; x1: number; fmt: (v: number) => string }) {
  return (
    <g className="fl-axis">
      {ticks.map((t) => (
        <g key={t} data-testid="y-tick" data-v={t}>
          <line x1={x0} x2={x1} y1={y(t)} y2={y(t)} className={t === 0 ? "fl-base" : "fl-gridline"} />
          <text x={x0 - 6} y={y(t) + 4} textAnchor="end">
            {fmt(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Pixels each date label needs, with a gap to the next. */
const DATE_LABEL_ROOM = 115;

function DateAxis({ from, to, x, y }: { from: number; to: number; x: (day: number) => number; y: number }) {
  // a date label is about 70 px wide: as many as fit with room between them, at most 4 gaps
  const fit = Math.floor((x(to) - x(from)) / DATE_LABEL_ROOM);
  const ticks = dateTicks(from, to, Math.max(1, Math.min(4, fit)));
  return (
    <g className="fl-axis">
      {ticks.map((d, i) => (
        <text key={d} x={x(d)} y={y} textAnchor={i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle"}>
          {dayString(d)}
        </text>
      ))}
    </g>
  );
}

/** Horizontal lines at the cycle-time percentiles, labelled at the right end. */
function PercentileLines({ values, y, x0, x1 }: { values: { p: Percentile; v: number }[]; y: (v: number) => number; x0: number; x1: number }) {
  const labelY = spread(
    values.map((p) => y(p.v) + 4),
    13,
  );
  return (
    <g className="fl-pct">
      {values.map((p, i) => (
        <g key={p.p} data-testid={`pct-${p.p}`} data-value={p.v} className={p.p === 85 ? "fl-pct85" : undefined}>
          <line x1={x0} x2={x1} y1={y(p.v)} y2={y(p.v)} />
          <text x={x1 + 6} y={labelY[i]} data-testid={`pct-label-${p.p}`}>
            {p.p} % {days(p.v)}
          </text>
        </g>
      ))}
    </g>
  );
}

function cyclePercentiles(r: FlowReport): { p: Percentile; v: number }[] {
  const ct = r.cycle_time;
  const all: { p: Percentile; v: number | null | undefined }[] = [
    { p: 50, v: ct.p50 },
    { p: 70, v: ct.p70 },
    { p: 85, v: ct.p85 },
    { p: 95, v: ct.p95 },
  ];
  return all.filter((x): x is { p: Percentile; v: number } => x.v !== undefined && x.v !== null);
}

/** Each item done in the window at its done date and flow time, with the percentile lines. */
export function CycleTimeScatter({ report }: { report: FlowReport }) {
  const H = 270;
  const m: Margin = { l: 44, r: 98, t: 12, b: 26 };
  const from = dayNumber(report.window.from);
  const n = report.window.days;
  const points = report.done_items.filter((d) => d.flow_time_days !== undefined && d.flow_time_days !== null);
  const pcts = cyclePercentiles(report);
  const top = Math.max(0, ...points.map((d) => d.flow_time_days ?? 0), ...pcts.map((p) => p.v));
  const ax = axis(top);
  const y = yScale(ax.max, m.t, H - m.b);
  return (
    <Chart label="Cycle time of each item done, in days, with the 50, 70, 85 and 95 % lines" height={H} testId="ct-chart">
      {(W) => {
        const x = (day: number) => m.l + ((day - from + 0.5) / n) * (W - m.l - m.r);
        return (
          <>
            <YAxis ticks={ax.ticks} y={y} x0={m.l} x1={W - m.r} fmt={(v) => (v === 0 ? "0" : `${v} d`)} />
            <DateAxis from={from} to={from + n - 1} x={x} y={H - 8} />
            <g className="fl-dots">
              {points.map((d) => (
                <circle key={d.item_id} data-testid="ct-dot" data-item={d.item_id} cx={x(dayNumber(d.done))} cy={y(d.flow_time_days!)} r={3}>
                  <title>{`${d.item_id}: ${days(d.flow_time_days)}, done ${d.done}`}</title>
                </circle>
              ))}
            </g>
            <PercentileLines values={pcts} y={y} x0={m.l} x1={W - m.r} />
          </>
        );
      }}
    </Chart>
  );
}

/** Items done each day of the window, zero days included, with the mean. */
export function ThroughputRun({ report }: { report: FlowReport }) {
  const H = 210;
  const m: Margin = { l: 36, r: 98, t: 12, b: 26 };
  const rows = report.throughput_per_day.map((d) => ({ date: d.date, count: Number(d.count) }));
  const ax = axis(Math.max(1, ...rows.map((r) => r.count)), 4, true);
  const y = yScale(ax.max, m.t, H - m.b);
  const from = rows.length > 0 ? dayNumber(rows[0]!.date) : dayNumber(report.window.from);
  const mean = report.throughput.mean_per_day;
  return (
    <Chart label="Items done each day, days with none included" height={H} testId="tp-chart">
      {(W) => {
        const band = (W - m.l - m.r) / Math.max(1, rows.length);
        const bw = Math.max(1, band * 0.72);
        const x = (day: number) => m.l + (day - from + 0.5) * band;
        return (
          <>
            <YAxis ticks={ax.ticks} y={y} x0={m.l} x1={W - m.r} fmt={(v) => String(v)} />
            <DateAxis from={from} to={from + rows.length - 1} x={x} y={H - 8} />
            <g className="fl-bars">
              {rows.map((r, i) => (
                <rect
                  key={r.date}
                  data-testid="tp-bar"
                  data-date={r.date}
                  data-count={r.count}
                  x={m.l + i * band + (band - bw) / 2}
                  y={y(r.count)}
                  width={bw}
                  height={y(0) - y(r.count)}
                >
                  <title>{`${r.date}: ${r.count}`}</title>
                </rect>
              ))}
            </g>
            <g className="fl-mean" data-testid="tp-mean" data-value={mean}>
              <line x1={m.l} x2={W - m.r} y1={y(mean)} y2={y(mean)} />
              <text x={W - m.r + 6} y={y(mean) + 4}>
                mean {mean.toFixed(1)}/day
              </text>
            </g>
          </>
        );
      }}
    </Chart>
  );
}

const SHADES: Record<FlowState, string[]> = {
  new: ["#e2e8f0", "#cbd5e1"],
  waiting: ["#fde68a", "#fcd34d", "#fbbf24"],
  active: ["#bfdbfe", "#93c5fd", "#60a5fa"],
  done: ["#64748b"],
  canceled: ["#f1f5f9"],
};

/** A fill per workflow status: greys for new, ambers for waiting, blues for active, slate for done. */
export function statusFills(statuses: string[], stateOf: (s: string) => FlowState | undefined): string[] {
  const used: Partial<Record<FlowState, number>> = {};
  return statuses.map((s) => {
    const st = stateOf(s);
    if (!st) return "#e5e7eb";
    const k = used[st] ?? 0;
    used[st] = k + 1;
    const shades = SHADES[st];
    return shades[k % shades.length]!;
  });
}

/** For each day, the items at each status of the workflow or a later one: stacked bands. */
export function CumulativeFlow({ report, mapping }: { report: FlowReport; mapping?: Mapping | null }) {
  const H = 270;
  const m: Margin = { l: 40, r: 150, t: 12, b: 26 };
  const { statuses, days: rows } = report.cfd;
  const counts = rows.map((d) => d.counts.map(Number));
  const top = Math.max(1, ...counts.map((c) => c[0] ?? 0));
  const ax = axis(top, 4, true);
  const y = yScale(ax.max, m.t, H - m.b);
  const stateOf = new Map<string, FlowState | undefined>(report.statuses.map((s) => [s.status, s.state]));
  for (const m of mapping?.states ?? []) stateOf.set(m.status, m.state);
  const fills = statusFills(statuses, (s) => stateOf.get(s) ?? undefined);
  const from = rows.length > 0 ? dayNumber(rows[0]!.date) : dayNumber(report.window.from);
  const last = counts.at(-1) ?? [];
  return (
    <Chart label="Cumulative flow: items at each status or a later one, per day" height={H} testId="cfd-chart">
      {(W) => {
        const span = Math.max(1, rows.length - 1);
        const x = (i: number) => m.l + (i / span) * (W - m.l - m.r);
        const xd = (day: number) => x(day - from);
        const labels = statuses.map((_, k) => {
          const hi = last[k] ?? 0;
          const lo = last[k + 1] ?? 0;
          return { k, mid: (y(hi) + y(lo)) / 2, thick: y(lo) - y(hi) };
        });
        const shown = labels.filter((l) => l.thick >= 4);
        const ly = spread(
          shown.map((l) => l.mid + 4),
          12,
        );
        return (
          <>
            <YAxis ticks={ax.ticks} y={y} x0={m.l} x1={W - m.r} fmt={(v) => String(v)} />
            <DateAxis from={from} to={from + rows.length - 1} x={xd} y={H - 8} />
            {statuses.map((s, k) => {
              const upper = counts.map((c, i) => `${x(i)},${y(c[k] ?? 0)}`);
              const lower = counts.map((c, i) => `${x(i)},${y(c[k + 1] ?? 0)}`).reverse();
              return (
                <polygon key={s} data-testid="cfd-band" data-status={s} points={[...upper, ...lower].join(" ")} fill={fills[k]} className="fl-band">
                  <title>{`${s}: ${count(last[k])} at this status or later on ${rows.at(-1)?.date ?? ""}`}</title>
                </polygon>
              );
            })}
            <g className="fl-band-labels">
              {shown.map((l, i) => (
                <text key={l.k} x={W - m.r + 6} y={ly[i]}>
                  {statuses[l.k]}
                </text>
              ))}
            </g>
          </>
        );
      }}
    </Chart>
  );
}

/** Items in progress at the end of the window, by stage, at their age; cycle-time lines behind. */
export function AgingWip({ report, stageNames }: { report: FlowReport; stageNames: Map<string, string> }) {
  const H = 270;
  const m: Margin = { l: 44, r: 98, t: 12, b: 36 };
  const cols: { id: string | null; name: string }[] = report.stages.map((s) => ({ id: s.stage, name: stageNames.get(s.stage) ?? s.name }));
  if (report.aging_wip.some((a) => !a.stage || !cols.some((c) => c.id === a.stage))) cols.push({ id: null, name: "No stage" });
  const pcts = cyclePercentiles(report);
  const top = Math.max(0, ...report.aging_wip.map((a) => a.age_days), ...pcts.map((p) => p.v));
  const ax = axis(top);
  const y = yScale(ax.max, m.t, H - m.b);
  const colOf = (stage: string | undefined) => {
    const i = cols.findIndex((c) => c.id === (stage ?? null));
    return i >= 0 ? i : cols.length - 1;
  };
  return (
    <Chart label="Aging work in progress by stage: age of each item in progress, in days" height={H} testId="aging-chart">
      {(W) => {
        const band = (W - m.l - m.r) / Math.max(1, cols.length);
        const seen = new Map<number, number>();
        return (
          <>
            <YAxis ticks={ax.ticks} y={y} x0={m.l} x1={W - m.r} fmt={(v) => (v === 0 ? "0" : `${v} d`)} />
            <PercentileLines values={pcts} y={y} x0={m.l} x1={W - m.r} />
            {cols.map((c, i) => (
              <g key={c.id ?? "none"} className="fl-axis">
                {i > 0 && <line x1={m.l + i * band} x2={m.l + i * band} y1={m.t} y2={H - m.b} className="fl-gridline" />}
                <text x={m.l + (i + 0.5) * band} y={H - m.b + 15} textAnchor="middle">
                  {lines(c.name, band).map((t, k) => (
                    <tspan key={k} x={m.l + (i + 0.5) * band} dy={k === 0 ? 0 : 13}>
                      {t}
                    </tspan>
                  ))}
                </text>
              </g>
            ))}
            <g>
              {report.aging_wip.map((a) => {
                const col = colOf(a.stage);
                const k = seen.get(col) ?? 0;
                seen.set(col, k + 1);
                const cx = m.l + (col + 0.5) * band + (((k * 7) % 5) - 2) * Math.min(7, band / 8);
                const cy = y(a.age_days);
                const tip = `${a.item_id} (${a.status}): ${a.start_unknown ? "at least " : ""}${days(a.age_days)}${a.beyond_p85 ? ", older than 85 % of finished items" : ""}`;
                return a.beyond_p85 ? (
                  <path key={a.item_id} data-testid="aging-dot" data-item={a.item_id} data-risk="1" className="fl-risk" d={`M${cx},${cy - 5} L${cx + 5},${cy + 4} L${cx - 5},${cy + 4} Z`}>
                    <title>{tip}</title>
                  </path>
                ) : (
                  <circle key={a.item_id} data-testid="aging-dot" data-item={a.item_id} className={a.state === "active" ? "fl-active" : "fl-waiting"} cx={cx} cy={cy} r={3.5}>
                    <title>{tip}</title>
                  </circle>
                );
              })}
            </g>
          </>
        );
      }}
    </Chart>
  );
}

/** A label in at most two lines of about `width` pixels of 11 px text, shortened if need be. */
function lines(text: string, width: number): string[] {
  const max = Math.max(4, Math.floor(width / 6.2));
  const fit = (t: string) => (t.length <= max ? t : `${t.slice(0, max - 1)}…`);
  if (text.length <= max) return [text];
  const words = text.split(" ");
  let first = "";
  while (words.length > 0 && (first === "" ? words[0]!.length : first.length + 1 + words[0]!.length) <= max) first = first === "" ? words.shift()! : `${first} ${words.shift()!}`;
  if (first === "") return [fit(text)];
  return words.length === 0 ? [first] : [first, fit(words.join(" "))];
}

/** How many trials gave each result, with the chosen confidence marked. */
export function ForecastHistogram({ forecast, confidence }: { forecast: Forecast; confidence: Percentile }) {
  const H = 220;
  const m: Margin = { l: 52, r: 24, t: 26, b: 30 };
  const bins = forecast.histogram.map((b) => ({ value: Number(b.value), trials: b.trials }));
  const answer = Number(forecast.percentiles[String(confidence)] ?? NaN);
  const when = forecast.question === "when";
  const ax = axis(Math.max(1, ...bins.map((b) => b.trials)), 4, true);
  const y = yScale(ax.max, m.t, H - m.b);
  const lo = bins.length > 0 ? Math.min(...bins.map((b) => b.value)) : 0;
  const hi = bins.length > 0 ? Math.max(...bins.map((b) => b.value)) : 0;
  const unit = when ? "days" : "items";
  return (
    <Chart label={`How many trials gave each result (${unit}), ${confidence} % confidence marked`} height={H} testId="fc-chart">
      {(W) => {
        const band = (W - m.l - m.r) / Math.max(1, hi - lo + 1);
        const bw = Math.max(1, band * 0.8);
        const cx = (v: number) => m.l + (v - lo + 0.5) * band;
        const every = Math.max(1, Math.ceil(28 / band));
        const inside = (v: number) => (when ? v <= answer : v >= answer);
        return (
          <>
            <YAxis ticks={ax.ticks} y={y} x0={m.l} x1={W - m.r} fmt={(v) => count(v)} />
            <g className="fl-bars">
              {bins.map((b) => (
                <rect
                  key={b.value}
                  data-testid="fc-bar"
                  data-value={b.value}
                  data-trials={b.trials}
                  className={inside(b.value) ? "fl-in" : "fl-out"}
                  x={cx(b.value) - bw / 2}
                  y={y(b.trials)}
                  width={bw}
                  height={y(0) - y(b.trials)}
                >
                  <title>{`${b.value} ${unit}: ${count(b.trials)} trials`}</title>
                </rect>
              ))}
            </g>
            <g className="fl-axis">
              {bins
                .filter((b) => (b.value - lo) % every === 0)
                .map((b) => (
                  <text key={b.value} x={cx(b.value)} y={H - m.b + 14} textAnchor="middle">
                    {b.value}
                  </text>
                ))}
              <text x={W - m.r} y={H - 2} textAnchor="end">
                {when ? "days from the day after the window" : "items done"}
              </text>
            </g>
            {Number.isFinite(answer) && (
              <g className="fl-marker" data-testid="fc-marker" data-value={answer}>
                <line x1={cx(answer)} x2={cx(answer)} y1={m.t - 8} y2={H - m.b} />
                <text x={cx(answer)} y={m.t - 12} textAnchor={cx(answer) > W - 120 ? "end" : "middle"}>
                  {confidence} %: {when ? `within ${answer} days` : `at least ${answer} items`}
                </text>
              </g>
            )}
          </>
        );
      }}
    </Chart>
  );
}

/** One horizontal bar from zero per row, all on the same scale (0-100 % for shares). */
export function ShareBars({ rows, testId }: { rows: { label: string; share: number; note?: string; tone?: string }[]; testId: string }) {
  return (
    <div className="fl-sharebars" data-testid={testId}>
      {rows.map((r) => (
        <div className="fl-sharerow" key={r.label} data-share={r.share}>
          <span className="fl-sharelabel">{r.label}</span>
          <span className="fl-track">
            <i style={{ width: `${Math.max(0, Math.min(1, r.share)) * 100}%`, background: r.tone ?? "var(--navy)" }} />
          </span>
          <span className="fl-sharevalue num">
            {percent(r.share)}
            {r.note ? <em> {r.note}</em> : null}
          </span>
        </div>
      ))}
    </div>
  );
}
