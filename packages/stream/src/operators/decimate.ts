import { concat, concatMap, defer, filter, type OperatorFunction } from "rxjs";
import type { Row } from "../rows.js";

/** Options of {@link decimate}. */
export interface DecimateOptions {
  /** Row type to decimate; default "step". Rows of other types are ignored. */
  type?: Row["type"];
  /** Which series a row belongs to, each decimated on its own; default `row.run`. */
  key?: (row: Row) => string | number;
}

/** One series: every `stride`-th row it has seen, and the latest one. */
interface Series {
  stride: number;
  seen: number;
  kept: Row[];
  latest: Row;
}

/**
 * Keeps an evenly spread subset of at most `maxPoints` rows of the given type per run and emits it, series
 * after series, each time it changes (every `stride`-th row of a series); on completion a last snapshot adds
 * each series' latest row, so the curves reach the end of the run.
 *
 * Stride doubling: a series keeps every `stride`-th row (stride 1 at first); when more than `maxPoints` are
 * kept the stride doubles and every other kept row is dropped. The kept rows are always exactly the rows at
 * multiples of the stride, evenly spread over the whole run, with between maxPoints/2 and maxPoints of them,
 * so a 100 000-step run holds ≤ maxPoints rows per series in O(1) amortised time per row. Unlike LTTB it
 * needs no look-ahead and never revisits a choice — the trade-off: it keeps no spikes on purpose (a NaN loss
 * is an alert row anyway).
 *
 * Each snapshot is a new array of O(maxPoints) rows, but snapshots get rarer as the stride grows: a run of n
 * rows emits O(maxPoints · log(n / maxPoints)) of them.
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
      const snapshot = (withLatest: boolean) =>
        [...series.values()].flatMap(({ kept, latest }) => (!withLatest || kept.at(-1) === latest ? kept : [...kept, latest]));
      const add = (row: Row): Row[][] => {
        const k = key(row);
        let s = series.get(k);
        if (s === undefined) series.set(k, (s = { stride: 1, seen: 0, kept: [], latest: row }));
        s.latest = row;
        if (s.seen++ % s.stride !== 0) return [];
        s.kept.push(row);
        if (s.kept.length > maxPoints) {
          s.stride *= 2;
          s.kept = s.kept.filter((_, i) => i % 2 === 0);
        }
        return [snapshot(false)];
      };
      // the last snapshot reaches the end of every series
      const final = defer(() => ([...series.values()].some((s) => s.kept.at(-1) !== s.latest) ? [snapshot(true)] : []));
      return concat(source.pipe(filter((row) => row.type === type), concatMap(add)), final);
    });
}
