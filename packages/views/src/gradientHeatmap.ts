import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { LiveDrawOptions, ViewOptions } from "./viewOptions.js";
import { alertMarks, stepAxis } from "./internal/liveMarks.js";
import type { GradientField } from "./gradientFlow.js";
import { plotFrame } from "./internal/plotFrame.js";
import { layerTicks } from "./internal/layerTicks.js";
import { ofType, positive } from "./internal/select.js";
import { layerCount, runOrder } from "./internal/runOrder.js";
import { named } from "./internal/named.js";
import { withKey } from "./internal/withKey.js";
import { axisLabel } from "./axisLabel.js";
import { logAxis } from "./logAxis.js";

/** Options of {@link gradientHeatmap}. */
export interface GradientHeatmapOptions extends ViewOptions, Pick<LiveDrawOptions, "stepScale"> {
  /** Which gradient colours the cells (default `"gradNormZ"`). */
  fill?: GradientField;
  /** Colour scheme (default `"viridis"`; any Plot scheme name). */
  scheme?: Plot.ColorScheme;
  /** Runs' facets in this order, top to bottom (the inputs' order); others follow, sorted by name. */
  order?: readonly string[];
  /** Layers of the net: the y axis is always 0…L−1 (default: from the rows). */
  layers?: number;
}

interface Cell {
  run: string;
  layer: number;
  step: number;
  next: number;
  value: number;
}

/** The colour of a cell whose gradient is exactly 0; the key beside the heatmap says so. */
export const ZERO_COLOR = "#bdbdbd";

/** Each row becomes a cell from its step to the next logged step of the same run and layer (zeros kept, NaN left out). */
function cells(rows: readonly LayerRow[], field: GradientField): Cell[] {
  const byKey = new Map<string, LayerRow[]>();
  for (const r of rows) {
    const k = `${r.run}\u0000${r.layer}`;
    const list = byKey.get(k) ?? [];
    list.push(r);
    byKey.set(k, list);
  }
  const out: Cell[] = [];
  for (const list of byKey.values()) {
    const sorted = [...list].sort((a, b) => a.step - b.step);
    const last = sorted.length - 1;
    const width = last > 0 ? (sorted[last]!.step - sorted[0]!.step) / last : 1; // the last cell gets the mean spacing
    sorted.forEach((r, i) => {
      const value = r[field];
      if (!(value === 0 || positive(value))) return;
      out.push({ run: r.run, layer: r.layer, step: r.step, next: sorted[i + 1]?.step ?? r.step + width, value });
    });
  }
  return out;
}

/**
 * A layer × step heatmap of a gradient norm on a log colour scale: the input layer at the bottom, the
 * output layer at the top, every layer 0…L−1 on the axis. Vanishing gradients show as dark lower rows;
 * a collapse over time as a colour change from left to right. A gradient that is exactly 0 (a dead
 * layer, a float32 underflow) is drawn grey, and a key says "grey: exactly 0"; white is a step not yet
 * logged. Several runs are stacked as facets, in the order given.
 *
 * @example
 * import { gradientHeatmap } from "@gradscope/views";
 * gradientHeatmap(rows, { fill: "gradNormW" });
 */
export function gradientHeatmap(rows: readonly Row[], options: GradientHeatmapOptions = {}) {
  const { fill = "gradNormZ", scheme = "viridis" } = options;
  const layerRows = ofType(rows, "layer");
  const data = cells(layerRows, fill);
  const runs = runOrder(data.map((d) => d.run), options.order);
  const L = layerCount(layerRows.map((r) => r.layer), options.layers);
  const axis = logAxis(data.filter((d) => d.value > 0).map((d) => d.value), { label: axisLabel(fill) });
  const positives = data.filter((d) => d.value > 0);
  const zeros = data.filter((d) => d.value === 0);
  const fy = runs.length > 1 ? "run" : undefined;
  const rect = (subset: Cell[], fillValue: unknown) => Plot.rect(subset, {
    x1: "step", x2: "next", y1: "layer", y2: (d: Cell) => d.layer + 1, fill: fillValue as string, fy, inset: 0,
  });
  const figure = Plot.plot({
    ...plotFrame(options, 280 * Math.max(1, runs.length)),
    marginLeft: 60,
    x: { label: "step", ...stepAxis(options.stepScale, data.map((d) => d.next)) },
    // ticks at the cells' centres, labelled with the layer
    y: { label: "layer (0 = input side)", domain: [0, Math.max(1, L)], ticks: layerTicks(Array.from({ length: L }, (_, i) => i)).map((l) => l + 0.5), tickFormat: (y: number) => String(y - 0.5) },
    fy: { label: null, domain: runs },
    // the key from the start (a bare ramp before the first rows), so the figure keeps its size when they come
    color: {
      type: "linear", scheme, label: axis.scale.label, ticks: axis.scale.ticks, tickFormat: axis.scale.tickFormat, legend: true,
      ...(positives.length === 0 ? { domain: [0, 1], ticks: [] } : {}),
    },
    marks: [
      rect(positives, (d: Cell) => Math.log10(d.value)),
      named(rect(zeros, ZERO_COLOR), "zero cells"),
      ...alertMarks(rows.filter((r) => r.type !== "alert" || runs.includes(r.run)), "step", fy ? { fy: (r) => r.run } : {}),
      Plot.tip(data, Plot.pointer({ x: "step", y: (d: Cell) => d.layer + 0.5, channels: { layer: "layer", [axisLabel(fill)]: "value" }, fy, format: { y: false } })),
    ],
  });
  // the zero colour's key under the ramp: a reader must not take grey for "small"
  return zeros.length > 0 ? withKey(figure, [["exactly 0 (no gradient at all); white: not logged yet", ZERO_COLOR]], "zero key", options.document ?? globalThis.document) : figure;
}

