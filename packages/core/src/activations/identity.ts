import { defineActivation } from "../activation.js";

/**
 * Identity, f(x) = x, f′(x) = 1. No parameters, no kinks.
 * Use it for a linear output layer (regression) or as the baseline that shows what depth buys
 * without a nonlinearity: a stack of linear layers is one linear map.
 * @example identity.f(2, identity.params); // 2
 */
export const identity = defineActivation({
  name: "identity",
  description: "x: no nonlinearity; linear output layers and the baseline for comparisons",
  formula: "x",
  derivative: "1",
  f: (x) => x,
  df: () => 1,
});
