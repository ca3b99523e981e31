import { defineActivation } from "../activation.js";

/** SELU's λ (scale) and α, Klambauer et al. 2017, to the digits of the paper's fixed-point solution. */
export const SELU_LAMBDA = 1.0507009873554804934193349852946;
export const SELU_ALPHA = 1.6732632423543772848170429916717;
const scaledAlpha = SELU_LAMBDA * SELU_ALPHA;

/**
 * Scaled ELU (Klambauer et al. 2017), f(x) = λx for x > 0, λα(eˣ − 1) otherwise;
 * f′(x) = λ for x > 0, λαeˣ = f(x) + λα otherwise (reuses the output).
 *
 * λ = 1.0507009873554804934193349852946 and α = 1.6732632423543772848170429916717 are fixed (not
 * parameters): they make mean 0 and variance 1 a stable fixed point of a layer with LeCun-normal
 * weights (Var[W] = 1/n), so deep nets self-normalise without BatchNorm. Other values break that.
 *
 * Kink at 0: f′(0) = λα ≈ 1.7581, the left slope (as PyTorch).
 *
 * Use it for deep fully connected nets with LeCun-normal init (and alpha-dropout, not dropout).
 * Stable for any input (expm1 of min(x, 0)).
 * @example selu.f(1, selu.params); // 1.0507009873554805
 */
export const selu = defineActivation({
  name: "selu",
  description: "λ·(x > 0 ? x : α(eˣ − 1)): self-normalising with LeCun-normal init",
  formula: "λ·(x > 0 ? x : α·(exp(x) − 1)), λ ≈ 1.0507, α ≈ 1.6733",
  derivative: "x > 0 ? λ : λα·exp(x) = f(x) + λα",
  f: (x) => SELU_LAMBDA * (x + Math.abs(x)) * 0.5 + scaledAlpha * Math.expm1((x - Math.abs(x)) * 0.5),
  df: (x, _p, y) => SELU_LAMBDA * +(x > 0) + (y + scaledAlpha) * +(x <= 0), // at 0 the left slope, λα
  kinks: [0],
});
