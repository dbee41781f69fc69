// The plain-language presets for how much a stage's time varies, as the distributions the file
// holds for the simulator. They are input, not figures: a preset writes a log-normal
// distribution whose median is the time the user typed and whose 90th percentile is a multiple
// of it (one item in ten takes longer than that). Anything else the file holds is "custom" and
// shown as it is.
import type { Distribution } from "../../ipc/bindings/Distribution";

export type Preset = "steady" | "little" | "lot" | "custom";

export const PRESETS: { value: Preset; label: string; p90: number | null }[] = [
  { value: "steady", label: "Steady: the same every time", p90: null },
  { value: "little", label: "Varies a little", p90: 1.5 },
  { value: "lot", label: "Varies a lot", p90: 3 },
  { value: "custom", label: "Custom distribution", p90: null },
];

/** The distribution a preset means for a typical time of `typical`; undefined for steady. */
export function presetDistribution(preset: Preset, typical: number): Distribution | undefined {
  const p = PRESETS.find((x) => x.value === preset);
  if (!p || p.p90 === null || !(typical > 0)) return undefined;
  return { type: "lognormal", median: typical, p90: typical * p.p90 };
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Which preset a distribution is, for a stage whose typical time is `typical`. */
export function presetOf(d: Distribution | undefined, typical: number): Preset {
  if (!d) return "steady";
  if (d.type === "fixed" && same(d.value, typical)) return "steady";
  if (d.type === "lognormal" && same(d.median, typical)) {
    const hit = PRESETS.find((p) => p.p90 !== null && same(d.p90, typical * p.p90));
    if (hit) return hit.value;
  }
  return "custom";
}

/** A preset's distribution follows the typical time when it changes; a custom one stays. */
export function follow(d: Distribution | undefined, before: number, after: number): Distribution | undefined {
  const p = presetOf(d, before);
  if (p === "custom") return d;
  return presetDistribution(p, after);
}

/** The parameters a person edits for each kind of distribution. */
export const PARAMS: Record<Distribution["type"], { key: string; label: string }[]> = {
  fixed: [{ key: "value", label: "Always" }],
  uniform: [
    { key: "min", label: "At least" },
    { key: "max", label: "At most" },
  ],
  triangular: [
    { key: "min", label: "At least" },
    { key: "mode", label: "Most often" },
    { key: "max", label: "At most" },
  ],
  lognormal: [
    { key: "median", label: "Typical (median)" },
    { key: "p90", label: "9 in 10 within" },
  ],
  empirical: [],
};

/** A distribution of `type` near a typical time, to start editing from. */
export function startingPoint(type: Distribution["type"], typical: number): Distribution {
  const t = typical > 0 ? typical : 1;
  switch (type) {
    case "fixed":
      return { type, value: t };
    case "uniform":
      return { type, min: t / 2, max: t * 1.5 };
    case "triangular":
      return { type, min: t / 2, mode: t, max: t * 2 };
    case "lognormal":
      return { type, median: t, p90: t * 2 };
    case "empirical":
      return { type, values: [t] };
  }
}
