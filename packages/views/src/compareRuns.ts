import * as Plot from "@observablehq/plot";
import type { Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { positive } from "./internal/select.js";

/** Options of {@link compareRuns}. */
export interface CompareRunsOptions extends ViewOptions {
  /** Which rows to draw (default `"step"`). */
  type?: "step" | "layer" | "eval";
  /** Field on y (default `"loss"`; e.g. `"gradNormZ"` or `"deadFrac"` with `type: "layer"`). */
  y?: string;
  /** Field on x (default `"step"`). */
  x?: string;
  /** Log y scale (default false); non-positive values are then left out. */
  logY?: boolean;
  /** Panels per row (default: up to 3). */
  columns?: number;
}

type AnyRow = Row & Record<string, unknown>;

/**
 * Small multiples: one panel per `run`, the same field in each, on shared scales so panels compare
 * directly. Layer rows draw one line per layer, coloured input (light) to output (dark).
 *
 * @example
 * import { compareRuns } from "@gradscope/views";
 * compareRuns(rows, { type: "layer", y: "deadFrac" }); // dead units: relu vs leakyRelu vs elu
 */
export function compareRuns(rows: readonly Row[], options: CompareRunsOptions = {}) {
  const { type = "step", y = "loss", x = "step", logY = false } = options;
  const data = (rows as readonly AnyRow[]).filter((r) => r.type === type && (logY ? positive(r[y]) : typeof r[y] === "number"));
  const runs = [...new Set(data.map((r) => r.run))];
  const columns = Math.max(1, options.columns ?? Math.min(3, runs.length || 1));
  const index = new Map(runs.map((run, i) => [run, i]));
  const fx = (r: AnyRow) => index.get(r.run)! % columns;
  const fy = (r: AnyRow) => Math.floor(index.get(r.run)! / columns);
  const labels = runs.map((run, i) => ({ run, fx: i % columns, fy: Math.floor(i / columns) }));
  const perLayer = type === "layer";
  const rowCount = Math.max(1, Math.ceil(runs.length / columns));
  return Plot.plot({
    ...plotFrame(options, 40 + 200 * rowCount),
    marginLeft: 56,
    marginTop: 24,
    x: { label: x },
    y: { label: y, grid: true, type: logY ? "log" : "linear" },
    fx: { axis: null },
    fy: { axis: null },
    color: perLayer ? { type: "linear", scheme: "viridis", label: "layer", legend: data.length > 0 } : undefined,
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.text(labels, { fx: "fx", fy: "fy", text: "run", frameAnchor: "top-left", dx: 6, dy: 6, fontWeight: "bold" }),
      Plot.lineY(data, {
        x, y, fx, fy, sort: x,
        ...(perLayer ? { z: "layer", stroke: "layer" } : { stroke: "#4269d0" }),
      }),
    ],
  });
}
