import * as Plot from "@observablehq/plot";
import type { Distribution, HistogramRow, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { ofType } from "./internal/select.js";

/** Options of {@link layerHistograms}. */
export interface LayerHistogramsOptions extends ViewOptions {
  /** Which distribution: pre-activations (default `"pre"`), activations `"act"` or ∂L/∂z `"gradZ"`. */
  of?: Distribution;
  /** Which logged step (default `"latest"`). */
  step?: number | "latest";
  /** Only this run (default: the first run in the rows). */
  run?: string;
  /** Only these layers (default all). */
  layers?: readonly number[];
}

interface Bar {
  layer: number;
  x1: number;
  x2: number;
  count: number;
}

/** One bar per bin; a histogram row whose edges and counts disagree in length is skipped. */
function bars(rows: readonly HistogramRow[]): Bar[] {
  return rows.flatMap((r) =>
    r.bins.length !== r.counts.length + 1
      ? []
      : r.counts.map((count, i) => ({ layer: r.layer, x1: r.bins[i]!, x2: r.bins[i + 1]!, count })),
  );
}

/**
 * Per-layer histograms of one step's pre-activations, activations or ∂L/∂z (histogram rows), one panel
 * per layer with the output layer on top and a shared x axis, so saturation (mass piling up at an
 * activation's limits) and dead units (a spike at 0) are visible layer by layer.
 *
 * @example
 * import { layerHistograms } from "@gradscope/views";
 * layerHistograms(rows, { of: "act" }); // the latest step's activations
 */
export function layerHistograms(rows: readonly Row[], options: LayerHistogramsOptions = {}) {
  const { of = "pre" } = options;
  const all = ofType(rows, "histogram").filter((r) => r.of === of);
  const run = options.run ?? all[0]?.run;
  const wanted = options.layers && new Set(options.layers);
  const ofRun = all.filter((r) => r.run === run && (!wanted || wanted.has(r.layer)));
  const step = options.step === undefined || options.step === "latest" ? Math.max(...ofRun.map((r) => r.step)) : options.step;
  const data = bars(ofRun.filter((r) => r.step === step));
  const layerCount = new Set(data.map((d) => d.layer)).size;
  return Plot.plot({
    ...plotFrame(options, Math.max(160, 70 * layerCount + 50)),
    marginLeft: 48,
    marginRight: 56,
    x: { label: `${of}${Number.isFinite(step) ? ` at step ${step}` : ""}` },
    y: { label: "count", grid: true, ticks: 2 },
    fy: { label: "layer", reverse: true }, // output layer on top
    marks: [
      Plot.rectY(data, { x1: "x1", x2: "x2", y: "count", fy: "layer", fill: "#4269d0", inset: 0.25 }),
      Plot.ruleY([0]),
    ],
  });
}
