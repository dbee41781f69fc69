import { describe, expect, it } from "vitest";
import { dropCommand } from "./pbcDrag";

const card = { kind: "pbc" as const, pbc: "avm", label: "AVM" };
const chip = { kind: "chip" as const, pbc: "dms", stream: "mortgage", stage: "kyc", label: "DMS" };
const onto = { stream: "mortgage", stage: "valuation" };

describe("dropCommand", () => {
  it("assigns a dropped card in the baseline, and adds it as a change in a scenario", () => {
    expect(dropCommand(card, onto, null)).toEqual({
      type: "assign",
      assignment: { pbc: "avm", stream: "mortgage", stage: "valuation", process_time: 0, wait_time: 0 },
    });
    expect(dropCommand(card, onto, "future")).toMatchObject({ type: "upsert_change", scenario: "future", change: { kind: "assign_pbc", pbc: "avm" } });
  });
  it("moves a chip to another stage and removes it on the library", () => {
    expect(dropCommand(chip, onto, null)).toEqual({
      type: "move_assignment",
      pbc: "dms",
      stream: "mortgage",
      from_stage: "kyc",
      to_stream: "mortgage",
      to_stage: "valuation",
    });
    expect(dropCommand(chip, { library: true }, null)).toEqual({ type: "unassign", pbc: "dms", stream: "mortgage", stage: "kyc" });
  });
  it("refuses a drop on empty canvas, on the chip's own stage, or of a card on the library", () => {
    expect(dropCommand(card, null, null)).toBeNull();
    expect(dropCommand(chip, { stream: "mortgage", stage: "kyc" }, null)).toBeNull();
    expect(dropCommand(card, { library: true }, null)).toBeNull();
  });
});
