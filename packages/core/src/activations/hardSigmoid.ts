import { defineActivation } from "../activation.js";

/**
 * Hard sigmoid in PyTorch's form, f(x) = relu6(x + 3)/6 = clamp(x/6 + 1/2, 0, 1);
 * f′(x) = 1/6 for −3 < x < 3, 0 outside.
 *
 * Keras uses another slope, clamp(0.2x + 0.5, 0, 1) with kinks at ±2.5; they differ by up to 0.05.
 * Kinks at ±3: f′ = 0 exactly at both (the flat, outer side, as PyTorch). No parameters.
 *
 * Use it as a cheap sigmoid (no exp) in gates and mobile nets (MobileNetV3's hard-swish).
 * @example hardSigmoid.f(0, hardSigmoid.params); // 0.5
 */
export const hardSigmoid = defineActivation({
  name: "hardSigmoid",
  description: "relu6(x + 3)/6: cheap piecewise-linear sigmoid, slope 1/6",
  formula: "min(max(x + 3, 0), 6) / 6",
  derivative: "−3 < x < 3 ? 1/6 : 0",
  f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  df: (x) => (+(x > -3) * +(x < 3)) / 6, // 0 at both kinks
  kinks: [-3, 3],
});
