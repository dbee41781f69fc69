// Simulated lead times as a histogram, drawn as SVG: bars from zero, the baseline solid and a
// scenario hatched with an outline, on the engine's bins (a comparison's series share them) and
// one scale; p50, p85 and p95 marked and labelled directly with their values; the paper map's
// lead time marked under the axis for reference. Nothing here computes a statistic: positions
// and labels are the engine's numbers, scaled to the drawing.
import { useId } from "react";
import { duration, unitSuffix } from "../../format";
import type { SimBin } from "../../ipc/bindings/SimBin";
import type { SimSummary } from "../../ipc/bindings/SimSummary";
import type { TimeUnit } from "../../ipc/bindings/TimeUnit";

export type Series = {
  id: "baseline" | "scenario";
  /** Shown at the start of the series' row of labels. */
  label: string;
  bins: SimBin[];
  lead: SimSummary;
  /** The paper map's (first-pass) lead time. */
  analytic: number;
};

const W = 880;
const LEFT = 56;
const RIGHT = W - 28;
const ROW = 20;
const PLOT_H = 190;
const FONT = 12;
const PERCENTILES = ["p50", "p85", "p95"] as const;

/** A round step giving about `n` intervals over `span`: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, n: number): number {
  if (!(span > 0)) return 1;
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** Tick labels without floating-point noise (0.30000000000000004). */
function tickText(v: number): string {
  return String(Number(v.toPrecision(12)));
}

/** A rough width of a label, to keep labels in a row from overlapping. */
function textWidth(s: string, size = FONT): number {
  return s.length * size * 0.56 + 4;
}

type Label = { key: string; x: number; text: string };

/** Places labels left to right at their marks, pushed right where they would overlap, and kept
 * inside [from, to]. Returns each label's left edge. */
function spread(labels: Label[], from: number, to: number, gap = 10): Map<string, number> {
  const sorted = [...labels].sort((a, b) => a.x - b.x);
  const out = new Map<string, number>();
  let next = from;
  const placed: { key: string; left: number; w: number }[] = [];
  for (const l of sorted) {
    const w = textWidth(l.text);
    const left = Math.max(l.x - w / 2, next);
    placed.push({ key: l.key, left, w });
    next = left + w + gap;
  }
  // if the last ones run past the right edge, slide the row back as far as needed
  let limit = to;
  for (let i = placed.length - 1; i >= 0; i--) {
    const p = placed[i]!;
    if (p.left + p.w > limit) p.left = Math.max(from, limit - p.w);
    limit = p.left - gap;
  }
  for (const p of placed) out.set(p.key, p.left);
  return out;
}

