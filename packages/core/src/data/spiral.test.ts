import { describe, expect, it } from "vitest";
import { spiral } from "./spiral.js";
import { classCounts } from "./testUtils.js";

describe("spiral", () => {
  it("defaults to cs231n's 3 arms of 100 points", () => {
    const ds = spiral();
    expect([ds.name, ds.n, ds.features, ds.classes, ds.x.length]).toEqual(["spiral", 300, 2, 3, 600]);
    expect(classCounts(ds)).toEqual([100, 100, 100]);
  });

  it("is bit-identical for a seed and differs across seeds", () => {
    expect(spiral({ seed: 5 })).toEqual(spiral({ seed: 5 }));
    expect(spiral({ seed: 5 }).x).not.toEqual(spiral({ seed: 6 }).x);
  });

  it("balances uneven counts to within one", () => {
    expect(classCounts(spiral({ n: 301, classes: 4 }))).toEqual([76, 75, 75, 75]);
  });

  it("at noise 0 puts each point on its arm: angle = 2πc/K + 4r", () => {
    const classes = 4;
    const ds = spiral({ n: 400, classes, noise: 0 });
    for (let i = 0; i < ds.n; i++) {
      const [a, b] = [ds.x[2 * i]!, ds.x[2 * i + 1]!];
      const r = Math.hypot(a, b);
      expect(r).toBeLessThanOrEqual(1 + 1e-12);
      if (r < 1e-9) continue; // the arm's first point sits at the origin
      const expected = (2 * Math.PI * ds.y[i]!) / classes + 4 * r;
      const turn = Math.atan2(a, b) - expected; // x = r sin t, y = r cos t
      expect(Math.abs(Math.sin(turn))).toBeLessThan(1e-9);
      expect(Math.cos(turn)).toBeCloseTo(1, 9);
    }
  });

  it("rejects bad options by name and value", () => {
    expect(() => spiral({ n: 2.5 })).toThrow("spiral: n must be a positive integer, got 2.5");
    expect(() => spiral({ n: 0 })).toThrow("n must be a positive integer, got 0");
    expect(() => spiral({ noise: -1 })).toThrow("spiral: noise must be a finite number ≥ 0, got -1");
    expect(() => spiral({ noise: Infinity })).toThrow("got Infinity");
    expect(() => spiral({ classes: 1 })).toThrow("spiral: classes must be an integer ≥ 2, got 1");
    expect(() => spiral({ n: 2, classes: 3 })).toThrow("n must be at least classes (3)");
    expect(() => spiral({ n: "300" as unknown as number })).toThrow('got "300"');
    expect(() => spiral({ nosie: 0.1 } as object)).toThrow('spiral: unknown option "nosie" (known: n, noise, classes, seed)');
  });
});
