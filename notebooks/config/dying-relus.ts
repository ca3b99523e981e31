/**
 * The dying-ReLUs notebook's runs, in one place: the notebook trains them live and
 * apps/notebooks/test/claims/dying-relus.test.ts trains the same configurations in Node.
 */
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  biasInit: -1,
  lr: 0.01,
  other: "leakyRelu",
  alpha: 0.01,
  depth: 4,
  units: 16,
  seed: 1,
} as const;

export interface DyingInputs extends NetInputs {
  biasInit: number;
  /** The activation ReLU is compared with: leakyRelu, elu or prelu. */
  other: string;
  /** Leaky ReLU's slope (only with other = leakyRelu). */
  alpha: number;
}

/**
 * The two runs – ReLU first, then the other activation – with the same data, seed and He initialisation.
 * @example
 * dyingRuns({ ...defaults, biasInit: 0, lr: 0.1 }).map((c) => trainInWorker(c, { control }));
 */
export function dyingRuns(inputs: Partial<DyingInputs> = {}): RunConfig[] {
  const { biasInit, lr, other, alpha, depth, units, seed } = { ...defaults, ...inputs };
  const base: RunConfig = {
    dataset: "spiral", depth, width: units, init: "he", biasInit, optimizer: "adam", lr, seed,
    steps: 200000, evalEvery: 200, probes: { every: 10, boundaryEvery: 200 },
  };
  const second: RunConfig = other === "leakyRelu" ? { activation: "leakyRelu", params: { alpha } } : { activation: other };
  return [
    { ...base, run: "relu", activation: "relu" },
    { ...base, ...second, run: other },
  ];
}
