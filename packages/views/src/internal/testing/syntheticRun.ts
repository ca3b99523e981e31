// Test-only: seeded synthetic rows shaped like a deep sigmoid net's, so view snapshots are deterministic.
import { createRng } from "@gradscope/core";
import type { BandsRow, EvalRow, LayerRow, Row, StepRow } from "../../rows.js";

export interface SyntheticOptions {
  run?: string;
  layers?: number;
  steps?: number;
  every?: number;
  seed?: number;
  activation?: string;
}

/** Rows for a run whose ∂L/∂z norm shrinks ~10× per layer towards the input, loss falling, slopes drifting. */
export function syntheticRun(options: SyntheticOptions = {}): Row[] {
  const { run = "sigmoid", layers = 5, steps = 40, every = 5, seed = 1, activation = "sigmoid" } = options;
  const rng = createRng(seed);
  const rows: Row[] = [];
  const r3 = (v: number) => Number(v.toPrecision(4)); // short numbers keep snapshots small
  for (let step = 0; step <= steps; step += every) {
    const t = step / Math.max(1, steps);
    const loss = r3(2.3 * Math.exp(-2 * t) + 0.05 * rng.next());
    rows.push({ type: "step", run, step, loss, accuracy: r3(Math.min(1, 0.1 + 0.8 * t + 0.05 * rng.next())), lr: 0.1, ms: r3(2 + rng.next()), probeMs: 0.1, epoch: 0 } satisfies StepRow);
    if (step % (2 * every) === 0) {
      rows.push({ type: "eval", run, step, loss: r3(loss * 1.1), accuracy: r3(Math.min(1, 0.1 + 0.7 * t)) } satisfies EvalRow);
    }
    for (let layer = 0; layer < layers; layer++) {
      const depth = layers - 1 - layer; // distance from the output
      const g = r3(10 ** (-depth) * (1 + 0.3 * rng.next()) * (1 - 0.5 * t));
      rows.push({
        type: "layer", run, step, layer, name: `dense${layer}`, activation,
        gradNormW: r3(g * 3), gradNormB: r3(g), gradNormZ: g, weightNorm: r3(5 + t), updateRatio: r3(g * 0.01),
        preMean: r3(rng.normal(0, 0.5)), preStd: r3(1 + t * layer * 0.2), actMean: r3(0.5 + 0.1 * rng.next()), actStd: r3(0.2),
        saturatedFrac: r3(Math.min(1, 0.1 * layer * t + 0.05 * rng.next())), deadFrac: r3(0.02 * layer * t),
        signAgreement: r3(0.5 + 0.4 * rng.next()), alpha: r3(0.25 + 0.05 * layer * t),
        // fields the views do not draw: derived without further draws, so the snapshots stay put
        gradRmsW: r3(g * 0.3), gradRmsB: r3(g * 0.1), gradRmsZ: r3(g * 0.1), preMin: -3, preMax: 3, actMin: 0, actMax: 1, deadCount: 0,
      } satisfies LayerRow);
      const m = r3(rng.normal(0, 0.2)), s = 1 + 0.5 * t * (layer + 1);
      const q = (z: number) => r3(m + s * z);
      rows.push({
        type: "bands", run, step, layer, of: "pre",
        p0: q(-3), p7: q(-1.5), p16: q(-1), p31: q(-0.5), p50: q(0), p69: q(0.5), p84: q(1), p93: q(1.5), p100: q(3),
      } satisfies BandsRow);
    }
  }
  return rows;
}
