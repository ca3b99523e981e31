import { defineActivation } from "../activation.js";

/**
 * Parametric ReLU (He et al. 2015), f(x) = x for x > 0, αx otherwise, with α learned:
 * f′(x) = x > 0 ? 1 : α, and ∂f/∂α = min(x, 0).
 *
 * Default (initial) α = 0.25, as in He et al. and PyTorch (TensorFlow.js initialises to 0).
 * Whether one α is shared by a layer or learned per unit/channel is decided by the graph layer
 * that owns the parameter, not here.
 *
 * Kink at 0: f′(0) = α, the left slope (as PyTorch); ∂f/∂α(0) = 0.
 *
 * Use it with plenty of data: the network picks its own leak; streaming the learned slopes shows
 * what it chose (He et al. saw early layers keep large slopes, deep ones small).
 * @example prelu.dparams?.alpha?.(-2, prelu.params, -0.5); // -2
 */
export const prelu = defineActivation({
  name: "prelu",
  description: "x > 0 ? x : αx with α learned (initial 0.25)",
  formula: "x > 0 ? x : α·x",
  derivative: "x > 0 ? 1 : α;  ∂f/∂α = min(x, 0)",
  params: { alpha: 0.25 },
  learnable: ["alpha"],
  f: (x, { alpha }) => (x + Math.abs(x) + alpha * (x - Math.abs(x))) * 0.5,
  df: (x, { alpha }) => +(x > 0) + alpha * +(x <= 0), // at 0 the left slope, α
  dparams: { alpha: (x) => (x - Math.abs(x)) * 0.5 },
  kinks: [0],
});
