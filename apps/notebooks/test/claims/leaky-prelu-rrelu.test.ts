// The Leaky ReLU / PReLU / RReLU notebook's claims, each checked on its own configuration
// (notebooks/config/leaky-prelu-rrelu.ts) over three seeds.
import { describe, expect, it } from "vitest";
import { createRng, rrelu, rreluPaper } from "@gradscope/core";
import type { Row } from "@gradscope/stream";
import { leakyRuns } from "../../../../notebooks/config/leaky-prelu-rrelu.ts";
import { CLAIM_TIMEOUT, evals, hiddenAt, hiddenLayers, mean, measured, overSeeds, seeds, stepRows, trainRows } from "./trainRows.ts";

const alphas = (rows: Row[], step: number) => hiddenAt(rows, step).map((r) => r.alpha!);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };

describe("Leaky ReLU, PReLU, RReLU: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("RReLU's slope sampler: with 20,000 draws the sample means sit within a few thousandths of the exact means (11/48 and ln(8/3)/5)", () => {
    for (const [act, exact] of [[rrelu, 11 / 48], [rreluPaper, Math.log(8 / 3) / 5]] as const) {
      const err = seeds.map((seed) => {
        const rng = createRng(seed);
        let sum = 0;
        for (let i = 0; i < 20000; i++) sum += act.train!.noise!(rng, act.params);
        return sum / 20000 - exact;
      });
      measured(`${act === rrelu ? "PyTorch" : "paper"} law: sample mean − exact`, err);
      // the slopes' standard deviation is at most (1/3 − 1/8)/√12 ≈ 0.06, so the mean's is ≤ 0.0004
      for (const e of err) expect(Math.abs(e)).toBeLessThan(0.001); // the page: "within a thousandth"
    }
  });

  it("PReLU from α = 0.25: within 300 steps the shared slopes move away and each layer goes its own way; per-unit slopes' layer means move less; within 3,000 steps some shared slope goes negative", async () => {
    const runs = await overSeeds((seed) => Promise.all(leakyRuns({ seed }).slice(0, 2).map((c) => trainRows(c, { steps: 3000 }))));
    const moved = runs.map(([shared]) => Math.max(...alphas(shared!, 300).map((a) => Math.abs(a - 0.25))));
    const spread = runs.map(([shared]) => { const a = alphas(shared!, 300); return Math.max(...a) - Math.min(...a); });
    const sharedMove = runs.map(([shared]) => mean(alphas(shared!, 300).map((a) => Math.abs(a - 0.25))));
    const unitMove = runs.map(([, perUnit]) => mean(alphas(perUnit!, 300).map((a) => Math.abs(a - 0.25))));
    const lowest = runs.map(([shared]) => Math.min(...hiddenLayers(shared!).map((r) => r.alpha!)));
    const acc = runs.flatMap((pair) => pair.map((rows) => evals(rows).at(-1)!.accuracy));
    measured("shared: largest |α − 0.25| at step 300", moved);
    measured("shared: spread of the layers' α at step 300", spread);
    measured("mean |α − 0.25| at step 300: shared", sharedMove);
    measured("… per unit (layer means)", unitMove);
    measured("shared: lowest α within 3,000 steps", lowest);
    measured("held-out accuracy at 3,000 (shared, per unit)", acc);
    for (const m of moved) expect(m).toBeGreaterThan(0.05);
    for (const s of spread) expect(s).toBeGreaterThan(0.05);
    unitMove.forEach((u, i) => expect(u).toBeLessThan(sharedMove[i]!));
    for (const l of lowest) expect(l).toBeLessThan(0);
    for (const a of acc) expect(a).toBeGreaterThan(0.95);
  });

  it("PReLU from α = 0 (TensorFlow.js): the units start as plain ReLUs, yet the shared slopes move – by 0.1 or more within 300 steps", async () => {
    const moved = await overSeeds(async (seed) => Math.max(...alphas(await trainRows(leakyRuns({ seed, initialAlpha: 0 })[0]!, { steps: 300 }), 300).map(Math.abs)));
    measured("shared, from 0: largest |α| at step 300", moved);
    for (const m of moved) expect(m).toBeGreaterThanOrEqual(0.1);
  });

  it("RReLU's random slopes keep its training loss higher than the fixed-slope Leaky ReLU's (median over steps 15,000–20,000, at least 1.5 ×), and all three reach ≥ 97 % held-out accuracy", async () => {
    const runs = await overSeeds((seed) => Promise.all(leakyRuns({ seed }).slice(2).map((c) => trainRows(c))));
    const late = (rows: Row[]) => median(stepRows(rows).filter((r) => r.step > 15000).map((r) => r.loss));
    const [pytorch, paper, leaky] = [0, 1, 2].map((k) => runs.map((perSeed) => late(perSeed[k]!)));
    const acc = runs.flatMap((perSeed) => perSeed.map((rows) => evals(rows).at(-1)!.accuracy));
    const rises = runs.flatMap((perSeed) => perSeed.map((rows) => { const e = evals(rows); return e.at(-1)!.loss / Math.min(...e.map((x) => x.loss)); }));
    measured("median training loss 15k–20k: RReLU PyTorch law", pytorch!);
    measured("… RReLU paper law", paper!);
    measured("… Leaky ReLU 1/5.5", leaky!);
    measured("held-out accuracy at 20,000 (PyTorch, paper, Leaky per seed)", acc);
    measured("final held-out loss over its minimum", rises);
    leaky!.forEach((l, i) => {
      expect(pytorch![i]!).toBeGreaterThan(1.5 * l);
      expect(paper![i]!).toBeGreaterThan(1.5 * l);
    });
    for (const a of acc) expect(a).toBeGreaterThanOrEqual(0.97);
    for (const r of rises) expect(r).toBeGreaterThan(1); // the held-out loss ends above its lowest point
  });
});