export function Histogram({ series, unit, title }: { series: Series[]; unit: TimeUnit; title: string }) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const hatch = `sim-hatch-${uid}`;
  const bins = series[0]?.bins ?? [];
  if (bins.length === 0) return null;
  const u = unitSuffix(unit);

  // x: time, over the bins and the marks (a histogram's time axis need not start at zero; its
  // bars do); y: share of the items, from zero
  const values = series.flatMap((s) => [s.bins[0]?.from ?? 0, s.bins.at(-1)?.to ?? 0, s.analytic, s.lead.p95]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const xStep = niceStep(hi - lo, 8);
  const x0 = Math.floor(lo / xStep) * xStep;
  const x1 = Math.max(x0 + xStep, Math.ceil(hi / xStep) * xStep);
  const sx = (v: number) => LEFT + ((v - x0) / (x1 - x0)) * (RIGHT - LEFT);
  const maxShare = Math.max(...series.flatMap((s) => s.bins.map((b) => b.share)), 1e-9);
  const yStep = niceStep(maxShare, 5);
  const y1 = Math.ceil(maxShare / yStep - 1e-9) * yStep;

  const top = 8 + ROW * series.length + 6;
  const zero = top + PLOT_H;
  const sy = (share: number) => zero - (share / y1) * PLOT_H;
  const H = zero + 48;

  const xTicks: number[] = [];
  for (let v = x0; v <= x1 + xStep * 1e-6; v += xStep) xTicks.push(v);
  const yTicks: number[] = [];
  for (let v = yStep; v <= y1 + yStep * 1e-6; v += yStep) yTicks.push(v);

  const analyticLabels = spread(
    series.map((s) => ({ key: s.id, x: sx(s.analytic), text: `paper map ${duration(s.analytic, unit)}` })),
    LEFT - 40,
    W,
  );

  return (
    <svg
      className="sim-histogram"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={title}
      data-testid="sim-histogram"
      data-zero={zero}
      fontSize={FONT}
    >
      <Hatch id={hatch} />

      {/* grid and y labels: share of the items */}
      {yTicks.map((v) => (
        <g key={v}>
          <line x1={LEFT} x2={RIGHT} y1={sy(v)} y2={sy(v)} className="grid" />
          <text x={LEFT - 6} y={sy(v) + 4} textAnchor="end" className="tick">
            {tickText(v * 100)} %
          </text>
        </g>
      ))}

      {series.map((s) => (
        <Bars key={s.id} s={s} sx={sx} sy={sy} zero={zero} unit={unit} hatch={hatch} />
      ))}

      {/* the time axis */}
      <line x1={LEFT} x2={RIGHT} y1={zero} y2={zero} className="axis" data-testid="sim-axis" />
      {xTicks.map((v) => (
        <g key={v}>
          <line x1={sx(v)} x2={sx(v)} y1={zero} y2={zero + 4} className="axis" />
          <text x={sx(v)} y={zero + 20} textAnchor="middle" className="tick">
            {tickText(v)} {u}
          </text>
        </g>
      ))}

      {/* percentiles: one row of labels per series, lines down to the axis */}
      {series.map((s, row) => (
        <Markers key={s.id} s={s} row={row} sx={sx} zero={zero} unit={unit} />
      ))}

      {/* the paper map's lead time, under the axis */}
      {series.map((s) => (
        <g key={s.id} className={`analytic ${s.id}`} data-marker="analytic" data-series={s.id} data-value={s.analytic}>
          <path d={`M ${sx(s.analytic)} ${zero + 1} l -4.5 7 h 9 z`} />
          <text x={analyticLabels.get(s.id)} y={zero + 40}>
            paper map {duration(s.analytic, unit)}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The outline of a series' bars: a step line along their tops, down to zero at both ends. */
function outline(bins: SimBin[], sx: (v: number) => number, sy: (v: number) => number, zero: number): string {
  if (bins.length === 0) return "";
  let d = `M ${sx(bins[0]!.from)} ${zero}`;
  for (const b of bins) d += ` V ${sy(b.share)} H ${sx(b.to)}`;
  return `${d} V ${zero}`;
}

/** One series' bars: the baseline solid, a scenario hatched and outlined so both read on top of
 * each other. */
function Bars({ s, sx, sy, zero, unit, hatch }: { s: Series; sx: (v: number) => number; sy: (share: number) => number; zero: number; unit: TimeUnit; hatch: string }) {
  const scenario = s.id !== "baseline";
  return (
    <g className={scenario ? "bars scenario" : "bars baseline"} data-series={scenario ? "scenario" : "baseline"}>
      {s.bins.map((b, i) => (
        <rect
          key={i}
          x={sx(b.from)}
          width={Math.max(0, sx(b.to) - sx(b.from))}
          y={sy(b.share)}
          height={zero - sy(b.share)}
          fill={scenario ? `url(#${hatch})` : undefined}
          data-count={b.count}
          data-from={b.from}
          data-to={b.to}
        >
          <title>{`${duration(b.from, unit)} to ${duration(b.to, unit)}: ${b.count} items`}</title>
        </rect>
      ))}
      {scenario && <path className="outline" d={outline(s.bins, sx, sy, zero)} />}
    </g>
  );
}

/** One series' percentiles: its name, then a label per percentile on its own row, each with a
 * line down to the axis. */
function Markers({ s, row, sx, zero, unit }: { s: Series; row: number; sx: (v: number) => number; zero: number; unit: TimeUnit }) {
  const y = 8 + ROW * row + 13;
  const name = s.label.length > 26 ? `${s.label.slice(0, 25)}…` : s.label;
  const labels = PERCENTILES.map((p) => ({ key: p, x: sx(s.lead[p]), text: `${p} ${duration(s.lead[p], unit)}` }));
  const at = spread(labels, textWidth(name, FONT) + 8, W);
  return (
    <g className={`markers ${s.id}`}>
      <text x={4} y={y} className="series-name">
        {name}
      </text>
      {labels.map((l) => (
        <g key={l.key} data-marker={l.key} data-series={s.id} data-value={s.lead[l.key as (typeof PERCENTILES)[number]]}>
          <line x1={l.x} x2={l.x} y1={y + 4} y2={zero} className="marker" data-testid={`marker-${s.id}-${l.key}`} />
          <text x={at.get(l.key)} y={y} className="marker-label">
            {l.text}
          </text>
        </g>
      ))}
    </g>
  );
}

/** The diagonal hatching a scenario's bars are filled with. */
function Hatch({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={id} patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">
        <rect width="5" height="5" fill="rgb(255 255 255 / 0.35)" />
        <line x1="0" y1="0" x2="0" y2="5" className="hatch-line" strokeWidth="2.2" />
      </pattern>
    </defs>
  );
}
