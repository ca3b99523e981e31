import { filter, scan, type OperatorFunction } from "rxjs";
import type { Row } from "../rows.js";

/** One point of a layer's series. */
export interface SeriesPoint {
  step: number;
  value: number;
}

/** The series of one layer: its points in arrival order, the oldest first. */
export interface LayerSeries {
  layer: number;
  /** The layer's `name` field ("hidden0", …, "output"), or `layer${n}` when rows have none. */
  name: string;
  points: SeriesPoint[];
}

/** Options of {@link layerSeries}. */
export interface LayerSeriesOptions {
  /** Row type to read; default "layer". Rows of other types are ignored. */
  type?: Row["type"];
  /**
   * Points kept per layer: the last `window` (default 1000; `Infinity` keeps all). With a finite window the
   * state is at most layers × window points whatever the run's length, so memory stays flat.
   */
  window?: number;
}

/**
 * Accumulates one numeric field per layer into series and emits a snapshot, sorted by layer, after each
 * row that adds a point. Snapshots are immutable: a new point copies only its own layer's array (O(window)),
 * the other layers' arrays are shared with the previous snapshot, so a consumer may keep or diff them.
 * Rows without a numeric `field` are skipped; NaN and ±Infinity are kept (Plot draws them as gaps).
 *
 * @example
 * rows$.pipe(layerSeries("gradNormZ", { window: 500 }), auditTime(100))
 *   .subscribe((series) => render(series.flatMap((s) => s.points.map((p) => ({ ...p, layer: s.layer })))));
 */
export function layerSeries(field: string, options: LayerSeriesOptions = {}): OperatorFunction<Row, LayerSeries[]> {
  const { type = "layer", window = 1000 } = options;
  if (!(window >= 1)) throw new RangeError(`layerSeries: window must be ≥ 1, got ${window}`);
  return (source) =>
    source.pipe(
      filter((row) => row.type === type && typeof (row as unknown as Record<string, unknown>)[field] === "number"),
      scan((series: LayerSeries[], row) => {
        const r = row as unknown as Record<string, unknown>;
        const layer = typeof r.layer === "number" ? r.layer : 0;
        const point = { step: row.step, value: r[field] as number };
        const i = series.findIndex((s) => s.layer === layer);
        const old = series[i];
        const name = typeof r.name === "string" ? r.name : (old?.name ?? `layer${layer}`);
        // copy-on-write: only this layer's array is new; drop from the front to keep the window
        const kept = old === undefined ? [] : old.points.slice(old.points.length + 1 > window ? 1 : 0);
        kept.push(point);
        const next = { layer, name, points: kept };
        if (old !== undefined) return series.map((s, j) => (j === i ? next : s));
        return [...series, next].sort((a, b) => a.layer - b.layer);
      }, []),
    );
}
