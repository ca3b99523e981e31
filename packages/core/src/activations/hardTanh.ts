import { defineActivation } from "../activation.js";

/**
 * Hard tanh, f(x) = clamp(x, min, max); f′(x) = 1 for min < x < max, 0 outside.
 *
 * Defaults min = −1, max = 1 (PyTorch); `check`: min < max.
 * Kinks at min and max: f′ = 0 exactly at both (the flat, outer side, as PyTorch), so a unit
 * sitting on a bound counts as saturated. The declared kinks follow the parameters:
 * `hardTanh.with({ min: 0, max: 6 }).kinks` is [0, 6], so gradient checks keep away from them.
 *
 * Use it as a cheap tanh (no exp) or to bound activations; it saturates hard on both sides.
 * @example hardTanh.f(3, hardTanh.params); // 1
 */
export const hardTanh = defineActivation({
  name: "hardTanh",
  description: "clamp(x, min, max): cheap piecewise-linear tanh",
  formula: "min(max(x, min), max)",
  derivative: "min < x < max ? 1 : 0",
  params: { min: -1, max: 1 },
  check: ({ min, max }) => (min < max ? undefined : `min must be < max, got min ${min}, max ${max}`),
  f: (x, { min, max }) => Math.min(Math.max(x, min), max),
  df: (x, { min, max }) => +(x > min) * +(x < max), // 0 at both kinks
  kinks: ({ min, max }) => [min, max],
});
