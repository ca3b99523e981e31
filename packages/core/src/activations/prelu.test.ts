import { describe, expect, it } from "vitest";
import { prelu } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("prelu", () => {
  const p = prelu.params;
  it("learns α, starting at He et al.'s 0.25", () => {
    expect(prelu.learnable).toEqual(["alpha"]);
    expect(p.alpha).toBe(0.25);
  });
  it("has ∂f/∂α = min(x, 0) and the left slope α at the kink", () => {
    const dAlpha = prelu.dparams?.alpha;
    expect(dAlpha?.(-2, p, prelu.f(-2, p))).toBe(-2);
    expect(dAlpha?.(3, p, 3)).toBe(0);
    expect(dAlpha?.(0, p, 0)).toBe(0);
    expect(prelu.df(0, p, 0)).toBe(0.25);
    expect(prelu.df(1e-300, p, 1e-300)).toBe(1);
  });
  it("passes the gradient check for α at other values too", () => {
    for (const alpha of [0, -0.3, 1.5]) expect(checkActivation(prelu.with({ alpha })).ok).toBe(true);
  });
});
