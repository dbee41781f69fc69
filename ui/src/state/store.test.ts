import { beforeEach, describe, expect, it, vi } from "vitest";
import { baselineWorkspace, full, workspace } from "../test/fixture";
import type { Reply } from "../ipc/client";

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
  useStore.setState({ ws: null, version: 0, scenarioId: null, streamId: null, selection: null, toast: null, lastError: null });
});

describe("store", () => {
  it("loads the workspace and picks the first stream", async () => {
    mocked.workspace!.mockResolvedValue(full(baselineWorkspace()));
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
    mocked.execute!.mockResolvedValue(full(answer));
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
    mocked.undo!.mockResolvedValue(full(baselineWorkspace()));
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

  it("applies an edit's changes to the version it holds, keeping every unchanged part", async () => {
    const before = baselineWorkspace();
    useStore.setState({ ws: before, version: 7, streamId: "mortgage" });
    const stages = before.snapshot.view.model.streams[0]!.stages;
    const patch: Reply = {
      kind: "patch",
      base: 7,
      version: 8,
      changes: [
        { op: "replace", path: ["snapshot", "view", "model", "streams", "0", "stages", "1", "wait_time"], value: 40 },
        { op: "replace", path: ["snapshot", "view", "metrics", "streams", "0", "lead_time"], value: 123.5 },
        { op: "add", path: ["snapshot", "view", "undo"], value: "Edit stage" },
        { op: "remove", path: ["snapshot", "view", "model", "assignments", "0"] },
      ],
    };
    const assignments = before.snapshot.view.model.assignments;
    expect(assignments.length).toBeGreaterThan(1);
    mocked.execute!.mockResolvedValue(patch);
    expect(await useStore.getState().run({ type: "delete_scenario", id: "x" })).toBe(true);
    const s = useStore.getState();
    expect(s.version).toBe(8);
    expect(mocked.workspace).not.toHaveBeenCalled();
    const view = s.ws!.snapshot.view;
    expect(view.model.streams[0]!.stages[1]!.wait_time).toBe(40);
    expect(view.metrics.streams[0]!.lead_time).toBe(123.5);
    expect(view.undo).toBe("Edit stage");
    expect(view.model.assignments).toEqual(assignments.slice(1));
    // the held workspace is not changed, and what did not change is the same object
    expect(stages[1]!.wait_time).not.toBe(40);
    expect(s.ws).not.toBe(before);
    expect(view.model.pbcs).toBe(before.snapshot.view.model.pbcs);
    expect(view.model.streams[0]!.stages[0]).toBe(stages[0]);
    expect(view.layouts).toBe(before.snapshot.view.layouts);
  });

  it("asks for the whole workspace when a patch was made against another version", async () => {
    const before = baselineWorkspace();
    useStore.setState({ ws: before, version: 7, streamId: "mortgage" });
    mocked.execute!.mockResolvedValue({
      kind: "patch",
      base: 5,
      version: 6,
      changes: [{ op: "replace", path: ["snapshot", "view", "metrics", "streams", "0", "lead_time"], value: 1 }],
    } satisfies Reply);
    const whole = baselineWorkspace();
    whole.snapshot.view.metrics.streams[0]!.lead_time = 77;
    mocked.workspace!.mockResolvedValue({ kind: "full", version: 9, workspace: whole } satisfies Reply);
    expect(await useStore.getState().run({ type: "delete_scenario", id: "x" })).toBe(true);
    expect(mocked.workspace).toHaveBeenCalledTimes(1);
    const s = useStore.getState();
    expect(s.version).toBe(9);
    expect(s.ws!.snapshot.view.metrics.streams[0]!.lead_time).toBe(77);
  });
});
