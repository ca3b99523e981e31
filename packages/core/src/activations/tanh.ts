import { defineActivation } from "../activation.js";

/**
 * Hyperbolic tangent, f(x) = tanh(x), f′(x) = 1 − tanh²(x) = 1 − y² (reuses the output).
 * Zero-centred, unlike the sigmoid, and its slope at 0 is 1 rather than 1/4; it still saturates
 * on both sides, so deep tanh nets saturate layer by layer (Glorot & Bengio 2010). No parameters,
 * no kinks; finite for every input (tanh(±1e4) = ±1, f′ = 0).
 * @example tanh.f(0.5, tanh.params); // 0.46211715726000974
 */
export const tanh = defineActivation({
  name: "tanh",
  description: "tanh(x): zero-centred, slope 1 at 0, saturates both sides",
  formula: "tanh(x)",
  derivative: "1 − tanh(x)²",
  f: (x) => Math.tanh(x),
  df: (_x, _p, y) => 1 - y * y,
});
