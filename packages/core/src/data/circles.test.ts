import { describe, expect, it } from "vitest";
import { circles } from "./circles.js";
import { classCounts, rows2d } from "./testUtils.js";

describe("circles", () => {
  it("is two balanced classes, seeded", () => {
    const ds = circles();
    expect([ds.name, ds.n, ds.features, ds.classes]).toEqual(["circles", 300, 2, 2]);
    expect(classCounts(ds)).toEqual([150, 150]);
    expect(circles({ seed: 9 })).toEqual(circles({ seed: 9 }));
    expect(circles({ seed: 9 }).x).not.toEqual(circles({ seed: 10 }).x);
  });

  it("at noise 0 puts class 0 on radius 1 and class 1 on radius factor", () => {
    for (const [a, b, c] of rows2d(circles({ n: 100, noise: 0, factor: 0.3 }))) {
      expect(Math.hypot(a, b)).toBeCloseTo(c === 0 ? 1 : 0.3, 12);
    }
  });

  it("with noise keeps the classes apart by radius (gap 0.5 = 5σ at noise 0.1)", () => {
    const radii = rows2d(circles({ n: 1000, noise: 0.1 })).map(([a, b, c]) => [Math.hypot(a, b), c] as const);
    const inner = radii.filter(([, c]) => c === 1).map(([r]) => r);
    const outer = radii.filter(([, c]) => c === 0).map(([r]) => r);
    const mean = (v: number[]) => v.reduce((s, r) => s + r, 0) / v.length;
    expect(mean(inner)).toBeCloseTo(0.5, 1);
    expect(mean(outer)).toBeCloseTo(1, 1);
    // a radius threshold halfway classifies nearly all points
    const wrong = inner.filter((r) => r > 0.75).length + outer.filter((r) => r < 0.75).length;
    expect(wrong / 1000).toBeLessThan(0.05);
  });

  it("rejects a factor outside (0, 1)", () => {
    expect(() => circles({ factor: 1 })).toThrow("circles: factor must be a number in (0, 1), got 1");
    expect(() => circles({ factor: 0 })).toThrow("got 0");
  });
});
