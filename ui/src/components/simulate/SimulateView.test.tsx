// The Simulate view against a mocked shell: what it asks the engine for, progress and Cancel,
// the engine's results on screen, findings that stop a run, and results marked stale once the
// model changes. The results are the real engine's (make-fixtures.mjs); the workspace is the
// engine's too (src/test/fixtures).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { baselineWorkspace, workspace } from "../../test/fixture";
import comparisonJson from "./fixture-comparison.json";
import baselineJson from "./fixture-baseline.json";
import refusal from "./fixture-refusal.txt?raw";
import type { SimComparison } from "../../ipc/bindings/SimComparison";
import type { Simulation } from "../../ipc/bindings/Simulation";
import type { SimProgress } from "../../ipc/bindings/SimProgress";
import type { SimResult } from "../../ipc/bindings/SimResult";
import type { Workspace } from "../../ipc/bindings/Workspace";

vi.mock("../../ipc/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../ipc/client")>()),
  ipc: { simulate: vi.fn(), cancelSimulation: vi.fn() },
}));

import { ipc } from "../../ipc/client";
import { useStore } from "../../state/store";
import { SimulateView, wholeNumber } from "./SimulateView";
import { DEFAULT_SETTINGS, useSim } from "./simStore";
import { duration, moneyShort, percent } from "../../format";

const mocked = ipc as unknown as { simulate: ReturnType<typeof vi.fn>; cancelSimulation: ReturnType<typeof vi.fn> };
const comparison = comparisonJson as unknown as SimComparison;
const simulation = baselineJson as unknown as Simulation;
const asComparison: SimResult = { kind: "comparison", comparison };
const asBaseline: SimResult = { kind: "baseline", simulation };

/** A simulate call that the test finishes: progress, resolve or reject. */
function pending() {
  let progress: (p: SimProgress) => void = () => {};
  let resolve: (r: SimResult) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  mocked.simulate.mockImplementation((_s: string | null, _o: unknown, onProgress: (p: SimProgress) => void) => {
    progress = onProgress;
    return new Promise<SimResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  });
  return {
    progress: (p: SimProgress) => act(() => progress(p)),
    resolve: (r: SimResult) => act(async () => resolve(r)),
    reject: (e: unknown) => act(async () => reject(e)),
  };
}

function show(ws: Workspace, scenarioId: string | null) {
  useStore.setState({ ws, scenarioId, streamId: "mortgage", selection: null, view: "simulate" });
}

/** The same workspace with one stage's wait time edited: what the engine returns after an edit. */
function edited(ws: Workspace): Workspace {
  const next = structuredClone(ws);
  next.snapshot.view.model.streams[0]!.stages[0]!.wait_time += 1;
  return next;
}

beforeEach(() => {
  vi.clearAllMocks();
  useSim.getState().reset();
  mocked.cancelSimulation.mockResolvedValue(undefined);
});

