import type { Rng } from "../random.js";
import type { Dataset } from "./dataset.js";

/** The k-th of `count` points of class `c`, as [x1, x2]. */
export type PointOf = (c: number, k: number, count: number) => readonly [number, number];

/**
 * Builds a class-balanced 2-D data set (internal to the factories). Class c gets ⌊n/K⌋ points, the first
 * n mod K classes one more. Rows are written in a seeded random order, so any prefix mixes the classes.
 */
export function pointSet(name: string, n: number, classes: number, rng: Rng, point: PointOf): Dataset {
  if (n < classes) {
    throw new RangeError(`${name}: n must be at least classes (${classes}) so every class has a point, got ${n}`);
  }
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const count = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const [a, b] = point(c, k, count);
      const r = order[row++]!;
      x[2 * r] = a;
      x[2 * r + 1] = b;
      y[r] = c;
    }
  }
  return { name, x, y, n, features: 2, classes };
}

/** k / (count − 1): numpy's linspace(0, 1, count), with a single point at 0. */
export const linspace01 = (k: number, count: number): number => (count > 1 ? k / (count - 1) : 0);
