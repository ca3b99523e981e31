// The vanishing-gradients notebook's claims, each trained in Node on its own configuration
// (notebooks/config/vanishing-gradients.ts) over three seeds.
import { describe, expect, it } from "vitest";
import { vanishingRun } from "../../../../notebooks/config/vanishing-gradients.ts";
import { evals, hiddenAt, hiddenLayers, measured, overSeeds, status, trainRows , CLAIM_TIMEOUT } from "./trainRows.ts";

const LN3 = Math.log(3); // the loss of a uniform guess over three classes
/** log₁₀ of ‖∂L/∂z‖ at the first hidden layer over that at the last, at one probed step. */
const decades = (rows: Awaited<ReturnType<typeof trainRows>>, step: number) => {
  const h = hiddenAt(rows, step);
  return Math.log10(h[0]!.gradNormZ / h[h.length - 1]!.gradNormZ);
};

describe("vanishing gradients: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("20 sigmoid layers, standard init: the first layer's ‖∂L/∂z‖ is more than 15 decades below the last's, at step 1 and through all 20,000 steps (measured −16.0 to −16.5 at step 1)", async () => {
    const runs = await overSeeds((seed) => trainRows(vanishingRun({ seed })));
    const first = runs.map((rows) => decades(rows, 1));
    const spread = runs.map((rows) => {
      // per probed step: ‖∂L/∂z‖ of the first and of the last hidden layer
      const ends = new Map<number, [number, number]>();
      for (const r of hiddenLayers(rows)) {
        const e = ends.get(r.step) ?? [NaN, NaN];
        if (r.layer === 0) e[0] = r.gradNormZ;
        else e[1] = r.gradNormZ; // rows come input side first: the last one written is the last layer
        ends.set(r.step, e);
      }
      const all = [...ends.values()].map(([a, b]) => Math.log10(a / b));
      return Math.max(...all) - Math.min(...all);
    });
    measured("decades first/last hidden layer at step 1", first);
    measured("spread of those decades over all probed steps", spread);
    for (const d of first) expect(d).toBeLessThan(-15);
    // "training does not repair this": the lines of later steps lie on the early ones (within a decade)
    for (const s of spread) expect(s).toBeLessThan(1);
    // "the held-out loss stays at ln 3 ≈ 1.10": never better than chance, and ends within 0.01 of ln 3
    const best = runs.map((rows) => Math.max(...evals(rows).map((e) => e.accuracy)));
    const last = runs.map((rows) => evals(rows).at(-1)!.loss);
    measured("best held-out accuracy", best);
    measured("final held-out loss", last);
    for (const a of best) expect(a).toBeLessThanOrEqual(0.34); // chance is 1/3 on the balanced spiral
    for (const l of last) expect(Math.abs(l - LN3)).toBeLessThan(0.01);
  });

  it("glorot: the slope flattens but does not vanish – about 12 decades instead of 16 – and the net still sits at chance (measured −11.7 to −12.5)", async () => {
    const runs = await overSeeds((seed) => trainRows(vanishingRun({ seed, init: "glorot" })));
    const first = runs.map((rows) => decades(rows, 1));
    const best = runs.map((rows) => Math.max(...evals(rows).map((e) => e.accuracy)));
    measured("glorot: decades first/last at step 1", first);
    measured("glorot: best held-out accuracy", best);
    for (const d of first) {
      expect(d).toBeGreaterThan(-14); // flatter than standard's −16 …
      expect(d).toBeLessThan(-10); //    … but still ten and more decades: σ′ ≤ ¼ per layer remains
    }
    for (const a of best) expect(a).toBeLessThanOrEqual(0.34);
  });

  it("relu + he at learning rate 0.1: the lines go flat (within a decade), the net learns, then breaks down within about 9,000 steps – a layer dies or the loss diverges – and ends at ≤ 50 % accuracy", async () => {
    const runs = await overSeeds((seed) => trainRows(vanishingRun({ seed, activation: "relu", init: "he" })));
    const first = runs.map((rows) => decades(rows, 1));
    const best = runs.map((rows) => Math.max(...evals(rows).map((e) => e.accuracy)));
    // the step at which a hidden layer is first entirely dead on its batch, or the run diverged
    const broke = runs.map((rows) => {
      const dead = hiddenLayers(rows).find((r) => r.deadFrac === 1)?.step ?? Infinity;
      const s = status(rows);
      return Math.min(dead, s.status === "diverged" ? s.step : Infinity);
    });
    const final = runs.map((rows) => evals(rows).at(-1)!.accuracy);
    measured("relu/he: decades first/last at step 1", first);
    measured("relu/he: best held-out accuracy", best);
    measured("relu/he: step of the first fully dead layer or divergence", broke);
    measured("relu/he: final held-out accuracy", final);
    for (const d of first) expect(Math.abs(d)).toBeLessThan(1);
    // It learns first: 70–92 % with SIMD128 (Node 20) – the run is chaotic at this learning rate, so
    // rounding alone (relaxed SIMD in Chromium, Node 22) moves when and how it breaks.
    for (const a of best) expect(a).toBeGreaterThanOrEqual(0.65); // measured 0.773, 0.70, 0.917
    for (const s of broke) expect(s).toBeLessThanOrEqual(10000); // measured 8,810, 2,290, 245
    for (const a of final) expect(a).toBeLessThanOrEqual(0.5);
  });

  it("relu + he at learning rate 0.01 learns the spiral: ≥ 95 % held-out accuracy by step 5,000", async () => {
    const acc = await overSeeds(async (seed) => evals(await trainRows(vanishingRun({ seed, activation: "relu", init: "he", lr: 0.01 }), { steps: 5000 })).at(-1)!.accuracy);
    measured("relu/he lr 0.01: held-out accuracy at step 5,000", acc);
    for (const a of acc) expect(a).toBeGreaterThanOrEqual(0.95);
  });

  it("60 sigmoid layers: the first layers' ‖∂L/∂z‖ is exactly 0 in float32, and tiny but not 0 in float64", async () => {
    const at1 = (precision: "float32" | "float64") =>
      overSeeds(async (seed) => hiddenAt(await trainRows(vanishingRun({ seed, depth: 60, precision }), { steps: 1 }), 1));
    const f32 = await at1("float32"), f64 = await at1("float64");
    const zeros = f32.map((h) => h.filter((r) => r.gradNormZ === 0).length);
    const smallest = f64.map((h) => h[0]!.gradNormZ);
    measured("float32: hidden layers with ‖∂L/∂z‖ = 0 (of 60)", zeros);
    measured("float64: first layer's ‖∂L/∂z‖", smallest);
    for (const [i, h] of f32.entries()) {
      expect(zeros[i]).toBeGreaterThanOrEqual(5);
      // the zeros are the first layers, the input side: a contiguous run from layer 0
      expect(h.slice(0, zeros[i]).every((r) => r.gradNormZ === 0)).toBe(true);
    }
    for (const s of smallest) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1e-45); // below float32's smallest subnormal, 1.4e-45: float64 holds it
    }
  });
});
