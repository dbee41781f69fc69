import { describe, expect, it } from "vitest";
import { duration, money, moneyShort, number, parseNumber, percent, prose } from "./format";

// The same cases as crates/core/src/format.rs: the app and the reports must agree.
describe("format", () => {
  it("drops spurious decimals and keeps small numbers readable", () => {
    expect(number(40)).toBe("40");
    expect(number(2.3625)).toBe("2.36");
    expect(number(0.5)).toBe("0.5");
    expect(number(0.0167)).toBe("0.017");
    expect(number(0)).toBe("0");
    expect(number(-0.001)).toBe("\u22120.001");
    expect(percent(0.068783)).toBe("6.9 %");
    expect(duration(94.5, "hours")).toBe("94.5 h");
  });
  it("writes money the way a board pack does", () => {
    expect(money(1_228_500, "EUR")).toBe("EUR 1,228,500");
    expect(money(-416_000.4, "EUR")).toBe("\u2212EUR 416,000");
    expect(money(-0.2, "EUR")).toBe("EUR 0");
    expect(moneyShort(1_228_500, "EUR")).toBe("EUR 1.2m");
    expect(moneyShort(4_044_612, "EUR")).toBe("EUR 4.0m");
    expect(moneyShort(416_000, "EUR")).toBe("EUR 416k");
    expect(moneyShort(2_500, "EUR")).toBe("EUR 2.5k");
    expect(moneyShort(-3_000_000, "EUR")).toBe("\u2212EUR 3.0m");
    expect(moneyShort(-350_000, "EUR")).toBe("\u2212EUR 350k");
  });
  it("writes the screen's arrow in engine prose", () => {
    expect(prose("Assess: wait 24 -> 8 h")).toBe("Assess: wait 24 → 8 h");
  });
  it("reads what people type", () => {
    expect(parseNumber("1,5")).toBe(1.5);
    expect(parseNumber(" 8 ")).toBe(8);
    expect(parseNumber("six")).toBeNull();
    expect(parseNumber("")).toBeNull();
  });
});
