import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { baselineWorkspace } from "../../test/fixture";

vi.mock("../../ipc/client", () => ({
  ipc: {
    pickTelemetry: vi.fn(),
    telemetryPreview: vi.fn(),
    telemetryImport: vi.fn(),
    cancelImport: vi.fn(),
    getMapping: vi.fn(),
  },
}));

import { ipc, type ImportProgress, type ImportReport, type Mapping } from "../../ipc/client";
import { useStore } from "../../state/store";
import { ImportDialog } from "./ImportDialog";
import { useFlowStore } from "./flowStore";
import { importReportFixture, previewFixture } from "./fixtures";
import { guessFormat, tableRows, toMapping } from "./mapping";

type Mocked = Record<keyof typeof ipc, ReturnType<typeof vi.fn>>;
const m = ipc as unknown as Mocked;
const empty: Mapping = { states: [], stages: [], types: [] };

beforeEach(() => {
  vi.clearAllMocks();
  useStore.setState({ ws: baselineWorkspace(), streamId: "mortgage", scenarioId: null, view: "map", dialog: "import" });
  m.pickTelemetry.mockResolvedValue("/home/me/exports/events.csv");
  m.telemetryPreview.mockResolvedValue(previewFixture());
  m.getMapping.mockResolvedValue(empty);
  m.cancelImport.mockResolvedValue(undefined);
});

async function chooseFile() {
  render(<ImportDialog />);
  await userEvent.click(screen.getByTestId("import-choose"));
  await screen.findByTestId("import-preview");
}

