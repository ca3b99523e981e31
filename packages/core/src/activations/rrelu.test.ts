import { describe, expect, it } from "vitest";
import { createRng, jsBackend, rrelu, rreluPaper, type Activation, type ActivationParams, type ActivationState } from "@gradscope/core";

type Law = { mean: number; variance: number; min: number; max: number; cdf: (s: number) => number };

// PyTorch: s ~ U(1/8, 1/3).  Paper: s = 1/a, a ~ U(3, 8), so P(s ≤ t) = P(a ≥ 1/t) = (8 − 1/t)/5.
const pytorchLaw: Law = {
  mean: 11 / 48,
  variance: (1 / 3 - 1 / 8) ** 2 / 12,
  min: 1 / 8,
  max: 1 / 3,
  cdf: (s) => (s - 1 / 8) / (1 / 3 - 1 / 8),
};
const paperMean = Math.log(8 / 3) / 5; // E[1/a]
const paperLaw: Law = {
  mean: paperMean,
  variance: 1 / 24 - paperMean ** 2, // E[1/a²] = (1/3 − 1/8)/5 = 1/24
  min: 1 / 8,
  max: 1 / 3,
  cdf: (s) => (8 - 1 / s) / 5,
};

function slopes<P extends ActivationParams>(act: Activation<P>, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const train = act.train;
  if (!train) throw new Error(`${act.name} has no training mode`);
  const s = new Float64Array(n);
  // read the slope back through f, as the graph would see it
  for (let i = 0; i < n; i++) s[i] = -train.f(-1, act.params, train.noise(rng, act.params));
  return s;
}

/** Kolmogorov–Smirnov statistic of a sample against a continuous CDF. */
function ks(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const F = cdf(x);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  });
  return d;
}

describe("rrelu", () => {
  const n = 100_000;
  it.each([
    ["PyTorch's law (default)", rrelu, pytorchLaw],
    ["the paper's law (rreluPaper)", rreluPaper, paperLaw],
  ] as const)("draws training slopes from %s", (_, act, law) => {
    const s = slopes(act, n, 42);
    let sum = 0;
    let sq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of s) {
      sum += v;
      sq += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    expect(Math.abs(mean - law.mean)).toBeLessThan(5 * Math.sqrt(law.variance / n));
    expect(Math.abs(variance / law.variance - 1)).toBeLessThan(0.02);
    expect(min).toBeGreaterThanOrEqual(law.min);
    expect(max).toBeLessThanOrEqual(law.max);
    expect(ks(s, law.cdf)).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it("fails the KS test against the other law (the test has power)", () => {
    expect(ks(slopes(rrelu, n, 42), paperLaw.cdf)).toBeGreaterThan(1.63 / Math.sqrt(n));
    expect(ks(slopes(rreluPaper, n, 42), pytorchLaw.cdf)).toBeGreaterThan(1.63 / Math.sqrt(n));
  });

  it("uses a fixed slope in eval mode: (lower + upper)/2, or 1/5.5 for the paper", () => {
    expect(rrelu.params).toEqual({ lower: 1 / 8, upper: 1 / 3, inverse: 0 });
    expect(rrelu.df(-1, rrelu.params, 0)).toBe(11 / 48);
    expect(rrelu.f(-2, rrelu.params)).toBe(-22 / 48);
    expect(rreluPaper.params).toEqual({ lower: 3, upper: 8, inverse: 1 });
    expect(rreluPaper.df(-1, rreluPaper.params, 0)).toBe(1 / 5.5);
    expect(rreluPaper.f(-5.5, rreluPaper.params)).toBe(-1);
  });

  it("passes x > 0 through and takes the left slope exactly at the kink, in both modes", () => {
    const p = rrelu.params;
    expect(rrelu.f(3, p)).toBe(3);
    expect(rrelu.df(0, p, 0)).toBe(11 / 48);
    expect(rrelu.df(1e-300, p, 1e-300)).toBe(1);
    expect(rrelu.train?.f(3, p, 0.2)).toBe(3);
    expect(rrelu.train?.df(0, p, 0.2)).toBe(0.2);
    expect(rrelu.train?.df(1e-300, p, 0.2)).toBe(1);
  });

  it.each([
    ["float32", Float32Array],
    ["float64", Float64Array],
  ] as const)("uses in the %s backward pass the very slope its forward pass used", (_, Arr) => {
    // z < 0 everywhere, so a = s·z forward and dz = s·da backward: with da = 1, dz is the slope the
    // backward pass used, and the forward value must be that slope times z, rounded once to the dtype.
    const n = 4096;
    const rng = createRng(3);
    const z = new Arr(n).map(() => -rng.uniform(0.1, 10));
    const a = new Arr(n), dz = new Arr(n), da = new Arr(n).fill(1);
    for (const act of [rrelu, rreluPaper]) {
      const s: ActivationState = { act, params: { ...act.params }, learned: [], learnedGrad: [], noise: new Arr(n), rng: createRng(5) };
      jsBackend.activationForward(s, z, a, 1, n, true);
      jsBackend.activationBackward(s, z, a, da, dz, 1, n, true, false);
      const round = Arr === Float32Array ? Math.fround : (x: number) => x;
      let mismatches = 0;
      for (let i = 0; i < n; i++) if (a[i] !== round(z[i]! * dz[i]!)) mismatches++;
      expect(mismatches).toBe(0);
      // and the slopes really are random training slopes, not the eval slope
      expect(new Set(dz).size).toBeGreaterThan(n / 2);
    }
  });

  it("rejects bad parameters, naming them", () => {
    expect(() => rrelu.with({ lower: -0.1 })).toThrow(/lower must be ≥ 0/);
    expect(() => rrelu.with({ lower: 0.5 })).toThrow(/lower must be ≤ upper/);
    expect(() => rrelu.with({ upper: 0.1 })).toThrow(/upper/);
    expect(() => rrelu.with({ inverse: 2 })).toThrow(/inverse must be 0 or 1/);
    expect(() => rrelu.with({ lower: 0, upper: 8, inverse: 1 })).toThrow(/lower must be > 0 when inverse/);
    expect(() => rrelu.with({ slope: 0.2 } as never)).toThrow(/slope/);
  });
});
