import { describe, expect, it } from "vitest";
import { silu, swish } from "@gradscope/core";

describe("silu", () => {
  it("is swish with β = 1, with no parameters", () => {
    expect(silu.params).toEqual({});
    for (let x = -10; x <= 10; x += 0.37) {
      expect(silu.f(x, silu.params)).toBe(swish.f(x, swish.params));
      expect(silu.df(x, silu.params, 0)).toBeCloseTo(swish.df(x, swish.params, 0), 15);
    }
    expect(silu.f(-1, silu.params)).toBeCloseTo(-0.2689414213699951, 15);
  });
});
