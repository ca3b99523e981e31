/**
 * The saturated-units notebook's runs, in one place: the notebook trains them live and
 * apps/notebooks/test/claims/saturated-units.test.ts trains the same configurations in Node.
 */
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  activation: "sigmoid",
  depth: 5,
  units: 32,
  optimizer: "adam",
  lr: 0.01,
  biasInit: 0,
  seed: 1,
} as const;

export interface SaturatedInputs extends NetInputs {
  activation: string;
  optimizer: string;
  biasInit: number;
}

/** The two initialisations compared, in the order of every panel. */
export const inits = ["standard", "glorot"] as const;

/**
 * The two runs – one per initialisation, everything else the same – for a choice of inputs.
 * @example
 * saturatedRuns({ ...defaults, activation: "tanh" }).map((c) => trainInWorker(c, { control }));
 */
export function saturatedRuns(inputs: Partial<SaturatedInputs> = {}): RunConfig[] {
  const { activation, depth, units, optimizer, lr, biasInit, seed } = { ...defaults, ...inputs };
  const base: RunConfig = {
    dataset: "spiral", activation, depth, width: units, optimizer, lr, biasInit, seed,
    steps: 20000, evalEvery: 200, probes: { every: 10, distributionsEvery: 50 },
  };
  return inits.map((init) => ({ ...base, run: init, init }));
}
