import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, integerAtLeast, nonNegative, positiveInteger } from "./options.js";
import { linspace01, pointSet } from "./points.js";

/** Options for {@link spiral}. */
export interface SpiralOptions {
  /** Number of examples, split evenly over the arms. Default 300 (cs231n: 100 per class). */
  n?: number;
  /** Standard deviation of the Gaussian jitter added to each point's angle, in radians. Default 0.2 (cs231n). */
  noise?: number;
  /** Number of arms, one class each; an integer ≥ 2. Default 3 (cs231n; TensorFlow Playground uses 2). */
  classes?: number;
  /** Seed of the generator: the same seed gives bit-identical data. Default 1. */
  seed?: number;
}

/**
 * Interleaved spiral arms, the cs231n "spiral data" (a linear classifier gets about 50 % on 3 arms).
 * Point k of arm c sits at radius r = k / (m − 1) (m points on the arm) and angle
 * t = 2πc/K + 4r + noise·N(0, 1), at (r sin t, r cos t). cs231n starts arm j at 4j radians; starting arm c at
 * 2πc/K instead spaces any number of arms evenly, so K = 2 is symmetric.
 * @example
 * const ds = spiral({ n: 300, classes: 3, noise: 0.2, seed: 1 }); // x: 300 × 2, y in {0, 1, 2}
 */
export function spiral(options: SpiralOptions = {}): Dataset {
  checkKeys("spiral", options, ["n", "noise", "classes", "seed"]);
  const { n = 300, noise = 0.2, classes = 3, seed = 1 } = options;
  positiveInteger("spiral", "n", n);
  nonNegative("spiral", "noise", noise);
  integerAtLeast("spiral", "classes", classes, 2);
  const rng = createRng(finiteSeed("spiral", seed));
  return pointSet("spiral", n, classes, rng, (c, k, count) => {
    const r = linspace01(k, count);
    const t = (2 * Math.PI * c) / classes + 4 * r + noise * rng.normal();
    return [r * Math.sin(t), r * Math.cos(t)];
  });
}
