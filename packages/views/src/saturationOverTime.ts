import * as Plot from "@observablehq/plot";
import type { Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { ofType } from "./internal/select.js";

/** Options of {@link saturationOverTime}. */
export interface SaturationOverTimeOptions extends ViewOptions {
  /** Only this run's rows (default: every run; lines of different runs share colours, so pass one). */
  run?: string;
}

interface Point {
  run: string;
  step: number;
  layer: number;
  measure: "saturated" | "dead";
  value: number;
}

/**
 * Saturated fraction (top) and dead fraction (bottom) per layer over time, one line per layer coloured
 * from input (light) to output (dark). Saturated: |f′(z)| below ε of its maximum; dead: f′(z) = 0 on
 * every example, so the unit never learns again.
 *
 * @example
 * import { saturationOverTime } from "@gradscope/views";
 * saturationOverTime(rows, { run: "sigmoid" });
 */
export function saturationOverTime(rows: readonly Row[], options: SaturationOverTimeOptions = {}) {
  const layers = ofType(rows, "layer").filter((r) => options.run === undefined || r.run === options.run);
  const data: Point[] = layers.flatMap((r) => [
    { run: r.run, step: r.step, layer: r.layer, measure: "saturated" as const, value: r.saturatedFrac },
    { run: r.run, step: r.step, layer: r.layer, measure: "dead" as const, value: r.deadFrac },
  ]);
  return Plot.plot({
    ...plotFrame(options, 400),
    marginLeft: 48,
    marginRight: 72,
    x: { label: "step" },
    y: { label: "units (%)", domain: [0, 100], percent: true, grid: true }, // percent scales values by 100
    fy: { domain: ["saturated", "dead"], label: null },
    color: { type: "linear", scheme: "viridis", label: "layer", legend: data.length > 0 },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.lineY(data, { x: "step", y: "value", fy: "measure", z: (d: Point) => `${d.run}\u0000${d.layer}`, stroke: "layer", sort: "step" }),
      Plot.tip(data, Plot.pointer({ x: "step", y: "value", fy: "measure", channels: { layer: "layer", run: "run" } })),
    ],
  });
}
