import { defineActivation } from "../activation.js";

/**
 * Sigmoid linear unit, f(x) = x·σ(x); f′(x) = σ(x)(1 + x(1 − σ(x))). Swish with β fixed at 1
 * (the name PyTorch and the GELU paper use); no parameters, no kinks.
 * Use it as the parameter-free smooth ReLU of modern conv nets and LLM MLPs (SwiGLU).
 * @example silu.f(-1, silu.params); // -0.2689414213699951
 */
export const silu = defineActivation({
  name: "silu",
  description: "x·σ(x): swish with β = 1",
  formula: "x·σ(x) = x / (1 + exp(−x))",
  derivative: "σ(x)·(1 + x·(1 − σ(x)))",
  f: (x) => x / (1 + Math.exp(-x)),
  df: (x) => {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 + x * (1 - s));
  },
});
