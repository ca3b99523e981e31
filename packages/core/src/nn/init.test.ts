import { describe, expect, it } from "vitest";
import { createRng, initializers, resolveInitializer } from "@gradscope/core";

// 200 000 draws: the sample variance of a distribution with kurtosis κ has relative standard error
// √((κ − 1)/n) ≤ √(2/200000) ≈ 0.32 % (normal, κ = 3); uniform (κ = 1.8) is tighter. 2 % is > 6 σ.
const n = 200_000;
const variance = (d: Float64Array) => {
  let s = 0, s2 = 0;
  for (const v of d) { s += v; s2 += v * v; }
  return s2 / d.length - (s / d.length) ** 2;
};

describe.each([
  ["standard", (i: number) => 1 / (3 * i)],
  ["glorot", (i: number, o: number) => 2 / (i + o)],
  ["glorotNormal", (i: number, o: number) => 2 / (i + o)],
  ["he", (i: number) => 2 / i],
  ["heNormal", (i: number) => 2 / i],
  ["lecun", (i: number) => 1 / i],
] as const)("initialiser %s", (name, theory) => {
  it("has the variance theory gives, mean 0", () => {
    const fanIn = 400, fanOut = 500;
    const d = new Float64Array(n);
    initializers[name](d, fanIn, fanOut, createRng(3));
    expect(variance(d) / theory(fanIn, fanOut)).toBeCloseTo(1, 1);
    expect(Math.abs(variance(d) / theory(fanIn, fanOut) - 1)).toBeLessThan(0.02);
    expect(Math.abs(d.reduce((a, b) => a + b, 0) / n)).toBeLessThan(5 * Math.sqrt(theory(fanIn, fanOut) / n));
  });
});

describe("resolveInitializer", () => {
  it("takes a number as a constant and a function as is", () => {
    const d = new Float64Array(3);
    resolveInitializer(-3)(d, 1, 1, createRng(1));
    expect([...d]).toEqual([-3, -3, -3]);
    expect(() => resolveInitializer(NaN)).toThrow("constant initialiser needs a finite value, got NaN");
  });
});
