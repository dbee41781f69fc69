// How numbers read on screen, matching the engine's CLI and reports (crates/core/src/format.rs):
// no spurious decimals, money grouped or compact (EUR 1.2m), shares with one decimal (6.9 %).
// A negative figure carries a true minus sign, before the currency as the board report writes
// it ("−EUR 350,000"), never a hyphen.
import type { TimeUnit } from "./ipc/bindings/TimeUnit";

export function number(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  let decimals = 2;
  if (a > 0 && a < 1) decimals = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(a)) - 1));
  const s = v.toFixed(decimals);
  const t = s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  return t === "-0" ? "0" : t.replace(/^-/, MINUS);
}

/** The minus sign of typesetting (U+2212), as wide as a plus. */
export const MINUS = "\u2212";

export function percent(share: number): string {
  if (!Number.isFinite(share)) return "—";
  return `${(share * 100).toFixed(1)} %`;
}

export function grouped(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const r = Math.round(v);
  const s = Math.abs(r).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return r < 0 ? `${MINUS}${s}` : s;
}

export function money(v: number, currency: string): string {
  if (Math.round(v) < 0) return `${MINUS}${currency} ${grouped(-v)}`;
  return `${currency} ${grouped(v)}`;
}

export function moneyShort(v: number, currency: string): string {
  if (!Number.isFinite(v)) return `${currency} —`;
  const a = Math.abs(v);
  const sign = v < 0 ? MINUS : "";
  const fixed = (x: number, d: number) => {
    const s = x.toFixed(d);
    return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  };
  let body: string;
  if (a >= 1e9) body = `${(a / 1e9).toFixed(1)}bn`;
  else if (a >= 1e6) body = `${(a / 1e6).toFixed(1)}m`;
  else if (a >= 1e4) body = `${fixed(a / 1e3, 0)}k`;
  else if (a >= 1e3) body = `${fixed(a / 1e3, 1)}k`;
  else body = fixed(a, 0);
  return body === "0" ? `${currency} 0` : `${sign}${currency} ${body}`;
}

const SUFFIX: Record<TimeUnit, string> = { minutes: "min", hours: "h", days: "d", weeks: "wk" };

export function unitSuffix(u: TimeUnit): string {
  return SUFFIX[u];
}

export function duration(v: number, u: TimeUnit): string {
  return `${number(v)} ${SUFFIX[u]}`;
}

/** Parses what a person types into a number field: "1,5" and "1.5" both mean 1.5. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Engine prose with the app's arrow: the command line writes "->", the screen "→". */
export function prose(text: string): string {
  return text.replace(/ -> /g, " → ");
}
