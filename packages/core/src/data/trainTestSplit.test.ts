import { describe, expect, it } from "vitest";
import { spiral } from "./spiral.js";
import { trainTestSplit } from "./trainTestSplit.js";

/** Rows as strings, to compare sets of examples. */
const rowKeys = (ds: { x: Float64Array; y: Int32Array; n: number }) =>
  Array.from({ length: ds.n }, (_, i) => `${ds.x[2 * i]},${ds.x[2 * i + 1]},${ds.y[i]}`);

describe("trainTestSplit", () => {
  it("splits n × testFraction (rounded) off for testing, keeping every example once", () => {
    const ds = spiral({ n: 301 });
    const { train, test } = trainTestSplit(ds, { testFraction: 0.25, seed: 1 });
    expect([train.n, test.n]).toEqual([226, 75]);
    expect([train.features, train.classes, test.features, test.classes]).toEqual([2, 3, 2, 3]);
    expect([...rowKeys(train), ...rowKeys(test)].sort()).toEqual(rowKeys(ds).sort());
    expect(trainTestSplit(spiral()).test.n).toBe(60); // default 0.2
  });

  it("is seeded", () => {
    const ds = spiral();
    expect(trainTestSplit(ds, { seed: 3 })).toEqual(trainTestSplit(ds, { seed: 3 }));
    expect(trainTestSplit(ds, { seed: 3 }).test.x).not.toEqual(trainTestSplit(ds, { seed: 4 }).test.x);
  });

  it("rejects fractions that leave a part empty", () => {
    const ds = spiral({ n: 10 });
    expect(() => trainTestSplit(ds, { testFraction: 1 })).toThrow("trainTestSplit: testFraction must be a number in (0, 1), got 1");
    expect(() => trainTestSplit(ds, { testFraction: 0.01 })).toThrow("testFraction 0.01 of 10 examples leaves no test examples");
    expect(() => trainTestSplit(ds, { testFraction: 0.97 })).toThrow("leaves no training examples");
  });

  it("holds out every class when the data set and the split share a seed", () => {
    // with one stream for both, the split's permutation undid the generator's and held out the first 60
    // points generated: the inside of arm 0 alone. At random each class gets 20 ± 3.7 of the 60.
    for (let seed = 1; seed <= 10; seed++) {
      const { test } = trainTestSplit(spiral({ n: 300, seed }), { testFraction: 0.2, seed });
      for (let c = 0; c < 3; c++) expect(test.y.filter((v) => v === c).length, `seed ${seed}, class ${c}`).toBeGreaterThanOrEqual(8);
    }
  });
});
