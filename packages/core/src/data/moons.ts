import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, nonNegative, positiveInteger } from "./options.js";
import { linspace01, pointSet } from "./points.js";

/** Options for {@link moons}. */
export interface MoonsOptions {
  /** Number of examples, half per moon. Default 300. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default 0.1. */
  noise?: number;
  /** Seed of the generator: the same seed gives bit-identical data. Default 1. */
  seed?: number;
}

/**
 * Two interleaving half circles of radius 1, as scikit-learn's `make_moons`: class 0 on the upper half circle
 * around (0, 0), class 1 on the lower half circle around (1, 0.5), evenly spaced, plus Gaussian noise.
 * @example
 * const ds = moons({ n: 200, noise: 0.1, seed: 7 }); // x: 200 × 2, y in {0, 1}
 */
export function moons(options: MoonsOptions = {}): Dataset {
  checkKeys("moons", options, ["n", "noise", "seed"]);
  const { n = 300, noise = 0.1, seed = 1 } = options;
  positiveInteger("moons", "n", n);
  nonNegative("moons", "noise", noise);
  const rng = createRng(finiteSeed("moons", seed));
  return pointSet("moons", n, 2, rng, (c, k, count) => {
    const t = Math.PI * linspace01(k, count);
    const [a, b] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [a + noise * rng.normal(), b + noise * rng.normal()];
  });
}
