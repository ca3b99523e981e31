/**
 * The Leaky ReLU / PReLU / RReLU notebook's runs, in one place: the notebook trains them live and
 * apps/notebooks/test/claims/leaky-prelu-rrelu.test.ts trains the same configurations in Node.
 */
import type { RunConfig } from "@gradscope/stream";
import type { NetInputs } from "./netInputs.ts";

/** The notebook's inputs as the page opens; the text describes these runs. */
export const defaults = {
  depth: 6,
  units: 24,
  init: "he",
  biasInit: 0,
  lr: 0.01,
  seed: 1,
  initialAlpha: 0.25,
} as const;

export interface LeakyInputs extends NetInputs {
  init: string;
  biasInit: number;
  /** PReLU's initial slope: 0.25 (He et al., PyTorch) or 0 (TensorFlow.js). */
  initialAlpha: number;
}

/** The five runs' names, in the order of every panel: two PReLU nets, then the three of the RReLU comparison. */
export const runNames = ["shared α", "per-unit α", "RReLU, PyTorch law", "RReLU, paper law", "Leaky ReLU, α = 1/5.5"] as const;

/**
 * The five runs from the same weights' seed: PReLU with one slope per layer and per unit, RReLU under
 * PyTorch's and the paper's law, and a Leaky ReLU with the paper's eval slope 1/5.5.
 * @example
 * leakyRuns({ ...defaults, initialAlpha: 0 }).map((c) => trainInWorker(c, { control }));
 */
export function leakyRuns(inputs: Partial<LeakyInputs> = {}): RunConfig[] {
  const { depth, units, init, biasInit, lr, seed, initialAlpha } = { ...defaults, ...inputs };
  const base: RunConfig = { dataset: "spiral", depth, width: units, init, biasInit, lr, seed, steps: 20000, evalEvery: 250, probes: { every: 20 } };
  return [
    { ...base, activation: "prelu", params: { alpha: initialAlpha }, run: runNames[0] },
    { ...base, activation: "prelu", params: { alpha: initialAlpha }, perUnit: true, run: runNames[1] },
    { ...base, activation: "rrelu", run: runNames[2] },
    { ...base, activation: "rrelu", params: { lower: 3, upper: 8, inverse: 1 }, run: runNames[3] },
    { ...base, activation: "leakyRelu", params: { alpha: 1 / 5.5 }, run: runNames[4] },
  ];
}
