import { defineActivation } from "../activation.js";

/**
 * Continuously differentiable ELU (Barron 2017), f(x) = x for x > 0, α(e^(x/α) − 1) otherwise;
 * f′(x) = 1 for x > 0, e^(x/α) = f(x)/α + 1 otherwise (reuses the output).
 *
 * Default α = 1 (then CELU = ELU). α must not be 0 (`check`). Unlike ELU, its slope is 1 on both
 * sides of 0 for every α, so there is no kink; f′(0) = 1.
 *
 * Use it instead of ELU with α ≠ 1 when a smooth derivative matters (second-order methods, or a
 * clean gradient check). Stable for any input with α > 0 (expm1 of min(x, 0)/α).
 * @example celu.with({ alpha: 2 }).f(-2, { alpha: 2 }); // 2 * (Math.E ** -1 - 1)
 */
export const celu = defineActivation({
  name: "celu",
  description: "x > 0 ? x : α(e^(x/α) − 1): ELU with slope 1 at 0 for every α",
  formula: "x > 0 ? x : α·(exp(x/α) − 1)",
  derivative: "x > 0 ? 1 : exp(x/α) = f(x)/α + 1",
  params: { alpha: 1 },
  check: ({ alpha }) => (alpha === 0 ? "alpha must not be 0 (it divides x)" : undefined),
  f: (x, { alpha }) => (x + Math.abs(x)) * 0.5 + alpha * Math.expm1((x - Math.abs(x)) * 0.5 / alpha),
  df: (x, { alpha }, y) => +(x > 0) + (y / alpha + 1) * +(x <= 0),
});
