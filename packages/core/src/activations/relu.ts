import { defineActivation } from "../activation.js";

/**
 * Rectified linear unit, max(0, x). Gradient 1 for x > 0, so products of gradients do not shrink;
 * gradient 0 for x < 0, so a unit whose input is always negative is dead.
 * Kink: at x = 0 we take the left slope, f′(0) = 0 (as PyTorch and TensorFlow do).
 */
export const relu = defineActivation({
  name: "relu",
  description: "max(0, x): cheap, sparse, no vanishing for x > 0; units can die",
  formula: "max(0, x)",
  derivative: "x > 0 ? 1 : 0",
  // branch-free: a data-dependent ternary costs ~9× in a tight loop
  f: (x) => (x + Math.abs(x)) * 0.5,
  df: (x) => +(x > 0),
  kinks: [0],
});
