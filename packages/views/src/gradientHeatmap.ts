import * as Plot from "@observablehq/plot";
import type { LayerRow, Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";
import type { GradientField } from "./gradientFlow.js";
import { plotFrame } from "./internal/plotFrame.js";
import { layerTicks } from "./internal/layerTicks.js";
import { ofType, positive } from "./internal/select.js";

/** Options of {@link gradientHeatmap}. */
export interface GradientHeatmapOptions extends ViewOptions {
  /** Which gradient colours the cells (default `"gradNormZ"`). */
  fill?: GradientField;
  /** Colour scheme (default `"viridis"`; any Plot scheme name). */
  scheme?: Plot.ColorScheme;
}

interface Cell {
  run: string;
  layer: number;
  step: number;
  next: number;
  value: number;
}

/** Each row becomes a cell from its step to the next logged step of the same run and layer. */
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
      if (!positive(value)) return;
      out.push({ run: r.run, layer: r.layer, step: r.step, next: sorted[i + 1]?.step ?? r.step + width, value });
    });
  }
  return out;
}

/**
 * A layer × step heatmap of a gradient norm on a log colour scale: the input layer at the bottom, the
 * output layer at the top. Vanishing gradients show as dark lower rows; a collapse over time as a
 * colour change from left to right. Several runs are stacked as facets.
 *
 * @example
 * import { gradientHeatmap } from "@gradscope/views";
 * gradientHeatmap(rows, { fill: "gradNormW" });
 */
export function gradientHeatmap(rows: readonly Row[], options: GradientHeatmapOptions = {}) {
  const { fill = "gradNormZ", scheme = "viridis" } = options;
  const data = cells(ofType(rows, "layer"), fill);
  const runs = new Set(data.map((d) => d.run));
  return Plot.plot({
    ...plotFrame(options, 280 * Math.max(1, runs.size)),
    marginLeft: 56,
    x: { label: "step" },
    // ticks at the cells' centres, labelled with the layer
    y: { label: "layer (0 = input side)", ticks: layerTicks(data.map((d) => d.layer)).map((l) => l + 0.5), tickFormat: (y: number) => String(y - 0.5) },
    fy: { label: null },
    color: { type: "log", scheme, label: `${fill} (log)`, tickFormat: "~e", legend: data.length > 0 },
    marks: [
      Plot.rect(data, {
        x1: "step", x2: "next", y1: "layer", y2: (d: Cell) => d.layer + 1, fill: "value",
        fy: runs.size > 1 ? "run" : undefined, inset: 0,
      }),
      Plot.tip(data, Plot.pointer({ x: "step", y: (d: Cell) => d.layer + 0.5, channels: { layer: "layer", [fill]: "value" }, fy: runs.size > 1 ? "run" : undefined })),
    ],
  });
}
