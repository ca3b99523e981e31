/**
 * Arithmetic mean; NaN for no values.
 * @example mean([1, 2, 6]) // 3
 */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length; // 0 / 0 is NaN: no values, no mean
}

/**
 * Median: the middle value, or the mean of the two middle ones for an even count; NaN for no values.
 * The input is not reordered.
 * @example median([5, 1, 4, 2]) // 3
 */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort(), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
