import * as Plot from "@observablehq/plot";
import type { ProductSample } from "./sampleProductOfUniforms.js";
import type { ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";

/** Options of {@link productOfUniforms}. */
export interface ProductOfUniformsOptions extends ViewOptions {
  /** Mark this product with a rule and report the share of draws below it (default 1e-18, the tutorial's claim). */
  threshold?: number;
  /** Histogram bins (default 60). */
  bins?: number;
}

const superscripts: Record<string, string> = { "-": "⁻", ".": "·", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** 10 to a power, as text: −21.7 → "10⁻²¹·⁷". */
function powerOfTen(exponent: number, digits = 0): string {
  return `10${[...exponent.toFixed(digits)].map((c) => superscripts[c] ?? c).join("")}`;
}

/**
 * The vanishing-gradient toy's distribution: a histogram of log10 of products of U(0,1) draws (so the
 * x axis is a log scale of the product), with a rule at `threshold` labelled with the share of draws
 * below it, and a rule at the expected log, −factors / ln 10 (E[ln U] = −1).
 *
 * @example
 * import { createRng } from "@gradscope/core";
 * import { productOfUniforms, sampleProductOfUniforms } from "@gradscope/views";
 * productOfUniforms(sampleProductOfUniforms({ factors: 50, random: createRng(1).next }));
 */
export function productOfUniforms(rows: readonly ProductSample[], options: ProductOfUniformsOptions = {}) {
  const { threshold = 1e-18, bins = 60 } = options;
  const cut = Math.log10(threshold);
  const below = rows.filter((r) => r.log10 < cut).length;
  const share = rows.length ? below / rows.length : 0;
  const factors = rows[0]?.factors;
  const mean = factors === undefined ? [] : [-factors / Math.LN10]; // E[ln U] = −1 per factor
  const pct = (share * 100).toFixed(share > 0.999 || share < 0.001 ? 2 : 1);
  return Plot.plot({
    ...plotFrame(options, 300),
    marginLeft: 48,
    x: { label: "product of the draws (log scale)", tickFormat: (d: number) => powerOfTen(d) },
    y: { label: "draws", grid: true, insetTop: 42 }, // room for the two labels above the bars
    color: { domain: ["below", "above"], range: ["#4269d0", "#bbb"] },
    marks: [
      Plot.rectY(rows, Plot.binX<Plot.RectYOptions>({ y: "count" }, { x: "log10", thresholds: bins, fill: (d: ProductSample) => (d.log10 < cut ? "below" : "above"), inset: 0.5 })),
      Plot.ruleX([cut], { stroke: "#d62728", strokeWidth: 1.5 }),
      Plot.text([`${pct}% of ${rows.length} draws < ${powerOfTen(cut, Number.isInteger(cut) ? 0 : 1)}`], { frameAnchor: "top-right", dy: 2, fill: "#d62728", fontWeight: "bold" }),
      Plot.ruleX(mean, { stroke: "#333", strokeDasharray: "4,3" }),
      Plot.text(mean, { x: (d: number) => d, text: (d: number) => `expected ${powerOfTen(d, 1)}`, frameAnchor: "top", textAnchor: "end", dx: -4, dy: 18 }), // a line below the share: never on top of it at 400 px
      Plot.ruleY([0]),
    ],
  });
}
