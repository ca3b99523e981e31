import { describe, expect, it } from "vitest";
import { swish } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("swish", () => {
  it("is x·σ(βx)", () => {
    expect(swish.f(1, swish.params)).toBeCloseTo(0.7310585786300049, 15);
    const half = swish.with({ beta: 0 });
    expect(half.f(3, half.params)).toBe(1.5); // β = 0: x/2
    const steep = swish.with({ beta: 50 });
    expect(steep.f(2, steep.params)).toBe(2); // β → ∞: relu
    expect(steep.f(-2, steep.params)).toBeCloseTo(0, 40);
  });
  it("passes the gradient check for other β", () => {
    for (const beta of [0, 0.5, 3, -1]) expect(checkActivation(swish.with({ beta })).ok).toBe(true);
  });
  it("is finite, not NaN, when e^(−βx) overflows", () => {
    expect(swish.f(-1e4, swish.params)).toBe(-0);
    expect(swish.df(-1e4, swish.params, 0)).toBe(0);
  });
});
