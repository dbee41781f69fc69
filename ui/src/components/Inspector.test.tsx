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

  it("refuses text that is not a number without sending anything", async () => {
    useStore.setState({ ws: baselineWorkspace(), scenarioId: null, streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" } });
    render(<Inspector />);
    const wait = screen.getByTestId("stage-wait-time");
    await userEvent.clear(wait);
    await userEvent.type(wait, "soon{Enter}");
    expect(execute).not.toHaveBeenCalled();
    expect(await screen.findByText(/"soon" is not a number/)).toBeInTheDocument();
  });

  it("shows the engine's message when it refuses a value, and keeps the saved one", async () => {
    useStore.setState({ ws: baselineWorkspace(), scenarioId: null, streamId: "mortgage", selection: { kind: "stage", stream: "mortgage", id: "kyc" } });
    execute.mockRejectedValue({ code: "invalid", message: "stage \"kyc\" of stream \"mortgage\": wait_time is -5; a time cannot be negative", problems: [] });
    render(<Inspector />);
    const wait = screen.getByTestId("stage-wait-time");
    await userEvent.clear(wait);
    await userEvent.type(wait, "-5{Enter}");
    expect(await screen.findByText(/a time cannot be negative/)).toBeInTheDocument();
    expect(wait).toHaveValue("24");
  });
});
