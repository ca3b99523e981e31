import { describe, expect, it } from "vitest";
import { xor } from "./xor.js";
import { classCounts, rows2d } from "./testUtils.js";

describe("xor", () => {
  it("is two balanced classes, seeded", () => {
    const ds = xor();
    expect([ds.name, ds.n, ds.features, ds.classes]).toEqual(["xor", 300, 2, 2]);
    expect(classCounts(ds)).toEqual([150, 150]);
    expect(xor({ seed: 4 })).toEqual(xor({ seed: 4 }));
    expect(xor({ seed: 4 }).x).not.toEqual(xor({ seed: 5 }).x);
  });

  it("at noise 0 labels 1 exactly where sign(x1·x2) = −1, inside [−1, 1]²", () => {
    const rows = rows2d(xor({ n: 1000, noise: 0 }));
    for (const [a, b, c] of rows) {
      expect(c).toBe(Math.sign(a * b) === -1 ? 1 : 0);
      expect(a * b).not.toBe(0);
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
    }
    // all four quadrants are used
    const quadrants = new Set(rows.map(([a, b]) => `${Math.sign(a)},${Math.sign(b)}`));
    expect(quadrants.size).toBe(4);
  });

  it("with noise flips some points across an axis", () => {
    const flipped = rows2d(xor({ n: 1000, noise: 0.2 })).filter(([a, b, c]) => (a * b < 0 ? 1 : 0) !== c);
    expect(flipped.length).toBeGreaterThan(0);
    expect(flipped.length).toBeLessThan(300);
  });
});
