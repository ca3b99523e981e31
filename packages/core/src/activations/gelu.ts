import { defineActivation } from "../activation.js";
import { erfc } from "../math/erf.js";

const invSqrt2Pi = 0.3989422804014327; // 1/√(2π)
const sqrt2OverPi = 0.7978845608028654; // √(2/π)
const cubic = 0.044715;

/** Φ(x), the standard normal CDF, as erfc(−x/√2)/2: accurate in the left tail too (no 1 + erf cancellation). */
const normalCdf = (x: number): number => 0.5 * erfc(-x * Math.SQRT1_2);

/**
 * Gaussian error linear unit (Hendrycks & Gimpel 2016), f(x) = x·Φ(x) with Φ the standard normal
 * CDF; f′(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
 *
 * `approximate: 0` (default, PyTorch's default): the exact form, through a float64 erfc accurate to
 * 1 ulp (math/erf.ts). `approximate: 1`: the tanh approximation
 * 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) (BERT, GPT-2; PyTorch `approximate="tanh"`), computed as
 * x·σ(2u) with u = √(2/π)(x + 0.044715x³) so the left tail does not cancel; within 1e-3 of the
 * exact form everywhere. Preset: {@link geluTanh}. `check`: approximate ∈ {0, 1}.
 *
 * Smooth, no kinks; slightly negative for x < 0 (minimum ≈ −0.17 at x ≈ −0.75), so f′ < 0 there.
 * Use it in transformers and wherever a smooth ReLU-like unit is wanted. Finite at ±1e4.
 * @example gelu.f(1, gelu.params); // 0.8413447460685429
 */
export const gelu = defineActivation({
  name: "gelu",
  description: "x·Φ(x): smooth ReLU weighted by the normal CDF; transformers' default",
  formula: "x·Φ(x)   (approximate: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))))",
  derivative: "Φ(x) + x·φ(x)",
  params: { approximate: 0 },
  check: ({ approximate }) =>
    approximate === 0 || approximate === 1 ? undefined : `approximate must be 0 (erf) or 1 (tanh), got ${approximate}`,
  f: (x, { approximate }) => {
    if (approximate) return x / (1 + Math.exp(-2 * sqrt2OverPi * (x + cubic * x * x * x)));
    return x * normalCdf(x);
  },
  df: (x, { approximate }) => {
    if (approximate) {
      const x2 = x * x;
      const s = 1 / (1 + Math.exp(-2 * sqrt2OverPi * x * (1 + cubic * x2))); // σ(2u) = (1 + tanh u)/2
      return s + x * s * (1 - s) * 2 * sqrt2OverPi * (1 + 3 * cubic * x2);
    }
    return normalCdf(x) + x * invSqrt2Pi * Math.exp(-0.5 * x * x);
  },
});

/** GELU's tanh approximation, 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))): `gelu` with `approximate: 1`. */
export const geluTanh = gelu.with({ approximate: 1 });
