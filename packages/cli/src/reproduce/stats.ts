import { mean } from "@gradscope/stream";

/** Small numeric helpers shared by the reproductions (mean and median: @gradscope/stream's). */

/** Population variance. */
export const variance = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / xs.length;
};

/** Mean of squares. */
export const secondMoment = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * xs[i]!;
  return s / xs.length;
};

/** The q-quantile of sorted values (linear interpolation). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * P(X > x) for X ~ Gamma(k, 1) with integer shape k: the probability of fewer than k events of a
 * Poisson process of rate 1 in time x, Σ_{j<k} e^{−x} x^j / j! (summed in log space: no overflow).
 */
export function gammaUpperTail(k: number, x: number): number {
  if (x <= 0) return 1;
  let term = -x, sum = 0; // log of e^{−x} x^j / j!
  for (let j = 0; j < k; j++) {
    if (j > 0) term += Math.log(x) - Math.log(j);
    sum += Math.exp(term);
  }
  return Math.min(sum, 1);
}

/** The q-quantile of Gamma(k, 1), integer k, by bisection on its CDF. */
export function gammaQuantile(k: number, q: number): number {
  let lo = 0, hi = k + 20 * Math.sqrt(k) + 20;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (1 - gammaUpperTail(k, mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** E[g(Z)] for Z ~ N(μ, σ²), by the trapezoid rule over μ ± 12σ (smooth g: error far below 1e-9). */
export function gaussianExpectation(g: (z: number) => number, mu: number, sigma: number, points = 4001): number {
  const h = 24 / (points - 1);
  let s = 0;
  for (let i = 0; i < points; i++) {
    const t = -12 + i * h;
    const w = i === 0 || i === points - 1 ? 0.5 : 1;
    s += w * g(mu + sigma * t) * Math.exp(-0.5 * t * t);
  }
  return (s * h) / Math.sqrt(2 * Math.PI);
}

/**
 * Kolmogorov–Smirnov statistic of a sample against a CDF; with n draws, D > 1.628/√n rejects at the
 * 1 % level (asymptotic critical value).
 */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, (i + 1) / s.length - f, f - i / s.length);
  }
  return d;
}
