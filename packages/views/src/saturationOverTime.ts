import * as Plot from "@observablehq/plot";
import type { Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { ofType } from "./internal/select.js";
import { layerCount } from "./internal/runOrder.js";
import { layerColor } from "./palette.js";
import { named } from "./internal/named.js";

/** Options of {@link saturationOverTime}. */
export interface SaturationOverTimeOptions extends ViewOptions {
  /** Only this run's rows (default: every run; lines of different runs share colours, so pass one). */
  run?: string;
  /** Which panels, in this order (default both: `["saturated", "dead"]`). */
  measures?: readonly ("saturated" | "dead")[];
  /** Layers of the net, for the fixed layer colour domain 0…L−1 (default: from the rows). */
  layers?: number;
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
 * from input (light) to output (dark), the palette's one layer scale. Saturated: |f′(z)| below ε of its maximum; dead: f′(z) = 0 on
 * every example, so the unit never learns again.
 *
 * @example
 * import { saturationOverTime } from "@gradscope/views";
 * saturationOverTime(rows, { run: "sigmoid" });
 */
export function saturationOverTime(rows: readonly Row[], options: SaturationOverTimeOptions = {}) {
  const layers = ofType(rows, "layer").filter((r) => options.run === undefined || r.run === options.run);
  const measures = options.measures ?? ["saturated", "dead"];
  const data: Point[] = layers.flatMap((r) => measures.map((measure) => (
    { run: r.run, step: r.step, layer: r.layer, measure, value: measure === "saturated" ? r.saturatedFrac : r.deadFrac }
  )));
  return Plot.plot({
    ...plotFrame(options, 40 + 180 * measures.length),
    marginLeft: 48,
    marginRight: 16,
    marginTop: 24,
    x: { label: "step" },
    y: { label: "% of layer", domain: [0, 100], percent: true, grid: true, insetTop: 6, insetBottom: 6 }, // percent scales values by 100
    fy: { domain: measures, axis: null, padding: 0.2 }, // each panel's words above it, not clipped at the right
    color: { ...layerColor(layerCount(layers.map((r) => r.layer), options.layers)), legend: data.length > 0 || options.layers !== undefined },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      named(Plot.text(measures, {
        fy: (m: string) => m, frameAnchor: "top-left", lineAnchor: "bottom", dy: -4, fontWeight: "bold",
        text: (m: string) => (m === "saturated" ? "saturated: |f′| < 5 % of its maximum" : "dead: f′ = 0 on the whole batch"),
      }), "panel label"),
      Plot.lineY(data, { x: "step", y: "value", fy: "measure", z: (d: Point) => `${d.run}\u0000${d.layer}`, stroke: "layer", sort: "step" }),
      Plot.tip(data, Plot.pointer({ x: "step", y: "value", fy: "measure", channels: { layer: "layer", run: "run" } })),
    ],
  });
}