describe("Import dialog", () => {
  it("renders nothing unless the import dialog is open", () => {
    useStore.setState({ dialog: null });
    const { container } = render(<ImportDialog />);
    expect(container).toBeEmptyDOMElement();
    useStore.setState({ dialog: "export" });
    expect(container).toBeEmptyDOMElement();
  });

  it("guesses the format from the file and previews it for the chosen stream", async () => {
    await chooseFile();
    expect(m.telemetryPreview).toHaveBeenCalledWith("/home/me/exports/events.csv", "events-csv", "mortgage");
    expect(screen.getByTestId("import-format")).toHaveValue("events-csv");
    expect(screen.getByTestId("import-path")).toHaveTextContent("events.csv");
    const pv = previewFixture();
    // the first rows as they are, and the events they become
    expect(within(screen.getByTestId("preview-raw")).getAllByRole("row")).toHaveLength(Math.min(6, pv.raw.length));
    expect(within(screen.getByTestId("preview-events")).getAllByRole("row").length).toBeGreaterThan(1);
    // every status with its counts; none mapped yet, so every row is highlighted
    const rows = within(screen.getByTestId("status-table")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(pv.statuses.length);
    for (const s of pv.statuses) {
      const row = screen.getByTestId(`status-row-${s.status}`);
      expect(row).toHaveClass("fl-unmapped");
      expect(row).toHaveTextContent(String(s.events));
    }
    expect(screen.getByTestId("unmapped-count")).toHaveTextContent(`! ${pv.statuses.length} statuses not mapped`);
  });

  it("turns the table's edits into the Mapping it sends with the import", async () => {
    m.telemetryImport.mockResolvedValue(importReportFixture());
    await chooseFile();
    await userEvent.selectOptions(screen.getByTestId("map-state-Backlog"), "new");
    await userEvent.selectOptions(screen.getByTestId("map-state-In Development"), "active");
    await userEvent.selectOptions(screen.getByTestId("map-stage-In Development"), "scoring");
    await userEvent.selectOptions(screen.getByTestId("map-state-Done"), "done");
    await userEvent.selectOptions(screen.getByTestId("map-kind-Bug"), "defect");
    expect(screen.getByTestId("status-row-In Development")).not.toHaveClass("fl-unmapped");
    expect(screen.getByTestId("unmapped-count")).toHaveTextContent(`! ${previewFixture().statuses.length - 3} statuses not mapped`);
    // the workflow order is the table's: move Done above In Development
    const order = previewFixture().statuses.map((s) => s.status);
    const steps = order.indexOf("Done") - order.indexOf("In Development");
    for (let i = 0; i < steps; i++) await userEvent.click(screen.getByRole("button", { name: "Move Done up" }));
    await userEvent.click(screen.getByTestId("import-run"));
    expect(m.telemetryImport).toHaveBeenCalledTimes(1);
    const [path, format, stream, mapping] = m.telemetryImport.mock.calls[0]!;
    expect([path, format, stream]).toEqual(["/home/me/exports/events.csv", "events-csv", "mortgage"]);
    expect(mapping).toEqual({
      states: [
        { status: "Backlog", state: "new" },
        { status: "Done", state: "done" },
        { status: "In Development", state: "active" },
      ],
      stages: [{ status: "In Development", stage: "scoring" }],
      types: [{ item_type: "Bug", kind: "defect" }],
    });
  });

  it("keeps the stored mapping, and sends none when the table is left as it was", async () => {
    const stored: Mapping = {
      states: [
        { status: "Selected", state: "waiting" },
        { status: "Triage", state: "waiting" },
      ],
      stages: [{ status: "Triage", stage: "intake" }],
      types: [{ item_type: "Story", kind: "feature" }],
    };
    m.getMapping.mockResolvedValue(stored);
    const pv = previewFixture();
    pv.statuses = pv.statuses.map((s) => (s.status === "Selected" ? { ...s, state: "waiting" } : s));
    pv.types = pv.types.map((t) => (t.item_type === "Story" ? { ...t, kind: "feature" } : t));
    m.telemetryPreview.mockResolvedValue(pv);
    m.telemetryImport.mockResolvedValue(importReportFixture());
    await chooseFile();
    // "Triage" is only in the mapping: folded away, but kept
    expect(screen.queryByTestId("status-row-Triage")).toBeNull();
    await userEvent.click(screen.getByTestId("toggle-absent"));
    expect(screen.getByTestId("status-row-Triage")).toHaveTextContent("not in this file");
    await userEvent.click(screen.getByTestId("import-run"));
    expect(m.telemetryImport.mock.calls[0]![3]).toBeNull();

    // an edit sends the whole mapping, the stored-only status included, in the stored order first
    const rows = tableRows(pv, stored);
    expect(rows.statuses.slice(0, 2).map((r) => r.status)).toEqual(["Selected", "Triage"]);
    rows.statuses.find((r) => r.status === "Done")!.state = "done";
    expect(toMapping(rows.statuses, rows.types)).toEqual({
      states: [...stored.states, { status: "Done", state: "done" }],
      stages: stored.stages,
      types: stored.types,
    });
  });

  it("shows the import's progress, and Cancel asks the engine to stop: nothing is stored", async () => {
    let progress: (p: ImportProgress) => void = () => {};
    let fail: (e: unknown) => void = () => {};
    m.telemetryImport.mockImplementation((_p, _f, _s, _m, onProgress: (p: ImportProgress) => void) => {
      progress = onProgress;
      return new Promise<ImportReport>((_, reject) => (fail = reject));
    });
    const before = useFlowStore.getState().revision;
    await chooseFile();
    await userEvent.click(screen.getByTestId("import-run"));
    expect(screen.getByTestId("import-progress")).toBeInTheDocument();
    act(() => progress({ phase: "checking", done: 150n, total: 600n }));
    expect(screen.getByTestId("import-phase")).toHaveTextContent("Checking the events");
    expect(screen.getByTestId("import-percent")).toHaveTextContent("25 %");
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "25");

    await userEvent.click(screen.getByTestId("import-cancel"));
    expect(m.cancelImport).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("import-phase")).toHaveTextContent("Cancelling");
    await act(async () => fail({ code: "cancelled", message: "cancelled", problems: [] }));
    expect(await screen.findByTestId("import-message")).toHaveTextContent("nothing was stored");
    expect(screen.queryByTestId("import-summary")).toBeNull();
    expect(screen.getByTestId("import-run")).toBeEnabled();
    expect(useFlowStore.getState().revision).toBe(before);
    expect(useStore.getState().view).toBe("map");
  });

  it("sums up the import and opens the Measured flow view", async () => {
    const report = importReportFixture();
    m.telemetryImport.mockResolvedValue(report);
    const before = useFlowStore.getState().revision;
    await chooseFile();
    await userEvent.click(screen.getByTestId("import-run"));
    const summary = await screen.findByTestId("import-summary");
    expect(within(summary).getByTestId("summary-items")).toHaveTextContent(`${Number(report.items_added).toLocaleString("en-GB")} new`);
    expect(within(summary).getByTestId("summary-events")).toHaveTextContent(`${Number(report.events_existing)} already stored`);
    // the engine's unmapped statuses, with their counts
    for (const c of report.unmapped_statuses) expect(within(summary).getByTestId("summary-unmapped")).toHaveTextContent(`${c.name} (${Number(c.count)})`);
    expect(useStore.getState().view).toBe("flow");
    expect(useFlowStore.getState().revision).toBe(before + 1);
    await userEvent.click(screen.getByTestId("import-done"));
    expect(useStore.getState().dialog).toBeNull();
  });

  it("says what is wrong with a file that does not read as the format", async () => {
    m.telemetryPreview.mockRejectedValue({ code: "invalid", message: "events.json, line 1: not a JSON array", problems: [] });
    m.pickTelemetry.mockResolvedValue("/x/events.json");
    render(<ImportDialog />);
    await userEvent.click(screen.getByTestId("import-choose"));
    expect(await screen.findByTestId("import-message")).toHaveTextContent("line 1: not a JSON array");
    expect(screen.getByTestId("import-run")).toBeDisabled();
  });
});

describe("format guess", () => {
  it("reads the extension and the words in the name", () => {
    expect(guessFormat("/a/events.csv")).toBe("events-csv");
    expect(guessFormat("C:\\exports\\jira-search.json")).toBe("jira-json");
    expect(guessFormat("/a/Jira Export.csv")).toBe("jira-csv");
    expect(guessFormat("/a/issue_history.csv")).toBe("jira-history-csv");
    expect(guessFormat("/a/stage-dates.csv")).toBe("stage-dates-csv");
    expect(guessFormat("/a/workitem-updates.json")).toBe("azure-devops-json");
    expect(guessFormat("/a/gitlab-events.json")).toBe("gitlab-events-json");
    expect(guessFormat("/a/github-timeline.json")).toBe("github-timeline-json");
    expect(guessFormat("/a/workflow-runs.json")).toBe("github-actions-json");
    expect(guessFormat("/a/pipelines.json")).toBe("gitlab-pipelines-json");
    expect(guessFormat("/a/deployments.csv")).toBe("deployments-csv");
  });
});
