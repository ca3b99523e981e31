/**
 * A quantity measured once per seed, summarised: mean, sample standard deviation and a Student-t
 * confidence interval for the mean. With n seeds the interval is mean ± t(1 − (1 − level)/2, n − 1)·sd/√n;
 * with one seed it is unknown (lo = −∞, hi = +∞), never a zero-width guess.
 */
export interface Estimate {
  mean: number;
  /** Sample standard deviation over seeds (n − 1 in the denominator); 0 with one seed. */
  spread: number;
  /** Seeds that had a finite value. */
  n: number;
  /** The interval's ends. */
  lo: number;
  hi: number;
  /** (hi − lo) / 2: what a table prints after "±". */
  halfWidth: number;
}

/**
 * Mean, spread and a `level` (default 95 %) t-interval of the finite values; null when there are none.
 * @example
 * estimate([1, 2, 3]); // { mean: 2, spread: 1, n: 3, lo: −0.484, hi: 4.484, halfWidth: 2.484 } (t = 4.303)
 */
export function estimate(values: readonly (number | null | undefined)[], level = 0.95): Estimate | null {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const spread = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const halfWidth = n > 1 ? studentTQuantile(1 - (1 - level) / 2, n - 1) * (spread / Math.sqrt(n)) : Infinity;
  return { mean, spread, n, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth };
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom (p in (0, 1)), by bisection on
 * the CDF, which is the regularised incomplete beta function: exact to ~1e-10.
 * @example studentTQuantile(0.975, 4); // 2.776
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularised incomplete beta function I_x(a, b) (Numerical Recipes' continued fraction). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // the continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms). */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
