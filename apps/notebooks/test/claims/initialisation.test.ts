// The initialisation notebook's claims, each trained in Node on its own configuration
// (notebooks/config/initialisation.ts) over three seeds.
import { describe, expect, it } from "vitest";
import type { Row } from "@gradscope/stream";
import { initRuns, inits, type InitInputs } from "../../../../notebooks/config/initialisation.ts";
import { evals, hiddenAt, hiddenLayers, mean, measured, overSeeds, trainRows , CLAIM_TIMEOUT } from "./trainRows.ts";

/** Per seed: [standard, glorot, he] rows, shortened to `steps`. */
const runsOf = (inputs: Partial<InitInputs>, steps: number) =>
  overSeeds((seed) => Promise.all(initRuns({ ...inputs, seed }).map((c) => trainRows(c, { steps }))));
/** Geometric mean of the per-layer factor of the activations' std at step 1 (before any update). */
const stdFactor = (rows: Row[]) => {
  const h = hiddenAt(rows, 1);
  return Math.exp(mean(h.slice(1).map((r, i) => Math.log(r.actStd / h[i]!.actStd))));
};
const byInit = <T>(runs: Row[][][], f: (rows: Row[]) => T) => inits.map((_, k) => runs.map((perSeed) => f(perSeed[k]!)));

describe("initialisation: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("tanh at initialisation: standard shrinks the activations' std by about √3 per layer, glorot keeps it level, he grows it until tanh caps it, and he's back-propagated gradients grow on their way to the input", async () => {
    const runs = await runsOf({}, 1);
    const [standard, glorot, he] = byInit(runs, stdFactor);
    const heGrowth = runs.map(([, , he]) => { const h = hiddenAt(he!, 1); return h.at(-1)!.actStd / h[0]!.actStd; });
    const heGrad = runs.map(([, , he]) => { const h = hiddenAt(he!, 1); return h[0]!.gradRmsZ / h.at(-1)!.gradRmsZ; });
    measured("tanh standard: std factor per layer (theory 1/√3 = 0.577)", standard!);
    measured("tanh glorot: std factor per layer (theory ≈ 1)", glorot!);
    measured("tanh he: last over first layer's std", heGrowth);
    measured("tanh he: RMS ∂L/∂z first over last layer", heGrad);
    for (const f of standard!) expect(Math.abs(f - 1 / Math.sqrt(3))).toBeLessThan(0.05);
    for (const f of glorot!) expect(Math.abs(f - 1)).toBeLessThan(0.06);
    for (const g of heGrowth) expect(g).toBeGreaterThan(1.2); // measured 1.27–1.37
    // "until tanh saturates near ±1, which caps the activations": std stays below 1
    for (const [, , rows] of runs) for (const r of hiddenAt(rows!, 1)) expect(r.actStd).toBeLessThan(1);
    for (const g of heGrad) expect(g).toBeGreaterThan(3); // measured 4.5–12
  });

  it("relu at initialisation: only he keeps the std level; glorot loses 1/√2 per layer and standard 1/√6", async () => {
    const [standard, glorot, he] = byInit(await runsOf({ activation: "relu" }, 1), stdFactor);
    measured("relu standard: std factor per layer (theory 1/√6 = 0.408)", standard!);
    measured("relu glorot: std factor per layer (theory 1/√2 = 0.707)", glorot!);
    measured("relu he: std factor per layer (theory 1)", he!);
    // one draw of 12 layers × 64 units per seed: allow ±0.1 around the factor theory gives
    for (const f of standard!) expect(Math.abs(f - 1 / Math.sqrt(6))).toBeLessThan(0.1);
    for (const f of glorot!) expect(Math.abs(f - Math.SQRT1_2)).toBeLessThan(0.1);
    for (const f of he!) expect(Math.abs(f - 1)).toBeLessThan(0.15);
  });

  it("tanh, Adam 0.003, 8,000 steps: standard and glorot learn (≥ 95 %), then explode, saturate, vanish and fall to ≤ 60 %; he, 'wrong' for tanh, keeps ≥ 97 %", async () => {
    const runs = await runsOf({}, 8000);
    const first = (rows: Row[]) => hiddenLayers(rows).filter((r) => r.layer === 0);
    const best = byInit(runs, (rows) => Math.max(...evals(rows).map((e) => e.accuracy)));
    const final = byInit(runs, (rows) => evals(rows).at(-1)!.accuracy);
    const peak = byInit(runs, (rows) => Math.max(...first(rows).map((r) => r.gradNormZ)));
    const end = byInit(runs, (rows) => first(rows).at(-1)!.gradNormZ);
    const saturated = byInit(runs, (rows) => mean(hiddenAt(rows, 8000).map((r) => r.saturatedFrac)));
    // vanishing: the first hidden layer's ‖∂L/∂z‖ against the last's, while the loss is still high
    const ratio = byInit(runs, (rows) => { const h = hiddenAt(rows, 8000); return h[0]!.gradNormZ / h.at(-1)!.gradNormZ; });
    const loss = byInit(runs, (rows) => evals(rows).at(-1)!.loss);
    for (const [k, init] of inits.entries()) {
      measured(`${init}: best held-out accuracy`, best[k]!);
      measured(`${init}: held-out accuracy at step 8,000`, final[k]!);
      measured(`${init}: largest first-layer ‖∂L/∂z‖`, peak[k]!);
      measured(`${init}: first-layer ‖∂L/∂z‖ at step 8,000`, end[k]!);
      measured(`${init}: saturated pairs at step 8,000 (mean over layers)`, saturated[k]!);
      measured(`${init}: first over last hidden layer's ‖∂L/∂z‖ at step 8,000`, ratio[k]!);
      measured(`${init}: held-out loss at step 8,000`, loss[k]!);
    }
    for (const k of [0, 1]) { // standard, glorot
      for (const a of best[k]!) expect(a).toBeGreaterThanOrEqual(0.95);
      for (const g of peak[k]!) expect(g).toBeGreaterThan(3); // explode …
      for (const s of saturated[k]!) expect(s).toBeGreaterThan(0.35); // … saturate …
      for (const g of end[k]!) expect(g).toBeLessThan(1e-3); // … vanish:
      for (const r of ratio[k]!) expect(r).toBeLessThan(0.1); // below the last layer's (measured 1.7e-7 … 0.044)
      for (const l of loss[k]!) expect(l).toBeGreaterThan(0.7); // while the loss is far from fitted
      for (const a of final[k]!) expect(a).toBeLessThanOrEqual(0.6);
    }
    for (const a of final[2]!) expect(a).toBeGreaterThanOrEqual(0.97);
    // he saturates less than both on every seed (measured 0.37, 0.18, 0.13 against 0.48–0.71)
    saturated[2]!.forEach((s, i) => expect(s).toBeLessThan(Math.min(saturated[0]![i]!, saturated[1]![i]!, 0.45)));
    for (const r of ratio[2]!) expect(r).toBeGreaterThan(1); // he's first layer still gets more than its last
  });
});
