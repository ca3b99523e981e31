import * as Plot from "@observablehq/plot";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { wrap } from "./internal/wrap.js";

/** One sample of an activation: f(x) = y and f′(x) = dy; `name` tells several activations apart. */
export interface ActivationSample {
  x: number;
  y: number;
  dy: number;
  name?: string;
}

/** Options of {@link activationPlot}. */
export interface ActivationPlotOptions extends ViewOptions {
  /** Fix the y range (default: fitted to f and f′). */
  yDomain?: [number, number];
}

interface Point {
  name: string;
  x: number;
  curve: "f(x)" | "f′(x)";
  value: number;
}

/**
 * An activation function f (solid) and its derivative f′ (dashed) over a range of x, one panel per
 * `name` when several activations are given. f′ is what back-propagation multiplies by: where it is near
 * 0 the unit saturates; sigmoid's never exceeds 0.25.
 *
 * @example
 * import { activationPlot } from "@gradscope/views";
 * const rows = xs.map((x) => ({ x, y: elu.f(x), dy: elu.df(x) }));
 * activationPlot(rows, { title: "ELU (α = 1)" });
 */
export function activationPlot(rows: readonly ActivationSample[], options: ActivationPlotOptions = {}) {
  const data: Point[] = rows.flatMap((r) => [
    { name: r.name ?? "", x: r.x, curve: "f(x)" as const, value: r.y },
    { name: r.name ?? "", x: r.x, curve: "f′(x)" as const, value: r.dy },
  ]);
  const names = [...new Set(data.map((d) => d.name))];
  const fx = names.length > 1 ? "name" : undefined;
  const perPanel = ((options.width ?? 640) - 60) / Math.max(1, names.length);
  const maxChars = Math.max(8, Math.floor(perPanel / 7)); // ~7 px a character at Plot's 10 px font
  const lines = Math.max(1, ...names.map((n) => wrap(n, maxChars).split("\n").length));
  return Plot.plot({
    ...plotFrame(options, 280),
    marginLeft: 40,
    marginTop: fx ? 8 + 12 * lines : undefined,
    x: { label: "x" },
    y: { grid: true, label: null, ...(options.yDomain && { domain: options.yDomain }) },
    fx: { label: null, domain: names, tickFormat: (n: string) => wrap(n, maxChars) },
    color: { domain: ["f(x)", "f′(x)"], range: ["#4269d0", "#ff725c"], legend: true },
    marks: [
      Plot.ruleX([0], { stroke: "#ccc" }),
      Plot.ruleY([0], { stroke: "#ccc" }),
      Plot.lineY(data.filter((d) => d.curve === "f(x)"), { x: "x", y: "value", fx, stroke: "curve", strokeWidth: 2, sort: "x" }),
      Plot.lineY(data.filter((d) => d.curve === "f′(x)"), { x: "x", y: "value", fx, stroke: "curve", strokeWidth: 2, strokeDasharray: "5,3", sort: "x" }),
      Plot.tip(data, Plot.pointerX({ x: "x", y: "value", fx, stroke: "curve" })),
    ],
  });
}
