/**
 * The normalisation notebook's run, in one place: the notebook trains it live and
 * apps/notebooks/test/claims/normalisation.test.ts trains the same configuration in Node to check
 * every sentence that says what the run shows.
 */
import type { RunConfig } from "@gradscope/stream";

/** The notebook's inputs as the page opens: the vanishing-gradients notebook's deep sigmoid net. */
export const defaults = {
  norm: "none",
  residual: false,
  activation: "sigmoid",
  depth: 20,
  units: 16,
  batchSize: 32,
  lr: 0.1,
  seed: 1,
} as const;

export type NormInputs = {
  norm: "none" | "batch" | "layer";
  residual: boolean;
  activation: string;
  depth: number;
  units: number;
  batchSize: number;
  lr: number;
  seed: number;
};

/** Steps of the live run. */
export const steps = 5000;

/**
 * The live run for a choice of inputs: a spiral, standard initialisation, plain SGD, held-out data
 * (in eval mode) every 100 steps, per-layer probes every 5 steps, percentile bands every 50.
 * @example
 * trainInWorker(normRun({ ...defaults, norm: "batch" }), { control });
 */
export function normRun(inputs: Partial<NormInputs> = {}): RunConfig {
  const { norm, residual, activation, depth, units, batchSize, lr, seed } = { ...defaults, ...inputs };
  return {
    dataset: "spiral", activation, depth, width: units, init: "standard", optimizer: "sgd", lr, batchSize, seed,
    norm, residual, steps, evalEvery: 100, probes: { every: 5, distributionsEvery: 50 },
  };
}
