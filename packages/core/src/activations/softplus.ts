import { defineActivation } from "../activation.js";

/**
 * Softplus, f(x) = log(1 + e^(βx))/β; f′(x) = σ(βx).
 *
 * Default β = 1; `check`: β > 0. Computed as (max(βx, 0) + log1p(e^(−|βx|)))/β, which never
 * overflows (PyTorch instead switches to x above a threshold of 20). Smooth ReLU, no kinks,
 * always positive; its slope is a sigmoid, so it saturates on the left like ReLU but never dies.
 * Use it where a positive output is needed (a variance, a rate) or as a smooth ReLU.
 * @example softplus.f(0, softplus.params); // Math.LN2
 */
export const softplus = defineActivation({
  name: "softplus",
  description: "log(1 + e^(βx))/β: smooth, positive ReLU",
  formula: "log(1 + exp(β·x)) / β",
  derivative: "σ(β·x)",
  params: { beta: 1 },
  check: ({ beta }) => (beta > 0 ? undefined : `beta must be > 0, got ${beta}`),
  f: (x, { beta }) => {
    const z = beta * x;
    return ((z + Math.abs(z)) * 0.5 + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
  },
  df: (x, { beta }) => 1 / (1 + Math.exp(-beta * x)),
});
