import * as Plot from "@observablehq/plot";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";

/** A 2-D point with a class: a grid cell's predicted class, or a data point's label. */
export interface ClassifiedPoint {
  x0: number;
  x1: number;
  cls: number | string;
}

/** Input of {@link decisionBoundary}. */
export interface DecisionBoundaryData {
  /** The model's predicted class at the centres of a regular grid over the input plane. */
  grid: readonly ClassifiedPoint[];
  /** The data points with their true labels. */
  points: readonly ClassifiedPoint[];
}

/** Options of {@link decisionBoundary}. */
export interface DecisionBoundaryOptions extends ViewOptions {
  /** Class order and therefore colours (default: the sorted classes present). */
  classes?: readonly (number | string)[];
}

/** Spacing of a regular grid along one axis: the smallest gap between distinct coordinates. */
function spacing(values: readonly number[]): number {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  return Number.isFinite(gap) ? gap : 1;
}

/**
 * A 2-D classifier's decision regions (the predicted class on a grid, pale) under the data points
 * (their true class, solid with a white outline). Misclassified points stand out against their region.
 *
 * @example
 * import { decisionBoundary } from "@gradscope/views";
 * decisionBoundary({ grid: predictOnGrid(model, 60), points: data }, { width: 400, height: 400 });
 */
export function decisionBoundary(data: DecisionBoundaryData, options: DecisionBoundaryOptions = {}) {
  const { grid, points } = data;
  const dx = spacing(grid.map((d) => d.x0)) / 2;
  const dy = spacing(grid.map((d) => d.x1)) / 2;
  const classes = options.classes ?? [...new Set([...grid, ...points].map((d) => d.cls))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Plot.plot({
    ...plotFrame(options, 400),
    aspectRatio: 1,
    x: { label: "x₀" },
    y: { label: "x₁" },
    color: { type: "ordinal", domain: classes, scheme: "tableau10", label: "class", legend: classes.length > 0 },
    marks: [
      Plot.rect(grid, { x1: (d: ClassifiedPoint) => d.x0 - dx, x2: (d: ClassifiedPoint) => d.x0 + dx, y1: (d: ClassifiedPoint) => d.x1 - dy, y2: (d: ClassifiedPoint) => d.x1 + dy, fill: "cls", fillOpacity: 0.3, inset: 0 }),
      Plot.dot(points, { x: "x0", y: "x1", fill: "cls", stroke: "white", strokeWidth: 0.75, r: 3 }),
    ],
  });
}
