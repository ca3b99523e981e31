/**
 * The zero-centred notebook's runs and its two-weight toy, in one place: the notebook shows them and
 * apps/notebooks/test/claims/zero-centred.test.ts checks what the text says about them.
 */
import { createRng } from "@gradscope/core";
import type { RunConfig } from "@gradscope/stream";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  activations: ["relu", "elu"] as string[],
  batchSize: 1,
  lr: 0.01,
  depth: 4,
  units: 16,
  seed: 1,
  toyLr: 0.5,
};

export type ZeroCentredInputs = Omit<typeof defaults, "toyLr">;

/**
 * One run per activation, everything else the same: plain SGD on the spiral.
 * @example
 * zeroCentredRuns({ ...defaults, batchSize: 32 }).map((c) => trainInWorker(c, { control }));
 */
export function zeroCentredRuns(inputs: Partial<ZeroCentredInputs> = {}): RunConfig[] {
  const { activations, batchSize, lr, depth, units, seed } = { ...defaults, ...inputs };
  const base: RunConfig = {
    dataset: "spiral", depth, width: units, optimizer: "sgd", lr, batchSize, seed,
    steps: 500000, evalEvery: 1000, probes: { every: 20 },
  };
  return activations.map((activation) => ({ ...base, run: activation, activation }));
}

/** The toy's two kinds of input. */
export const toyInputs = ["non-negative (ReLU-like)", "zero-centred (tanh/ELU-like)"] as const;

export interface ToyPoint {
  step: number;
  w1: number;
  w2: number;
  inputs: (typeof toyInputs)[number];
}

/**
 * The two-weight toy: a linear unit y = w₁x₁ + w₂x₂ learns the target (1, −1) by plain SGD on
 * ½(w·x − w*·x)², one example per step, from (0, 0). Every update is −lr · error · x, so its direction is ±x.
 */
export function toyPath(inputs: (typeof toyInputs)[number], toyLr: number, steps = 60, seed = 7): ToyPoint[] {
  const rng = createRng(seed);
  let w = [0, 0];
  const points: ToyPoint[] = [{ step: 0, w1: 0, w2: 0, inputs }];
  for (let step = 1; step <= steps; step++) {
    const x = inputs === toyInputs[0] ? [rng.next(), rng.next()] : [rng.next() * 2 - 1, rng.next() * 2 - 1];
    const error = (w[0]! - 1) * x[0]! + (w[1]! + 1) * x[1]!;
    w = [w[0]! - toyLr * error * x[0]!, w[1]! - toyLr * error * x[1]!];
    points.push({ step, w1: w[0]!, w2: w[1]!, inputs });
  }
  return points;
}
