// Scales and labels for the Flow view's charts. Every value axis starts at zero (UX.md: bars
// from zero); the top is rounded up to a readable tick. Nothing here computes a metric: the
// numbers come from the engine, these only place them on the screen.
import { useLayoutEffect, useRef, useState } from "react";

export const MS_PER_DAY = 86_400_000;

/** A tick step near `max / count`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(max: number, count = 4, integer = false): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
  const step = nice * p;
  return integer ? Math.max(1, Math.ceil(step)) : step;
}

/** A value axis from zero to a round number at or above `max`, with its ticks. */
export function axis(max: number, count = 4, integer = false): { max: number; ticks: number[] } {
  const step = niceStep(max, count, integer);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const ticks: number[] = [];
  for (let i = 0; i <= n; i++) ticks.push(Math.round(i * step * 1e9) / 1e9);
  return { max: n * step, ticks };
}

/** A linear map from [0, max] to [bottom, top] (pixels grow downwards). */
export function yScale(max: number, top: number, bottom: number) {
  return (v: number) => bottom - (v / max) * (bottom - top);
}

/** The UTC day number of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY);
}

export function dayString(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** About `count` dates spread over `from..to` (day numbers), first and last included. */
export function dateTicks(from: number, to: number, count = 4): number[] {
  const span = to - from;
  if (span <= 0) return [from];
  const n = Math.max(1, Math.min(count, span));
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(Math.round(from + (span * i) / n));
  return [...new Set(out)];
}

/** Days as people read them: one decimal ("4.2 d"), none from 100 days on. */
export function days(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} d`;
}

/** Whole numbers grouped by thousands: 2,973. */
export function count(v: number | bigint | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return Math.round(Number(v)).toLocaleString("en-GB");
}

/** Spreads labels at `ys` apart by at least `gap` pixels, keeping their order. */
export function spread(ys: number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const out = ys.slice();
  let last = -Infinity;
  for (const o of order) {
    const y = Math.max(o.y, last + gap);
    out[o.i] = y;
    last = y;
  }
  return out;
}

/** The element's width in pixels, so that charts draw at their real size (text stays legible). */
export function useWidth<T extends HTMLElement>(fallback = 720) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}
