import { loadDigits } from "@gradscope/core/node";
import type { Network } from "@gradscope/core";
import { buildRun, mean, resolveRunConfig } from "@gradscope/stream";
import { claim, reproduction, shouldStop, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { quantileSorted } from "./stats.js";

/** Options of {@link batchnormMnist}. */
export interface BatchnormMnistOptions {
  /** Digits loaded (80 % train, 20 % held out). Default 5000. */
  n?: number;
  /** Training steps (the paper: 50,000). Default 1000. */
  steps?: number;
  /** Held-out checkpoints over the run. Default 10. */
  checkpoints?: number;
  /** Seeds per arm. Default 3. */
  trials?: number;
  /** First seed. Default 1. */
  seed?: number;
  /** SGD learning rate. Default 0.5. */
  lr?: number;
}

/** One arm (with or without batch normalisation) on one seed. */
export interface BatchnormRun {
  norm: "none" | "batch";
  seed: number;
  /** Per checkpoint: held-out accuracy (eval mode) and the 15th / 50th / 85th percentiles of unit 0's input. */
  checkpoints: { step: number; accuracy: number; p15: number; p50: number; p85: number }[];
  /**
   * How far the last hidden layer's sigmoid inputs moved over training: per unit, the mean over
   * checkpoints and over the 15th / 50th / 85th percentiles of |p(t) − p(end)|, in units of the
   * final spread (p85 − p15)/2; then the mean over the layer's units.
   */
  drift: number;
}

/**
 * Ioffe & Szegedy 2015, Figure 1, scaled to run here: MNIST digits (offline), 3 fully connected
 * hidden layers × 100 sigmoid units, small Gaussian initial weights (glorotNormal: σ ≈ 0.05 and 0.1),
 * mini-batches of 60, plain SGD, with and without batch normalisation (between each dense product and
 * its sigmoid), over several seeds. Held-out accuracy is read in eval mode (running estimates) on
 * the held-out digits at each checkpoint, with the percentiles of a typical last-hidden-layer
 * sigmoid input (unit 0) over those digits – the paper's two panels. Checks, on seed means: the
 * normalised net is ahead at the first checkpoint by ≥ 0.2 and on the area under the accuracy
 * curve; its final accuracy is not below the plain net's by more than 0.03 (the paper: higher,
 * after 50× more steps); and its sigmoid inputs drift less.
 */
export async function batchnormMnist(options: BatchnormMnistOptions, ctx: ExperimentContext): Promise<Reproduction<BatchnormRun[]>> {
  const { n = 5000, steps = 1000, checkpoints = 10, trials = 3, seed = 1, lr = 0.5 } = options;
  const every = Math.max(1, Math.floor(steps / checkpoints));
  const runs: BatchnormRun[] = [];
  const arms = ["none", "batch"] as const;
  let interrupted = false;
  outer: for (let t = 0; t < trials; t++) {
    for (const norm of arms) {
      const config = resolveRunConfig({
        dataset: "digits", n, activation: "sigmoid", depth: 3, width: 100, batchSize: 60, init: "glorotNormal",
        optimizer: "sgd", lr, steps, seed: seed + t, norm,
      });
      const { trainer, test, dispose } = buildRun(config, { loadDigits });
      try {
        // an eval-mode network over the held-out digits, sharing the trained parameters and running estimates
        const probe = trainer.model.build(test.n);
        probe.graph.training = false;
        for (let i = 0; i < test.n * test.features; i++) probe.x.value[i] = test.x[i]!;
        const units: number[][][] = []; // per checkpoint, per unit: [p15, p50, p85]
        const marks: BatchnormRun["checkpoints"] = [];
        for (let s = 1; s <= steps; s++) {
          trainer.step();
          if (s % every !== 0 && s !== steps) continue;
          const { accuracy, percentiles } = readProbe(probe, test.y);
          units.push(percentiles);
          const [p15, p50, p85] = percentiles[0]!;
          marks.push({ step: s, accuracy, p15: p15!, p50: p50!, p85: p85! });
          ctx.progress(runs.length * steps + s, trials * arms.length * steps, `${norm} seed ${seed + t}`);
          if (await shouldStop(ctx)) {
            interrupted = true;
            break outer;
          }
        }
        runs.push({ norm, seed: seed + t, checkpoints: marks, drift: drift(units) });
      } finally {
        dispose();
      }
    }
  }
  return reproduction("batchnorm-mnist", `held-out accuracy and last-hidden-layer sigmoid inputs, 3 × 100 sigmoid, batch 60, SGD lr ${lr}, ${steps} steps on ${n} digits, ${trials} seeds, with and without batch normalisation`, checks(runs, trials), runs, interrupted);
}

/** Eval-mode forward pass over the held-out digits: accuracy, and per last-hidden unit its input's 15th/50th/85th percentiles. */
function readProbe(net: Network, labels: Int32Array): { accuracy: number; percentiles: number[][] } {
  net.graph.forward();
  const probs = net.graph.probabilities!, rows = net.batchSize, classes = net.logits.shape[1]!;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    correct += +(best === labels[r]);
  }
  const hidden = net.layers.filter((l) => l.activation !== null);
  const z = hidden.at(-1)!.pre.value, width = hidden.at(-1)!.fanOut;
  const column = new Float64Array(rows);
  const percentiles = Array.from({ length: width }, (_, u) => {
    for (let r = 0; r < rows; r++) column[r] = z[r * width + u]!;
    column.sort();
    return [0.15, 0.5, 0.85].map((q) => quantileSorted(column, q));
  });
  return { accuracy: correct / rows, percentiles };
}

/** See {@link BatchnormRun.drift}. */
function drift(units: number[][][]): number {
  const end = units.at(-1);
  if (!end) return NaN;
  return mean(end.map((last, u) => {
    const spread = (last[2]! - last[0]!) / 2;
    const moves = units.flatMap((c) => c[u]!.map((p, q) => Math.abs(p - last[q]!)));
    return mean(moves) / spread;
  }));
}

function checks(runs: BatchnormRun[], trials: number): Check[] {
  const arm = (norm: "none" | "batch") => runs.filter((r) => r.norm === norm);
  const plain = arm("none"), bn = arm("batch");
  if (plain.length < trials || bn.length < trials) return [];
  const at = (rs: BatchnormRun[], i: number) => mean(rs.map((r) => r.checkpoints.at(i)!.accuracy));
  const area = (rs: BatchnormRun[]) => mean(rs.map((r) => mean(r.checkpoints.map((c) => c.accuracy))));
  const first = at(bn, 0) - at(plain, 0);
  return [
    { ...claim("held-out accuracy at the first checkpoint: normalised − plain", first >= 0.2), ours: first, theory: 0.2, tolerance: "ours ≥ 0.2 (the paper: the normalised net is ahead at equal steps)" },
    { ...claim("mean held-out accuracy over checkpoints (area under the curve), normalised", area(bn) > area(plain)), ours: area(bn), theory: area(plain), tolerance: "ours > theory (the plain net's)" },
    { ...claim("final held-out accuracy, normalised", at(bn, -1) >= at(plain, -1) - 0.03), ours: at(bn, -1), theory: at(plain, -1), tolerance: "ours ≥ theory − 0.03 (the paper: higher, after 50× more steps)" },
    { ...claim("drift of the last hidden layer's sigmoid inputs, normalised (in final spreads)", mean(bn.map((r) => r.drift)) < mean(plain.map((r) => r.drift))), ours: mean(bn.map((r) => r.drift)), theory: mean(plain.map((r) => r.drift)), tolerance: "ours < theory (the plain net's; the paper: the normalised distribution stays put)" },
  ];
}
