// Helpers for this folder's tests only; not exported from the package.
import type { Dataset } from "./dataset.js";

/** Examples per class, indexed by class. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classes).fill(0);
  for (const c of ds.y) counts[c]!++;
  return counts;
}

/** Rows of a 2-D set as [x1, x2, label] triples. */
export function rows2d(ds: Dataset): [number, number, number][] {
  return Array.from(ds.y, (c, i) => [ds.x[2 * i]!, ds.x[2 * i + 1]!, c]);
}

/** Bit-identical data sets. Much faster than `toEqual` on millions of elements. */
export function sameData(a: Dataset, b: Dataset): boolean {
  const bytes = (v: Float64Array | Int32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return (
    a.name === b.name &&
    a.n === b.n &&
    a.features === b.features &&
    a.classes === b.classes &&
    bytes(a.x).equals(bytes(b.x)) &&
    bytes(a.y).equals(bytes(b.y))
  );
}
