import { estimate, type Estimate } from "./estimate.js";

/** Options of {@link pairedComparison}. */
export interface PairedComparisonOptions {
  /** True (default) when lower values are better (losses); false for accuracies. */
  lowerIsBetter?: boolean;
  /** Confidence level of the interval. Default 0.95. */
  level?: number;
  /**
   * The smallest difference that matters, in the metric's units: a separated difference smaller than
   * this is still a tie. Default 0.
   */
  margin?: number;
}

/** Two contenders measured on the same seeds, compared seed by seed. */
export interface PairedComparison {
  a: string;
  b: string;
  /** Seeds both have. */
  n: number;
  /** a − b, per seed, summarised: mean and its t-interval. */
  difference: Estimate | null;
  /** "a" or "b" when the interval excludes 0 and the mean difference is at least `margin`; "tie" otherwise. */
  verdict: "a" | "b" | "tie";
  /** Why, in words ("the 95 % interval of a − b, [−0.02, 0.01], contains 0"). */
  because: string;
}

/**
 * Compares a and b seed by seed: the per-seed differences a − b (the same seed gives both the same
 * data and batches, so pairing removes that variation) get a t-interval; the evidence separates them
 * when the interval excludes 0 and the mean difference reaches `margin`. Otherwise: a tie. With one
 * common seed nothing separates them.
 * @example
 * pairedComparison("relu", [0.30, 0.32, 0.31], "elu", [0.29, 0.33, 0.30]); // verdict "tie"
 */
export function pairedComparison(
  a: string, aBySeed: readonly (number | null)[] | ReadonlyMap<number | string, number | null>,
  b: string, bBySeed: readonly (number | null)[] | ReadonlyMap<number | string, number | null>,
  options: PairedComparisonOptions = {},
): PairedComparison {
  const { lowerIsBetter = true, level = 0.95, margin = 0 } = options;
  const diffs: number[] = [];
  const keys = aBySeed instanceof Map ? [...aBySeed.keys()] : [...(aBySeed as readonly unknown[]).keys()];
  const get = (m: typeof aBySeed, k: number | string) => (m instanceof Map ? m.get(k) : (m as readonly (number | null)[])[k as number]);
  for (const k of keys) {
    const x = get(aBySeed, k), y = get(bBySeed, k);
    if (typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y)) diffs.push(x - y);
  }
  const d = estimate(diffs, level);
  const pct = `${Math.round(level * 100)} %`;
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(2)).toString() : String(v));
  let verdict: PairedComparison["verdict"] = "tie";
  let because: string;
  if (!d || d.n < 2) because = `${d?.n ?? 0} common seed${d?.n === 1 ? "" : "s"}: no interval, nothing separates them`;
  else if (d.lo <= 0 && d.hi >= 0) because = `the ${pct} interval of ${a} − ${b}, [${f(d.lo)}, ${f(d.hi)}], contains 0`;
  else if (Math.abs(d.mean) < margin) because = `${a} − ${b} = ${f(d.mean)} (${pct} interval [${f(d.lo)}, ${f(d.hi)}]) is smaller than the margin ${f(margin)}`;
  else {
    const aBetter = lowerIsBetter ? d.mean < 0 : d.mean > 0;
    verdict = aBetter ? "a" : "b";
    because = `${a} − ${b} = ${f(d.mean)}, ${pct} interval [${f(d.lo)}, ${f(d.hi)}] over ${d.n} seeds`;
  }
  return { a, b, n: d?.n ?? 0, difference: d, verdict, because };
}
