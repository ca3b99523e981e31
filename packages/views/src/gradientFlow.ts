import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { LiveDrawOptions, ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { alertMarks, GHOST_COLOR, ghostRows } from "./internal/liveMarks.js";
import { layerTicks } from "./internal/layerTicks.js";
import { layerCount } from "./internal/runOrder.js";
import { ofType, spread } from "./internal/select.js";
import { axisLabel } from "./axisLabel.js";
import { logAxis } from "./logAxis.js";
import { float32References, referenceMarks, type Reference } from "./references.js";

/** A numeric field of layer rows that measures a gradient. */
export type GradientField = "gradNormZ" | "gradNormW" | "gradNormB" | "gradRmsZ" | "gradRmsW" | "gradRmsB" | "updateRatio";

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions extends ViewOptions, Pick<LiveDrawOptions, "ghost"> {
  /** Which gradient to plot (default `"gradNormZ"`, ‖∂L/∂z‖: the one that vanishes). */
  y?: GradientField;
  /** `"all"` (default): one line per logged step, later steps darker; `"latest"`: only the last step. */
  steps?: "all" | "latest";
  /** With `steps: "all"`, at most this many evenly spaced steps are drawn (default 12). */
  maxLines?: number;
  /** Layers of the net: the x axis is always 0…L−1 (default: from the rows, counting layers whose gradient is 0). */
  layers?: number;
  /**
   * The run's precision. With `"float32"` the zero band reads "= 0 (below float32)", and float32's smallest
   * normal (1.18·10⁻³⁸) and subnormal (1.4·10⁻⁴⁵) are drawn once the gradients come within 10⁸ of them.
   */
  precision?: "float32" | "float64";
  /** More values theory gives, as dashed lines. */
  references?: readonly Reference[];
}

/**
 * Gradient flow: a gradient norm per layer against layer (input on the left), log y, one line per step.
 * A vanishing gradient is a line climbing steeply from left to right; a healthy net's lines stay level.
 * The x axis always shows every layer, 0…L−1: a gradient that is exactly 0 (a dead layer, a float32
 * underflow) is drawn in a band marked "= 0", never dropped. Ticks read 10ⁿ.
 * Rows of several runs are drawn together; use {@link compareRuns} to set runs side by side.
 *
 * @example
 * import { gradientFlow } from "@gradscope/views";
 * gradientFlow(rows, { steps: "latest", precision: "float32" }); // the current picture, for a live view
 */
export function gradientFlow(rows: readonly Row[], options: GradientFlowOptions = {}) {
  const { y = "gradNormZ", steps = "all", maxLines = 12 } = options;
  const layers = ofType(rows, "layer");
  const L = layerCount(layers.map((r) => r.layer), options.layers);
  const allSteps = [...new Set(layers.map((r) => r.step))].sort((a, b) => a - b);
  const kept = new Set(steps === "latest" ? allSteps.slice(-1) : spread(allSteps, maxLines));
  const shown = layers.filter((r) => kept.has(r.step));
  // the previous run's last picture (a ghost), in grey beneath on the same axes
  const ghostLayers = ghostRows(options.ghost, "layer");
  const ghostLast = Math.max(-Infinity, ...ghostLayers.map((r) => r.step));
  const ghostShown = ghostLayers.filter((r) => r.step === ghostLast);
  const values = shown.map((r) => r[y]);
  const smallest = Math.min(...values.filter((v) => v > 0));
  const nearLimits = options.precision === "float32" && (values.some((v) => v === 0) || smallest < 1e-30);
  const references = [...(options.references ?? []), ...(nearLimits ? float32References() : [])];
  const axis = logAxis([...values, ...ghostShown.map((r) => r[y])], {
    label: axisLabel(y),
    include: references.map((r) => r.value),
    zeroLabel: options.precision === "float32" ? "= 0 (below float32)" : "= 0",
  });
  const data = shown.filter((r) => axis.place(r[y]) !== undefined);
  const place = (r: LayerRow) => axis.place(r[y]);
  const key = (r: LayerRow) => `${r.run}\u0000${r.step}`;
  const ghost = ghostShown.filter((r) => axis.place(r[y]) !== undefined);
  const ticks = layerTicks(Array.from({ length: L }, (_, i) => i));
  return Plot.plot({
    ...plotFrame(options, 320),
    marginLeft: 60,
    x: { label: "layer (0 = input side)", domain: [0, Math.max(1, L - 1)], ticks, tickFormat: "d" },
    y: axis.scale,
    // one line per step: the step key from the first rows on (before them, a bare ramp), so the figure keeps its size
    color: {
      type: "linear", scheme: "blues", range: [0.35, 1], label: "step (later = darker)", legend: steps !== "latest",
      ...(kept.size === 0 ? { domain: [0, 1], ticks: [] } : {}),
    },
    marks: [
      ...axis.marks,
      ...referenceMarks(references, axis.place),
      ...(ghost.length ? [Plot.lineY(ghost, { x: "layer", y: place, z: "run", stroke: GHOST_COLOR, strokeWidth: 2, sort: "layer", className: "gradscope-ghost" })] : []),
      Plot.lineY(data, { x: "layer", y: place, z: key, stroke: "step", marker: "circle-stroke", sort: "layer" }),
      ...alertMarks(rows, "layer"),
      Plot.tip(data, Plot.pointer({ x: "layer", y: place, channels: { run: "run", step: "step", value: y }, format: { y: false } })),
    ],
  });
}
