import { describe, expect, it } from "vitest";
import { isBenign } from "./ErrorBoundary";

describe("isBenign", () => {
  it("lets the browser's deferred resize notifications pass, and nothing else", () => {
    expect(isBenign({ error: null, message: "ResizeObserver loop completed with undelivered notifications." })).toBe(true);
    expect(isBenign({ error: null, message: "ResizeObserver loop limit exceeded" })).toBe(true);
    expect(isBenign({ error: new Error("ResizeObserver loop"), message: "ResizeObserver loop" })).toBe(false);
    expect(isBenign({ error: null, message: "Script error." })).toBe(false);
    expect(isBenign({ error: new TypeError("x is undefined"), message: "TypeError: x is undefined" })).toBe(false);
  });
});
