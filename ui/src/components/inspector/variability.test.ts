import { describe, expect, it } from "vitest";
import { follow, presetDistribution, presetOf } from "./variability";

describe("variability presets", () => {
  it("write a log-normal whose median is the typical time and whose 90th percentile is its multiple", () => {
    expect(presetDistribution("steady", 4)).toBeUndefined();
    expect(presetDistribution("little", 4)).toEqual({ type: "lognormal", median: 4, p90: 6 });
    expect(presetDistribution("lot", 4)).toEqual({ type: "lognormal", median: 4, p90: 12 });
    // a stage without time has nothing to vary
    expect(presetDistribution("lot", 0)).toBeUndefined();
  });

  it("are recognised again in what the file holds, and anything else is custom", () => {
    for (const p of ["little", "lot"] as const) expect(presetOf(presetDistribution(p, 2.5), 2.5)).toBe(p);
    expect(presetOf(undefined, 2.5)).toBe("steady");
    expect(presetOf({ type: "fixed", value: 2.5 }, 2.5)).toBe("steady");
    expect(presetOf({ type: "fixed", value: 3 }, 2.5)).toBe("custom");
    expect(presetOf({ type: "lognormal", median: 2.5, p90: 5 }, 2.5)).toBe("custom");
    expect(presetOf({ type: "uniform", min: 1, max: 4 }, 2.5)).toBe("custom");
  });

  it("follow the typical time when it is changed, and a custom distribution stays as it is", () => {
    expect(follow(presetDistribution("lot", 2), 2, 5)).toEqual({ type: "lognormal", median: 5, p90: 15 });
    const custom = { type: "uniform", min: 1, max: 4 } as const;
    expect(follow(custom, 2, 5)).toBe(custom);
    expect(follow(undefined, 2, 5)).toBeUndefined();
  });
});
