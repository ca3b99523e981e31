// The compose-your-own notebook's claims, each checked with its own presets, compiler and race
// configuration (notebooks/config/compose-your-own.ts) over three seeds.
import { describe, expect, it } from "vitest";
import { checkActivation } from "@gradscope/core/testing";
import type { Row } from "@gradscope/stream";
import { compileActivation, composeRuns, presets } from "../../../../notebooks/config/compose-your-own.ts";
import { CLAIM_TIMEOUT, evals, hiddenLayers, measured, overSeeds, trainRows } from "./trainRows.ts";

const TUTORIAL = "Leaky ReLU with the tutorial's f′", TRUE = "Leaky ReLU with its true f′";
/** "yours" in the race, trained with a preset's compiled activation. */
const yoursRun = (preset: { f: string; df: string }, seed: number, steps: number) =>
  trainRows(composeRuns({ seed }).yours, { activation: compileActivation(preset.f, preset.df).yours, steps });
const bestAcc = (rows: Row[]) => Math.max(...evals(rows).map((e) => e.accuracy));

describe("compose your own activation: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("the gradient check fails the tutorial's f′ (αeˣ) on the negative side and passes the true one and the derived ones at round-off level", () => {
    const tutorial = checkActivation(compileActivation(presets[TUTORIAL]!.f, presets[TUTORIAL]!.df).yours);
    measured("tutorial's f′: worst x, f′ there, finite difference", [tutorial.worst!.x, tutorial.worst!.analytic, tutorial.worst!.numeric], "one check");
    expect(tutorial.ok).toBe(false);
    expect(tutorial.worst!.x).toBeLessThan(0);
    expect(tutorial.worst!.numeric).toBeCloseTo(0.1, 6); // the true slope α
    for (const name of [TRUE, "Swish, β = 1.5", "Mish", "ELU, written out"]) {
      const c = checkActivation(compileActivation(presets[name]!.f, presets[name]!.df).yours);
      measured(`${name}: max relative error`, [c.maxRelError], "one check");
      expect(c.ok).toBe(true);
      expect(c.maxRelError).toBeLessThan(1e-6);
    }
  });

  it("a wrong f′ with the right sign still trains: the tutorial's Leaky ReLU reaches the true one's held-out accuracy (≥ 97 % within 3,000 steps)", async () => {
    const wrong = await overSeeds(async (seed) => bestAcc(await yoursRun(presets[TUTORIAL]!, seed, 3000)));
    const right = await overSeeds(async (seed) => bestAcc(await yoursRun(presets[TRUE]!, seed, 3000)));
    measured("tutorial's f′: best held-out accuracy in 3,000 steps", wrong);
    measured("true f′: best held-out accuracy in 3,000 steps", right);
    wrong.forEach((a, i) => {
      expect(a).toBeGreaterThanOrEqual(0.97);
      expect(a).toBeGreaterThan(right[i]! - 0.02);
    });
  });

  it("Swish (β = 1.5, the default preset) matches ReLU's held-out accuracy and has no dead unit, where ReLU has dead units on some batches", async () => {
    const swish = await overSeeds((seed) => yoursRun(presets["Swish, β = 1.5"]!, seed, 3000));
    const relu = await overSeeds((seed) => trainRows(composeRuns({ seed }).relu, { steps: 3000 }));
    const dead = (rows: Row[]) => Math.max(...hiddenLayers(rows).map((r) => r.deadFrac));
    measured("swish: best held-out accuracy", swish.map(bestAcc));
    measured("relu: best held-out accuracy", relu.map(bestAcc));
    measured("swish: largest dead fraction", swish.map(dead));
    measured("relu: largest dead fraction", relu.map(dead));
    swish.forEach((rows, i) => {
      expect(bestAcc(rows)).toBeGreaterThan(bestAcc(relu[i]!) - 0.02);
      expect(dead(rows)).toBe(0);
      expect(dead(relu[i]!)).toBeGreaterThan(0.2);
    });
  });

  it("tanh(5x), flat on both sides: it learns fast (≥ 95 % at its best), then saturates – and in float32 its units die – and by step 10,000 it has fallen back from its best (74–95 %)", async () => {
    const runs = await overSeeds((seed) => yoursRun({ f: "tanh(x.mul(5))", df: "" }, seed, 10000));
    const dead = runs.map((rows) => Math.max(...hiddenLayers(rows).map((r) => r.deadFrac)));
    const final = runs.map((rows) => evals(rows).at(-1)!.accuracy);
    measured("tanh(5x): best held-out accuracy", runs.map(bestAcc));
    measured("tanh(5x): held-out accuracy at step 10,000", final);
    measured("tanh(5x): largest dead fraction", dead);
    for (const rows of runs) expect(bestAcc(rows)).toBeGreaterThanOrEqual(0.95);
    // measured 4.2–50 % (one unit of 24 at the least); tanh(5x) rounds to ±1 beyond |x| ≈ 1.7
    for (const d of dead) expect(d).toBeGreaterThan(0);
    // measured 0.74, 0.953, 0.937 at step 10,000 against 0.97, 0.97, 0.98 at best
    runs.forEach((rows, i) => expect(final[i]!).toBeLessThanOrEqual(bestAcc(rows) - 0.01));
  });
});
