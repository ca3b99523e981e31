import { describe, expect, it } from "vitest";
import { moons } from "./moons.js";
import { classCounts, rows2d } from "./testUtils.js";

describe("moons", () => {
  it("is two balanced classes, seeded", () => {
    const ds = moons({ n: 201 });
    expect([ds.name, ds.n, ds.features, ds.classes]).toEqual(["moons", 201, 2, 2]);
    expect(classCounts(ds)).toEqual([101, 100]);
    expect(moons({ seed: 2 })).toEqual(moons({ seed: 2 }));
    expect(moons({ seed: 2 }).x).not.toEqual(moons({ seed: 3 }).x);
  });

  it("at noise 0 lies on the two half circles", () => {
    for (const [a, b, c] of rows2d(moons({ n: 200, noise: 0 }))) {
      if (c === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
        expect(b).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 12);
        expect(b).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it("rejects bad options", () => {
    expect(() => moons({ noise: Number.NaN })).toThrow("moons: noise must be a finite number ≥ 0, got NaN");
    expect(() => moons({ n: 1 })).toThrow("n must be at least classes (2)");
    expect(() => moons({ classes: 3 } as object)).toThrow('moons: unknown option "classes"');
  });
});
