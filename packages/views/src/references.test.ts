import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { chanceLevel as chance, FLOAT32_MIN_NORMAL, FLOAT32_MIN_SUBNORMAL, independentSignAgreement } from "@gradscope/views";

describe("references", () => {
  it("gives chance level as 1/n accuracy and ln n loss", () => {
    expect(chance(3).accuracy.value).toBeCloseTo(1 / 3, 15);
    expect(chance(3).loss.value).toBeCloseTo(1.0986122886681098, 15);
    expect(() => chance(1)).toThrow(/classes must be an integer ≥ 2, got 1/);
  });

  it("gives float32's smallest normal and subnormal numbers exactly", () => {
    expect(Math.fround(FLOAT32_MIN_NORMAL)).toBe(FLOAT32_MIN_NORMAL);
    expect(FLOAT32_MIN_NORMAL).toBeCloseTo(1.1754943508222875e-38, 50);
    expect(Math.fround(FLOAT32_MIN_SUBNORMAL)).toBe(FLOAT32_MIN_SUBNORMAL);
    expect(Math.fround(FLOAT32_MIN_SUBNORMAL / 2)).toBe(0); // nothing smaller survives
  });

  it("gives the majority share of independent signs exactly; 0.5 + 0.4/√n is its large-n form", () => {
    expect(independentSignAgreement(1)).toBe(1);
    expect(independentSignAgreement(2)).toBeCloseTo(0.75, 15); // k = 0, 1, 2 with chances ¼, ½, ¼ give shares 1, ½, 1
    for (const n of [16, 64, 256]) expect(independentSignAgreement(n)).toBeCloseTo(0.5 + 1 / Math.sqrt(2 * Math.PI * n), 2);
    // against a seeded simulation of n independent fair signs
    const rng = createRng(1), n = 16, trials = 200_000;
    let sum = 0;
    for (let t = 0; t < trials; t++) {
      let k = 0;
      for (let i = 0; i < n; i++) k += rng.next() < 0.5 ? 1 : 0;
      sum += Math.max(k, n - k) / n;
    }
    expect(sum / trials).toBeCloseTo(independentSignAgreement(n), 2);
    expect(() => independentSignAgreement(0)).toThrow(/fan-in must be an integer ≥ 1/);
  });
});
