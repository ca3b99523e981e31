import { describe, expect, it } from "vitest";
import { estimate, studentTCdf, studentTQuantile } from "@gradscope/stream";

describe("estimate", () => {
  it("gives the t-interval computed by hand", () => {
    // [1, 2, 3]: mean 2, sd 1, t(0.975, 2) = 4.302653, half-width 4.302653 / √3 = 2.484138
    const e = estimate([1, 2, 3])!;
    expect(e.mean).toBe(2);
    expect(e.spread).toBeCloseTo(1, 12);
    expect(e.n).toBe(3);
    expect(e.halfWidth).toBeCloseTo(2.484138, 5);
    expect(e.lo).toBeCloseTo(-0.484138, 5);
    expect(e.hi).toBeCloseTo(4.484138, 5);
    // five seeds: [0.30, 0.32, 0.31, 0.29, 0.33]: mean 0.31, sd 0.0158114, t(0.975, 4) = 2.776445, hw 0.0196324
    const f = estimate([0.3, 0.32, 0.31, 0.29, 0.33])!;
    expect(f.mean).toBeCloseTo(0.31, 12);
    expect(f.spread).toBeCloseTo(0.0158114, 6);
    expect(f.halfWidth).toBeCloseTo(0.0196324, 6);
  });

  it("ignores missing values, has no interval from one seed, and nothing from none", () => {
    const e = estimate([null, 4, Number.NaN, undefined])!;
    expect(e).toMatchObject({ mean: 4, spread: 0, n: 1, halfWidth: Infinity, lo: -Infinity, hi: Infinity });
    expect(estimate([null, Number.NaN])).toBeNull();
  });

  it("t quantiles match the tables", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.95996, 4); // the normal's
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764, 4);
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10); // Cauchy: 1/2 + atan(1)/π
    expect(() => studentTQuantile(1, 3)).toThrow(/p must be in \(0, 1\)/);
  });
});
