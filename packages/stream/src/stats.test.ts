import { describe, expect, it } from "vitest";
import { mean, median } from "@gradscope/stream";

describe("mean", () => {
  it("is the sum over the count, for arrays and typed arrays; NaN for none", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean(Float32Array.of(0.5, 1.5))).toBe(1);
    expect(mean([])).toBeNaN();
  });
});

describe("median", () => {
  it("is the middle value of an odd count, the mean of the two middle ones of an even count", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([5, 1, 4, 2])).toBe(3);
    expect(median([-3])).toBe(-3);
    expect(median([])).toBeNaN();
  });

  it("sorts numerically (not as strings) and leaves its input alone", () => {
    const xs = [10, 9, 100, 2, 1];
    expect(median(xs)).toBe(9);
    expect(xs).toEqual([10, 9, 100, 2, 1]);
  });
});
