// The zero-centred notebook's claims, each checked on its own configuration
// (notebooks/config/zero-centred.ts) over three seeds.
import { describe, expect, it } from "vitest";
import type { Row } from "@gradscope/stream";
import { toyInputs, toyPath, zeroCentredRuns, type ZeroCentredInputs } from "../../../../notebooks/config/zero-centred.ts";
import { hiddenLayers, mean, measured, overSeeds, seeds, trainRows , CLAIM_TIMEOUT } from "./trainRows.ts";

const INDEPENDENT = 0.5 + 0.4 / Math.sqrt(16); // sign agreement of independent signs over a fan-in of 16
/** Sign agreement over the probed steps of the hidden-to-hidden layers (1 … depth − 1), NaN (no update) left out. */
const agreement = (rows: Row[]) =>
  hiddenLayers(rows).filter((r) => r.layer > 0 && Number.isFinite(r.signAgreement)).map((r) => r.signAgreement);
/** Per seed, per activation: the rows of a run of `steps` steps. */
const runsOf = (inputs: Partial<ZeroCentredInputs>, steps: number) =>
  overSeeds((seed) => Promise.all(zeroCentredRuns({ ...inputs, seed }).map((c) => trainRows(c, { steps }))));

describe("zero-centred activations: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("batch size 1: ReLU's hidden-to-hidden layers sit at exactly 1 on every probed step; ELU and tanh hover near the value for independent signs (0.6); Leaky ReLU lies in between", async () => {
    const runs = await runsOf({ activations: ["relu", "elu", "tanh", "leakyRelu"] }, 5000);
    const [relu, elu, tanh, leaky] = [0, 1, 2, 3].map((k) => runs.map((perSeed) => agreement(perSeed[k]!)));
    measured("relu: lowest sign agreement, layers 1–3, 5,000 steps", relu!.map((v) => Math.min(...v)));
    measured("elu: mean sign agreement", elu!.map(mean));
    measured("tanh: mean sign agreement", tanh!.map(mean));
    measured("leaky: mean sign agreement", leaky!.map(mean));
    for (const v of relu!) {
      expect(v.length).toBeGreaterThan(600); // 3 layers × 250 probes, less the steps with no update
      expect(Math.min(...v)).toBe(1);
    }
    for (const v of [...elu!, ...tanh!]) expect(Math.abs(mean(v) - INDEPENDENT)).toBeLessThan(0.07);
    leaky!.forEach((v, i) => {
      expect(mean(v)).toBeGreaterThan(Math.max(mean(elu![i]!), mean(tanh![i]!)) + 0.05);
      expect(mean(v)).toBeLessThan(0.9);
    });
  });

  it("batch size 32: the effect fades for ReLU too – its hidden-to-hidden layers' mean sign agreement falls below 0.9", async () => {
    const runs = await runsOf({ activations: ["relu"], batchSize: 32 }, 5000);
    const m = runs.map(([relu]) => mean(agreement(relu!)));
    measured("relu, batch 32: mean sign agreement, layers 1–3", m);
    for (const v of m) {
      expect(v).toBeLessThan(0.9);
      expect(v).toBeGreaterThan(INDEPENDENT); // faded, not gone
    }
  });

  it("the toy: with non-negative inputs the path zig-zags (at least 1.5 × longer) and is still far from (1, −1) after 30 steps, while centred inputs head there directly", () => {
    const d = (p: { w1: number; w2: number }) => Math.hypot(p.w1 - 1, p.w2 + 1);
    const length = (path: ReturnType<typeof toyPath>) =>
      path.slice(1).reduce((s, p, i) => s + Math.hypot(p.w1 - path[i]!.w1, p.w2 - path[i]!.w2), 0);
    for (const seed of [7, ...seeds]) { // 7 is the page's
      const [skewed, centred] = toyInputs.map((inputs) => toyPath(inputs, 0.5, 60, seed));
      measured(`toy seed ${seed}: path length non-negative, centred; distance at step 30 non-negative, centred`,
        [length(skewed!), length(centred!), d(skewed![30]!), d(centred![30]!)], "one path each");
      expect(length(skewed!)).toBeGreaterThan(1.5 * length(centred!));
      expect(d(skewed![30]!)).toBeGreaterThan(0.2);
      expect(d(centred![30]!)).toBeLessThan(0.05);
    }
  });
});
