import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher.js";
import type { Dataset } from "./dataset.js";
import { dataset } from "./datasets.js";

/** Example i has features (i, −i) and label i mod 3, so a batch row tells which example it is. */
const numbered = (n: number): Dataset => ({
  name: "numbered",
  x: Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : -(k - 1) / 2)),
  y: Int32Array.from({ length: n }, (_, i) => i % 3),
  n,
  features: 2,
  classes: 3,
});

/** Example indices served by `batches` calls. */
function served(ds: Dataset, batchSize: number, batches: number, options: { seed?: number; shuffle?: boolean } = {}): number[] {
  const batcher = createBatcher(ds, { batchSize, ...options });
  const x = new Float32Array(batchSize * 2);
  const y = new Int32Array(batchSize);
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    expect(batcher.next(x, y)).toBe(batchSize);
    for (let r = 0; r < batchSize; r++) {
      expect(x[2 * r + 1]! + x[2 * r]!).toBe(0);
      expect(y[r]).toBe(x[2 * r]! % 3);
      out.push(x[2 * r]!);
    }
  }
  return out;
}

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("createBatcher", () => {
  it("serves every example exactly once per epoch, wrapping batches across epochs", () => {
    const n = 10;
    const order = served(numbered(n), 4, 15); // 60 examples: 6 epochs, batches straddle epoch ends
    for (let e = 0; e < 6; e++) expect(sorted(order.slice(e * n, (e + 1) * n))).toEqual(range(n));
    expect(order.slice(0, n)).not.toEqual(range(n)); // shuffled
    expect(order.slice(0, n)).not.toEqual(order.slice(n, 2 * n)); // reshuffled each epoch
  });

  it("is deterministic for a seed", () => {
    const ds = numbered(50);
    expect(served(ds, 8, 20, { seed: 3 })).toEqual(served(ds, 8, 20, { seed: 3 }));
    expect(served(ds, 8, 20, { seed: 3 })).not.toEqual(served(ds, 8, 20, { seed: 4 }));
  });

  it("serves in order without shuffle", () => {
    expect(served(numbered(5), 3, 3, { shuffle: false })).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3]);
  });

  it("counts completed epochs and batches per epoch", () => {
    const ds = numbered(10);
    const batcher = createBatcher(ds, { batchSize: 4 });
    expect(batcher.batchesPerEpoch).toBe(3);
    const x = new Float64Array(8);
    const y = new Int32Array(4);
    const epochs = range(6).map(() => (batcher.next(x, y), batcher.epoch));
    expect(epochs).toEqual([0, 0, 1, 1, 2, 2]); // 4, 8, 12, 16, 20, 24 examples served
  });

  it("copies float64 features exactly into a Float64Array", () => {
    const ds: Dataset = { name: "p", x: Float64Array.of(Math.PI, 0.1), y: Int32Array.of(1), n: 1, features: 2, classes: 2 };
    const x = new Float64Array(2);
    createBatcher(ds, { batchSize: 1 }).next(x, new Int32Array(1));
    expect(Array.from(x)).toEqual([Math.PI, 0.1]);
  });

  it("rejects bad batch sizes and buffers", () => {
    const ds = numbered(300);
    expect(() => createBatcher(ds, { batchSize: 512 })).toThrow("batch size 512 is larger than the data set (300 examples)");
    expect(() => createBatcher(ds, { batchSize: 0 })).toThrow("batch size must be a positive integer, got 0");
    expect(() => createBatcher(ds, { batchSize: 1.5 })).toThrow("batch size must be a positive integer, got 1.5");
    const batcher = createBatcher(ds, { batchSize: 64 });
    expect(() => batcher.next(new Float32Array(100), new Int32Array(64))).toThrow(
      "x buffer has length 100, expected 128 (batch size 64 × 2 features)",
    );
    expect(() => batcher.next(new Float32Array(128), new Int32Array(32))).toThrow("y buffer has length 32, expected the batch size 64");
  });

  it("mixes the classes from the first batch when the data set and the batcher share a seed", () => {
    // the generators write their rows in a shuffle seeded with the same user seed; a batcher drawing the
    // same permutation from the same stream would undo it and serve the first epoch class by class. A
    // uniformly random batch of 32 from 300 points in K classes is all one class with probability < 1e-8,
    // so a single-class batch here means the two streams coincide.
    for (const name of ["spiral", "moons", "circles", "xor", "blobs"]) {
      for (let seed = 1; seed <= 10; seed++) {
        const ds = dataset(name, { seed });
        const batcher = createBatcher(ds, { batchSize: 32, seed });
        const x = new Float64Array(32 * ds.features), y = new Int32Array(32);
        for (let b = 0; b < 5; b++) {
          batcher.next(x, y);
          expect(new Set(y).size, `${name}, seed ${seed}, batch ${b}`).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });
});
