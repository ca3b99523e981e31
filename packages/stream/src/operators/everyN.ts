import { filter, type MonoTypeOperatorFunction } from "rxjs";
import type { Row } from "../rows.js";

/** Options of {@link everyN}. */
export interface EveryNOptions {
  /**
   * Row types to thin out (a type tag or a list of them). Rows of other types pass through untouched.
   * Default: every type is thinned.
   */
  type?: Row["type"] | readonly Row["type"][];
}

/**
 * Keeps the rows whose `step % n === 0` (step 0 included), optionally only thinning some row types.
 *
 * @example
 * // per-layer rows every 10 steps, but every step, alert and status row
 * rows$.pipe(everyN(10, { type: ["layer", "histogram"] }))
 */
export function everyN<T extends Row>(n: number, options: EveryNOptions = {}): MonoTypeOperatorFunction<T> {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`everyN: n must be a positive integer, got ${n}`);
  const { type } = options;
  const thinned = type === undefined ? undefined : new Set<string>(typeof type === "string" ? [type] : type);
  return filter((row) => (thinned !== undefined && !thinned.has(row.type)) || row.step % n === 0);
}
