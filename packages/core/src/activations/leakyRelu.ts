import { defineActivation } from "../activation.js";

/**
 * Leaky ReLU, f(x) = x for x > 0, αx otherwise; f′(x) = 1 for x > 0, α otherwise
 * (α, not αeˣ as a well-known tutorial says: αeˣ is ELU's).
 *
 * Default α = 0.01, PyTorch's `negative_slope`. TensorFlow.js defaults differ: 0.2 for the
 * `tf.leakyRelu` op and 0.3 for the `leakyReLU` layer; pass `leakyRelu.with({ alpha: 0.2 })` to match.
 *
 * Kink at 0: f′(0) = α, the left slope (as PyTorch).
 *
 * Use it where ReLU units die: the small slope keeps a gradient for x < 0, so a unit pushed
 * negative can recover. For a learned slope see `prelu`, for a random one `rrelu`.
 * @example leakyRelu.with({ alpha: 0.2 }).f(-1, { alpha: 0.2 }); // -0.2
 */
export const leakyRelu = defineActivation({
  name: "leakyRelu",
  description: "x > 0 ? x : αx: keeps a gradient for x < 0 so units cannot die",
  formula: "x > 0 ? x : α·x",
  derivative: "x > 0 ? 1 : α",
  params: { alpha: 0.01 },
  // branch-free and exact: (x + |x|)/2 = max(x, 0), (x − |x|)/2 = min(x, 0); halving is exact
  f: (x, { alpha }) => (x + Math.abs(x) + alpha * (x - Math.abs(x))) * 0.5,
  df: (x, { alpha }) => +(x > 0) + alpha * +(x <= 0), // at 0 the left slope, α
  kinks: [0],
});
