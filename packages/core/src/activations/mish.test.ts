import { describe, expect, it } from "vitest";
import { mish } from "@gradscope/core";

describe("mish", () => {
  const p = mish.params;
  it("matches closed-form values", () => {
    expect(mish.f(1, p)).toBeCloseTo(0.8650983882673103, 15);
    expect(mish.f(-1, p)).toBeCloseTo(-0.3034014613741089, 15);
    expect(mish.f(0, p)).toBe(0);
    expect(mish.df(0, p, 0)).toBeCloseTo(Math.tanh(Math.LN2), 15);
  });
  it("does not overflow at ±1e4", () => {
    expect(mish.f(1e4, p)).toBe(1e4);
    expect(mish.f(-1e4, p)).toBe(-0);
    expect(mish.df(1e4, p, 1e4)).toBe(1);
    expect(mish.df(-1e4, p, 0)).toBe(0);
  });
});
