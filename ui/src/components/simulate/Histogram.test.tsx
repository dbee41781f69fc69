// The histogram draws the engine's bins as they are: one bar per bin, heights proportional to the
// counts from a common zero, the percentile markers where the engine's values fall on the same
// scale as the bars. Fixtures come from the real engine (make-fixtures.mjs).
import { describe, expect, it } from "vitest";
import { render } from "@testing-library/react";
import { Histogram, niceStep, type Series } from "./Histogram";
import { duration } from "../../format";
import comparisonJson from "./fixture-comparison.json";
import baselineJson from "./fixture-baseline.json";
import type { SimComparison } from "../../ipc/bindings/SimComparison";
import type { Simulation } from "../../ipc/bindings/Simulation";
import type { StreamSimulation } from "../../ipc/bindings/StreamSimulation";

const comparison = comparisonJson as unknown as SimComparison;
const simulation = baselineJson as unknown as Simulation;

function series(id: "baseline" | "scenario", s: StreamSimulation): Series {
  return { id, label: id === "baseline" ? "Baseline" : "Future state", bins: s.lead_time_histogram, lead: s.lead_time, analytic: s.analytic_lead_time };
}

const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

function bars(svg: Element, id: string) {
  return [...svg.querySelectorAll(`g.bars[data-series="${id}"] rect`)];
}

/** The engine's value as a position inside the bar of the bin that holds it, as a share of the bar. */
function positionInBin(rects: Element[], value: number, markerX: number) {
  const rect = rects.find((r) => num(r, "data-from") <= value && value <= num(r, "data-to"))!;
  expect(rect, `a bin holds ${value}`).toBeDefined();
  const from = num(rect, "data-from");
  const to = num(rect, "data-to");
  const x = num(rect, "x");
  const w = num(rect, "width");
  return { expected: (value - from) / (to - from), drawn: (markerX - x) / w };
}

describe("Histogram", () => {
  const cmp = comparison.streams[0]!;
  const both = [series("baseline", cmp.baseline), series("scenario", cmp.scenario)];

  it("draws one bar per bin for each series, from zero, with heights proportional to the counts", () => {
    const { container } = render(<Histogram series={both} unit={comparison.unit} title="t" />);
    const svg = container.querySelector("svg")!;
    const zero = num(svg, "data-zero");
    const axis = svg.querySelector('[data-testid="sim-axis"]')!;
    expect(num(axis, "y1")).toBe(zero);
    for (const s of both) {
      const rects = bars(svg, s.id);
      expect(rects).toHaveLength(s.bins.length);
      // the engine's counts, in order
      expect(rects.map((r) => num(r, "data-count"))).toEqual(s.bins.map((b) => b.count));
      const counted = rects.filter((r) => num(r, "data-count") > 0);
      expect(counted.length).toBeGreaterThan(1);
      const ratio = num(counted[0]!, "height") / num(counted[0]!, "data-count");
      expect(ratio).toBeGreaterThan(0);
      for (const r of rects) {
        // every bar stands on the zero line
        expect(num(r, "y") + num(r, "height")).toBeCloseTo(zero, 6);
        // and its height is its count on one scale (an empty bin has no height)
        expect(num(r, "height")).toBeCloseTo(num(r, "data-count") * ratio, 6);
      }
    }
    // baseline and scenario on the same scale: same items per run and runs, so the same ratio
    const ratioOf = (id: string) => {
      const r = bars(svg, id).find((x) => num(x, "data-count") > 0)!;
      return num(r, "height") / num(r, "data-count");
    };
    expect(ratioOf("scenario")).toBeCloseTo(ratioOf("baseline"), 9);
    // and on the same bins: the scenario's bar i is exactly where the baseline's bar i is
    const b = bars(svg, "baseline");
    bars(svg, "scenario").forEach((r, i) => {
      expect(num(r, "x")).toBe(num(b[i]!, "x"));
      expect(num(r, "width")).toBe(num(b[i]!, "width"));
    });
    // the scenario is hatched, the baseline solid
    expect(bars(svg, "scenario")[0]!.getAttribute("fill")).toMatch(/^url\(#sim-hatch/);
    expect(bars(svg, "baseline")[0]!.getAttribute("fill")).toBeNull();
  });

  it("marks p50, p85 and p95 at the engine's values and labels them with those values", () => {
    const { container } = render(<Histogram series={both} unit={comparison.unit} title="t" />);
    const svg = container.querySelector("svg")!;
    for (const s of both) {
      const rects = bars(svg, s.id);
      for (const p of ["p50", "p85", "p95"] as const) {
        const g = svg.querySelector(`g[data-marker="${p}"][data-series="${s.id}"]`)!;
        expect(g).not.toBeNull();
        expect(Number(g.getAttribute("data-value"))).toBe(s.lead[p]);
        const line = g.querySelector("line")!;
        const x = num(line, "x1");
        expect(num(line, "x2")).toBe(x);
        const { expected, drawn } = positionInBin(rects, s.lead[p], x);
        expect(drawn).toBeCloseTo(expected, 6);
        // from its label down to the axis
        expect(num(line, "y2")).toBe(num(svg, "data-zero"));
        expect(g.textContent).toBe(`${p} ${duration(s.lead[p], comparison.unit)}`);
      }
    }
    // the percentiles are in order on the drawing as they are in the numbers
    const xs = (id: string) => ["p50", "p85", "p95"].map((p) => num(svg.querySelector(`[data-testid="marker-${id}-${p}"]`)!, "x1"));
    for (const id of ["baseline", "scenario"]) {
      const [a, b, c] = xs(id);
      expect(a!).toBeLessThan(b!);
      expect(b!).toBeLessThan(c!);
    }
  });

  it("marks the paper map's lead time on the same scale, labelled", () => {
    const { container } = render(<Histogram series={both} unit={comparison.unit} title="t" />);
    const svg = container.querySelector("svg")!;
    for (const s of both) {
      const g = svg.querySelector(`g[data-marker="analytic"][data-series="${s.id}"]`)!;
      expect(g.textContent).toBe(`paper map ${duration(s.analytic, comparison.unit)}`);
      // the triangle's tip is at the value
      const tip = /^M ([\d.]+) /.exec(g.querySelector("path")!.getAttribute("d")!)!;
      const { expected, drawn } = positionInBin(bars(svg, s.id), s.analytic, Number(tip[1]));
      expect(drawn).toBeCloseTo(expected, 6);
    }
  });

  it("draws a baseline alone with its own bins", () => {
    const s = simulation.streams[0]!;
    const { container } = render(<Histogram series={[series("baseline", s)]} unit={simulation.unit} title="t" />);
    const svg = container.querySelector("svg")!;
    expect(bars(svg, "baseline")).toHaveLength(s.lead_time_histogram.length);
    expect(bars(svg, "scenario")).toHaveLength(0);
    expect(svg.querySelectorAll('[data-marker="p85"]')).toHaveLength(1);
  });

  it("picks round steps for the axes", () => {
    expect(niceStep(371.8, 8)).toBe(50);
    expect(niceStep(0.41, 4)).toBe(0.2);
    expect(niceStep(9, 8)).toBe(2);
  });
});
