import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { sampleProductOfUniforms } from "@gradscope/views";

describe("sampleProductOfUniforms", () => {
  it("is deterministic for a seeded generator", () => {
    const a = sampleProductOfUniforms({ draws: 5, random: createRng(7).next });
    const b = sampleProductOfUniforms({ draws: 5, random: createRng(7).next });
    expect(a).toEqual(b);
    expect(a.every((d) => d.factors === 50)).toBe(true);
  });

  it("has mean log10 −factors / ln 10, and ~89% of 50-factor products below 1e-18", () => {
    // −ln(product) ~ Gamma(50, 1): E = 50, so E[log10] = −50/ln 10 ≈ −21.71; P(Gamma(50,1) > 18 ln 10) ≈ 0.886.
    const rows = sampleProductOfUniforms({ factors: 50, draws: 20_000, random: createRng(1).next });
    const mean = rows.reduce((s, d) => s + d.log10, 0) / rows.length;
    expect(mean).toBeCloseTo(-50 / Math.LN10, 1);
    const below = rows.filter((d) => d.log10 < -18).length / rows.length;
    expect(below).toBeGreaterThan(0.87);
    expect(below).toBeLessThan(0.9);
  });

  it("reports products below float64's range instead of 0", () => {
    const [d] = sampleProductOfUniforms({ factors: 1000, draws: 1, random: createRng(1).next });
    expect(d!.log10).toBeLessThan(-400); // the plain product would underflow to 0
    expect(Number.isFinite(d!.log10)).toBe(true);
  });
});
