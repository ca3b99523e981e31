/**
 * Percentiles of `values[0, n)` by selection instead of a sort: expected O(n) per percentile and no
 * allocation, for probes that run every step. `values` is reordered (a scratch copy, not the
 * caller's data); `out[j]` receives the `ps[j]`-th percentile, linearly interpolated between order
 * statistics as numpy's default (and `percentile` of sorted values) does. `ps` must be ascending.
 * NaN anywhere gives NaN for every percentile (its place in an order is undefined).
 * @example
 * const scratch = Float64Array.from(z), out = new Float64Array(3);
 * percentilesInPlace(scratch, scratch.length, [16, 50, 84], out); // out: p16, p50, p84
 */
export function percentilesInPlace(values: Float64Array, n: number, ps: readonly number[], out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) {
      out.fill(NaN, 0, ps.length);
      return;
    }
  }
  // ascending percentiles, the middle one selected first: the others then only search the part on
  // their side of it (all elements left of a selected order statistic are ≤ it, all right ≥ it)
  const count = ps.length, first = count >> 1;
  selectPercentile(values, n, ps[first]!, 0, n - 1, out, first);
  const mid = Math.floor((ps[first]! / 100) * (n - 1));
  let lo = 0;
  for (let j = 0; j < first; j++) lo = selectPercentile(values, n, ps[j]!, lo, mid, out, j);
  lo = mid;
  for (let j = first + 1; j < count; j++) lo = selectPercentile(values, n, ps[j]!, lo, n - 1, out, j);
}

/** Selects the p-th percentile's order statistic within values[lo..hi] into out[j]; returns its index. */
function selectPercentile(values: Float64Array, n: number, p: number, lo: number, hi: number, out: Float64Array, j: number): number {
  const pos = (p / 100) * (n - 1), k = Math.floor(pos);
  select(values, lo, hi, k);
  const below = values[k]!;
  let above = below;
  if (pos > k) {
    // the next order statistic: the smallest element right of k (up to hi, or the whole rest)
    above = Infinity;
    for (let i = k + 1; i < n; i++) if (values[i]! < above) above = values[i]!;
  }
  out[j] = below + (pos - k) * (above - below);
  return k;
}

/** Reorders a[left..right] so that a[k] is its (k − left)-th smallest, smaller ones before, larger after (Hoare's quickselect, median-of-three pivot). */
function select(a: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // median of three to a[mid], so sorted or constant runs do not go quadratic
    if (a[mid]! < a[left]!) swap(a, mid, left);
    if (a[right]! < a[left]!) swap(a, right, left);
    if (a[right]! < a[mid]!) swap(a, right, mid);
    const pivot = a[mid]!;
    let i = left, j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
