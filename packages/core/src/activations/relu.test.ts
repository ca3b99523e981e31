import { describe, expect, it } from "vitest";
import { relu } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

describe("relu", () => {
  it("is max(0, x) and exact at its kink", () => {
    expect(relu.f(3, relu.params)).toBe(3);
    expect(relu.f(-3, relu.params)).toBe(0);
    expect(relu.f(0, relu.params)).toBe(0);
    expect(relu.df(0, relu.params, 0)).toBe(0); // left slope at 0
    expect(relu.df(1e-300, relu.params, 1e-300)).toBe(1);
  });
  it("passes the gradient check", () => {
    expect(checkActivation(relu).ok).toBe(true);
  });
});
