import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { baselineWorkspace, full } from "../../test/fixture";

vi.mock("../../ipc/client", () => ({
  ipc: {
    flow: vi.fn(),
    getMapping: vi.fn(),
    setMapping: vi.fn(),
    forecast: vi.fn(),
    planCalibration: vi.fn(),
    calibrate: vi.fn(),
    workspace: vi.fn(),
  },
}));

import { ipc, type Workspace } from "../../ipc/client";
import { useStore } from "../../state/store";
import { FlowView } from "./FlowView";
import { calibrationFixture, flowFixture, forecastHowManyFixture, forecastWhenFixture } from "./fixtures";
import { days } from "./scale";

type Mocked = Record<keyof typeof ipc, ReturnType<typeof vi.fn>>;
const m = ipc as unknown as Mocked;
const noTelemetry = {
  code: "no_data",
  message: 'stream "mortgage" has no work-item telemetry; import some with `tributary telemetry import`',
  problems: [],
};

/** The workspace after calibrating into a new scenario "Measured flow". */
function calibrated(): Workspace {
  const ws = baselineWorkspace();
  ws.snapshot.view.model.scenarios.push({ id: "measured-flow", name: "Measured flow", changes: [] });
  ws.snapshot.view.undo = "Calibrate Mortgage decision from measured flow";
  return ws;
}

beforeEach(() => {
  vi.clearAllMocks();
  useStore.setState({ ws: baselineWorkspace(), streamId: "mortgage", scenarioId: null, view: "flow", dialog: null, presenting: false, toast: null });
  m.flow.mockResolvedValue(flowFixture());
  m.getMapping.mockResolvedValue({ states: [], stages: [], types: [] });
});

