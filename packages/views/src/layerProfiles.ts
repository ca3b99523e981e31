import * as Plot from "@observablehq/plot";
import { named } from "./internal/named.js";
import { plotFrame } from "./internal/plotFrame.js";
import { runOrder } from "./internal/runOrder.js";
import { logAxis } from "./logAxis.js";
import { colorScale, type ColorKind } from "./palette.js";
import type { ViewOptions } from "./viewOptions.js";

/** One contender's value at one hidden layer. */
export interface LayerProfilePoint {
  group: string;
  layer: number;
  value: number;
}

/** Options of {@link layerProfiles}. */
export interface LayerProfilesOptions extends ViewOptions {
  /** Axis words for the value ("dead units (% of layer)"). */
  label: string;
  /** Values are fractions drawn as percent (0–100). Default false. */
  percent?: boolean;
  /** Log y; exact zeros go to a band marked "= 0". Default false. */
  logY?: boolean;
  order?: readonly string[];
  colorKind?: ColorKind;
}

/**
 * A value per hidden layer (input side at the left), one line with dots per contender in its palette
 * colour: dead or saturated fractions, or the gradient's size through the depth (gradient flow).
 * @example layerProfiles([{ group: "relu", layer: 0, value: 0.2 }, …], { label: "dead units (% of layer)", percent: true });
 */
export function layerProfiles(points: readonly LayerProfilePoint[], options: LayerProfilesOptions) {
  const groups = runOrder(points.map((p) => p.group), options.order);
  const axis = options.logY ? logAxis(points.map((p) => p.value), { label: options.label }) : undefined;
  const place = axis?.place ?? ((v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v * (options.percent ? 100 : 1) : undefined));
  const data = points.map((p) => ({ ...p, y: place(p.value) })).filter((p) => p.y !== undefined);
  const layers = Math.max(1, ...points.map((p) => p.layer + 1));
  const color = colorScale(groups, options.colorKind ?? "activation");
  return Plot.plot({
    ...plotFrame(options, 260),
    marginLeft: 60,
    x: { label: "hidden layer (0 = input side)", domain: [0, Math.max(1, layers - 1)], ticks: Math.min(layers, 10), tickFormat: "d" },
    y: axis ? axis.scale : { label: options.label, grid: true, ...(options.percent ? { domain: [0, 100] } : {}) },
    color: { ...color, legend: groups.length > 0, label: "activation" },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      ...(axis?.marks ?? []),
      ...(axis ? [] : [Plot.ruleY([0], { stroke: "#999" })]),
      named(Plot.lineY(data, { x: "layer", y: "y", z: "group", stroke: "group" }), "per-layer line"),
      named(Plot.dot(data, { x: "layer", y: "y", fill: "group", r: 2.5 }), "per-layer dot"),
    ],
  });
}
