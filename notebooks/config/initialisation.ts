/**
 * The initialisation notebook's runs, in one place: the notebook trains them live and
 * apps/notebooks/test/claims/initialisation.test.ts trains the same configurations in Node.
 */
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  activation: "tanh",
  depth: 12,
  units: 64,
  lr: 0.003,
  seed: 1,
} as const;

export interface InitInputs extends NetInputs {
  activation: string;
}

/** The three initialisations, in the order of every panel. */
export const inits = ["standard", "glorot", "he"] as const;

/**
 * One run per initialisation, everything else the same: Adam on the spiral.
 * @example
 * initRuns({ ...defaults, activation: "relu" }).map((c) => trainInWorker(c, { control }));
 */
export function initRuns(inputs: Partial<InitInputs> = {}): RunConfig[] {
  const { activation, depth, units, lr, seed } = { ...defaults, ...inputs };
  const base: RunConfig = {
    dataset: "spiral", activation, depth, width: units, optimizer: "adam", lr, seed,
    steps: 20000, evalEvery: 50, probes: { every: 10 },
  };
  return inits.map((init) => ({ ...base, run: init, init }));
}
