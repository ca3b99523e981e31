import { createRng, streamSeed } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, openFraction } from "./options.js";
import { subset } from "./subset.js";

/** Options for {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of the examples held out for testing, in (0, 1); the count is n × testFraction, rounded. Default 0.2. */
  testFraction?: number;
  /**
   * Seed of the shuffle that decides which examples are held out. Default 1. It draws from the seed's
   * "trainTestSplit" stream ({@link streamSeed}), so it is independent of a data set made with the same seed.
   */
  seed?: number;
}

/**
 * Shuffles the examples (seeded) and splits them into a training and a test set; both keep the name,
 * feature count and class count of `ds`. Not stratified: with few examples per class, check the test classes.
 * @example
 * const { train, test } = trainTestSplit(spiral({ n: 300 }), { testFraction: 0.2, seed: 1 }); // 240 + 60
 */
export function trainTestSplit(ds: Dataset, options: TrainTestSplitOptions = {}): { train: Dataset; test: Dataset } {
  checkKeys("trainTestSplit", options, ["testFraction", "seed"]);
  const { testFraction = 0.2, seed = 1 } = options;
  openFraction("trainTestSplit", "testFraction", testFraction);
  const nTest = Math.round(ds.n * testFraction);
  if (nTest === 0 || nTest === ds.n) {
    throw new RangeError(
      `trainTestSplit: testFraction ${testFraction} of ${ds.n} examples leaves ${nTest === 0 ? "no test" : "no training"} examples`,
    );
  }
  const order = createRng(streamSeed(finiteSeed("trainTestSplit", seed), "trainTestSplit")).shuffle(Int32Array.from({ length: ds.n }, (_, i) => i));
  return { train: subset(ds, order.subarray(nTest)), test: subset(ds, order.subarray(0, nTest)) };
}
