/**
 * The choosing notebook's race as its claims test trains it (apps/notebooks/test/claims): the inputs the
 * page opens with and the race's base configuration. It mirrors the page's race cell, which the race
 * protocol's owner keeps; the page should import it from here (see the claims report).
 */
import type { RunConfig } from "@gradscope/stream";

/** The page's inputs as it opens. */
export const defaults = {
  candidates: ["relu", "leakyRelu", "elu", "prelu", "tanh", "sigmoid"] as string[],
  dataset: "spiral",
  depth: 6,
  units: 24,
  init: "paired with each activation",
  biasInit: 0,
  lr: 0.01,
  seed: 1,
};

export type ChoosingInputs = Omit<typeof defaults, "candidates">;

/** Steps per run and seeds per candidate. */
export const budget = { steps: 4000, seeds: 3 } as const;

/**
 * The race's base config for a choice of inputs (each candidate adds its activation, each seed its seed).
 * @example
 * raceJobs(raceBase(defaults), candidates, { seeds: budget.seeds, firstSeed: defaults.seed });
 */
export function raceBase(inputs: Partial<ChoosingInputs> = {}): RunConfig {
  const { dataset, depth, units, init, biasInit, lr, seed } = { ...defaults, ...inputs };
  const base: RunConfig = { dataset, depth, width: units, biasInit, lr, seed, steps: budget.steps, evalEvery: 100, probes: { every: 50 } };
  if (init !== "paired with each activation") base.init = init;
  return base;
}
