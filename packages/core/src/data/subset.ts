import type { Dataset } from "./dataset.js";

/**
 * A new data set holding the given rows of `ds`, in the given order (copied, so it does not alias `ds`).
 * @example
 * const firstTen = subset(ds, Array.from({ length: 10 }, (_, i) => i));
 */
export function subset(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const { features } = ds;
  const x = new Float64Array(rows.length * features);
  const y = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) {
      throw new RangeError(`subset: row ${i} is out of range for ${ds.name} (${ds.n} examples)`);
    }
    x.set(ds.x.subarray(i * features, (i + 1) * features), r * features);
    y[r] = ds.y[i]!;
  }
  return { name: ds.name, x, y, n: rows.length, features, classes: ds.classes };
}
