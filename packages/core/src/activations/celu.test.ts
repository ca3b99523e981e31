import { describe, expect, it } from "vitest";
import { celu, elu } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("celu", () => {
  it("equals elu at α = 1", () => {
    for (const x of [-5, -1, -0.1, 0, 0.3, 4]) expect(celu.f(x, celu.params)).toBe(elu.f(x, elu.params));
  });
  it("has slope 1 on both sides of 0 for any α", () => {
    const c = celu.with({ alpha: 0.25 });
    expect(c.df(0, c.params, 0)).toBe(1);
    expect(c.df(-1e-12, c.params, c.f(-1e-12, c.params))).toBeCloseTo(1, 11);
    expect(c.f(-1, c.params)).toBeCloseTo(0.25 * Math.expm1(-4), 15);
    expect(checkActivation(c).ok).toBe(true);
    expect(checkActivation(celu.with({ alpha: 3 })).ok).toBe(true);
  });
  it("rejects α = 0", () => {
    expect(() => celu.with({ alpha: 0 })).toThrow(/alpha must not be 0/);
  });
});
