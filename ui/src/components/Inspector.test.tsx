import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { baselineWorkspace, full, workspace } from "../test/fixture";

vi.mock("../ipc/client", () => ({ ipc: { execute: vi.fn() } }));

import { ipc } from "../ipc/client";
import { useStore } from "../state/store";
import { Inspector } from "./Inspector";

const execute = (ipc as unknown as { execute: ReturnType<typeof vi.fn> }).execute;

beforeEach(() => {
  vi.clearAllMocks();
  execute.mockImplementation(async () => full(useStore.getState().ws!));
});

describe("Inspector", () => {
  it("commits a stage's wait time once, as the whole stage, in the baseline", async () => {
    useStore.setState({ ws: baselineWorkspace(), scenarioId: null, streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" } });
    render(<Inspector />);
    const wait = screen.getByTestId("stage-wait-time");
    expect(wait).toHaveValue("24");
    await userEvent.clear(wait);
    await userEvent.type(wait, "12{Enter}");
    expect(execute).toHaveBeenCalledTimes(1);
    const [cmd, scenario] = execute.mock.calls[0]!;
    expect(scenario).toBeNull();
    expect(cmd.type).toBe("update_stage");
    expect(cmd.stage).toMatchObject({ id: "kyc", name: "Documents & KYC", wait_time: 12, process_time: 1.5 });
  });

  it("records the same edit as a scenario change when a scenario is active", async () => {
    useStore.setState({ ws: workspace(), scenarioId: "future", streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" } });
    render(<Inspector />);
    const pca = screen.getByTestId("stage-pca");
    expect(pca).toHaveValue("70");
    await userEvent.clear(pca);
    await userEvent.type(pca, "85{Enter}");
    expect(execute).toHaveBeenCalledWith(
      { type: "upsert_change", scenario: "future", change: { kind: "set_stage", stream: "mortgage", stage: "kyc", pca: 0.85 } },
      "future",
    );
  });

  it("refuses text that is not a number without sending anything, and keeps what was typed", async () => {
    useStore.setState({ ws: baselineWorkspace(), scenarioId: null, streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" } });
    render(<Inspector />);
    const wait = screen.getByTestId("stage-wait-time");
    await userEvent.clear(wait);
    await userEvent.type(wait, "soon{Enter}");
    expect(execute).not.toHaveBeenCalled();
    expect(await screen.findByText(/“soon” is not a number/)).toBeInTheDocument();
    // the text stays to be corrected; nothing reverts behind the user's back
    expect(wait).toHaveValue("soon");
  });

  it("says the engine's plain words once, at the field, and no toast", async () => {
    useStore.setState({ ws: baselineWorkspace(), scenarioId: null, streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" }, toast: null });
    execute.mockRejectedValue({
      code: "invalid",
      message: "/home/ann/m.tributary: error: streams[0].stages[1].wait_time: stage \"kyc\" of stream \"mortgage\": wait_time is -5; a time cannot be negative",
      plain: "The wait time of “Documents & KYC” cannot be negative.",
      problems: [{ severity: "error", path: "streams[0].stages[1].wait_time", field: "wait_time", message: "wait_time is -5", plain: "The wait time of “Documents & KYC” cannot be negative." }],
    });
    render(<Inspector />);
    const wait = screen.getByTestId("stage-wait-time");
    await userEvent.clear(wait);
    await userEvent.type(wait, "-5{Enter}");
    expect(await screen.findByTestId("stage-wait-time-error")).toHaveTextContent("The wait time of “Documents & KYC” cannot be negative.");
    expect(screen.queryByText(/tributary|streams\[0\]|kyc"/)).toBeNull();
    expect(useStore.getState().toast).toBeNull();
    expect(wait).toHaveValue("-5");
    // Escape goes back to the saved value
    await userEvent.type(wait, "{Escape}");
    expect(wait).toHaveValue("24");
  });

  it("explains in a future state why a PBC's name cannot be edited there, and leads to the baseline", async () => {
    const ws = workspace();
    const pbc = ws.snapshot.view.model.pbcs[0]!;
    useStore.setState({ ws, scenarioId: "future", streamId: "mortgage", selection: { kind: "pbc", id: pbc.id } });
    render(<Inspector />);
    expect(screen.getByTestId("pbc-name")).toBeDisabled();
    expect(screen.getByTestId("in-baseline")).toHaveTextContent(/changed in the baseline/);
    expect(screen.getByTestId("pbc-run-cost")).not.toBeDisabled();
  });
});
