import type { Row } from "../../rows.js";

/** A run's rows: one step row per step (loss `train(step)`), an eval row at each listed step. */
export function syntheticRun(run: string, evals: [step: number, loss: number, accuracy: number][], train: (step: number) => number, ms = 1): Row[] {
  const last = evals.at(-1)![0];
  const rows: Row[] = [];
  for (let step = 0; step < last; step++) rows.push({ type: "step", run, step, loss: train(step), accuracy: 0.5, lr: 0.01, ms, probeMs: 0, epoch: 0 } as Row);
  for (const [step, loss, accuracy] of evals) rows.push({ type: "eval", run, step, loss, accuracy } as Row);
  rows.sort((a, b) => a.step - b.step || (a.type === "eval" ? 1 : -1));
  rows.push({ type: "status", run, step: last, status: "completed", backend: "js" } as Row);
  return rows;
}

/** What {@link syntheticContender} puts in each seed's run besides its held-out losses. */
export interface SyntheticContender {
  /** Held-out loss at the end minus at the best step (step 20). Default 0.01. */
  rise?: number;
  /** Mini-batch loss throughout. Default: the best held-out loss (no gap). */
  trainLoss?: number;
  /** Final dead fraction of each of 3 hidden layers. Default 0. */
  dead?: number;
  /** ‖∂L/∂z‖ of the first hidden layer ÷ the last. Default 1. */
  gradientRatio?: number;
  /** ms per step. Default 1. */
  ms?: number;
}

/** One run per seed of a contender whose held-out loss bottoms out at `best[seed − 1]` at step 20 of 30. */
export function syntheticContender(contender: string, best: number[], o: SyntheticContender = {}): { contender: string; seed: number; rows: Row[] }[] {
  return best.map((b, i) => {
    const rows = syntheticRun(contender, [[0, 2, 0.1], [10, 1, 0.5], [20, b, 0.9], [30, b + (o.rise ?? 0.01), 0.9]], () => o.trainLoss ?? b, o.ms ?? 1);
    const status = rows.pop()!;
    for (let layer = 0; layer < 4; layer++) {
      const hidden = layer < 3;
      rows.push({
        type: "layer", run: contender, step: 29, layer, name: hidden ? `hidden${layer}` : "output", activation: hidden ? contender : "none",
        gradNormZ: layer === 0 ? (o.gradientRatio ?? 1) : 1, deadFrac: hidden ? (o.dead ?? 0) : 0, saturatedFrac: 0,
      } as unknown as Row);
    }
    rows.push(status);
    return { contender, seed: i + 1, rows };
  });
}
