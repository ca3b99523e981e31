import { describe, expect, it } from "vitest";
import { elu } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("elu", () => {
  const p = elu.params;
  it("is x for x > 0 and α(eˣ − 1) below", () => {
    expect(elu.f(2, p)).toBe(2);
    expect(elu.f(-1, p)).toBeCloseTo(Math.exp(-1) - 1, 16);
    expect(elu.f(-1e-20, p)).toBe(-1e-20); // expm1 keeps tiny inputs exact
    expect(elu.f(-1e4, p)).toBe(-1);
    expect(elu.f(1e4, p)).toBe(1e4);
  });
  it("has f′ = f + α = αeˣ for x < 0, and the left slope α at the kink", () => {
    const a = elu.with({ alpha: 0.5 });
    expect(a.df(-1, a.params, a.f(-1, a.params))).toBeCloseTo(0.5 * Math.exp(-1), 15);
    expect(a.df(0, a.params, 0)).toBe(0.5);
    expect(a.df(1e-300, a.params, 1e-300)).toBe(1);
    expect(elu.df(0, p, 0)).toBe(1); // α = 1: both sides agree
  });
  it("passes the gradient check with other α", () => {
    for (const alpha of [0.1, 2]) expect(checkActivation(elu.with({ alpha })).ok).toBe(true);
  });
});
