import { describe, expect, it } from "vitest";
import { hardSigmoid } from "@gradscope/core";

describe("hardSigmoid", () => {
  const p = hardSigmoid.params;
  it("is relu6(x + 3)/6 (PyTorch), not Keras's 0.2x + 0.5", () => {
    expect(hardSigmoid.f(0, p)).toBe(0.5);
    expect(hardSigmoid.f(-3, p)).toBe(0);
    expect(hardSigmoid.f(3, p)).toBe(1);
    expect(hardSigmoid.f(1.5, p)).toBe(0.75);
    expect(hardSigmoid.f(2.5, p)).not.toBe(1); // Keras saturates at 2.5
  });
  it("has slope 1/6 inside and f′ = 0 exactly at both kinks", () => {
    expect(hardSigmoid.kinks).toEqual([-3, 3]);
    expect(hardSigmoid.df(0, p, 0.5)).toBe(1 / 6);
    expect(hardSigmoid.df(-3, p, 0)).toBe(0);
    expect(hardSigmoid.df(3, p, 1)).toBe(0);
    expect(hardSigmoid.df(2.999999, p, 0)).toBe(1 / 6);
  });
});
