import { defineActivation } from "../activation.js";

/**
 * Exponential linear unit (Clevert et al. 2015), f(x) = x for x > 0, α(eˣ − 1) otherwise;
 * f′(x) = 1 for x > 0, αeˣ = f(x) + α otherwise, which the derivative computes from the output y
 * without a second exponential.
 *
 * Default α = 1 (PyTorch, Keras). Kink at 0 when α ≠ 1: f′(0) = α, the left slope (as PyTorch);
 * with α = 1 both sides agree.
 *
 * Use it when compute allows: negative outputs pull the mean activation towards 0 (less "bias
 * shift" than ReLU) and it saturates smoothly to −α for very negative inputs; it costs an exp.
 * Stable for any input: eˣ − 1 is `expm1` of min(x, 0), so large x never reaches the exponential.
 * @example elu.f(-1, elu.params); // Math.E ** -1 - 1
 */
export const elu = defineActivation({
  name: "elu",
  description: "x > 0 ? x : α(eˣ − 1): near-zero mean, smooth saturation at −α",
  formula: "x > 0 ? x : α·(exp(x) − 1)",
  derivative: "x > 0 ? 1 : α·exp(x) = f(x) + α",
  params: { alpha: 1 },
  // branch-free: max(x, 0) + α·expm1(min(x, 0))
  f: (x, { alpha }) => (x + Math.abs(x)) * 0.5 + alpha * Math.expm1((x - Math.abs(x)) * 0.5),
  df: (x, { alpha }, y) => +(x > 0) + (y + alpha) * +(x <= 0), // at 0 the left slope, α
  kinks: [0],
});
