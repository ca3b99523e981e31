import { describe, expect, it } from "vitest";
import { SELU_ALPHA, SELU_LAMBDA, createRng, selu } from "@gradscope/core";

describe("selu", () => {
  const p = selu.params;
  it("uses Klambauer et al.'s constants and has no parameters", () => {
    expect(SELU_LAMBDA).toBe(1.0507009873554804934193349852946);
    expect(SELU_ALPHA).toBe(1.6732632423543772848170429916717);
    expect(p).toEqual({});
  });
  it("has f(1) = λ, f(−1) = λα(e⁻¹ − 1), f → −λα", () => {
    expect(selu.f(1, p)).toBe(1.0507009873554805);
    expect(selu.f(-1, p)).toBeCloseTo(-1.1113307378125628, 15);
    expect(selu.f(-1e4, p)).toBeCloseTo(-SELU_LAMBDA * SELU_ALPHA, 15);
    expect(selu.f(1e4, p)).toBe(SELU_LAMBDA * 1e4);
  });
  it("has the left slope λα at the kink and λ to its right", () => {
    expect(selu.df(0, p, 0)).toBe(SELU_LAMBDA * SELU_ALPHA);
    expect(selu.df(1e-300, p, selu.f(1e-300, p))).toBe(SELU_LAMBDA);
  });
  it("keeps N(0, 1) inputs at mean 0, variance 1 (the fixed point)", () => {
    const rng = createRng(3);
    let sum = 0;
    let sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const y = selu.f(rng.normal(), p);
      sum += y;
      sq += y * y;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - mean * mean - 1)).toBeLessThan(0.01);
  });
});
