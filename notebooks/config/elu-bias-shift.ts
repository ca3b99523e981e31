/**
 * The ELU-and-bias-shift notebook's runs, in one place: the notebook trains them live and
 * apps/notebooks/test/claims/elu-bias-shift.test.ts trains the same configurations in Node.
 */
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  dataset: "digits",
  depth: 8,
  units: 128,
  init: "he",
  biasInit: 0,
  lr: 0.01,
  seed: 1,
} as const;

export interface EluInputs extends NetInputs {
  dataset: string;
  init: string;
  biasInit: number;
}

/** The three nets, in the order of every panel. */
export const runs = ["ELU (α = 1)", "ReLU", "Leaky ReLU (α = 0.1)"] as const;

/** Examples of MNIST the page trains on (300 of each digit; 2,400 train, 600 held out). */
export const digitsExamples = 3000;

/**
 * The three runs – ELU, ReLU, Leaky ReLU (α = 0.1) as in Clevert et al. – with plain SGD, batches of 64.
 * `digitsUrl` is where a browser worker fetches the digits (Node runs pass a loader instead).
 * @example
 * eluRuns({ ...defaults, dataset: "spiral" }).map((c) => trainInWorker(c, { control }));
 */
export function eluRuns(inputs: Partial<EluInputs> = {}, { digitsUrl }: { digitsUrl?: string } = {}): RunConfig[] {
  const { dataset, depth, units, init, biasInit, lr, seed } = { ...defaults, ...inputs };
  const data: RunConfig = dataset === "digits" ? { dataset, n: digitsExamples, ...(digitsUrl ? { digitsUrl } : {}) } : { dataset };
  const base: RunConfig = {
    ...data, depth, width: units, init, biasInit, lr, seed, optimizer: "sgd", batchSize: 64,
    steps: 8000, evalEvery: 100, probes: { every: 10 },
  };
  return [
    { ...base, activation: "elu", run: runs[0] },
    { ...base, activation: "relu", run: runs[1] },
    { ...base, activation: "leakyRelu", params: { alpha: 0.1 }, run: runs[2] },
  ];
}
