import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { percentilesInPlace } from "./percentilesInPlace.js";

/** The reference: sort, then interpolate between order statistics. */
function bySort(values: number[], ps: number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  return ps.map((p) => {
    const pos = (p / 100) * (s.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
  });
}

describe("percentilesInPlace", () => {
  const rng = createRng(7);
  const cases: [string, number[]][] = [
    ["normal, 512", Array.from({ length: 512 }, () => rng.normal())],
    ["normal, 528 (22 rows of 24)", Array.from({ length: 528 }, () => rng.normal() * 3 + 1)],
    ["uniform, 7", Array.from({ length: 7 }, () => rng.uniform(0, 1))],
    ["one value", [2.5]],
    ["two values", [3, -1]],
    ["all equal", Array(100).fill(0.25)],
    ["ties: three values", Array.from({ length: 300 }, (_, i) => i % 3)],
    ["sorted", Array.from({ length: 513 }, (_, i) => i)],
    ["reversed", Array.from({ length: 513 }, (_, i) => -i)],
    ["saturated: ±big and a few between", Array.from({ length: 600 }, (_, i) => (i % 10 === 0 ? rng.normal() : i % 2 ? 40 : -40))],
  ];
  it.each(cases)("equals a sort-based reference exactly: %s", (_, values) => {
    for (const ps of [[16, 50, 84], [0, 7, 16, 31, 50, 69, 84, 93, 100], [50]]) {
      const scratch = Float64Array.from(values), out = new Float64Array(ps.length);
      percentilesInPlace(scratch, values.length, ps, out);
      expect(Array.from(out)).toEqual(bySort(values, ps));
      // a permutation of the input: nothing lost or duplicated
      expect(Array.from(scratch).sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
    }
  });
  it("reads only the first n values of a larger scratch buffer", () => {
    const scratch = Float64Array.of(5, 1, 3, 100, -100), out = new Float64Array(3);
    percentilesInPlace(scratch, 3, [0, 50, 100], out);
    expect(Array.from(out)).toEqual([1, 3, 5]);
    expect(Array.from(scratch.subarray(3))).toEqual([100, -100]);
  });
  it("gives NaN for every percentile when a value is NaN", () => {
    const out = new Float64Array(3);
    percentilesInPlace(Float64Array.of(1, NaN, 2), 3, [16, 50, 84], out);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN]);
  });
});
