import * as Plot from "@observablehq/plot";
import { axisLabel } from "./axisLabel.js";
import { named } from "./internal/named.js";
import { withKey } from "./internal/withKey.js";
import { plotFrame } from "./internal/plotFrame.js";
import { formatLogTick } from "./logAxis.js";
import { activationColor, initColor } from "./palette.js";
import type { ViewOptions } from "./viewOptions.js";

/** A value of a sweep axis (a grid point's coordinate). */
export type AxisValue = string | number | boolean;

/** Options of {@link sweepHeatmap}. */
export interface SweepHeatmapOptions extends ViewOptions {
  /** The row field of the column axis (e.g. "activation") and of the row axis (e.g. "depth"). */
  x: string;
  y: string;
  /** The row field the cells average (e.g. "bestTestLoss"). */
  value: string;
  /** Each axis' values in this order (the sweep file's), so a point with no run still gets its cell. Default: as first seen. */
  xDomain?: readonly AxisValue[];
  yDomain?: readonly AxisValue[];
  /** The colour key's words (default: the value field's axis words). */
  label?: string;
  /** Lower values are better (losses; the default) – better cells are darker either way. */
  lowerIsBetter?: boolean;
  /** Values are fractions of 1, printed and keyed in percent (accuracies). Default false. */
  percent?: boolean;
  /**
   * A row field holding the run's status: rows whose status is "diverged" are counted as diverged under the
   * cell's value (their value, if finite – e.g. early stopping's before the divergence – is still averaged).
   */
  status?: string;
}

/** One cell of a {@link sweepHeatmap}: the runs at one (x, y), averaged. */
export interface SweepHeatmapCell {
  x: AxisValue;
  y: AxisValue;
  /** Runs (rows) at this cell, how many had a finite value, and how many diverged (status "diverged" or no finite value). */
  runs: number;
  finite: number;
  diverged: number;
  /** Mean of the finite values; NaN when there are none. */
  mean: number;
  /** "value", or why the cell is empty: no run at all here, or every run's value not finite (diverged). */
  kind: "value" | "no run" | "diverged";
}

/** Fill of a cell with no run, and of one whose every run diverged; a key under the colour ramp says which is which. */
export const NO_RUN_COLOR = "#f4f4f4";
export const DIVERGED_COLOR = "#8c8c8c";

const key = (v: unknown) => JSON.stringify(v);

/**
 * The cells a {@link sweepHeatmap} draws: for every (x, y) of the domains, the mean over the rows there
 * of their finite values, with counts.
 * @example sweepHeatmapCells(runs, { x: "activation", y: "depth", value: "bestTestLoss" })[0].mean;
 */
export function sweepHeatmapCells(rows: readonly Record<string, unknown>[], options: Pick<SweepHeatmapOptions, "x" | "y" | "value" | "xDomain" | "yDomain" | "status">): SweepHeatmapCell[] {
  const { x, y, value, status } = options;
  const seen = (field: string) => [...new Map(rows.map((r) => [key(r[field]), r[field] as AxisValue])).values()].filter((v) => v !== undefined);
  const xs = options.xDomain ?? seen(x), ys = options.yDomain ?? seen(y);
  const sums = new Map<string, { runs: number; finite: number; diverged: number; sum: number }>();
  for (const r of rows) {
    const k = `${key(r[x])}|${key(r[y])}`;
    const s = sums.get(k) ?? { runs: 0, finite: 0, diverged: 0, sum: 0 };
    const v = r[value];
    const finite = typeof v === "number" && Number.isFinite(v);
    s.runs++;
    if (finite) {
      s.finite++;
      s.sum += v;
    }
    if (!finite || (status !== undefined && r[status] === "diverged")) s.diverged++;
    sums.set(k, s);
  }
  return ys.flatMap((yv) => xs.map((xv): SweepHeatmapCell => {
    const s = sums.get(`${key(xv)}|${key(yv)}`);
    if (!s) return { x: xv, y: yv, runs: 0, finite: 0, diverged: 0, mean: NaN, kind: "no run" };
    return { x: xv, y: yv, runs: s.runs, finite: s.finite, diverged: s.diverged, mean: s.finite ? s.sum / s.finite : NaN, kind: s.finite ? "value" : "diverged" };
  }));
}

/** Three significant digits, or a percentage with one decimal. */
function cellText(v: number, percent: boolean): string {
  if (percent) return `${(100 * v).toFixed(1)} %`;
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(+v.toPrecision(3)) : formatLogTick(+v.toPrecision(2));
}

/** An axis' tick colour: activations and initialisations in their palette colour, everything else dark grey. */
function tickColor(field: string): (v: AxisValue) => string {
  if (field === "activation") return (v) => activationColor(String(v));
  if (field === "init") return (v) => initColor(String(v));
  return () => "#333";
}

/**
 * A heatmap of one metric over two axes of a sweep: each cell the mean over the runs at that grid point
 * pair (the seeds and every other axis), its value printed in the cell, better values darker (for a loss:
 * lower), on a log colour scale when the values span a decade or more. Axes keep the sweep file's order;
 * activation and initialisation ticks wear their palette colour. A cell with no run is pale and says
 * "no run"; one whose every run diverged (no finite value) is grey and says "diverged"; a key says so.
 * Under a value, "k of n diverged" counts the runs without a finite value or (with `status`) that diverged.
 *
 * @example
 * import { sweepHeatmap } from "@gradscope/views";
 * sweepHeatmap(runs, { x: "activation", y: "depth", value: "bestTestLoss", label: "held-out loss" });
 */
