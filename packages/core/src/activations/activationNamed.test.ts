import { describe, expect, it } from "vitest";
import { activationNamed, activationNames, defaultInit, leakyRelu } from "@gradscope/core";

describe("activationNamed", () => {
  it("finds built-ins and presets, with parameters", () => {
    expect(activationNamed("leakyRelu")).toBe(leakyRelu);
    expect(activationNamed("leakyRelu", { alpha: 0.2 }).f(-1, { alpha: 0.2 })).toBeCloseTo(-0.2, 15);
    expect(activationNamed("rreluPaper").params).toMatchObject({ lower: 3, upper: 8, inverse: 1 });
    expect(activationNames).toContain("geluTanh");
  });
  it("names the unknown activation and lists the known ones", () => {
    expect(() => activationNamed("relu6")).toThrow(/unknown activation "relu6" \(known: identity, relu, .*geluTanh, rreluPaper\)/);
    expect(() => activationNamed("relu", { alpha: 1 })).toThrow('activation relu has no parameter "alpha"');
  });
  it("pairs activations with the initialiser the literature uses", () => {
    expect(defaultInit("relu")).toBe("he");
    expect(defaultInit("selu")).toBe("lecun");
    expect(defaultInit("tanh")).toBe("glorot");
  });
});
