// The charts place what the engine measured: axes from zero, each dot, bar and line at the
// engine's value on that axis. The fixtures are the engine's answers (fixtures/make-fixtures.sh).
import { describe, expect, it } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { AgingWip, CumulativeFlow, CycleTimeScatter, ForecastHistogram, ThroughputRun } from "./charts";
import { flowFixture, forecastHowManyFixture, forecastWhenFixture } from "./fixtures";
import { axis, days } from "./scale";

const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

/** The chart's value scale, read from its rendered ticks: where 0 and the top tick are drawn. */
function scaleOf(chart: HTMLElement) {
  const ticks = within(chart)
    .getAllByTestId("y-tick")
    .map((t) => ({ v: num(t, "data-v"), y: num(t.querySelector("line")!, "y1") }));
  const zero = ticks.find((t) => t.v === 0);
  const top = ticks.reduce((a, b) => (b.v > a.v ? b : a));
  return { ticks, zero, top, y: (v: number) => zero!.y - (v / top.v) * (zero!.y - top.y) };
}

describe("the charts' value axes", () => {
  it("start at zero and end at a round number above the largest value", () => {
    expect(axis(15.45)).toEqual({ max: 20, ticks: [0, 5, 10, 15, 20] });
    expect(axis(30.5).ticks[0]).toBe(0);
    expect(axis(7, 4, true).ticks.every((t) => Number.isInteger(t))).toBe(true);
    expect(axis(0).max).toBeGreaterThan(0);
  });
});

describe("cycle-time scatterplot", () => {
  it("puts every item done at its flow time, on an axis from zero, with the engine's percentile lines", () => {
    const r = flowFixture();
    render(<CycleTimeScatter report={r} />);
    const chart = screen.getByTestId("ct-chart");
    const s = scaleOf(chart);
    expect(s.zero).toBeDefined();
    expect(s.ticks.every((t) => t.y <= s.zero!.y)).toBe(true);

    const dots = within(chart).getAllByTestId("ct-dot");
    const withStart = r.done_items.filter((d) => d.flow_time_days !== undefined && d.flow_time_days !== null);
    expect(dots).toHaveLength(withStart.length);
    expect(dots).toHaveLength(Number(r.cycle_time.count));
    const byId = new Map(withStart.map((d) => [d.item_id, d.flow_time_days!]));
    const longest = Math.max(...byId.values());
    expect(s.top.v).toBeGreaterThanOrEqual(longest);
    for (const dot of dots) {
      const v = byId.get(dot.getAttribute("data-item")!)!;
      expect(num(dot, "cy")).toBeCloseTo(s.y(v), 6);
    }

    for (const [p, v] of [
      [50, r.cycle_time.p50],
      [70, r.cycle_time.p70],
      [85, r.cycle_time.p85],
      [95, r.cycle_time.p95],
    ] as const) {
      const g = within(chart).getByTestId(`pct-${p}`);
      expect(num(g, "data-value")).toBe(v);
      expect(num(g.querySelector("line")!, "y1")).toBeCloseTo(s.y(v!), 6);
      expect(within(g).getByTestId(`pct-label-${p}`)).toHaveTextContent(`${p} % ${days(v)}`);
    }
    // the later the percentile, the higher its line
    const ys = [50, 70, 85, 95].map((p) => num(within(chart).getByTestId(`pct-${p}`).querySelector("line")!, "y1"));
    expect([...ys].sort((a, b) => b - a)).toEqual(ys);
  });
});

describe("throughput run chart", () => {
  it("has a bar for every day of the window, zero days included, each as tall as its count", () => {
    const r = flowFixture();
    render(<ThroughputRun report={r} />);
    const chart = screen.getByTestId("tp-chart");
    const s = scaleOf(chart);
    const bars = within(chart).getAllByTestId("tp-bar");
    expect(bars).toHaveLength(r.window.days);
    expect(bars.map((b) => b.getAttribute("data-date"))).toEqual(r.throughput_per_day.map((d) => d.date));
    const zeros = bars.filter((b) => num(b, "data-count") === 0);
    expect(zeros.length).toBe(r.throughput_per_day.filter((d) => Number(d.count) === 0).length);
    for (const b of zeros) expect(num(b, "height")).toBe(0);
    for (const b of bars) {
      expect(num(b, "y") + num(b, "height")).toBeCloseTo(s.zero!.y, 6);
      expect(num(b, "y")).toBeCloseTo(s.y(num(b, "data-count")), 6);
    }
    expect(bars.reduce((a, b) => a + num(b, "data-count"), 0)).toBe(Number(r.throughput.total));
    const mean = within(chart).getByTestId("tp-mean");
    expect(num(mean.querySelector("line")!, "y1")).toBeCloseTo(s.y(r.throughput.mean_per_day), 6);
  });
});

