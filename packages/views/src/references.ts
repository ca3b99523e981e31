import * as Plot from "@observablehq/plot";
import { named } from "./internal/named.js";

/** A value theory gives, drawn as a dashed line with its words. */
export interface Reference {
  value: number;
  label: string;
}

/** float32's smallest normal number, 2⁻¹²⁶ ≈ 1.18·10⁻³⁸: below it float32 loses digits. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;
/** float32's smallest subnormal number, 2⁻¹⁴⁹ ≈ 1.4·10⁻⁴⁵: below it a value rounds to 0. */
export const FLOAT32_MIN_SUBNORMAL = 2 ** -149;

/**
 * Reference lines for a chart of n-class results: chance accuracy 1/n and the loss of guessing uniformly, ln n.
 * @example chanceLevel(3) // { accuracy: { value: 1/3, … }, loss: { value: 1.0986, … } }
 */
export function chanceLevel(classes: number): { accuracy: Reference; loss: Reference } {
  if (!(Number.isInteger(classes) && classes >= 2)) throw new RangeError(`chanceLevel: classes must be an integer ≥ 2, got ${classes}`);
  return {
    accuracy: { value: 1 / classes, label: `chance (${classes} classes)` },
    loss: { value: Math.log(classes), label: `chance: ln ${classes}` },
  };
}

/**
 * The share of same-sign updates when the signs of a unit's n incoming weight updates are independent
 * fair coins: E[max(k, n − k)] / n for k ~ Binomial(n, ½), which is ≈ 0.5 + 0.4/√n for large n
 * (E|k − n/2| ≈ √(n / 2π), and 1/√(2π) ≈ 0.399). Exact here, since the approximation is 10 % off at n = 2.
 * @example independentSignAgreement(16) // ≈ 0.598 (0.5 + 0.4/4 = 0.6)
 */
export function independentSignAgreement(fanIn: number): number {
  if (!(Number.isInteger(fanIn) && fanIn >= 1)) throw new RangeError(`independentSignAgreement: fan-in must be an integer ≥ 1, got ${fanIn}`);
  let logP = -fanIn * Math.LN2; // log C(n, 0) / 2ⁿ
  let mean = 0;
  for (let k = 0; k <= fanIn; k++) {
    if (k > 0) logP += Math.log((fanIn - k + 1) / k);
    mean += Math.exp(logP) * Math.max(k, fanIn - k);
  }
  return mean / fanIn;
}

/** float32's limits as reference lines for a log gradient axis. */
export function float32References(): Reference[] {
  return [
    { value: FLOAT32_MIN_NORMAL, label: "float32 smallest normal 1.2×10⁻³⁸" },
    { value: FLOAT32_MIN_SUBNORMAL, label: "float32 smallest subnormal 1.4×10⁻⁴⁵" },
  ];
}

/**
 * Dashed horizontal lines with their words just below them at the right (clear of alert words, which
 * start at early steps along the top), on every facet; `lineWidth` (in ems)
 * wraps the words to a narrow panel.
 * @example Plot.plot({ marks: [...referenceMarks([chanceLevel(3).accuracy]), Plot.lineY(rows, { x: "step", y: "accuracy" })] })
 */
export function referenceMarks(references: readonly Reference[], place: (v: number) => number | undefined = (v) => v, lineWidth?: number): Plot.Markish[] {
  const data = references.map((r) => ({ ...r, y: place(r.value) })).filter((r) => r.y !== undefined);
  if (data.length === 0) return [];
  return [
    named(Plot.ruleY(data, { y: "y", stroke: "#777", strokeDasharray: "4,3" }), "reference"),
    named(Plot.text(data, { y: "y", text: "label", frameAnchor: "right", lineAnchor: "top", textAnchor: "end", dx: -4, dy: 2, fill: "#555", fontSize: 10, stroke: "white", strokeWidth: 3, paintOrder: "stroke", ...(lineWidth && { lineWidth }) }), "reference label"), // white halo: legible across lines
  ];
}
