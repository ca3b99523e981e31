import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, nonNegative, positiveInteger } from "./options.js";
import { pointSet } from "./points.js";

/** Options for {@link xor}. */
export interface XorOptions {
  /** Number of examples, half per class. Default 300. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate, after labelling. Default 0.1. */
  noise?: number;
  /** Seed of the generator: the same seed gives bit-identical data. Default 1. */
  seed?: number;
}

/**
 * The XOR quadrants of TensorFlow Playground, in the square [−1, 1]²: class 1 where the coordinates' signs
 * differ (x1·x2 < 0), class 0 where they agree. Points are uniform within their class's two quadrants and
 * labelled before the Gaussian noise is added, so noise pushes some across the axes.
 * @example
 * const ds = xor({ n: 400, noise: 0 }); // y[i] === (x1·x2 < 0 ? 1 : 0)
 */
export function xor(options: XorOptions = {}): Dataset {
  checkKeys("xor", options, ["n", "noise", "seed"]);
  const { n = 300, noise = 0.1, seed = 1 } = options;
  positiveInteger("xor", "n", n);
  nonNegative("xor", "noise", noise);
  const rng = createRng(finiteSeed("xor", seed));
  return pointSet("xor", n, 2, rng, (c) => {
    const s = rng.next() < 0.5 ? 1 : -1; // which of the class's two quadrants
    const a = s * (1 - rng.next()); // magnitudes in (0, 1]: never on an axis
    const b = (c === 0 ? s : -s) * (1 - rng.next());
    return [a + noise * rng.normal(), b + noise * rng.normal()];
  });
}
