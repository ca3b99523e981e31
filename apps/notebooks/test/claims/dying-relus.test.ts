// The dying-ReLUs notebook's claims, each trained in Node on its own configuration
// (notebooks/config/dying-relus.ts) over three seeds.
import { describe, expect, it } from "vitest";
import type { BoundaryRow, Row } from "@gradscope/stream";
import { dyingRuns, type DyingInputs } from "../../../../notebooks/config/dying-relus.ts";
import { evals, hiddenAt, hiddenLayers, layers, mean, measured, overSeeds, trainRows , CLAIM_TIMEOUT } from "./trainRows.ts";

/** [relu rows, other rows] per seed, shortened to `steps`. */
const pairs = (inputs: Partial<DyingInputs>, steps: number) =>
  overSeeds((seed) => Promise.all(dyingRuns({ ...inputs, seed }).map((c) => trainRows(c, { steps }))));
const meanDead = (rows: Row[], step: number) => mean(hiddenAt(rows, step).map((r) => r.deadFrac));
const lastBoundary = (rows: Row[]) => rows.filter((r): r is BoundaryRow => r.type === "boundary").at(-1)!;

describe("dying ReLUs: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("bias init −1 (defaults): every ReLU hidden layer above the first is dead at step 1, every weight gradient is exactly 0 through 2,000 steps and the net sits at chance, predicting one class everywhere; Leaky ReLU, from the same weights, has no dead unit and learns (≥ 95 % by step 2,000)", async () => {
    const runs = await pairs({}, 2000);
    // the first layer sees the data, so some of its units can be on; every layer above it is entirely off
    const deadAt1 = runs.map(([relu]) => Math.min(...hiddenAt(relu!, 1).slice(1).map((r) => r.deadFrac)));
    measured("relu: first hidden layer's dead fraction at step 1", runs.map(([relu]) => hiddenAt(relu!, 1)[0]!.deadFrac));
    const largestGradW = runs.map(([relu]) => Math.max(...layers(relu!).map((r) => r.gradNormW)));
    const reluBest = runs.map(([relu]) => Math.max(...evals(relu!).map((e) => e.accuracy)));
    const reluClasses = runs.map(([relu]) => new Set(lastBoundary(relu!).classes).size);
    const leakyDead = runs.map(([, leaky]) => Math.max(...hiddenLayers(leaky!).map((r) => r.deadFrac)));
    const leakyAcc = runs.map(([, leaky]) => evals(leaky!).at(-1)!.accuracy);
    const leakyClasses = runs.map(([, leaky]) => new Set(lastBoundary(leaky!).classes).size);
    measured("relu: least dead hidden layer above the first at step 1", deadAt1);
    measured("relu: largest ‖∂L/∂W‖ of any layer over 2,000 steps", largestGradW);
    measured("relu: best held-out accuracy", reluBest);
    measured("relu: classes predicted over the plane at the end", reluClasses);
    measured("leaky: largest dead fraction", leakyDead);
    measured("leaky: held-out accuracy at step 2,000", leakyAcc);
    measured("leaky: classes predicted over the plane", leakyClasses);
    for (const d of deadAt1) expect(d).toBe(1);
    for (const g of largestGradW) expect(g).toBe(0);
    for (const a of reluBest) expect(a).toBeLessThanOrEqual(0.34);
    for (const c of reluClasses) expect(c).toBe(1);
    for (const d of leakyDead) expect(d).toBe(0);
    for (const a of leakyAcc) expect(a).toBeGreaterThanOrEqual(0.95);
    for (const c of leakyClasses) expect(c).toBe(3);
  });

  it("bias init 0, learning rate 0.1: ReLU's dead fraction climbs during training (to 50 % or more of the hidden units by step 2,000) while Leaky ReLU has none; at 0.001 at most 15 % are dead by then", async () => {
    const fast = await pairs({ biasInit: 0, lr: 0.1 }, 2000);
    const slow = await pairs({ biasInit: 0, lr: 0.001 }, 2000);
    const start = fast.map(([relu]) => meanDead(relu!, 1));
    const later = fast.map(([relu]) => meanDead(relu!, 2000));
    const leaky = fast.map(([, leaky]) => Math.max(...hiddenLayers(leaky!).map((r) => r.deadFrac)));
    const gentle = slow.map(([relu]) => meanDead(relu!, 2000));
    measured("relu lr 0.1: mean dead fraction of hidden layers at step 1", start);
    measured("relu lr 0.1: at step 2,000", later);
    measured("leaky lr 0.1: largest dead fraction", leaky);
    measured("relu lr 0.001: mean dead fraction at step 2,000", gentle);
    later.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0.5); // measured 0.578, 0.719, 0.563 (5–14 % at step 1)
      expect(d).toBeGreaterThan(1.5 * start[i]!);
    });
    for (const d of leaky) expect(d).toBe(0);
    for (const d of gentle) expect(d).toBeLessThanOrEqual(0.15);
  });

  it("ELU with bias init −2: its f′ = αeᶻ is never 0 in exact arithmetic, yet in float32 some units die late in the run – Adam drives pre-activations below −104, where eᶻ underflows to 0 (within 60,000 steps)", async () => {
    const runs = await overSeeds((seed) => trainRows(dyingRuns({ biasInit: -2, other: "elu", seed })[1]!, { steps: 60000 }));
    const firstDead = runs.map((rows) => hiddenLayers(rows).find((r) => r.deadFrac > 0)?.step ?? Infinity);
    const most = runs.map((rows) => Math.max(...hiddenLayers(rows).map((r) => r.deadFrac)));
    const lowest = runs.map((rows) => Math.min(...hiddenLayers(rows).map((r) => r.preMin)));
    const acc = runs.map((rows) => evals(rows).at(-1)!.accuracy);
    measured("elu bias −2: first step with a dead unit", firstDead);
    measured("elu bias −2: largest dead fraction", most);
    measured("elu bias −2: lowest pre-activation", lowest);
    measured("elu bias −2: held-out accuracy at step 60,000", acc);
    for (const s of firstDead) expect(s).toBeGreaterThan(10000); // none early: the spikes come late
    for (const s of firstDead) expect(s).toBeLessThanOrEqual(60000);
    // float32's smallest subnormal is 1.4e-45 = e^−103.3: below that αeᶻ is exactly 0
    for (const z of lowest) expect(z).toBeLessThan(-103.3);
    for (const a of acc) expect(a).toBeGreaterThan(0.95); // the net learns all the same
  });
});
