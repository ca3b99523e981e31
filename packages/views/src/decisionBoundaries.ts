import * as Plot from "@observablehq/plot";
import type { BoundaryRow, Row } from "./rows.js";
import type { ClassifiedPoint } from "./decisionBoundary.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { named } from "./internal/named.js";
import { runOrder } from "./internal/runOrder.js";
import { runColor } from "./palette.js";

/** Options of {@link decisionBoundaries}. */
export interface DecisionBoundariesOptions extends ViewOptions {
  /** The data points with their true labels, drawn over every panel. */
  points?: readonly ClassifiedPoint[];
  /** Class order and therefore colours (default: the sorted classes present). */
  classes?: readonly number[];
  /** Panels in this order, left to right (the inputs' order); others follow, sorted by name. */
  order?: readonly string[];
}

interface Cell {
  run: string;
  x0a: number;
  x0b: number;
  x1a: number;
  x1b: number;
  cls: number;
}

/** The cells of a boundary row, with their exact edges. */
export function boundaryCells(row: BoundaryRow): Cell[] {
  const { resolution: n, x0Min, x0Max, x1Min, x1Max, classes, run } = row;
  const w = (x0Max - x0Min) / n, h = (x1Max - x1Min) / n;
  return classes.map((cls, c) => {
    const i = Math.floor(c / n), j = c % n;
    return { run, x0a: x0Min + j * w, x0b: x0Min + (j + 1) * w, x1a: x1Min + i * h, x1b: x1Min + (i + 1) * h, cls };
  });
}

/**
 * Each run's latest decision regions (from `boundary` rows: the predicted class on a grid, pale) under
 * the data points (true class, solid), one panel per run: where a net has learnt the spiral, and
 * where a dead net predicts one class everywhere. Panels follow `order`; each is named in its run's
 * palette colour.
 * @example decisionBoundaries(rows, { points: spiral().x … })
 */
export function decisionBoundaries(rows: readonly Row[], options: DecisionBoundariesOptions = {}) {
  const latest = new Map<string, BoundaryRow>();
  for (const r of rows) if (r.type === "boundary" && !(r.step < (latest.get(r.run)?.step ?? -1))) latest.set(r.run, r);
  const runs = runOrder(latest.keys(), options.order).filter((run) => latest.has(run));
  const cells = [...latest.values()].flatMap(boundaryCells);
  const points = (options.points ?? []).flatMap((p) => runs.map((run) => ({ ...p, run })));
  // the data points' classes count before any boundary row: the key is there from the start (no jump when rows come)
  const classes = options.classes ?? [...new Set([...cells.map((c) => c.cls), ...(options.points ?? []).map((p) => Number(p.cls))])].sort((a, b) => a - b);
  const steps = new Map([...latest].map(([run, r]) => [run, r.step]));
  return Plot.plot({
    ...plotFrame(options, 300),
    x: { label: "x₀" },
    y: { label: "x₁" },
    marginTop: 24,
    fx: { axis: null, domain: runs },
    color: { type: "ordinal", domain: classes, scheme: "tableau10", label: "class", legend: classes.length > 0 },
    marks: [
      // one mark per run: its words in its palette colour (literal, not through the class scale)
      ...runs.map((run) => named(Plot.text([run], {
        fx: (d: string) => d, frameAnchor: "top", lineAnchor: "bottom", dy: -4, fontWeight: "bold", fill: runColor(run),
        text: (d: string) => `${d} · step ${steps.get(d) ?? "?"}`,
      }), "panel label")),
      Plot.rect(cells, { x1: "x0a", x2: "x0b", y1: "x1a", y2: "x1b", fill: "cls", fillOpacity: 0.3, fx: "run", inset: 0 }),
      Plot.dot(points, { x: "x0", y: "x1", fill: "cls", stroke: "white", strokeWidth: 0.75, r: 2.5, fx: "run" }),
    ],
  });
}
