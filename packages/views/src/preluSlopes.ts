import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { ofType } from "./internal/select.js";
import { layerCount } from "./internal/runOrder.js";
import { layerColor } from "./palette.js";
import { referenceMarks } from "./references.js";

/** Options of {@link preluSlopes}. */
export interface PreluSlopesOptions extends ViewOptions {
  /** Draw a reference line at this slope, e.g. the initial 0.25 of He et al. (default none). */
  reference?: number;
  /** Layers of the net, for the fixed layer colour domain 0…L−1 (default: from the rows). */
  layers?: number;
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
    color: { ...layerColor(layerCount(data.map((r) => r.layer), options.layers)), legend: data.length > 0 || options.layers !== undefined },
    marks: [
      Plot.ruleY([0], { stroke: "#bbb" }), // α = 0 is ReLU: below it the unit is non-monotonic
      ...(options.reference === undefined ? [] : referenceMarks([{ value: options.reference, label: `initial α = ${options.reference}` }])),
      Plot.lineY(data, { x: "step", y: "alpha", z: key, stroke: "layer", sort: "step" }),
      Plot.tip(data, Plot.pointer({ x: "step", y: "alpha", channels: { layer: "layer", run: "run" } })),
    ],
  });
}
