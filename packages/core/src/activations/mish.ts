import { defineActivation } from "../activation.js";

/** softplus(x) = log(1 + eˣ), in a form that never overflows. */
const softplus = (x: number): number => (x + Math.abs(x)) * 0.5 + Math.log1p(Math.exp(-Math.abs(x)));

/**
 * Mish (Misra 2019), f(x) = x·tanh(softplus(x)); f′(x) = t + x(1 − t²)σ(x) with t = tanh(softplus(x)).
 * No parameters, no kinks; smooth, non-monotone (minimum ≈ −0.31 near x ≈ −1.19), unbounded above.
 * Use it as a smooth ReLU replacement in vision nets (YOLOv4). Stable at ±1e4 (stable softplus).
 * @example mish.f(1, mish.params); // 0.8650983882673103
 */
export const mish = defineActivation({
  name: "mish",
  description: "x·tanh(softplus(x)): smooth, self-regularising, non-monotone",
  formula: "x·tanh(log(1 + exp(x)))",
  derivative: "t + x·(1 − t²)·σ(x), t = tanh(softplus(x))",
  f: (x) => x * Math.tanh(softplus(x)),
  df: (x) => {
    const t = Math.tanh(softplus(x));
    return t + (x * (1 - t * t)) / (1 + Math.exp(-x));
  },
});