describe("cumulative flow diagram", () => {
  it("stacks a band per workflow status, each band's top at the engine's count", () => {
    const r = flowFixture();
    render(<CumulativeFlow report={r} />);
    const chart = screen.getByTestId("cfd-chart");
    const s = scaleOf(chart);
    const bands = within(chart).getAllByTestId("cfd-band");
    expect(bands.map((b) => b.getAttribute("data-status"))).toEqual(r.cfd.statuses);
    const n = r.cfd.days.length;
    bands.forEach((band, k) => {
      const pts = band
        .getAttribute("points")!
        .split(" ")
        .map((p) => p.split(",").map(Number) as [number, number]);
      // the upper edge runs over the days, left to right; then the lower edge back
      r.cfd.days.forEach((d, i) => expect(pts[i]![1]).toBeCloseTo(s.y(Number(d.counts[k])), 6));
      const lowerLast = pts[n]![1];
      expect(lowerLast).toBeCloseTo(s.y(Number(r.cfd.days.at(-1)!.counts[k + 1] ?? 0)), 6);
    });
    expect(s.top.v).toBeGreaterThanOrEqual(Math.max(...r.cfd.days.map((d) => Number(d.counts[0]))));
  });
});

describe("aging work in progress", () => {
  it("marks every item in progress at its age, at-risk ones apart, over the cycle-time lines", () => {
    const r = flowFixture();
    const names = new Map(r.stages.map((s) => [s.stage, s.name]));
    render(<AgingWip report={r} stageNames={names} />);
    const chart = screen.getByTestId("aging-chart");
    const s = scaleOf(chart);
    const marks = within(chart).getAllByTestId("aging-dot");
    expect(marks).toHaveLength(r.aging_wip.length);
    const risky = marks.filter((m) => m.getAttribute("data-risk") === "1").map((m) => m.getAttribute("data-item"));
    expect(risky.sort()).toEqual(
      r.aging_wip
        .filter((a) => a.beyond_p85)
        .map((a) => a.item_id)
        .sort(),
    );
    const age = new Map(r.aging_wip.map((a) => [a.item_id, a.age_days]));
    for (const m of marks.filter((m) => m.tagName === "circle")) expect(num(m, "cy")).toBeCloseTo(s.y(age.get(m.getAttribute("data-item")!)!), 6);
    expect(num(within(chart).getByTestId("pct-85").querySelector("line")!, "y1")).toBeCloseTo(s.y(r.cycle_time.p85!), 6);
  });
});

describe("forecast histogram", () => {
  it("draws every result of the trials from zero and marks the chosen confidence at the engine's answer", () => {
    const f = forecastWhenFixture();
    const { rerender } = render(<ForecastHistogram forecast={f} confidence={85} />);
    let chart = screen.getByTestId("fc-chart");
    const s = scaleOf(chart);
    const bars = within(chart).getAllByTestId("fc-bar");
    expect(bars).toHaveLength(f.histogram.length);
    expect(bars.reduce((a, b) => a + num(b, "data-trials"), 0)).toBe(f.trials);
    for (const b of bars) expect(num(b, "y")).toBeCloseTo(s.y(num(b, "data-trials")), 6);
    const answer = Number(f.percentiles["85"]);
    expect(num(within(chart).getByTestId("fc-marker"), "data-value")).toBe(answer);
    // "when": the trials done within the answer are the highlighted ones
    for (const b of bars) expect(b.classList.contains("fl-in")).toBe(num(b, "data-value") <= answer);
    const marker = within(chart).getByTestId("fc-marker").querySelector("line")!;
    const bar = bars.find((b) => num(b, "data-value") === answer)!;
    expect(num(marker, "x1")).toBeCloseTo(num(bar, "x") + num(bar, "width") / 2, 6);

    rerender(<ForecastHistogram forecast={f} confidence={50} />);
    chart = screen.getByTestId("fc-chart");
    expect(num(within(chart).getByTestId("fc-marker"), "data-value")).toBe(Number(f.percentiles["50"]));
  });

  it("reads 'how many' as at least X items: the results at or above the answer are highlighted", () => {
    const f = forecastHowManyFixture();
    render(<ForecastHistogram forecast={f} confidence={85} />);
    const chart = screen.getByTestId("fc-chart");
    const answer = Number(f.percentiles["85"]);
    expect(within(chart).getByTestId("fc-marker")).toHaveTextContent(`at least ${answer} items`);
    for (const b of within(chart).getAllByTestId("fc-bar")) expect(b.classList.contains("fl-in")).toBe(num(b, "data-value") >= answer);
    // at least 85 % of the trials reached the answer: the engine's at-least rule, seen in its histogram
    const reached = f.histogram.filter((b) => Number(b.value) >= answer).reduce((a, b) => a + b.trials, 0);
    expect(reached / f.trials).toBeGreaterThanOrEqual(0.85);
  });
});

describe("percentile labels", () => {
  it("never overlap even when the lines are close", () => {
    const r = flowFixture();
    r.cycle_time.p70 = r.cycle_time.p50! + 0.01;
    render(<CycleTimeScatter report={r} />);
    const y50 = num(screen.getByTestId("pct-label-50"), "y");
    const y70 = num(screen.getByTestId("pct-label-70"), "y");
    expect(Math.abs(y50 - y70)).toBeGreaterThanOrEqual(12);
  });
});
