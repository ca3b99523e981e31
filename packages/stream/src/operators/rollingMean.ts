import { defer, map, type MonoTypeOperatorFunction } from "rxjs";
import type { Row } from "../rows.js";

/** Options of {@link rollingMean}. */
export interface RollingMeanOptions {
  /**
   * Which series a row belongs to; the mean is taken over the last `window` rows of the same key.
   * Default: row type + run + layer + `of` (when present), i.e. one series per run for step rows and one
   * per run and layer for layer rows. E.g. `(row) => row.run` to mix types.
   */
  key?: (row: Row) => string | number;
  /** Name of the field the mean is written to; default `${field}Mean` (e.g. "lossMean"). */
  as?: string;
}

const seriesKey = (row: Row): string => {
  const r = row as unknown as Record<string, unknown>;
  return `${row.type}\u0000${row.run}\u0000${String(r.layer ?? "")}\u0000${String(r.of ?? "")}`;
};

/**
 * Adds the rolling mean of a numeric field over the last `window` rows of each series (see `key`) as a new
 * field, on a copy of each row that has the field as a number; other rows pass through untouched. Before
 * `window` rows have arrived the mean is over the rows so far. A NaN or ±Infinity inside the window makes
 * the mean non-finite until it leaves the window (the sum is recomputed, not updated, so it recovers).
 * State: `window` numbers per series.
 *
 * @example
 * rows$.pipe(filter(isRow("step")), rollingMean("loss", 20)) // each step row gains `lossMean`
 */
export function rollingMean<T extends Row>(
  field: string,
  window: number,
  options: RollingMeanOptions = {},
): MonoTypeOperatorFunction<T> {
  if (!(Number.isInteger(window) && window >= 1)) {
    throw new RangeError(`rollingMean: window must be a positive integer, got ${window}`);
  }
  const { key = seriesKey, as = `${field}Mean` } = options;
  return (source) =>
    // the windows live per subscription, so a resubscription starts afresh
    defer(() => {
      const windows = new Map<string | number, number[]>();
      return source.pipe(
        map((row) => {
          const value = (row as unknown as Record<string, unknown>)[field];
          if (typeof value !== "number") return row;
          const k = key(row);
          let values = windows.get(k);
          if (values === undefined) windows.set(k, (values = []));
          values.push(value);
          if (values.length > window) values.shift();
          let sum = 0;
          for (const v of values) sum += v;
          return { ...row, [as]: sum / values.length };
        }),
      );
    });
}
