import { describe, expect, it } from "vitest";
import { leakyRelu } from "@gradscope/core";

describe("leakyRelu", () => {
  const p = leakyRelu.params;
  it("defaults to PyTorch's α = 0.01", () => {
    expect(p.alpha).toBe(0.01);
  });
  it("is exact on both sides despite being branch-free", () => {
    for (const x of [3, 0.1, 1e-300, 7e300]) expect(leakyRelu.f(x, p)).toBe(x);
    for (const x of [-3, -0.1, -1e-300, -7e300]) expect(leakyRelu.f(x, p)).toBe(0.01 * x);
    expect(leakyRelu.f(0, p)).toBe(0);
  });
  it("has slope α for x < 0 (not αeˣ) and the left slope α exactly at the kink", () => {
    expect(leakyRelu.df(-5, p, leakyRelu.f(-5, p))).toBe(0.01);
    expect(leakyRelu.df(0, p, 0)).toBe(0.01);
    expect(leakyRelu.df(1e-300, p, 1e-300)).toBe(1);
    expect(leakyRelu.kinks).toEqual([0]);
  });
  it("takes TensorFlow.js's slope through with()", () => {
    const tf = leakyRelu.with({ alpha: 0.2 });
    expect(tf.f(-1, tf.params)).toBe(-0.2);
    expect(tf.df(-1, tf.params, -0.2)).toBe(0.2);
  });
});
