import * as Plot from "@observablehq/plot";
import { named } from "./internal/named.js";
import type { Row } from "./rows.js";
import type { LiveDrawOptions, ViewOptions } from "./viewOptions.js";
import { alertMarks, GHOST_COLOR, stepAxis } from "./internal/liveMarks.js";
import { plotFrame } from "./internal/plotFrame.js";
import { layerCount, runOrder } from "./internal/runOrder.js";
import { axisLabel, isPercentField } from "./axisLabel.js";
import { logAxis } from "./logAxis.js";
import { colorScale, layerColor, type ColorKind } from "./palette.js";
import { referenceMarks, type Reference } from "./references.js";
import { stepTicks } from "./stepTicks.js";

/** Options of {@link compareRuns}. */
export interface CompareRunsOptions extends ViewOptions, LiveDrawOptions {
  /** Which rows to draw (default `"step"`). */
  type?: "step" | "layer" | "eval";
  /** Field on y (default `"loss"`; e.g. `"gradNormZ"` or `"deadFrac"` with `type: "layer"`). */
  y?: string;
  /** Field on x (default `"step"`). */
  x?: string;
  /** Log y scale (default false); exact zeros are drawn in a band marked "= 0", negative values left out. */
  logY?: boolean;
  /** Panels per row (default: up to 3, fewer on a narrow figure). */
  columns?: number;
  /**
   * The runs in the order of the inputs: panels and legend follow it on every chart, whatever order rows
   * arrive in; a run listed here gets its place (and colour) before its first row. Runs not listed
   * follow, sorted by name.
   */
  order?: readonly string[];
  /**
   * `"overlay"`: one shared axis, a colour per run (up to 6 runs of step or eval rows, the default there);
   * `"panels"`: small multiples on shared scales (the default for layer rows, one line per layer, and
   * beyond 6 runs).
   */
  layout?: "auto" | "overlay" | "panels";
  /** What run names denote, for their colours (default `"run"`: activation, init or precision names are recognised). */
  colorKind?: ColorKind;
  /** Values theory gives, drawn as dashed lines (chance level, an independence value, …). */
  references?: readonly Reference[];
  /** Axis words for y (default: the field's, e.g. "dead units (% of layer)"). */
  yLabel?: string;
  /** A fixed y domain (in the field's units; percent fields in 0–100). */
  yDomain?: readonly [number, number];
  /** A rolling mean over this many points per line (default 1: raw), for noisy per-step measures. */
  smooth?: number;
  /** Layers of the net, for the fixed layer colour domain 0…L−1 (default: from the rows). */
  layers?: number;
  /** Words of the zero band on a log scale (default "= 0"). */
  zeroLabel?: string;
}

type AnyRow = Row & Record<string, unknown>;

/** Overlays up to this many runs on one axis; more go to small multiples. */
export const MAX_OVERLAY = 6;

/**
 * Runs compared on shared axes, in the order of the inputs. Up to six runs of step or eval rows are
 * overlaid on one axis, one colour per run (the palette's: ReLU red on every chart); layer rows and more
 * runs become small multiples, one panel per run on shared scales, layers coloured light (input side)
 * to dark (output). Axis words are a reader's ("dead units (% of layer)"), log ticks read 10ⁿ, exact
 * zeros sit in a band marked "= 0", and `references` draws the values theory gives.
 *
 * @example
 * import { chanceLevel, compareRuns } from "@gradscope/views";
 * compareRuns(rows, { type: "eval", y: "accuracy", order: ["relu", "leakyRelu"], references: [chanceLevel(3).accuracy] });
 * compareRuns(rows, { type: "layer", y: "deadFrac", order: ["relu", "leakyRelu", "elu"] }); // panels in this order
 */
