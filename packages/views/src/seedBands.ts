import * as Plot from "@observablehq/plot";
import { axisLabel, isPercentField } from "./axisLabel.js";
import { named } from "./internal/named.js";
import { plotFrame } from "./internal/plotFrame.js";
import { runOrder } from "./internal/runOrder.js";
import { logAxis } from "./logAxis.js";
import { colorScale, type ColorKind } from "./palette.js";
import { referenceMarks, type Reference } from "./references.js";
import type { Row } from "./rows.js";
import type { ViewOptions } from "./viewOptions.js";

/** Options of {@link seedBands}. */
export interface SeedBandsOptions extends ViewOptions {
  /** Which rows (default "eval": held-out). */
  type?: "step" | "eval";
  /** Field on y (default "loss"). */
  y?: string;
  /** The group (contender) a run belongs to. Default: the run name without a trailing "-seed<N>". */
  groupOf?: (run: string) => string;
  /** Groups in the inputs' order: legend and colours follow it. */
  order?: readonly string[];
  /** Log y (default true for a loss, false otherwise); exact zeros go to a band marked "= 0". */
  logY?: boolean;
  /** Steps are pooled into about this many bins per curve (default 60), each seed's values averaged per bin. */
  bins?: number;
  /** What group names denote, for their colours (default "activation"). */
  colorKind?: ColorKind;
  references?: readonly Reference[];
  yLabel?: string;
}

/** One group's curve at one x: the median over seeds and the band from the lowest to the highest seed. */
export interface SeedBandPoint {
  group: string;
  step: number;
  mid: number;
  lo: number;
  hi: number;
  seeds: number;
}

const seedSuffix = /-seed\d+$/;

/**
 * Per group, pools each run's values into step bins, then takes across seeds the median (line) and the
 * lowest and highest seed (band). Exported so a page can state what the figure shows.
 * @example seedBandPoints(rows, { type: "eval" }).filter((p) => p.group === "relu");
 */
export function seedBandPoints(rows: readonly Row[], options: Pick<SeedBandsOptions, "type" | "y" | "groupOf" | "bins"> = {}): SeedBandPoint[] {
  const { type = "eval", y = "loss", bins = 60 } = options;
  const groupOf = options.groupOf ?? ((run: string) => run.replace(seedSuffix, ""));
  const typed = (rows as readonly (Row & Record<string, unknown>)[]).filter((r) => r.type === type && typeof r[y] === "number" && Number.isFinite(r[y] as number));
  let last = 0;
  for (const r of typed) if (r.step > last) last = r.step;
  const width = Math.max(1, Math.ceil((last + 1) / bins));
  // run → bin → [sum, count]
  const perRun = new Map<string, Map<number, [number, number]>>();
  for (const r of typed) {
    let m = perRun.get(r.run);
    if (!m) perRun.set(r.run, (m = new Map()));
    const b = type === "eval" ? r.step : Math.floor(r.step / width) * width; // evaluations share their steps already
    const acc = m.get(b) ?? [0, 0];
    acc[0] += r[y] as number;
    acc[1]++;
    m.set(b, acc);
  }
  const byGroup = new Map<string, Map<number, number[]>>();
  for (const [run, m] of perRun) {
    const g = groupOf(run);
    let steps = byGroup.get(g);
    if (!steps) byGroup.set(g, (steps = new Map()));
    for (const [b, [s, n]] of m) {
      const list = steps.get(b) ?? [];
      list.push(s / n);
      steps.set(b, list);
    }
  }
  const points: SeedBandPoint[] = [];
  for (const [group, steps] of byGroup) {
    for (const [step, values] of [...steps].sort((a, b) => a[0] - b[0])) {
      const v = [...values].sort((a, b) => a - b), k = v.length >> 1;
      points.push({ group, step, mid: v.length % 2 ? v[k]! : (v[k - 1]! + v[k]!) / 2, lo: v[0]!, hi: v.at(-1)!, seeds: v.length });
    }
  }
  return points;
}

/**
 * Contenders overlaid on one axis, one palette colour each: a line for the median over seeds and a band
 * from the lowest to the highest seed, on a log axis for losses (so early spikes do not flatten the part
 * that matters). Held-out rows by default.
 * @example
 * seedBands(rows, { order: ["relu", "leakyRelu", "elu"], title: "Held-out loss, 5 seeds" });
 * seedBands(rows, { type: "eval", y: "accuracy", references: [chanceLevel(3).accuracy] });
 */
export function seedBands(rows: readonly Row[], options: SeedBandsOptions = {}) {
  const { y = "loss", type = "eval", references = [] } = options;
  const points = seedBandPoints(rows, options);
  const groups = runOrder(points.map((p) => p.group), options.order);
  const logY = options.logY ?? /loss/i.test(y);
  const percent = isPercentField(y);
  const label = options.yLabel ?? `${type === "eval" ? "held-out " : "training "}${axisLabel(y)}`;
  const axis = logY ? logAxis(points.flatMap((p) => [p.lo, p.hi]), { label, include: references.map((r) => r.value) }) : undefined;
  const scale100 = percent ? 100 : 1;
  const place = axis?.place ?? ((v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v * scale100 : undefined));
  const placed = points
    .map((p) => ({ ...p, yMid: place(p.mid), yLo: place(p.lo), yHi: place(p.hi) }))
    .filter((p) => p.yMid !== undefined && p.yLo !== undefined && p.yHi !== undefined);
  const color = colorScale(groups, options.colorKind ?? "activation");
  const yScale = axis ? axis.scale : { label, grid: true, insetTop: 8, insetBottom: 8, ...(percent ? { domain: [0, 100] } : {}) };
  return Plot.plot({
    ...plotFrame(options, 300),
    marginLeft: 60,
    x: { label: "step" },
    y: yScale,
    color: { ...color, legend: groups.length > 0, label: "activation" },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      ...(axis?.marks ?? []),
      ...referenceMarks(references, (v) => place(v)),
      named(Plot.areaY(placed, { x: "step", y1: "yLo", y2: "yHi", z: "group", fill: "group", fillOpacity: 0.18 }), "seed band"),
      named(Plot.lineY(placed, { x: "step", y: "yMid", z: "group", stroke: "group", strokeWidth: 1.6 }), "median over seeds"),
      Plot.tip(placed, Plot.pointer({ x: "step", y: "yMid", channels: { activation: "group", "lowest seed": "lo", median: "mid", "highest seed": "hi" }, format: { y: false } })),
    ],
  });
}
