import { describe, expect, it } from "vitest";
import { blobs } from "./blobs.js";
import { classCounts } from "./testUtils.js";

describe("blobs", () => {
  it("is balanced and seeded", () => {
    const ds = blobs({ n: 300, classes: 4 });
    expect([ds.name, ds.n, ds.features, ds.classes]).toEqual(["blobs", 300, 2, 4]);
    expect(classCounts(ds)).toEqual([75, 75, 75, 75]);
    expect(blobs({ seed: 8 })).toEqual(blobs({ seed: 8 }));
    expect(blobs({ seed: 8 }).x).not.toEqual(blobs({ seed: 9 }).x);
  });

  it("centres blob c at 2(cos 2πc/K, sin 2πc/K) with std spread", () => {
    const classes = 5;
    const spread = 0.7;
    const ds = blobs({ n: 5000, classes, spread, seed: 3 });
    const m = ds.n / classes;
    // The sample mean of m draws has standard error spread/√m (≈ 0.022 here) and the sample std about
    // spread/√(2m) (≈ 0.016); 4 standard errors is a bound a correct generator would break with p < 1e-4.
    const meanTolerance = (4 * spread) / Math.sqrt(m);
    const stdTolerance = (4 * spread) / Math.sqrt(2 * m);
    for (let c = 0; c < classes; c++) {
      for (const [axis, centre] of [[0, 2 * Math.cos((2 * Math.PI * c) / classes)], [1, 2 * Math.sin((2 * Math.PI * c) / classes)]] as const) {
        const values = Array.from(ds.y).flatMap((label, i) => (label === c ? [ds.x[2 * i + axis]!] : []));
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
        expect(Math.abs(mean - centre)).toBeLessThan(meanTolerance);
        expect(Math.abs(std - spread)).toBeLessThan(stdTolerance);
      }
    }
  });

  it("at spread 0 puts every point on its centre", () => {
    const ds = blobs({ n: 6, classes: 3, spread: 0 });
    for (let i = 0; i < ds.n; i++) {
      const angle = (2 * Math.PI * ds.y[i]!) / 3;
      expect([ds.x[2 * i], ds.x[2 * i + 1]]).toEqual([2 * Math.cos(angle), 2 * Math.sin(angle)]);
    }
  });

  it("rejects bad options", () => {
    expect(() => blobs({ spread: -0.1 })).toThrow("blobs: spread must be a finite number ≥ 0, got -0.1");
    expect(() => blobs({ classes: 2.5 })).toThrow("blobs: classes must be an integer ≥ 2, got 2.5");
    expect(() => blobs({ noise: 0.1 } as object)).toThrow('blobs: unknown option "noise" (known: n, classes, spread, seed)');
  });
});
