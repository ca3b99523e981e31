import { describe, expect, it } from "vitest";
import { formatLogTick, logAxis, logTicks } from "@gradscope/views";

describe("formatLogTick", () => {
  it("writes powers of ten as 10ⁿ, never with SI prefixes", () => {
    expect(formatLogTick(1e-18)).toBe("10⁻¹⁸");
    expect(formatLogTick(1e-45)).toBe("10⁻⁴⁵");
    expect(formatLogTick(1e6)).toBe("10⁶");
    expect([0.1, 1, 10, 100].map(formatLogTick)).toEqual(["0.1", "1", "10", "100"]);
    expect(formatLogTick(0.25)).toBe("0.25");
    expect(formatLogTick(2e-5)).toBe("2×10⁻⁵");
    expect(formatLogTick(0)).toBe("0");
  });
});

describe("logTicks", () => {
  it("thins many decades to every k-th power of ten", () => {
    const ticks = logTicks(1e-18, 0.3, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.every((t) => Number.isInteger(Math.log10(t)))).toBe(true);
  });
  it("uses 1, 2, 5 × 10ⁿ over one or two decades, and nice steps within one", () => {
    expect(logTicks(0.2, 2.3)).toEqual([0.2, 0.5, 1, 2]);
    expect(logTicks(1.08, 1.13).length).toBeGreaterThanOrEqual(2);
  });
});

describe("logAxis", () => {
  it("places exact zeros in a band below the smallest positive value, labelled 0", () => {
    const axis = logAxis([0, 1e-6, 1e-2], { label: "‖∂L/∂z‖" });
    expect(axis.hasZeros).toBe(true);
    const zero = axis.place(0)!;
    expect(zero).toBeLessThan(-6);
    expect(zero).toBeGreaterThan(axis.scale.domain[0]);
    expect(axis.scale.tickFormat(zero)).toBe("0");
    expect(axis.place(1e-6)).toBeCloseTo(-6, 12);
    expect(axis.place(-1)).toBeUndefined();
    expect(axis.place(NaN)).toBeUndefined();
    expect(axis.scale.label).toBe("‖∂L/∂z‖ (log scale)");
    expect(logAxis([1e-6, 1e-2], { label: "x" }).marks).toHaveLength(0);
  });
});
