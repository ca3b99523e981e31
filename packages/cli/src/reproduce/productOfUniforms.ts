import { createRng } from "@gradscope/core";
import { reproduction, shouldStop, within, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { gammaQuantile, gammaUpperTail, ksStatistic, quantileSorted } from "./stats.js";

/** Options of {@link productOfUniforms}. */
export interface ProductOfUniformsOptions {
  /** Factors per product (the tutorial's 50). */
  factors?: number;
  /** Products drawn. Default 100 000. */
  samples?: number;
  /** The threshold the tutorial quotes. Default 1e-18. */
  threshold?: number;
  seed?: number;
}

/** `data` of the product-of-uniforms reproduction. */
export interface ProductOfUniformsData {
  factors: number;
  samples: number;
  threshold: number;
  /** Quantiles of −ln P: measured and Gamma(factors, 1)'s. */
  quantiles: { q: number; measured: number; theory: number }[];
  /** P(P < threshold), measured and exact. */
  belowThreshold: { measured: number; theory: number };
  /** Kolmogorov–Smirnov distance of −ln P to Gamma(factors, 1), and the 1 % critical value 1.628/√n. */
  ks: { statistic: number; critical: number };
}

/**
 * The tutorial's toy for vanishing gradients: the product P of 50 U(0,1) draws. Exactly,
 * −ln U ~ Exp(1), so −ln P ~ Gamma(50, 1), and P(P < 1e-18) = P(Gamma(50,1) > 18 ln 10 ≈ 41.45)
 * ≈ 0.88: "almost always below 1e-18" means 88 % of the time. Checks: the whole law (KS test at 1 %),
 * the tail probability (within 4 binomial standard errors) and five quantiles (within 4 standard
 * errors of a sample quantile, √(q(1−q)/n)/density).
 */
export async function productOfUniforms(options: ProductOfUniformsOptions, ctx: ExperimentContext): Promise<Reproduction<ProductOfUniformsData>> {
  const { factors = 50, samples = 100_000, threshold = 1e-18, seed = 1 } = options;
  const rng = createRng(seed);
  const logs: number[] = [];
  let interrupted = false;
  const chunk = 10_000;
  for (let done = 0; done < samples; done += chunk) {
    for (let i = done; i < Math.min(samples, done + chunk); i++) {
      let p = 1;
      for (let j = 0; j < factors; j++) p *= rng.next() || Number.MIN_VALUE;
      logs.push(-Math.log(p));
    }
    ctx.progress(logs.length, samples, "products");
    if (logs.length < samples && (await shouldStop(ctx))) {
      interrupted = true;
      break;
    }
  }
  const n = logs.length;
  const sorted = Float64Array.from(logs).sort();
  const cut = -Math.log(threshold);
  const measuredBelow = logs.filter((l) => l > cut).length / n;
  const theoryBelow = gammaUpperTail(factors, cut);
  const density = (x: number) => Math.exp((factors - 1) * Math.log(x) - x - lnFactorial(factors - 1));
  const quantiles = [0.01, 0.1, 0.5, 0.9, 0.99].map((q) => ({ q, measured: quantileSorted(sorted, q), theory: gammaQuantile(factors, q) }));
  const ks = ksStatistic(sorted, (x) => 1 - gammaUpperTail(factors, x));
  const critical = 1.628 / Math.sqrt(n);
  const se = Math.sqrt((theoryBelow * (1 - theoryBelow)) / n);
  const checks: Check[] = [
    within(`P(product < ${threshold})`, measuredBelow, theoryBelow, 4 * se, "4 binomial SE"),
    ...quantiles.map(({ q, measured, theory }) =>
      within(`${q} quantile of −ln(product)`, measured, theory, (4 * Math.sqrt((q * (1 - q)) / n)) / density(theory), "4 SE of a sample quantile")),
    { quantity: "KS distance of −ln(product) to Gamma(50,1)", ours: ks, theory: 0, tolerance: `≤ 1.628/√n = ${critical.toPrecision(3)} (1 % level)`, pass: ks <= critical },
  ];
  return reproduction("product-of-uniforms", `−ln of the product of ${factors} U(0,1) draws (${n} products) against Gamma(${factors}, 1)`, checks,
    { factors, samples: n, threshold, quantiles, belowThreshold: { measured: measuredBelow, theory: theoryBelow }, ks: { statistic: ks, critical } }, interrupted);
}

function lnFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}
