import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { layerTicks } from "./internal/layerTicks.js";
import { ofType, positive, spread } from "./internal/select.js";

/** A numeric field of layer rows that measures a gradient. */
export type GradientField = "gradNormZ" | "gradNormW" | "gradNormB" | "gradRmsZ" | "gradRmsW" | "gradRmsB" | "updateRatio";

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions extends ViewOptions {
  /** Which gradient to plot (default `"gradNormZ"`, ‖∂L/∂z‖: the one that vanishes). */
  y?: GradientField;
  /** `"all"` (default): one line per logged step, later steps darker; `"latest"`: only the last step. */
  steps?: "all" | "latest";
  /** With `steps: "all"`, at most this many evenly spaced steps are drawn (default 12). */
  maxLines?: number;
}

/**
 * Gradient flow: a gradient norm per layer against layer (input on the left), log y, one line per step.
 * A vanishing gradient is a line climbing steeply from left to right; a healthy net's lines stay level.
 * Values that are not positive (e.g. an all-dead layer's 0) cannot sit on a log scale and are left out.
 * Rows of several runs are drawn together; use {@link compareRuns} to set runs side by side.
 *
 * @example
 * import { gradientFlow } from "@gradscope/views";
 * gradientFlow(rows, { steps: "latest" }); // the current picture, for a live view
 */
export function gradientFlow(rows: readonly Row[], options: GradientFlowOptions = {}) {
  const { y = "gradNormZ", steps = "all", maxLines = 12 } = options;
  const layers = ofType(rows, "layer").filter((r) => positive(r[y]));
  const allSteps = [...new Set(layers.map((r) => r.step))].sort((a, b) => a - b);
  const kept = new Set(steps === "latest" ? allSteps.slice(-1) : spread(allSteps, maxLines));
  const data = layers.filter((r) => kept.has(r.step));
  const key = (r: LayerRow) => `${r.run}\u0000${r.step}`;
  return Plot.plot({
    ...plotFrame(options, 320),
    marginLeft: 56,
    x: { label: "layer (0 = input side)", ticks: layerTicks(data.map((r) => r.layer)), tickFormat: "d" },
    y: { type: "log", label: `${y} (log)`, grid: true, tickFormat: "~e" },
    color: { type: "linear", scheme: "blues", range: [0.35, 1], label: "step", legend: kept.size > 1 },
    marks: [
      Plot.lineY(data, { x: "layer", y, z: key, stroke: "step", marker: "circle-stroke", sort: "layer" }),
      Plot.tip(data, Plot.pointer({ x: "layer", y, channels: { run: "run", step: "step", name: "name" } })),
    ],
  });
}
