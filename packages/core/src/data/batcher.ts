import { createRng, streamSeed } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed } from "./options.js";

/** Options for {@link createBatcher}. */
export interface BatcherOptions {
  /** Examples per mini-batch: a positive integer, at most the data set's size. */
  batchSize: number;
  /**
   * Seed of the per-epoch shuffles. Default 1. The shuffles draw from the seed's "batcher" stream
   * ({@link streamSeed}), not from `createRng(seed)`, so the batches are independent of a data set made
   * with the same seed.
   */
  seed?: number;
  /** Reshuffle the examples at the start of every epoch; false serves them in order. Default true. */
  shuffle?: boolean;
}

/** Copies mini-batches of a {@link Dataset} into buffers the caller owns. */
export interface Batcher {
  /** Rows per batch: `y` must have this length. */
  readonly batchSize: number;
  /** Features per row: `x` must have length batchSize × features. */
  readonly features: number;
  /** ⌈n / batchSize⌉: batches needed to see every example at least once. */
  readonly batchesPerEpoch: number;
  /** Full passes over the data completed so far (examples served ÷ n, rounded down). */
  readonly epoch: number;
  /**
   * Copies the next mini-batch into `x` (batchSize × features, row-major) and `y` (batchSize labels) and
   * returns the number of rows written, always batchSize. Allocates nothing.
   */
  next(x: Float32Array | Float64Array, y: Int32Array): number;
}

/**
 * Serves an endless stream of full mini-batches for a training loop. Each epoch is one seeded permutation of
 * all examples, so every example is served exactly once per epoch; a batch that reaches the end of an epoch
 * is completed from the next one (it can then hold an example twice). The same seed gives the same batches.
 * Seeds are split into independent streams ({@link streamSeed}): the batcher shuffles with the seed's
 * "batcher" stream, the data sets draw from the seed itself, the weights from "init", so a run can pass one
 * seed to all of them. (With one stream, the batcher's first shuffle undid the generator's: the first epoch
 * was served class by class.)
 * @example
 * const batcher = createBatcher(ds, { batchSize: 32, seed: 1 });
 * const xb = new Float32Array(32 * ds.features), yb = new Int32Array(32);
 * while (batcher.epoch < 10) { batcher.next(xb, yb); step(xb, yb); }
 */
export function createBatcher(ds: Dataset, options: BatcherOptions): Batcher {
  checkKeys("createBatcher", options, ["batchSize", "seed", "shuffle"]);
  const { batchSize, seed = 1, shuffle = true } = options;
  const { n, features } = ds;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${String(batchSize)}`);
  }
  if (batchSize > n) throw new RangeError(`batch size ${batchSize} is larger than the data set (${n} examples)`);
  const rng = createRng(streamSeed(finiteSeed("createBatcher", seed), "batcher"));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const source = ds.x;
  const labels = ds.y;
  let position = n; // in the current epoch's order; n means the next row starts a new epoch
  let served = 0;

  return {
    batchSize,
    features,
    batchesPerEpoch: Math.ceil(n / batchSize),
    get epoch() {
      return Math.floor(served / n);
    },
    next(x, y) {
      if (x.length !== batchSize * features) {
        throw new RangeError(`x buffer has length ${x.length}, expected ${batchSize * features} (batch size ${batchSize} × ${features} features)`);
      }
      if (y.length !== batchSize) throw new RangeError(`y buffer has length ${y.length}, expected the batch size ${batchSize}`);
      for (let r = 0; r < batchSize; r++) {
        if (position === n) {
          if (shuffle) rng.shuffle(order);
          position = 0;
        }
        const i = order[position++]!;
        y[r] = labels[i]!;
        const from = i * features;
        const to = r * features;
        for (let f = 0; f < features; f++) x[to + f] = source[from + f]!;
      }
      served += batchSize;
      return batchSize;
    },
  };
}