export function sweepHeatmap(rows: readonly Record<string, unknown>[], options: SweepHeatmapOptions) {
  const { x, y, lowerIsBetter = true, percent = false } = options;
  const cells = sweepHeatmapCells(rows, options);
  const xs = [...new Map(cells.map((c) => [key(c.x), c.x])).values()];
  const ys = [...new Map(cells.map((c) => [key(c.y), c.y])).values()];
  const values = cells.filter((c) => c.kind === "value").map((c) => c.mean);
  const lo0 = Math.min(...values), hi0 = Math.max(...values);
  // values equal to rounding (identical runs, a mean's last bit): one middle colour, not noise stretched over the ramp
  const flat = values.length > 0 && hi0 - lo0 <= 1e-9 * Math.max(Math.abs(lo0), Math.abs(hi0), 1e-300);
  const lo = flat ? lo0 - Math.max(0.01 * Math.abs(lo0), 1e-12) : lo0, hi = flat ? hi0 + Math.max(0.01 * Math.abs(hi0), 1e-12) : hi0;
  const log = values.length > 0 && lo > 0 && hi / lo >= 10;
  // where a value sits between the best and the worst (0 = worst, 1 = best): darkness, and white text on dark cells
  const t = (v: number) => {
    if (!(hi > lo)) return 0.5;
    const f = log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
    return lowerIsBetter ? 1 - f : f;
  };
  const label = `${options.label ?? axisLabel(options.value)} (${lowerIsBetter ? "lower" : "higher"} is better${log ? ", log scale" : ""})`;
  const withValue = cells.filter((c) => c.kind === "value");
  const empty = cells.filter((c) => c.kind !== "value");
  const cellW = Math.max(60, Math.min(110, 640 / Math.max(1, xs.length)));
  const xTick = tickColor(x), yTick = tickColor(y);
  const figure = Plot.plot({
    ...plotFrame(options, 80 + 48 * Math.max(3, ys.length)), // at least three rows high: room for the rotated row-axis words,
    ...(options.width === undefined ? { width: Math.max(360, 130 + cellW * xs.length) } : {}),
    marginLeft: 110,
    marginTop: 48,
    padding: 0.04,
    x: { domain: xs, label: axisLabel(x), axis: null },
    y: { domain: ys, label: axisLabel(y), axis: null },
    color: {
      type: log ? "log" : "linear", scheme: "ylgnbu", range: [0.08, 0.92], reverse: lowerIsBetter,
      domain: values.length ? [lo, hi] : [0, 1], label, legend: values.length > 0, width: 320, // the ramp's width: room for the label
      tickFormat: percent ? (v: number) => `${+(100 * v).toPrecision(3)} %` : log ? formatLogTick : (v: number) => cellText(v, false),
    } as Plot.ScaleOptions,
    marks: [
      Plot.axisX({ anchor: "top", label: axisLabel(x), labelAnchor: "center", labelOffset: 34, tickSize: 0, fill: (v: AxisValue) => xTick(v), fontWeight: 600, fontSize: 12 } as Plot.AxisOptions),
      Plot.axisY({ label: axisLabel(y), labelAnchor: "center", tickSize: 0, fill: (v: AxisValue) => yTick(v), fontWeight: 600, fontSize: 12 } as Plot.AxisOptions),
      named(Plot.cell(withValue, { x: "x", y: "y", fill: "mean", inset: 0.5 }), "sweep cell"),
      named(Plot.cell(empty, { x: "x", y: "y", fill: (c: SweepHeatmapCell) => (c.kind === "no run" ? NO_RUN_COLOR : DIVERGED_COLOR), inset: 0.5 }), "empty cell"),
      named(Plot.text(withValue, {
        x: "x", y: "y", text: (c: SweepHeatmapCell) => cellText(c.mean, percent) + (c.diverged ? `\n${c.diverged} of ${c.runs} diverged` : ""),
        fill: (c: SweepHeatmapCell) => (t(c.mean) > 0.55 ? "white" : "#111"), fontSize: 13, lineHeight: 1.2,
      }), "cell value"),
      named(Plot.text(empty, { x: "x", y: "y", text: "kind", fill: (c: SweepHeatmapCell) => (c.kind === "no run" ? "#777" : "white"), fontSize: 12 }), "empty cell label"),
    ],
  });
  const kinds = [...new Set(empty.map((c) => c.kind))];
  return kinds.length ? withEmptyKey(figure, kinds, options.document ?? globalThis.document) : figure;
}

/** Says what an empty cell means, beside the colour ramp: a reader must not take grey for a value. */
function withEmptyKey(figure: ReturnType<typeof Plot.plot>, kinds: SweepHeatmapCell["kind"][], document: Document) {
  const words: Record<string, [string, string]> = {
    "no run": ["no run: no finished recording at this point (missing or failed)", NO_RUN_COLOR],
    diverged: ["diverged: every run here ended without a finite value", DIVERGED_COLOR],
  };
  return withKey(figure, kinds.map((k) => words[k]!), "empty cell key", document);
}
