import { defineActivation } from "../activation.js";

/**
 * Softsign, f(x) = x/(1 + |x|); f′(x) = 1/(1 + |x|)².
 * Like tanh (zero-centred, range (−1, 1), slope 1 at 0) but saturating polynomially, not
 * exponentially, so its gradient fades more slowly (Glorot & Bengio 2010 found it saturates less).
 * No parameters; smooth at 0 (both one-sided slopes are 1), so no kinks.
 * @example softsign.f(1, softsign.params); // 0.5
 */
export const softsign = defineActivation({
  name: "softsign",
  description: "x/(1 + |x|): tanh-like, polynomial saturation",
  formula: "x / (1 + |x|)",
  derivative: "1 / (1 + |x|)²",
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
});
