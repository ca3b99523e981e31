import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { ofType } from "./internal/select.js";

/** Options of {@link preluSlopes}. */
export interface PreluSlopesOptions extends ViewOptions {
  /** Draw a reference line at this slope, e.g. the initial 0.25 of He et al. (default none). */
  reference?: number;
}

/**
 * Learned PReLU slopes α per layer over time (layer rows that carry `alpha`), one line per layer and run.
 * He et al. 2015 report slopes growing in early layers and shrinking (more non-linear) in deep ones.
 *
 * @example
 * import { preluSlopes } from "@gradscope/views";
 * preluSlopes(rows, { reference: 0.25 });
 */
export function preluSlopes(rows: readonly Row[], options: PreluSlopesOptions = {}) {
  const data = ofType(rows, "layer").filter((r) => typeof r.alpha === "number" && Number.isFinite(r.alpha));
  const key = (r: LayerRow) => `${r.run}\u0000${r.layer}`;
  return Plot.plot({
    ...plotFrame(options, 300),
    marginLeft: 48,
    x: { label: "step" },
    y: { label: "slope α", grid: true },
    color: { type: "linear", scheme: "viridis", label: "layer", legend: data.length > 0 },
    marks: [
      ...(options.reference === undefined ? [] : [Plot.ruleY([options.reference], { stroke: "#999", strokeDasharray: "4,3" })]),
      Plot.lineY(data, { x: "step", y: "alpha", z: key, stroke: "layer", sort: "step" }),
      Plot.tip(data, Plot.pointer({ x: "step", y: "alpha", channels: { layer: "layer", run: "run" } })),
    ],
  });
}
