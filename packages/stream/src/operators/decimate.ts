import { defer, filter, map, type OperatorFunction } from "rxjs";
import type { Row } from "../rows.js";

/** Options of {@link decimate}. */
export interface DecimateOptions {
  /** Row type to decimate; default "step". Rows of other types are ignored. */
  type?: Row["type"];
  /** Which series a row belongs to, each decimated on its own; default `row.run`. */
  key?: (row: Row) => string | number;
}

/** One series: every `stride`-th row it has seen, and the latest. */
interface Series {
  stride: number;
  seen: number;
  kept: Row[];
  latest: Row;
}

/**
 * Keeps an evenly spread subset of at most `maxPoints` rows per run (plus the latest row, so a curve always
 * reaches the present) and emits it, series after series, after each row of the given type.
 *
 * Stride doubling: a series keeps every `stride`-th row (stride 1 at first); when more than `maxPoints` are
 * kept the stride doubles and every other kept row is dropped. The kept rows are always exactly the rows at
 * multiples of the stride, evenly spread over the whole run, with between maxPoints/2 and maxPoints of them,
 * so a 100 000-step run holds ≤ maxPoints + 1 rows per series in O(1) amortised time per row. Unlike LTTB it
 * needs no look-ahead and never revisits a choice — the trade-off: it keeps no spikes on purpose (a NaN loss
 * is an alert row anyway).
 *
 * Each snapshot is a new array (O(maxPoints) per row); throttle its consumer (`auditTime(100)`) if that
 * matters.
 *
 * @example
 * rows$.pipe(decimate(1000)).subscribe((steps) => render(Plot.lineY(steps, { x: "step", y: "loss", z: "run" })));
 */
export function decimate(maxPoints: number, options: DecimateOptions = {}): OperatorFunction<Row, Row[]> {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new RangeError(`decimate: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  }
  const { type = "step", key = (row: Row) => row.run } = options;
  return (source) =>
    defer(() => {
      const series = new Map<string | number, Series>();
      return source.pipe(
        filter((row) => row.type === type),
        map((row) => {
          const k = key(row);
          let s = series.get(k);
          if (s === undefined) series.set(k, (s = { stride: 1, seen: 0, kept: [], latest: row }));
          s.latest = row;
          if (s.seen++ % s.stride === 0) {
            s.kept.push(row);
            if (s.kept.length > maxPoints) {
              s.stride *= 2;
              s.kept = s.kept.filter((_, i) => i % 2 === 0);
            }
          }
          return [...series.values()].flatMap(({ kept, latest }) => (kept[kept.length - 1] === latest ? kept : [...kept, latest]));
        }),
      );
    });
}
