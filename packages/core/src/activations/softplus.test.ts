import { describe, expect, it } from "vitest";
import { softplus } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("softplus", () => {
  const p = softplus.params;
  it("has softplus(0) = ln 2 and f′ = σ(βx)", () => {
    expect(softplus.f(0, p)).toBe(Math.LN2);
    expect(softplus.df(0, p, Math.LN2)).toBe(0.5);
    const b = softplus.with({ beta: 2 });
    expect(b.f(0, b.params)).toBe(Math.LN2 / 2);
    expect(checkActivation(b).ok).toBe(true);
  });
  it("is stable: x for large x, e^x for very negative x, no overflow", () => {
    expect(softplus.f(1e4, p)).toBe(1e4);
    expect(softplus.f(-1e4, p)).toBe(0);
    expect(softplus.f(-50, p)).toBeCloseTo(Math.exp(-50), 35);
    expect(softplus.df(1e4, p, 1e4)).toBe(1);
    expect(softplus.df(-1e4, p, 0)).toBe(0);
  });
  it("rejects β ≤ 0", () => {
    expect(() => softplus.with({ beta: 0 })).toThrow(/beta must be > 0/);
    expect(() => softplus.with({ beta: -1 })).toThrow(/beta/);
  });
});