describe("Measured flow view", () => {
  it("explains how to import when the stream has no history, and opens the Import dialog", async () => {
    m.flow.mockRejectedValue(noTelemetry);
    render(<FlowView />);
    const empty = await screen.findByTestId("flow-empty");
    expect(empty).toHaveTextContent("No history imported for this stream yet");
    expect(empty).toHaveTextContent("tributary telemetry import");
    expect(screen.queryByTestId("flow-view")).toBeNull();
    await userEvent.click(within(empty).getByTestId("flow-import"));
    expect(useStore.getState().dialog).toBe("import");
  });

  it("shows another error as the engine said it, not as an empty state", async () => {
    m.flow.mockRejectedValue({ code: "io", message: "model.tributary: disk I/O error", problems: [] });
    render(<FlowView />);
    expect(await screen.findByRole("alert")).toHaveTextContent("disk I/O error");
    expect(screen.queryByTestId("flow-empty")).toBeNull();
  });

  it("shows the engine's figures for the active stream and window", async () => {
    const r = flowFixture();
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    expect(m.flow).toHaveBeenCalledWith("mortgage", null, null);
    expect(screen.getByTestId("flow-p85")).toHaveTextContent(days(r.cycle_time.p85));
    expect(screen.getByTestId("flow-wip")).toHaveTextContent(`${Number(r.wip)} items`);
    expect(screen.getByTestId("flow-window")).toHaveTextContent(`${r.window.from} to ${r.window.to}`);
    expect(screen.getByTestId("flow-from")).toHaveValue(r.window.from);
    for (const id of ["ct-chart", "tp-chart", "cfd-chart", "aging-chart"]) expect(screen.getByTestId(id)).toBeInTheDocument();
    // drawn against measured: a row per stage, the engine's flag marked with "!"
    for (const s of r.stages) {
      const row = screen.getByTestId(`dvm-${s.stage}`);
      expect(row.classList.contains("fl-flagged")).toBe(s.gap?.flagged ?? false);
      expect(screen.getByTestId(`dvm-gap-${s.stage}`).textContent!.endsWith("!")).toBe(s.gap?.flagged ?? false);
    }
  });

  it("shows the engine's notes", async () => {
    const r = flowFixture();
    r.notes = ['unmapped statuses, counted neither as active nor waiting nor done: "Won\'t Do" (12)', "no status is mapped to a stage"];
    m.flow.mockResolvedValue(r);
    render(<FlowView />);
    const notes = await screen.findByTestId("flow-notes");
    for (const n of r.notes) expect(notes).toHaveTextContent(n);
  });

  it("asks again for the history window typed in", async () => {
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    const from = screen.getByTestId("flow-from");
    await userEvent.clear(from);
    await userEvent.type(from, "2025-02-01{Enter}");
    expect(m.flow).toHaveBeenLastCalledWith("mortgage", "2025-02-01", flowFixture().window.to);
    await userEvent.clear(from);
    await userEvent.type(from, "2025-02{Enter}");
    expect(from).toHaveAttribute("aria-invalid", "true");
    expect(m.flow).toHaveBeenCalledTimes(2);
  });

  it("forecasts with the question, the window and the seed, and marks the chosen confidence", async () => {
    const f = forecastWhenFixture();
    m.forecast.mockResolvedValue(f);
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    const n = screen.getByTestId("fc-n");
    await userEvent.clear(n);
    await userEvent.type(n, String(f.items));
    await userEvent.click(screen.getByTestId("fc-run"));
    expect(m.forecast).toHaveBeenCalledWith("mortgage", { when: { items: f.items } }, null, null, 10000, 20180105);
    expect(await screen.findByTestId("fc-answer")).toHaveTextContent(`85 % confidence: ${f.items} items done by ${f.dates["85"]}`);
    for (const p of [50, 70, 85, 95]) expect(screen.getByTestId(`fc-p${p}`)).toHaveTextContent(String(f.percentiles[String(p)]));
    expect(screen.getByTestId("fc-marker")).toHaveAttribute("data-value", String(f.percentiles["85"]));
    await userEvent.selectOptions(screen.getByTestId("fc-confidence"), "95");
    expect(screen.getByTestId("fc-marker")).toHaveAttribute("data-value", String(f.percentiles["95"]));
    expect(m.forecast).toHaveBeenCalledTimes(1);

    const h = forecastHowManyFixture();
    m.forecast.mockResolvedValue(h);
    await userEvent.click(screen.getByTestId("fc-how-many"));
    await userEvent.clear(screen.getByTestId("fc-n"));
    await userEvent.type(screen.getByTestId("fc-n"), String(h.days));
    await userEvent.clear(screen.getByTestId("fc-seed"));
    await userEvent.type(screen.getByTestId("fc-seed"), "7");
    await userEvent.click(screen.getByTestId("fc-run"));
    expect(m.forecast).toHaveBeenLastCalledWith("mortgage", { how_many: { days: h.days } }, null, null, 10000, 7);
    expect(await screen.findByTestId("fc-answer")).toHaveTextContent(`at least ${h.percentiles["95"]} items in ${h.days} days`);
  });

  it("shows the planned calibration before applying it, then adopts the engine's workspace in the new scenario", async () => {
    const plan = calibrationFixture();
    m.planCalibration.mockResolvedValue(plan);
    const next = calibrated();
    m.calibrate.mockResolvedValue(full(next));
    m.workspace.mockResolvedValue(full(next));
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    await userEvent.click(screen.getByTestId("cal-plan"));
    expect(m.planCalibration).toHaveBeenCalledWith("mortgage", "median", { kind: "scenario", name: "Measured flow" });
    const table = await screen.findByTestId("cal-plan-table");
    for (const s of plan.stages) expect(within(table).getByTestId(`cal-row-${s.stage}`)).toHaveTextContent(s.name);
    // nothing has changed yet
    expect(m.calibrate).not.toHaveBeenCalled();
    expect(useStore.getState().ws?.snapshot.view.model.scenarios.some((s) => s.name === "Measured flow")).toBe(false);

    await userEvent.click(screen.getByTestId("cal-apply"));
    expect(m.calibrate).toHaveBeenCalledWith("mortgage", "median", { kind: "scenario", name: "Measured flow" }, null);
    expect(useStore.getState().ws?.snapshot.view.model.scenarios.some((s) => s.name === "Measured flow")).toBe(true);
    expect(m.workspace).toHaveBeenCalledWith("measured-flow");
    expect(useStore.getState().toast?.message).toMatch(/Undo with Ctrl\+Z/);
    expect(screen.queryByTestId("cal-plan-table")).toBeNull();
  });

  it("calibrates the baseline with the mean when asked, and Cancel applies nothing", async () => {
    m.planCalibration.mockResolvedValue({ ...calibrationFixture(), statistic: "mean", target: { kind: "baseline" } });
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    await userEvent.selectOptions(screen.getByTestId("cal-statistic"), "mean");
    await userEvent.selectOptions(screen.getByTestId("cal-into"), "baseline");
    expect(screen.queryByTestId("cal-name")).toBeNull();
    await userEvent.click(screen.getByTestId("cal-plan"));
    expect(m.planCalibration).toHaveBeenCalledWith("mortgage", "mean", { kind: "baseline" });
    await screen.findByTestId("cal-plan-table");
    await userEvent.click(screen.getByTestId("cal-cancel"));
    expect(screen.queryByTestId("cal-plan-table")).toBeNull();
    expect(m.calibrate).not.toHaveBeenCalled();
  });

  it("saves the mapping edited in place and reads the flow again", async () => {
    const r = flowFixture();
    r.unmapped_statuses = [{ name: "Won't Do", count: 12n }];
    m.flow.mockResolvedValue(r);
    m.getMapping.mockResolvedValue({ states: [{ status: "Done", state: "done" }], stages: [], types: [] });
    m.setMapping.mockResolvedValue(undefined);
    render(<FlowView />);
    await screen.findByTestId("flow-view");
    await userEvent.click(screen.getByTestId("mapping-edit"));
    await userEvent.selectOptions(await screen.findByTestId("map-state-Won't Do"), "canceled");
    const calls = m.flow.mock.calls.length;
    await userEvent.click(screen.getByTestId("mapping-save"));
    const [, saved] = m.setMapping.mock.calls[0]!;
    expect(saved.states).toContainEqual({ status: "Won't Do", state: "canceled" });
    expect(saved.states).toContainEqual({ status: "Done", state: "done" });
    await waitFor(() => expect(m.flow.mock.calls.length).toBeGreaterThan(calls));
  });
});
