/**
 * The vanishing-gradients notebook's run, in one place: the notebook trains it live and
 * apps/notebooks/test/claims/vanishing-gradients.test.ts trains the same configuration in Node
 * to check every sentence that says what the run shows.
 */
import type { DType } from "@gradscope/core";
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes this run. */
export const defaults = {
  activation: "sigmoid",
  depth: 20,
  units: 16,
  init: "standard",
  lr: 0.1,
  precision: "float32",
  threads: 1,
  seed: 1,
} as const;

export interface VanishingInputs extends NetInputs {
  activation: string;
  init: string;
  precision: DType;
  threads: NonNullable<RunConfig["threads"]>;
}

/** Steps of the live run. */
export const steps = 20000;

/**
 * The live run for a choice of inputs: a spiral, plain SGD on mini-batches of 32, held-out data every
 * 200 steps, per-layer probes every 5 steps.
 * @example
 * trainInWorker(vanishingRun({ ...defaults, depth: 60 }), { control });
 */
export function vanishingRun(inputs: Partial<VanishingInputs> = {}): RunConfig {
  const { activation, depth, units, init, lr, precision, threads, seed } = { ...defaults, ...inputs };
  return {
    dataset: "spiral", activation, depth, width: units, init, optimizer: "sgd", lr, precision, seed,
    threads: precision === "float32" ? threads : 1, steps, evalEvery: 200, probes: { every: 5 },
  };
}
