/** One draw of the vanishing-gradient toy: the base-10 logarithm of a product of `factors` U(0,1) numbers. */
export interface ProductSample {
  factors: number;
  log10: number;
}

/** Options of {@link sampleProductOfUniforms}. */
export interface SampleProductOfUniformsOptions {
  /** Uniform numbers multiplied per draw (default 50, the tutorial's). */
  factors?: number;
  /** Number of products drawn (default 10,000). */
  draws?: number;
  /** A uniform [0, 1) generator; pass a seeded one, e.g. `createRng(1).next` from @gradscope/core. */
  random: () => number;
}

/**
 * Draws products of `factors` independent U(0,1) numbers – the tutorial's stand-in for back-propagating
 * through many layers, each multiplying the gradient by a factor below 1. Sums log10 of the factors
 * rather than multiplying them, so a product far below float64's ~1e-308 is still reported, not 0.
 *
 * @example
 * import { createRng } from "@gradscope/core";
 * import { sampleProductOfUniforms, productOfUniforms } from "@gradscope/views";
 * const rows = sampleProductOfUniforms({ factors: 50, draws: 10_000, random: createRng(1).next });
 * productOfUniforms(rows);
 */
export function sampleProductOfUniforms(options: SampleProductOfUniformsOptions): ProductSample[] {
  const { factors = 50, draws = 10_000, random } = options;
  const out: ProductSample[] = new Array(draws);
  for (let i = 0; i < draws; i++) {
    let log10 = 0;
    for (let k = 0; k < factors; k++) log10 += Math.log10(1 - random()); // 1 − u ∈ (0, 1]: never log(0)
    out[i] = { factors, log10 };
  }
  return out;
}
