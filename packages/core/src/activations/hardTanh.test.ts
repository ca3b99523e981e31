import { describe, expect, it } from "vitest";
import { hardTanh } from "@gradscope/core";

describe("hardTanh", () => {
  const p = hardTanh.params;
  it("clamps to [min, max]", () => {
    expect(hardTanh.f(-5, p)).toBe(-1);
    expect(hardTanh.f(0.3, p)).toBe(0.3);
    expect(hardTanh.f(5, p)).toBe(1);
    const h = hardTanh.with({ min: 0, max: 6 }); // relu6
    expect(h.f(7, h.params)).toBe(6);
    expect(h.f(-7, h.params)).toBe(0);
  });
  it("has f′ = 0 exactly at both kinks (the flat side) and 1 between", () => {
    expect(hardTanh.kinks).toEqual([-1, 1]);
    expect(hardTanh.df(-1, p, -1)).toBe(0);
    expect(hardTanh.df(1, p, 1)).toBe(0);
    expect(hardTanh.df(0.999999, p, 0.999999)).toBe(1);
    expect(hardTanh.df(-0.999999, p, -0.999999)).toBe(1);
  });
  it("reports kinks that follow min and max", () => {
    expect(hardTanh.with({ min: 0, max: 6 }).kinks).toEqual([0, 6]);
    expect(hardTanh.with({ min: -2.5 }).kinks).toEqual([-2.5, 1]);
    const h = hardTanh.with({ min: -3, max: 2 });
    expect(h.df(-3, h.params, -3)).toBe(0);
    expect(h.df(2, h.params, 2)).toBe(0);
  });
  it("rejects min ≥ max", () => {
    expect(() => hardTanh.with({ min: 1 })).toThrow(/min must be < max/);
    expect(() => hardTanh.with({ max: -2 })).toThrow(/max/);
  });
});
