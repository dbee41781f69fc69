// Drawn against measured on the map: fetched once per stream, again only after an import or
// when the baseline's stage times change; node data stays plain JSON so unchanged nodes are reused.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { baselineWorkspace } from "../../test/fixture";

vi.mock("../../ipc/client", () => ({ ipc: { flow: vi.fn() } }));

import { ipc } from "../../ipc/client";
import { useStore } from "../../state/store";
import { reuseCache, reuseUnchanged, toFlow } from "../flow";
import { flowFixture } from "./fixtures";
import { REFRESH_AFTER_EDIT_MS, stageMeasures, useFlowStore, useMeasuredStages } from "./flowStore";

const flow = (ipc as unknown as { flow: ReturnType<typeof vi.fn> }).flow;
/** Shows what the hook returns: the stage ids measured, or "none". */
function Probe({ stream }: { stream: string }) {
  const m = useMeasuredStages(stream);
  return <span data-testid="probe">{m === null ? "none" : Object.keys(m).sort().join(",")}</span>;
}
const seen = () => screen.getByTestId("probe").textContent;

beforeEach(() => {
  vi.clearAllMocks();
  useFlowStore.setState({ revision: 0, measured: {} });
  useStore.setState({ ws: baselineWorkspace(), streamId: "mortgage", scenarioId: null });
});

describe("measured stages for the map", () => {
  it("are the engine's median lead time, drawn lead time and flag per stage", () => {
    const r = flowFixture();
    const m = stageMeasures(r);
    for (const s of r.stages) {
      expect(m[s.stage]).toEqual({ lead: s.measured.lead_p50, drawn: s.drawn?.lead_time ?? null, flagged: s.gap?.flagged ?? false, items: Number(s.items) });
    }
  });

  it("are fetched once per stream, not again for an edit that leaves the stage times alone", async () => {
    flow.mockResolvedValue(flowFixture());
    render(<Probe stream="mortgage" />);
    await waitFor(() => expect(seen()).not.toBe("none"));
    expect(flow).toHaveBeenCalledTimes(1);
    expect(flow).toHaveBeenCalledWith("mortgage", null, null);
    expect(seen()).toBe(
      flowFixture()
        .stages.map((s) => s.stage)
        .sort()
        .join(","),
    );

    // a new workspace with the same stage times (a stage moved, a name changed): no new request
    const moved = baselineWorkspace();
    moved.snapshot.view.model.name = "Renamed";
    act(() => useStore.setState({ ws: moved }));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(flow).toHaveBeenCalledTimes(1);

    // a stage time changed in the baseline (an edit, a calibration): asked again, once the
    // edits pause
    const edited = baselineWorkspace();
    const st = edited.snapshot.view.metrics.streams.find((s) => s.id === "mortgage")!.stages[1]!;
    st.wait_time += 5;
    act(() => useStore.setState({ ws: edited }));
    expect(flow).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(flow).toHaveBeenCalledTimes(2), { timeout: REFRESH_AFTER_EDIT_MS + 1500 });

    // an import: asked again
    act(() => useFlowStore.getState().bump());
    await waitFor(() => expect(flow).toHaveBeenCalledTimes(3));
  });

  it("are nothing for a stream without telemetry, which is asked again only after an import", async () => {
    flow.mockRejectedValue({ code: "no_data", message: 'stream "mortgage" has no work-item telemetry; import some', problems: [] });
    render(<Probe stream="mortgage" />);
    await waitFor(() => expect(useFlowStore.getState().measured.mortgage).toBeDefined());
    expect(seen()).toBe("none");
    const edited = baselineWorkspace();
    edited.snapshot.view.metrics.streams.find((s) => s.id === "mortgage")!.stages[0]!.wait_time += 1;
    act(() => useStore.setState({ ws: edited }));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(flow).toHaveBeenCalledTimes(1);
    flow.mockResolvedValue(flowFixture());
    act(() => useFlowStore.getState().bump());
    await waitFor(() => expect(seen()).not.toBe("none"));
    expect(flow).toHaveBeenCalledTimes(2);
  });

  it("ride on the stage nodes as plain data, so unchanged nodes are reused", () => {
    const ws = baselineWorkspace();
    const measured = stageMeasures(flowFixture());
    const input = {
      model: ws.snapshot.view.model,
      metrics: ws.snapshot.view.metrics,
      layouts: ws.snapshot.view.layouts,
      streamId: "mortgage",
      future: false,
      affected: [],
      selectedStage: null,
      selectedChip: null,
      walkStage: null,
      readOnly: false,
      measured,
    };
    const first = toFlow(input).nodes;
    for (const n of first) expect(n.data.measured).toEqual(measured[n.id] ?? null);
    expect(JSON.parse(JSON.stringify(first.map((n) => n.data.measured)))).toEqual(first.map((n) => n.data.measured));
    const cache = reuseCache<(typeof first)[number]>();
    const a = reuseUnchanged(cache, first);
    const b = reuseUnchanged(cache, toFlow({ ...input, measured: stageMeasures(flowFixture()) }).nodes);
    b.forEach((n, i) => expect(n).toBe(a[i]));
    const flipped = stageMeasures(flowFixture());
    const id = Object.keys(flipped)[0]!;
    flipped[id] = { ...flipped[id]!, flagged: !flipped[id]!.flagged };
    const c = reuseUnchanged(cache, toFlow({ ...input, measured: flipped }).nodes);
    c.forEach((n, i) => (n.id === id ? expect(n).not.toBe(a[i]) : expect(n).toBe(a[i])));
  });
});