export function compareRuns(rows: readonly Row[], options: CompareRunsOptions = {}) {
  const { type = "step", y = "loss", x = "step", logY = false, references = [], smooth = 1 } = options;
  const typed = (rows as readonly AnyRow[]).filter((r) => r.type === type);
  const runs = runOrder(typed.map((r) => r.run), options.order);
  const perLayer = type === "layer";
  const overlay = options.layout === "overlay" || (options.layout !== "panels" && !perLayer && runs.length <= MAX_OVERLAY);
  const percent = isPercentField(y);
  const label = options.yLabel ?? axisLabel(y);
  // the previous run (a ghost): drawn in grey, in the place of the run of the same name
  const ghostTyped = ((options.ghost ?? []) as readonly AnyRow[]).filter((r) => r.type === type && runs.includes(r.run));
  const axis = logY ? logAxis([...typed, ...ghostTyped].map((r) => r[y]), { label, include: references.map((r) => r.value), zeroLabel: options.zeroLabel }) : undefined;
  const place = axis?.place ?? ((v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined));
  const data = typed.filter((r) => place(r[y]) !== undefined);
  const yValue = (r: AnyRow) => place(r[y]);
  const ghost = ghostTyped.filter((r) => place(r[y]) !== undefined);
  const onSteps = x === "step";
  const alertRows = (rows as readonly AnyRow[]).filter((r) => r.type === "alert" && runs.includes(r.run));
  const scale = colorScale(runs, options.colorKind);
  const yScale = axis
    ? axis.scale
    : { label, grid: true, percent, insetTop: 8, insetBottom: 8, ...(options.yDomain ? { domain: [...options.yDomain] } : percent ? { domain: [0, 100] } : {}) };
  const lines = (extra: Record<string, unknown>, subset: readonly AnyRow[] = data) => {
    const channels = { x, y: yValue, sort: x, ...extra } as Plot.LineYOptions;
    return smooth > 1 ? Plot.lineY(subset, Plot.windowY({ k: smooth, anchor: "end" }, channels)) : Plot.lineY(subset, channels);
  };
  const stepX = onSteps ? stepAxis(options.stepScale, [...data, ...ghost].map((r) => Number(r[x]))) : {};
  const common = { ...plotFrame(options, overlay ? 280 : 0), marginLeft: 60, x: { label: axisLabel(x), ...stepX }, y: yScale };

  if (overlay) {
    return Plot.plot({
      ...common,
      color: { ...scale, legend: runs.length > 0, label: "run" },
      marks: [
        Plot.frame({ stroke: "#ddd" }),
        ...(axis?.marks ?? []),
        ...referenceMarks(references, place),
        ...(ghost.length ? [lines({ z: "run", stroke: GHOST_COLOR, className: "gradscope-ghost" }, ghost)] : []),
        lines({ z: "run", stroke: "run" }),
        ...(onSteps ? alertMarks(alertRows, "step") : []),
        Plot.tip(data, Plot.pointer({ x, y: yValue, channels: { run: "run" }, stroke: "run" })),
      ],
    });
  }

  const width = common.width ?? 640;
  const columns = Math.max(1, options.columns ?? Math.min(3, runs.length || 1, Math.max(1, Math.floor(width / 200))));
  const index = new Map(runs.map((run, i) => [run, i]));
  const fx = (r: { run: string }) => index.get(r.run)! % columns;
  const fy = (r: { run: string }) => Math.floor(index.get(r.run)! / columns);
  const rowCount = Math.max(1, Math.ceil(runs.length / columns));
  const layers = layerCount(typed.map((r) => r.layer as number), options.layers);
  const panelWidth = (width - 60) / columns;

  return Plot.plot({
    ...common,
    ...plotFrame(options, 40 + 200 * rowCount),
    y: { ...yScale, labelAnchor: "center" }, // along the axis: a label across the top would run into the first panel's words
    // step ticks at least 70 px apart in a panel, so "0", "2,000" and "4,000" never touch in a narrow one
    x: { ...common.x, ...(!("ticks" in common.x) && { ticks: onSteps ? stepTicks(lastStep(data, ghost, x), panelWidth * 0.8) : Math.max(2, Math.floor(panelWidth / 70)) }) },
    marginTop: 24,
    fx: { axis: null, domain: [...Array(Math.min(columns, Math.max(1, runs.length))).keys()] },
    fy: { axis: null, domain: [...Array(rowCount).keys()], padding: 0.2 }, // room for each panel's words above it
    // the layer key as soon as the layers are known (options.layers), so the figure keeps its size when rows come
    color: perLayer ? { ...layerColor(layers), legend: data.length > 0 || options.layers !== undefined } : undefined,
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      ...(axis?.marks ?? []),
      ...referenceMarks(references, place, Math.max(6, panelWidth / 10 - 1)),
      // one mark per run, so a panel's words and a run's lines carry its palette colour (literal, not through the layer scale)
      ...runs.map((run, i) => named(Plot.text([{ run }], {
        fx, fy, text: "run", frameAnchor: "top-left", lineAnchor: "bottom", dy: -4, fontWeight: "bold", fill: scale.range[i], stroke: "white", strokeWidth: 3, paintOrder: "stroke",
        lineWidth: Math.max(6, panelWidth / 8),
      }), "panel label")),
      ...(ghost.length ? [lines({ fx, fy, z: perLayer ? "layer" : "run", stroke: GHOST_COLOR, className: "gradscope-ghost" }, ghost)] : []),
      ...(onSteps ? alertMarks(alertRows, "step", { fx: (r) => fx(r), fy: (r) => fy(r) }) : []),
      ...(perLayer
        ? [lines({ fx, fy, z: "layer", stroke: "layer" })]
        : runs.map((run, i) => lines({ fx, fy, stroke: scale.range[i] }, data.filter((r) => r.run === run)))),
    ],
  });
}

/** The largest x among the plotted rows (the step axis' end), 0 for none. */
function lastStep(data: readonly AnyRow[], ghost: readonly AnyRow[], x: string): number {
  let last = 0;
  for (const r of [...data, ...ghost]) {
    const v = Number(r[x]);
    if (v > last) last = v;
  }
  return last;
}
