import { defineActivation } from "../activation.js";

/**
 * Logistic sigmoid, 1 / (1 + e^−x). Its derivative σ(x)(1 − σ(x)) is at most 1/4, which is why
 * gradients vanish through many sigmoid layers; it saturates on both sides.
 */
export const sigmoid = defineActivation({
  name: "sigmoid",
  description: "1/(1+e^−x): smooth, saturates both sides, f′ ≤ 0.25 so gradients vanish with depth",
  formula: "1 / (1 + exp(−x))",
  derivative: "σ(x)·(1 − σ(x))",
  f: (x) => 1 / (1 + Math.exp(-x)),
  df: (_x, _p, y) => y * (1 - y),
});
