import { defineActivation } from "../activation.js";

/**
 * Swish (Ramachandran et al. 2017), f(x) = x·σ(βx); f′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx)).
 *
 * Default β = 1, which is {@link silu}. β = 0 gives x/2; β → ∞ tends to ReLU. Smooth, no kinks,
 * non-monotone (dips below 0 for x < 0). Use it where ReLU is the baseline and a smooth,
 * self-gated unit is wanted (EfficientNet, many vision nets). Stable: x/(1 + e^(−βx)) is −0, not
 * NaN, when e^(−βx) overflows.
 * @example swish.f(1, swish.params); // 0.7310585786300049
 */
export const swish = defineActivation({
  name: "swish",
  description: "x·σ(βx): smooth, self-gated, non-monotone ReLU-like unit",
  formula: "x·σ(β·x) = x / (1 + exp(−β·x))",
  derivative: "σ(βx) + βx·σ(βx)·(1 − σ(βx))",
  params: { beta: 1 },
  f: (x, { beta }) => x / (1 + Math.exp(-beta * x)),
  df: (x, { beta }) => {
    const s = 1 / (1 + Math.exp(-beta * x));
    return s + beta * x * s * (1 - s);
  },
});
