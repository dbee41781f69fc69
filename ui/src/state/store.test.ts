import { beforeEach, describe, expect, it, vi } from "vitest";
import { baselineWorkspace, workspace } from "../test/fixture";

vi.mock("../ipc/client", () => ({
  ipc: {
    workspace: vi.fn(),
    execute: vi.fn(),
    undo: vi.fn(),
    redo: vi.fn(),
    saveAsDialog: vi.fn(),
  },
}));

import { ipc } from "../ipc/client";
import { shownMetrics, useStore } from "./store";

const mocked = ipc as unknown as Record<string, ReturnType<typeof vi.fn>>;

beforeEach(() => {
  vi.clearAllMocks();
  useStore.setState({ ws: null, scenarioId: null, streamId: null, selection: null, toast: null, lastError: null });
});

describe("store", () => {
  it("loads the workspace and picks the first stream", async () => {
    mocked.workspace!.mockResolvedValue(baselineWorkspace());
    await useStore.getState().load();
    const s = useStore.getState();
    expect(s.streamId).toBe("mortgage");
    expect(s.scenarioId).toBeNull();
    expect(shownMetrics(s)?.streams[0]?.lead_time).toBe(baselineWorkspace().snapshot.view.metrics.streams[0]!.lead_time);
  });

  it("sends a command with the active scenario and shows the engine's answer", async () => {
    useStore.setState({ ws: workspace(), scenarioId: "future", streamId: "mortgage" });
    const answer = workspace();
    answer.snapshot.view.metrics.streams[0]!.lead_time = 99;
    mocked.execute!.mockResolvedValue(answer);
    const cmd = { type: "delete_scenario" as const, id: "x" };
    expect(await useStore.getState().run(cmd)).toBe(true);
    expect(mocked.execute).toHaveBeenCalledWith(cmd, "future");
    expect(useStore.getState().ws?.snapshot.view.metrics.streams[0]?.lead_time).toBe(99);
  });

  it("keeps the model and shows the message when the engine refuses", async () => {
    const before = baselineWorkspace();
    useStore.setState({ ws: before, streamId: "mortgage" });
    mocked.execute!.mockRejectedValue({ code: "invalid", message: "stage \"kyc\": wait_time is -1", problems: [] });
    expect(await useStore.getState().run({ type: "delete_stage", stream: "mortgage", id: "kyc" })).toBe(false);
    const s = useStore.getState();
    expect(s.ws).toBe(before);
    expect(s.toast?.tone).toBe("error");
    expect(s.toast?.message).toContain("wait_time is -1");
    expect(s.lastError?.code).toBe("invalid");
  });

  it("leaves the scenario when an undo removes it", async () => {
    useStore.setState({ ws: workspace(), scenarioId: "future", streamId: "mortgage" });
    const ws = workspace();
    ws.snapshot.view.undo = "Edit stage";
    useStore.setState({ ws });
    mocked.undo!.mockResolvedValue(baselineWorkspace());
    await useStore.getState().undo();
    expect(useStore.getState().scenarioId).toBeNull();
  });

  it("does not call undo when there is nothing to undo", async () => {
    const ws = baselineWorkspace();
    delete ws.snapshot.view.undo;
    useStore.setState({ ws });
    await useStore.getState().undo();
    expect(mocked.undo).not.toHaveBeenCalled();
  });

  it("saves an untitled model through Save As, and says so for a saved one", async () => {
    const ws = baselineWorkspace();
    ws.untitled = true;
    useStore.setState({ ws });
    mocked.saveAsDialog!.mockResolvedValue(null);
    await useStore.getState().save();
    expect(mocked.saveAsDialog).toHaveBeenCalledTimes(1);
    useStore.setState({ ws: baselineWorkspace() });
    await useStore.getState().save();
    expect(mocked.saveAsDialog).toHaveBeenCalledTimes(1);
    expect(useStore.getState().toast?.message).toMatch(/saved/i);
  });
});
