// The choosing notebook's static claims (its text, not the race's live recommendation, which the race
// protocol's own tests cover), trained in Node on the race's configuration
// (notebooks/config/choosing-an-activation.ts) over the race's three seeds.
import { describe, expect, it } from "vitest";
import type { Row } from "@gradscope/stream";
import { defaults, raceBase, type ChoosingInputs } from "../../../../notebooks/config/choosing-an-activation.ts";
import { CLAIM_TIMEOUT, evals, hiddenLayers, mean, measured, overSeeds, trainRows } from "./trainRows.ts";

/** Per activation: its runs over the seeds. */
const race = async (activations: string[], inputs: Partial<ChoosingInputs> = {}, steps?: number) => {
  const out = new Map<string, Row[][]>();
  for (const activation of activations) {
    out.set(activation, await overSeeds((seed) => trainRows({ ...raceBase({ ...inputs, seed }), activation, run: activation }, steps ? { steps } : {})));
  }
  return out;
};
const best = (rows: Row[]) => Math.max(...evals(rows).map((e) => e.accuracy));
const lastDead = (rows: Row[]) => { const h = hiddenLayers(rows); const s = h.at(-1)!.step; return mean(h.filter((r) => r.step === s).map((r) => r.deadFrac)); };

describe("choosing an activation: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("at the defaults every candidate learns the spiral (best held-out accuracy ≥ 97 %), and most runs overfit: at least 12 of the 18 end with a held-out loss 20 % or more above their best", async () => {
    const runs = await race(defaults.candidates);
    let overfit = 0;
    for (const [name, perSeed] of runs) {
      const acc = perSeed.map(best);
      const rise = perSeed.map((rows) => { const e = evals(rows); return e.at(-1)!.loss / Math.min(...e.map((x) => x.loss)); });
      measured(`${name}: best held-out accuracy`, acc);
      measured(`${name}: final held-out loss over its best`, rise);
      for (const a of acc) expect(a).toBeGreaterThanOrEqual(0.97);
      overfit += rise.filter((r) => r >= 1.2).length;
    }
    measured("runs ending ≥ 20 % above their best held-out loss (of 18)", [overfit], "all seeds");
    expect(overfit).toBeGreaterThanOrEqual(12);
  });

  it("bias init −0.5 kills ReLUs (half or more of the hidden units dead, chance accuracy) while Leaky ReLU learns; at 10 hidden layers sigmoid barely learns (≤ 60 %) while ReLU does (≥ 97 %)", async () => {
    const dead = await race(["relu", "leakyRelu"], { biasInit: -0.5 });
    for (const [name, perSeed] of dead) {
      measured(`bias −0.5, ${name}: mean dead fraction at the end`, perSeed.map(lastDead));
      measured(`bias −0.5, ${name}: best held-out accuracy`, perSeed.map(best));
    }
    for (const rows of dead.get("relu")!) {
      expect(lastDead(rows)).toBeGreaterThanOrEqual(0.5);
      expect(best(rows)).toBeLessThanOrEqual(0.34);
    }
    for (const rows of dead.get("leakyRelu")!) {
      expect(lastDead(rows)).toBe(0);
      expect(best(rows)).toBeGreaterThanOrEqual(0.97);
    }
    const deep = await race(["sigmoid", "relu"], { depth: 10 });
    for (const [name, perSeed] of deep) measured(`10 layers, ${name}: best held-out accuracy`, perSeed.map(best));
    for (const rows of deep.get("sigmoid")!) expect(best(rows)).toBeLessThanOrEqual(0.6);
    for (const rows of deep.get("relu")!) expect(best(rows)).toBeGreaterThanOrEqual(0.97);
  });
});
