import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { baselineWorkspace, workspace } from "../test/fixture";
import { useStore } from "../state/store";
import { KpiStrip } from "./KpiStrip";
import { duration, moneyShort, percent } from "../format";

describe("KpiStrip", () => {
  it("shows the engine's numbers for the stream", () => {
    const ws = baselineWorkspace();
    useStore.setState({ ws, scenarioId: null, streamId: "mortgage" });
    render(<KpiStrip />);
    const m = ws.snapshot.view.metrics.streams[0]!;
    expect(screen.getByTestId("kpi-lead-time")).toHaveTextContent(duration(m.lead_time, "hours"));
    expect(screen.getByTestId("kpi-flow-efficiency")).toHaveTextContent(percent(m.flow_efficiency));
    expect(screen.getByTestId("kpi-cost-of-delay")).toHaveTextContent(moneyShort(m.annual_delay_cost, "EUR"));
    expect(screen.getByTestId("kpi-bottleneck")).toHaveTextContent(m.bottleneck!.name);
  });

  it("shows a scenario with its change, signed and coloured by whether it is good", () => {
    const ws = workspace();
    useStore.setState({ ws, scenarioId: "future", streamId: "mortgage" });
    render(<KpiStrip />);
    const before = ws.snapshot.view.metrics.streams[0]!.lead_time;
    const after = ws.snapshot.scenario!.metrics.streams[0]!.lead_time;
    expect(after).toBeLessThan(before);
    expect(screen.getByTestId("kpi-lead-time")).toHaveTextContent(duration(after, "hours"));
    const delta = screen.getByText((_, el) => el?.classList.contains("delta") === true && el.textContent!.includes(duration(before - after, "hours")));
    expect(delta).toHaveClass("good");
    expect(delta.textContent).toMatch(/^▼ −/);
  });
});
