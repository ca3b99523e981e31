import * as Plot from "@observablehq/plot";
import { named } from "./internal/named.js";

const superscript: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/**
 * A log-axis tick label: powers of ten as 10ⁿ ("10⁻¹⁸"), never SI prefixes ("10m", "100µ", "0.000001y");
 * 0.1 … 100 as plain numbers; other values with two or three significant digits ("2×10⁻⁵", "0.25").
 * @example formatLogTick(1e-18) // "10⁻¹⁸"
 */
export function formatLogTick(v: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return String(v);
  const e = Math.log10(Math.abs(v));
  const n = Math.round(e);
  const sign = v < 0 ? "−" : "";
  if (Math.abs(e - n) < 1e-9) return n >= -1 && n <= 2 ? sign + String(10 ** n) : `${sign}10${[...String(n)].map((c) => superscript[c]).join("")}`;
  if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4) return sign + String(+Math.abs(v).toPrecision(3));
  const m = Math.floor(e);
  return `${sign}${+(Math.abs(v) / 10 ** m).toPrecision(2)}×10${[...String(m)].map((c) => superscript[c]).join("")}`;
}

/** At most `max` ticks in [lo, hi] for a log scale: every k-th power of ten, or nice values within one decade. */
export function logTicks(lo: number, hi: number, max = 6): number[] {
  if (!(lo > 0 && hi >= lo)) return [];
  const first = Math.ceil(Math.log10(lo) - 1e-9), last = Math.floor(Math.log10(hi) + 1e-9);
  if (last - first >= 2) {
    const k = Math.max(1, Math.ceil((last - first + 1) / max));
    const ticks: number[] = [];
    for (let n = Math.ceil(first / k) * k; n <= last; n += k) ticks.push(10 ** n);
    return ticks;
  }
  // one to three decades: 1, 2 and 5 × 10ⁿ
  const nice: number[] = [];
  for (let n = first - 1; n <= last; n++) for (const m of [1, 2, 5]) {
    const t = +(m * 10 ** n).toPrecision(12);
    if (t >= lo && t <= hi) nice.push(t);
  }
  if (nice.length >= 3) return nice.length <= max ? nice : nice.filter((t) => Math.abs(Math.log10(t) % 1) < 1e-9 || nice.length <= max);
  // a narrow range (loss 1.08–1.13): linear-looking ticks at 1, 2 or 5 × 10ⁿ
  const raw = (hi - lo) / 3;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi * (1 + 1e-12); t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

/** Options of {@link logAxis}. */
export interface LogAxisOptions {
  /** Axis words (" (log scale)" is appended). */
  label: string;
  /** Values the domain must include besides the data (reference lines). */
  include?: readonly number[];
  /** The zero band's words (default "= 0"). */
  zeroLabel?: string;
  /** At most this many ticks (default 6). */
  maxTicks?: number;
}

/** A log y axis that keeps exact zeros: the scale, marks to draw under the data, and how to place a value. */
export interface LogAxis {
  /**
   * Spread into Plot's `y` option. The scale is linear in log₁₀ of the value (Plot's own log scale blanks
   * tick labels it does not find round, such as the zero band's), labelled 10ⁿ.
   */
  scale: { type: "linear"; domain: [number, number]; ticks: number[]; tickFormat: (t: number) => string; label: string; grid: true };
  /** The "= 0" band (when some value is exactly 0); draw these first. */
  marks: Plot.Markish[];
  /** Where a value sits on the scale: log₁₀ of it when positive, inside the zero band when exactly 0, undefined otherwise (left out). */
  place: (v: unknown) => number | undefined;
  /** True when some value is exactly 0. */
  hasZeros: boolean;
}

/**
 * A log y axis for values that may be exactly 0 (a dead layer's gradient, a float32 underflow): a log
 * scale has no 0, so zeros are drawn in a grey band marked "= 0" below the smallest positive value,
 * never dropped. Ticks read 10ⁿ. Marks place values with `place` (log₁₀ positions).
 *
 * @example
 * const axis = logAxis(rows.map((r) => r.gradNormZ), { label: "‖∂L/∂z‖", zeroLabel: "= 0 (below float32)" });
 * Plot.plot({ y: axis.scale, marks: [...axis.marks, Plot.lineY(rows, { x: "layer", y: (r) => axis.place(r.gradNormZ) })] });
 */
export function logAxis(values: Iterable<unknown>, options: LogAxisOptions): LogAxis {
  let lo = Infinity, hi = -Infinity, hasZeros = false;
  for (const v of values) {
    if (v === 0) hasZeros = true;
    else if (typeof v === "number" && Number.isFinite(v) && v > 0) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  for (const v of options.include ?? []) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo <= hi)) { lo = 0.1; hi = 10; }
  if (lo === hi) { lo /= 10; hi *= 10; }
  const a = Math.log10(lo), b = Math.log10(hi), span = b - a;
  const label = `${options.label} (log scale)`;
  const ticks = logTicks(lo, hi, options.maxTicks ?? 6).map(Math.log10);
  const positive = (v: unknown) => (typeof v === "number" && v > 0 && Number.isFinite(v) ? Math.log10(v) : undefined);
  const tickFormat = (t: number) => formatLogTick(10 ** t);
  if (!hasZeros) {
    const domain: [number, number] = [a - 0.03 * span, b + 0.03 * span];
    return { scale: { type: "linear", domain, ticks, tickFormat, label, grid: true }, marks: [], place: positive, hasZeros };
  }
  // the band: a gap below the smallest positive value, then a band of ~12 % of the axis holding the zeros
  const top = a - Math.max(0.15, 0.06 * span), bottom = top - Math.max(0.5, 0.12 * span), zeroAt = (top + bottom) / 2;
  const domain: [number, number] = [bottom, b + 0.03 * span];
  const marks: Plot.Markish[] = [
    named(Plot.rectY([{ y1: bottom, y2: top }], { y1: "y1", y2: "y2", fill: "#e9e9e9" }), "zero band"),
    named(Plot.text([options.zeroLabel ?? "= 0"], { y: () => zeroAt, frameAnchor: "right", textAnchor: "end", dx: -4, fill: "#555", fontSize: 10, text: (d: string) => d }), "zero band label"),
  ];
  return {
    scale: { type: "linear", domain, ticks: [zeroAt, ...ticks], tickFormat: (t) => (t === zeroAt ? "0" : tickFormat(t)), label, grid: true },
    marks,
    place: (v) => (v === 0 ? zeroAt : positive(v)),
    hasZeros,
  };
}
