import * as Plot from "@observablehq/plot";
import type { EvalRow, Row, StepRow } from "./rows.js";
import type { LiveDrawOptions, ViewOptions } from "./viewOptions.js";
import { plotFrame } from "./internal/plotFrame.js";
import { alertMarks, GHOST_COLOR, ghostRows, stepAxis } from "./internal/liveMarks.js";
import { ofType } from "./internal/select.js";
import { logAxis } from "./logAxis.js";
import { chanceLevel, referenceMarks } from "./references.js";

/** Options of {@link lossCurve}. */
export interface LossCurveOptions extends ViewOptions, LiveDrawOptions {
  /** Plot the loss on a log scale (default false): useful when it spans decades. */
  logLoss?: boolean;
  /** Classes of the task: draws chance level, ln n on the loss and 1/n on the accuracy panel. */
  classes?: number;
}

interface Point {
  run: string;
  step: number;
  split: "train" | "eval";
  value: number;
}

/**
 * Loss (top) and accuracy (bottom) against step, training rows as lines and held-out `eval` rows as
 * dashed lines with dots, one colour per split. Two panels because loss and accuracy have different ranges.
 * A linear loss axis starts at 0, so a net stuck at chance reads as flat, not as noise filling the axis;
 * with `classes` the chance levels are drawn. Log ticks read 10ⁿ.
 *
 * @example
 * import { lossCurve } from "@gradscope/views";
 * document.body.append(lossCurve(rows, { title: "Training" }));
 */
export function lossCurve(rows: readonly Row[], options: LossCurveOptions = {}): HTMLElement {
  const doc = options.document ?? globalThis.document;
  const pointsOf = (steps: readonly StepRow[], evals: readonly EvalRow[], metric: "loss" | "accuracy"): Point[] => [
    ...steps.map((r) => ({ run: r.run, step: r.step, split: "train" as const, value: r[metric] })),
    ...evals.map((r) => ({ run: r.run, step: r.step, split: "eval" as const, value: r[metric] })),
  ];
  const points = (metric: "loss" | "accuracy") => pointsOf(ofType(rows, "step"), ofType(rows, "eval"), metric);
  // the previous run (a ghost), drawn in grey beneath on the same axes
  const ghostPoints = (metric: "loss" | "accuracy") => pointsOf(ghostRows(options.ghost, "step"), ghostRows(options.ghost, "eval"), metric);
  const allSteps = [...ofType(rows, "step"), ...ghostRows(options.ghost, "step")].map((r) => r.step);
  const panel = (metric: "loss" | "accuracy", last: boolean) => {
    const data = points(metric);
    const ghost = ghostPoints(metric);
    const height = Math.round((options.height ?? 360) / 2);
    const chance = options.classes === undefined ? undefined : chanceLevel(options.classes)[metric];
    const axis = metric === "loss" && options.logLoss ? logAxis([...data, ...ghost].map((d) => d.value), { label: "loss", include: chance ? [chance.value] : [] }) : undefined;
    const place = axis?.place ?? ((v: unknown) => v as number);
    const y = (d: Point) => place(d.value);
    return Plot.plot({
      ...plotFrame({ ...options, title: last ? undefined : options.title, caption: last ? options.caption : undefined }, height),
      height,
      marginLeft: 48,
      x: { label: "step", axis: last ? "bottom" : null, ...stepAxis(options.stepScale, allSteps) },
      y: axis
        ? axis.scale
        : metric === "loss"
          ? { label: "loss", grid: true, zero: true, insetTop: 4 }
          : { label: "accuracy (%)", grid: true, domain: [0, 100], percent: true, insetTop: 4, insetBottom: 4 }, // percent scales values by 100
      color: { domain: ["train", "eval"], range: ["#4269d0", "#ff725c"], legend: !last, tickFormat: (s: string) => (s === "train" ? "training mini-batches" : "held-out data") },
      marks: [
        ...(axis?.marks ?? []),
        ...referenceMarks(chance ? [chance] : [], place),
        ...(ghost.length ? [Plot.lineY(ghost, { x: "step", y, z: (d: Point) => `${d.run}\u0000${d.split}`, stroke: GHOST_COLOR, strokeWidth: 1.5, className: "gradscope-ghost" })] : []),
        Plot.lineY(data.filter((d) => d.split === "train"), { x: "step", y, z: "run", stroke: "split" }),
        Plot.lineY(data.filter((d) => d.split === "eval"), { x: "step", y, z: "run", stroke: "split", strokeDasharray: "4,3" }),
        Plot.dot(data.filter((d) => d.split === "eval"), { x: "step", y, fill: "split", r: 2 }),
        ...alertMarks(rows, "step"),
        Plot.tip(data, Plot.pointerX({ x: "step", y, channels: { run: "run", split: "split", [metric]: "value" }, format: { y: false } })),
      ],
    });
  };
  const figure = doc.createElement("figure");
  figure.className = "gradscope-loss-curve";
  figure.style.margin = "0";
  figure.append(panel("loss", false), panel("accuracy", true));
  return figure;
}
