import * as Plot from "@observablehq/plot";
import type { Distribution, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { layerTicks } from "./internal/layerTicks.js";
import { ofType } from "./internal/select.js";

/** Options of {@link distributionBands}. */
export interface DistributionBandsOptions extends ViewOptions {
  /** Which distribution: pre-activations (default `"pre"`), activations `"act"` or ∂L/∂z `"gradZ"`. */
  of?: Distribution;
  /**
   * `"step"` (default): one panel per layer, bands over time (drift);
   * `"layer"`: the latest step's bands across layers (how the distribution changes with depth).
   */
  x?: "step" | "layer";
  /** Only these layers (default all). */
  layers?: readonly number[];
  /** Only this run (default: the first run in the rows). */
  run?: string;
}

// Nested bands, outermost first: min–max, 7–93, 16–84, 31–69 (TensorBoard's percentiles).
const bands = [
  ["p0", "p100"],
  ["p7", "p93"],
  ["p16", "p84"],
  ["p31", "p69"],
] as const;

/**
 * Percentile bands of a per-layer distribution, TensorBoard style: the median as a line, nested shaded
 * bands for 31–69, 16–84, 7–93 and min–max percentiles. Saturation shows as bands pinned to an
 * activation's limits; drift as bands moving over time.
 *
 * @example
 * import { distributionBands } from "@gradscope/views";
 * distributionBands(rows, { of: "act", x: "layer" });
 */
export function distributionBands(rows: readonly Row[], options: DistributionBandsOptions = {}) {
  const { of = "pre", x = "step" } = options;
  const all = ofType(rows, "bands").filter((r) => r.of === of);
  const run = options.run ?? all[0]?.run;
  const wanted = options.layers && new Set(options.layers);
  let data = all.filter((r) => r.run === run && (!wanted || wanted.has(r.layer)));
  if (x === "layer") {
    const latest = Math.max(...data.map((r) => r.step));
    data = data.filter((r) => r.step === latest);
  }
  // the layers asked for, when given: the figure has its final height before the first bands arrive
  const layerCount = options.layers?.length ?? new Set(data.map((r) => r.layer)).size;
  const fy = x === "step" ? "layer" : undefined;
  const sort = x === "step" ? "step" : "layer";
  return Plot.plot({
    ...plotFrame(options, x === "step" ? Math.max(160, 90 * layerCount + 40) : 320),
    marginLeft: 48,
    marginRight: x === "step" ? 56 : 20,
    x: { label: x === "step" ? "step" : "layer (0 = input side)", ...(x === "layer" && { ticks: layerTicks(data.map((r) => r.layer)), tickFormat: "d" }) },
    y: { label: `${{ pre: "pre-activation z", act: "activation f(z)", gradZ: "∂L/∂z" }[of]} (percentiles)`, grid: true },
    fy: { label: "layer", reverse: true }, // output layer on top, as in a network diagram
    marks: [
      ...bands.map(([lo, hi]) =>
        Plot.areaY(data, { x, y1: lo, y2: hi, fy, z: fy, fill: "#4269d0", fillOpacity: 0.18, sort }),
      ),
      Plot.lineY(data, { x, y: "p50", fy, z: fy, stroke: "#1d3c8f", strokeWidth: 1.5, sort }),
      Plot.tip(data, Plot.pointerX({ x, y: "p50", fy, channels: { min: "p0", median: "p50", max: "p100" } })),
    ],
  });
}
