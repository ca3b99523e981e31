import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, integerAtLeast, nonNegative, positiveInteger } from "./options.js";
import { pointSet } from "./points.js";

/** Options for {@link blobs}. */
export interface BlobsOptions {
  /** Number of examples, split evenly over the blobs. Default 300. */
  n?: number;
  /** Number of blobs, one class each; an integer ≥ 2. Default 3. */
  classes?: number;
  /** Standard deviation of each blob along each axis (the set's noise). Default 0.5. */
  spread?: number;
  /** Seed of the generator: the same seed gives bit-identical data. Default 1. */
  seed?: number;
}

/** Distance of every blob centre from the origin. */
const radius = 2;

/**
 * Isotropic Gaussian blobs, one per class, centred evenly on a circle of radius 2: blob c at
 * (2 cos(2πc/K), 2 sin(2πc/K)), with standard deviation `spread` along each axis. Raise `spread` to make
 * the classes overlap.
 * @example
 * const ds = blobs({ n: 300, classes: 4, spread: 0.8 }); // x: 300 × 2, y in {0, 1, 2, 3}
 */
export function blobs(options: BlobsOptions = {}): Dataset {
  checkKeys("blobs", options, ["n", "classes", "spread", "seed"]);
  const { n = 300, classes = 3, spread = 0.5, seed = 1 } = options;
  positiveInteger("blobs", "n", n);
  integerAtLeast("blobs", "classes", classes, 2);
  nonNegative("blobs", "spread", spread);
  const rng = createRng(finiteSeed("blobs", seed));
  return pointSet("blobs", n, classes, rng, (c) => {
    const angle = (2 * Math.PI * c) / classes;
    return [radius * Math.cos(angle) + spread * rng.normal(), radius * Math.sin(angle) + spread * rng.normal()];
  });
}
