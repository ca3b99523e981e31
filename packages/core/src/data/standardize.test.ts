import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { blobs } from "./blobs.js";
import { standardize } from "./standardize.js";
import { trainTestSplit } from "./trainTestSplit.js";

const columnStats = (ds: Dataset, f: number) => {
  const v = Array.from({ length: ds.n }, (_, i) => ds.x[i * ds.features + f]!);
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length) };
};

describe("standardize", () => {
  it("gives every feature mean 0 and std 1", () => {
    const z = standardize(blobs({ spread: 3 }));
    for (const f of [0, 1]) {
      const { mean, std } = columnStats(z, f);
      expect(mean).toBeCloseTo(0, 12);
      expect(std).toBeCloseTo(1, 12);
    }
  });

  it("applies the training set's statistics to the test set", () => {
    const { train, test } = trainTestSplit(blobs({ n: 100 }));
    const z = standardize(test, { using: train });
    const { mean, std } = columnStats(train, 0);
    expect(z.x[0]).toBeCloseTo((test.x[0]! - mean) / std, 12);
    expect(z.y).toEqual(test.y);
  });

  it("only centres a constant feature", () => {
    const ds: Dataset = { name: "c", x: Float64Array.of(5, 1, 5, 2), y: Int32Array.of(0, 1), n: 2, features: 2, classes: 2 };
    expect(Array.from(standardize(ds).x)).toEqual([0, -1, 0, 1]);
  });
});
