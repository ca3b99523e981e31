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
  const { type = "step" } = options;
  return (source) =>
    defer(() => {
      const d = new Decimator(maxPoints, options);
      const add = (row: Row): Row[][] => (d.add(row) ? [d.snapshot(false)] : []);
      // the last snapshot reaches the end of every series
      const final = defer(() => (d.behind() ? [d.snapshot(true)] : []));
      return concat(source.pipe(filter((row) => row.type === type), concatMap(add)), final);
    });
}

/**
 * The state behind {@link decimate}, for consumers that draw on their own clock (once per frame) and
 * so want a snapshot only when they draw, not one per kept row.
 * @example
 * const d = new Decimator(300, { key: (r) => `${r.run}/${(r as LayerRow).layer}` });
 * rows$.subscribe((r) => d.add(r)); // …then per frame: render(d.snapshot(true))
 */
export class Decimator {
  private readonly series = new Map<string | number, Series>();
  private readonly key: (row: Row) => string | number;

  constructor(private readonly maxPoints: number, options: Omit<DecimateOptions, "type"> = {}) {
    if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
      throw new RangeError(`decimate: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
    }
    this.key = options.key ?? ((row: Row) => row.run);
  }

  /** Adds a row; true when the kept set changed. */
  add(row: Row): boolean {
    const k = this.key(row);
    let s = this.series.get(k);
    if (s === undefined) this.series.set(k, (s = { stride: 1, seen: 0, kept: [], latest: row }));
    s.latest = row;
    if (s.seen++ % s.stride !== 0) return false;
    s.kept.push(row);
    if (s.kept.length > this.maxPoints) {
      s.stride *= 2;
      s.kept = s.kept.filter((_, i) => i % 2 === 0);
    }
    return true;
  }

  /** Some series' latest row is not among its kept rows. */
  behind(): boolean {
    return [...this.series.values()].some((s) => s.kept.at(-1) !== s.latest);
  }

  /** The kept rows, series after series, each series ending with its latest row if `withLatest`. */
  snapshot(withLatest: boolean): Row[] {
    return [...this.series.values()].flatMap(({ kept, latest }) => (!withLatest || kept.at(-1) === latest ? kept : [...kept, latest]));
  }
}
