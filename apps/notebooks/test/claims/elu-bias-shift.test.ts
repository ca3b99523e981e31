// The ELU-and-bias-shift notebook's claims, each trained in Node on its own configuration
// (notebooks/config/elu-bias-shift.ts) over three seeds. The page trains 8,000 steps; the claims are
// about the first 500, and the text says so.
import { describe, expect, it } from "vitest";
import { median, type Row } from "@gradscope/stream";
import { eluRuns } from "../../../../notebooks/config/elu-bias-shift.ts";
import { CLAIM_TIMEOUT, hiddenAt, hiddenLayers, mean, measured, overSeeds, stepRows, trainRows } from "./trainRows.ts";

/** The page's table: median |mean activation| over hidden layers and logged steps. */
const medianShift = (rows: Row[]) => median(hiddenLayers(rows).map((r) => Math.abs(r.actMean)));
/** Mean mini-batch training loss over steps (from, to]. */
const lossBetween = (rows: Row[], from: number, to: number) => mean(stepRows(rows).filter((r) => r.step > from && r.step <= to).map((r) => r.loss));

describe("ELU and bias shift: what you should see", { timeout: CLAIM_TIMEOUT }, () => {
  it("MNIST, 8 × 128, SGD 0.01: ReLU's layer means are positive from step 1 and drift up; Leaky ReLU's are barely lower; ELU's are lower in every layer – but not zero, its top layer drifts up too – and ELU's loss falls faster (steps 300–500)", async () => {
    const runs = await overSeeds((seed) => Promise.all(eluRuns({ seed }).map((c) => trainRows(c, { steps: 500 }))));
    const [elu, relu, leaky] = [0, 1, 2].map((k) => runs.map((perSeed) => perSeed[k]!));
    const reluStart = relu!.map((rows) => Math.min(...hiddenAt(rows, 1).map((r) => r.actMean)));
    const reluTop = relu!.map((rows) => hiddenAt(rows, 500).at(-1)!.actMean);
    const leakyTop = leaky!.map((rows) => hiddenAt(rows, 500).at(-1)!.actMean);
    const eluTop = elu!.map((rows) => hiddenAt(rows, 500).at(-1)!.actMean);
    const shift = [elu, relu, leaky].map((r) => r!.map(medianShift));
    const loss = [elu, relu, leaky].map((r) => r!.map((rows) => lossBetween(rows, 300, 500)));
    measured("relu: smallest layer mean at step 1", reluStart);
    measured("top hidden layer's mean at step 500: relu", reluTop);
    measured("… leaky", leakyTop);
    measured("… elu", eluTop);
    measured("median |mean| over layers and steps: elu", shift[0]!);
    measured("… relu", shift[1]!);
    measured("… leaky", shift[2]!);
    measured("training loss, steps 300–500: elu", loss[0]!);
    measured("… relu", loss[1]!);
    measured("… leaky", loss[2]!);
    for (const m of reluStart) expect(m).toBeGreaterThan(0.05);
    reluTop.forEach((m, i) => {
      expect(m).toBeGreaterThan(5 * reluStart[i]!); // drifts up during training
      expect(leakyTop[i]!).toBeLessThan(m); //            Leaky pulls it down …
      expect(leakyTop[i]!).toBeGreaterThan(0.75 * m); // … only a little
      expect(eluTop[i]!).toBeLessThan(0.7 * m);
      expect(eluTop[i]!).toBeGreaterThan(0.3); // ELU's top layer is not near zero
    });
    for (const [i, rows] of elu!.entries()) {
      const e = hiddenAt(rows, 500), r = hiddenAt(relu![i]!, 500);
      e.forEach((layer, l) => expect(layer.actMean).toBeLessThan(r[l]!.actMean)); // every layer
    }
    shift[0]!.forEach((s, i) => expect(s).toBeLessThan(0.6 * Math.min(shift[1]![i]!, shift[2]![i]!)));
    loss[0]!.forEach((l, i) => expect(l).toBeLessThan(0.75 * Math.min(loss[1]![i]!, loss[2]![i]!)));
  });

  it("spiral with bias init 0.3: ELU does not absorb the positive bias – its layers' median |mean| stays above 0.4, at least 70 % of ReLU's", async () => {
    const runs = await overSeeds((seed) => Promise.all(eluRuns({ seed, dataset: "spiral", biasInit: 0.3 }).slice(0, 2).map((c) => trainRows(c, { steps: 500 }))));
    const elu = runs.map(([e]) => medianShift(e!)), relu = runs.map(([, r]) => medianShift(r!));
    measured("spiral, bias 0.3, 500 steps: median |mean| elu", elu);
    measured("… relu", relu);
    elu.forEach((e, i) => {
      expect(e).toBeGreaterThan(0.4);
      expect(e).toBeGreaterThan(0.7 * relu[i]!);
    });
  });
});
