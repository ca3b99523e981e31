import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, nonNegative, openFraction, positiveInteger } from "./options.js";
import { pointSet } from "./points.js";

/** Options for {@link circles}. */
export interface CirclesOptions {
  /** Number of examples, half per circle. Default 300. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default 0.1. */
  noise?: number;
  /** Radius of the inner circle relative to the outer one (radius 1), in (0, 1). Default 0.5. */
  factor?: number;
  /** Seed of the generator: the same seed gives bit-identical data. Default 1. */
  seed?: number;
}

/**
 * A circle inside another, as scikit-learn's `make_circles`: class 0 on the outer circle (radius 1), class 1
 * on the inner one (radius `factor`), at evenly spaced angles, plus Gaussian noise. No line separates them;
 * a feature like x1² + x2² does.
 * @example
 * const ds = circles({ n: 200, noise: 0.05, factor: 0.5 }); // x: 200 × 2, y in {0, 1}
 */
export function circles(options: CirclesOptions = {}): Dataset {
  checkKeys("circles", options, ["n", "noise", "factor", "seed"]);
  const { n = 300, noise = 0.1, factor = 0.5, seed = 1 } = options;
  positiveInteger("circles", "n", n);
  nonNegative("circles", "noise", noise);
  openFraction("circles", "factor", factor);
  const rng = createRng(finiteSeed("circles", seed));
  return pointSet("circles", n, 2, rng, (c, k, count) => {
    const t = (2 * Math.PI * k) / count;
    const r = c === 0 ? 1 : factor;
    return [r * Math.cos(t) + noise * rng.normal(), r * Math.sin(t) + noise * rng.normal()];
  });
}