describe("SimulateView", () => {
  it("runs the active stream with the scenario and the chosen settings", async () => {
    show(workspace(), "future");
    mocked.simulate.mockResolvedValue(asComparison);
    render(<SimulateView />);
    await userEvent.clear(screen.getByTestId("sim-items"));
    await userEvent.type(screen.getByTestId("sim-items"), "3000");
    await userEvent.click(screen.getByText("Advanced"));
    await userEvent.clear(screen.getByTestId("sim-seed"));
    await userEvent.type(screen.getByTestId("sim-seed"), "42");
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(mocked.simulate).toHaveBeenCalledTimes(1);
    const [scenario, options] = mocked.simulate.mock.calls[0]!;
    expect(scenario).toBe("future");
    expect(options).toMatchObject({ items: 3000, runs: DEFAULT_SETTINGS.runs, seed: 42, stream: "mortgage" });
  });

  it("reads counts as people type them", () => {
    expect(wholeNumber("5000")).toBe(5000);
    expect(wholeNumber(" 5,000 ")).toBe(5000);
    expect(wholeNumber("5.000")).toBe(5000);
    expect(wholeNumber("1 000 000")).toBe(1000000);
    // not a count: a decimal, a sign, a typo in the grouping
    expect(wholeNumber("5,5")).toBeNull();
    expect(wholeNumber("-3")).toBeNull();
    expect(wholeNumber("50,00")).toBeNull();
    expect(wholeNumber("")).toBeNull();
  });

  it("refuses settings the engine would refuse, without calling it", async () => {
    show(baselineWorkspace(), null);
    render(<SimulateView />);
    await userEvent.clear(screen.getByTestId("sim-runs"));
    await userEvent.type(screen.getByTestId("sim-runs"), "0");
    expect(screen.getByText("a whole number, at least 1")).toBeInTheDocument();
    expect(screen.getByTestId("sim-run")).toBeDisabled();
    await userEvent.clear(screen.getByTestId("sim-runs"));
    await userEvent.type(screen.getByTestId("sim-runs"), "5000");
    expect(screen.getByText(/at most 20,000,000 items in all/)).toBeInTheDocument();
    expect(mocked.simulate).not.toHaveBeenCalled();
  });

  it("shows progress as it comes, and Cancel stops the run with a calm message", async () => {
    show(baselineWorkspace(), null);
    const call = pending();
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(screen.getByTestId("sim-progress")).toBeInTheDocument();
    expect(screen.getByTestId("sim-run")).toBeDisabled();
    call.progress({ done: 250, total: 1000 });
    expect(screen.getByTestId("sim-progress-pct")).toHaveTextContent("25 %");
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "25");
    call.progress({ done: 613, total: 1000 });
    expect(screen.getByTestId("sim-progress-pct")).toHaveTextContent("61 %");

    await userEvent.click(screen.getByTestId("sim-cancel"));
    expect(mocked.cancelSimulation).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Stopping…")).toBeInTheDocument();
    // the shell's answer to a cancelled run
    await call.reject({ code: "cancelled", message: "the simulation was cancelled", problems: [] });
    expect(screen.queryByTestId("sim-progress")).not.toBeInTheDocument();
    expect(screen.getByTestId("sim-cancelled")).toHaveTextContent("Simulation cancelled");
    expect(screen.queryByTestId("sim-error")).not.toBeInTheDocument();
    expect(screen.getByTestId("sim-run")).toBeEnabled();
  });

  it("shows the engine's headline, both distributions and the figures with their change", async () => {
    show(workspace(), "future");
    const call = pending();
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    await call.resolve(asComparison);
    const s = comparison.streams[0]!;
    const u = comparison.unit;
    expect(screen.getByTestId("sim-headline")).toHaveTextContent(s.headline);
    expect(screen.getByTestId("sim-histogram").querySelectorAll("g.bars")).toHaveLength(2);
    for (const p of ["p50", "p85", "p95"] as const) {
      expect(screen.getByTestId(`sim-${p}`)).toHaveTextContent(duration(s.scenario.lead_time[p], u));
      const change = screen.getByTestId(`sim-${p}-change`);
      const d = s.scenario.lead_time[p] - s.baseline.lead_time[p];
      expect(change).toHaveTextContent(`${d < 0 ? "▼ −" : "▲ +"}${duration(Math.abs(d), u)}`);
      expect(change).toHaveTextContent(`from ${duration(s.baseline.lead_time[p], u)}`);
      // shorter is good for the business, and says so in colour as well as with the arrow
      expect(change.querySelector(".delta")).toHaveClass(d < 0 ? "good" : "bad");
    }
    const cur = comparison.currency;
    expect(screen.getByTestId("sim-delay-cost")).toHaveTextContent(moneyShort(s.scenario.annual_delay_cost.p50, cur));
    expect(screen.getByTestId("sim-delay-cost")).toHaveTextContent(moneyShort(s.scenario.annual_delay_cost.p85, cur).slice(cur.length + 1));
    expect(screen.getByTestId("sim-reworked")).toHaveTextContent(percent(s.scenario.reworked_share.value));
    expect(screen.getByTestId("sim-flow-efficiency")).toHaveTextContent(percent(s.scenario.flow_efficiency.p50));
    // a change in a mean is shown as the scenario's only where the runs can tell it from noise
    for (const [id, f] of [
      ["throughput", (x: typeof s.baseline) => x.throughput_per_week],
      ["reworked", (x: typeof s.baseline) => x.reworked_share],
      ["wip", (x: typeof s.baseline) => x.wip],
    ] as const) {
      const before = f(s.baseline);
      const after = f(s.scenario);
      const noise = Math.abs(after.value - before.value) <= 2 * Math.hypot(before.std_error!, after.std_error!);
      const text = screen.getByTestId(`sim-${id}-change`);
      if (noise) {
        expect(text, id).toHaveTextContent("≈ unchanged");
        expect(text.querySelector(".delta.good, .delta.bad"), id).toBeNull();
      } else {
        expect(text.querySelector(".delta.good, .delta.bad"), id).not.toBeNull();
      }
    }
    // the fixture has both kinds: throughput keeps up with demand either way; the WIP falls
    expect(screen.getByTestId("sim-throughput-change")).toHaveTextContent("≈ unchanged");
    expect(screen.getByTestId("sim-wip-change").querySelector(".delta.good")).not.toBeNull();
    expect(screen.queryByTestId("sim-stale")).not.toBeInTheDocument();
  });

  it("says the baseline's sentence from the engine's numbers and highlights the busiest stage", async () => {
    show(baselineWorkspace(), null);
    mocked.simulate.mockResolvedValue(asBaseline);
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    const s = simulation.streams[0]!;
    const u = simulation.unit;
    const headline = await screen.findByTestId("sim-headline");
    expect(headline).toHaveTextContent(`85 % of items within ${duration(s.lead_time.p85, u)}`);
    expect(headline).toHaveTextContent(`half within ${duration(s.lead_time.p50, u)}`);
    expect(screen.getByTestId("sim-histogram").querySelectorAll("g.bars")).toHaveLength(1);
    // the stage the engine found busiest, and only that one
    const withUtil = s.stages.filter((x) => x.utilisation);
    const top = withUtil.reduce((a, b) => (b.utilisation!.value > a.utilisation!.value ? b : a));
    expect(screen.getByTestId(`sim-stage-${top.id}`)).toHaveClass("busiest");
    expect(within(screen.getByTestId("sim-stages")).getAllByText("busiest")).toHaveLength(1);
    for (const x of s.stages) {
      const row = screen.getByTestId(`sim-stage-${x.id}`);
      if (x.utilisation) expect(row).toHaveTextContent(percent(x.utilisation.value));
      expect(row).toHaveTextContent(duration(x.queue_time.value, u));
    }
  });

  it("lists the findings that stop a run, with their stage names, and opens a stage to fix it", async () => {
    show(workspace(), "future");
    // The shell's refusal (an ApiError from tributary-sim's checks): the engine's own sentence
    // for an overloaded stage (make-fixtures.mjs), at the path the checks give it; and a warning.
    const finding = refusal.trim().replace(/^cannot simulate: /, "");
    const error = {
      code: "invalid",
      message: refusal.trim(),
      problems: [
        { severity: "warning", path: "streams[0].stages[0]", message: 'in scenario "future": stage "intake" of stream "mortgage" is loaded at 96.0 % of its capacity' },
        { severity: "error", path: "streams[0].stages[2]", message: finding },
      ],
    };
    mocked.simulate.mockRejectedValue(error);
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    const box = await screen.findByTestId("sim-error");
    const items = within(box).getAllByTestId("sim-problem");
    expect(items).toHaveLength(2);
    // errors first, each under the name of its stage (from the path, in the scenario's model)
    const model = workspace().snapshot.scenario!.model;
    expect(within(items[0]!).getByTestId("sim-problem-stage")).toHaveTextContent(model.streams[0]!.stages[2]!.name);
    expect(items[0]).toHaveTextContent(finding);
    expect(within(items[1]!).getByTestId("sim-problem-stage")).toHaveTextContent(model.streams[0]!.stages[0]!.name);
    expect(within(items[1]!).getByText("Warning")).toBeInTheDocument();
    await userEvent.click(within(items[0]!).getByTestId("sim-problem-select"));
    expect(useStore.getState().selection).toEqual({ kind: "stage", stream: "mortgage", id: "scoring" });
    expect(screen.queryByTestId("sim-results")).not.toBeInTheDocument();
    // the findings were for the model as it was: once it changes, the view says so
    expect(screen.queryByTestId("sim-error-changed")).not.toBeInTheDocument();
    act(() => useStore.setState({ ws: edited(useStore.getState().ws!) }));
    expect(screen.getByTestId("sim-error-changed")).toHaveTextContent("The model changed since this check");
  });

  it("marks a result stale when the model changes, and not when only the view does", async () => {
    const ws = workspace();
    show(ws, "future");
    mocked.simulate.mockResolvedValue(asComparison);
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(await screen.findByTestId("sim-results")).toHaveAttribute("data-stale", "false");

    // a new answer from the engine with the same model (the scenario shown again): still current
    act(() => useStore.setState({ ws: structuredClone(ws) }));
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "false");
    expect(screen.queryByTestId("sim-stale")).not.toBeInTheDocument();

    // an edit: the numbers stay readable but are marked, with the way out
    const changed = edited(ws);
    act(() => useStore.setState({ ws: changed }));
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "true");
    expect(screen.getByTestId("sim-stale")).toHaveTextContent("The model changed since this run");
    await userEvent.click(screen.getByTestId("sim-rerun"));
    expect(mocked.simulate).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId("sim-results")).toHaveAttribute("data-stale", "false");

    // undo back to the model of the first run: that run's numbers would be current again
    act(() => useStore.setState({ ws: structuredClone(ws) }));
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "true");
  });

  it("marks a scenario's run stale when that scenario changes, and leaves the baseline's run current", async () => {
    const ws = workspace();
    const withScorer = structuredClone(ws);
    withScorer.snapshot.view.model.scenarios[0]!.changes.push({ kind: "set_stage", stream: "mortgage", stage: "scoring", capacity: 3 });
    const base = structuredClone(ws);
    delete base.snapshot.scenario;
    show(base, null);
    mocked.simulate.mockResolvedValue(asBaseline);
    render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(await screen.findByTestId("sim-results")).toHaveAttribute("data-stale", "false");
    const withScorerBase = structuredClone(withScorer);
    delete withScorerBase.snapshot.scenario;
    act(() => show(withScorerBase, null));
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "false");

    act(() => show(ws, "future"));
    mocked.simulate.mockResolvedValue(asComparison);
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(await screen.findByTestId("sim-headline")).toHaveTextContent(comparison.streams[0]!.headline);
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "false");
    act(() => show(withScorer, "future"));
    expect(screen.getByTestId("sim-results")).toHaveAttribute("data-stale", "true");
  });

  it("keeps a run per scenario, and says when the scenario simulated is gone", async () => {
    const ws = workspace();
    show(ws, "future");
    mocked.simulate.mockResolvedValue(asComparison);
    const { rerender } = render(<SimulateView />);
    await userEvent.click(screen.getByTestId("sim-run"));
    await screen.findByTestId("sim-results");
    // back in the baseline: not simulated there yet
    act(() => show(baselineWorkspace(), null));
    rerender(<SimulateView />);
    expect(screen.getByTestId("sim-not-run")).toBeInTheDocument();
    expect(screen.queryByTestId("sim-scenario-gone")).not.toBeInTheDocument();
    // the scenario deleted
    const gone = baselineWorkspace();
    gone.snapshot.view.model.scenarios = [];
    act(() => show(gone, null));
    expect(screen.getByTestId("sim-scenario-gone")).toHaveTextContent(comparison.scenario_name);
    expect(screen.queryByTestId("sim-results")).not.toBeInTheDocument();
    // and the engine's answer when a run asks for a scenario it does not know
    mocked.simulate.mockRejectedValue({ code: "not_found", message: 'scenario "future" does not exist', problems: [] });
    act(() => {
      show(workspace(), "future");
      useSim.getState().reset();
    });
    await userEvent.click(screen.getByTestId("sim-run"));
    expect(await screen.findByTestId("sim-error")).toHaveTextContent("Nothing to simulate there any more");
  });

  it("tells the user what to do when the stream has no stages", () => {
    const ws = baselineWorkspace();
    ws.snapshot.view.model.streams[0]!.stages = [];
    show(ws, null);
    render(<SimulateView />);
    expect(screen.getByTestId("sim-empty")).toHaveTextContent("has no stages yet");
    expect(screen.queryByTestId("sim-run")).not.toBeInTheDocument();
  });
});
