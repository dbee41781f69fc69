import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { useStore } from "../../state/store";
import type { Diff } from "../../ipc/bindings/Diff";
import type { ItemDiff } from "../../ipc/bindings/ItemDiff";
import { DiffDialog } from "./DiffDialog";

const item = (status: ItemDiff["status"], text: string, id: string): ItemDiff => ({ kind: "stage", list: "stages", key: [id], name: id, status, moved: false, fields: [], text });

function diff(items: ItemDiff[], streams: string[] = []): Diff {
  return {
    settings: [],
    items,
    impact: {
      currency: "EUR",
      unit_before: "hours",
      unit_after: "hours",
      streams: streams.map((text, i) => ({ id: `s${i}`, name: `S${i}`, text })),
      annual_delay_cost: [4_000_000, 3_700_000],
      annual_run_cost: [0, 0],
      scenarios: [],
      notes: [],
    },
  };
}

const show = (d: Diff) => {
  useStore.setState({ dialog: "differences", dialogArg: { title: "Compared with b.json", lead: "What b.json would change.", diff: d } });
  render(<DiffDialog />);
};

describe("DiffDialog", () => {
  it("lists the engine's sentences, marked as added, removed or changed, effect first", () => {
    show(diff([item("added", "PBC Cloud scoring added", "a"), item("removed", "stage Archive removed", "b"), item("changed", "stage KYC: wait 24 h -> 12 h", "c")], ["Mortgage: lead time 117.85 h -> 105.85 h"]));
    const rows = [...screen.getByTestId("diff-items").querySelectorAll("li")].map((l) => l.textContent);
    expect(rows).toEqual(["+PBC Cloud scoring added", "−stage Archive removed", "~stage KYC: wait 24 h -> 12 h"]);
    expect(screen.getByText("3 changes")).toBeInTheDocument();
    // one stream: its own line says the delay cost; no second "all streams" line
    expect(screen.getByTestId("diff-effect").querySelectorAll("li")).toHaveLength(1);
  });

  it("adds the total over several streams", () => {
    show(diff([item("changed", "x", "c")], ["A: ...", "B: ..."]));
    expect(screen.getByTestId("diff-effect")).toHaveTextContent("All streams: annual delay cost EUR 4.0m → EUR 3.7m");
  });

  it("says so when the models are the same", () => {
    show(diff([]));
    expect(screen.getByTestId("diff-same")).toHaveTextContent("No differences");
  });
});
