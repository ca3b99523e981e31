// Marks the live machinery adds to step- and layer-axis views: where alerts fired, the previous run as a
// grey ghost, and a log step axis. Each returns no marks when there is nothing to draw, so a view's
// picture is unchanged for rows without alerts or ghosts.
import * as Plot from "@observablehq/plot";
import type { AlertRow, Row } from "../rows.js";
import { ofType } from "./select.js";

/** The colour of alert markers: one for every kind, the kind is written beside it. */
export const ALERT_COLOR = "#b3001b";
/** The colour of the previous run (the ghost). */
export const GHOST_COLOR = "#c8c8c8";

const KINDS: readonly AlertRow["kind"][] = ["exploding", "saturated", "vanishing", "dead", "diverged"];

/** Facet channels a view uses, as functions of a row, so markers land in the run's own panel. */
export interface Facets {
  fx?: (r: Row) => unknown;
  fy?: (r: Row) => unknown;
}

/**
 * A dashed rule at each alert and its kind written at the top, one text line per kind so labels of
 * different kinds never overlap. `axis` "step" puts them at the alert's step; "layer" at the alert's layer
 * (alerts without a layer are left out there).
 */
export function alertMarks(rows: readonly Row[], axis: "step" | "layer", facets: Facets = {}): Plot.Markish[] {
  const alerts = ofType(rows, "alert").filter((a) => (axis === "step" ? true : a.layer !== undefined));
  if (alerts.length === 0) return [];
  const x = axis === "step" ? "step" : "layer";
  const channels = { ...(facets.fx && { fx: facets.fx }), ...(facets.fy && { fy: facets.fy }) };
  const kinds = KINDS.filter((k) => alerts.some((a) => a.kind === k));
  // words only at the first alert of a kind in each panel (the rules mark every one): repeated words a few
  // pixels apart overlap on a narrow figure
  const facetKey = (a: AlertRow) => `${String(facets.fx?.(a) ?? "")}\u0000${String(facets.fy?.(a) ?? "")}`;
  const first = (kind: AlertRow["kind"]) => {
    const seen = new Set<string>();
    return alerts.filter((a) => a.kind === kind && !seen.has(facetKey(a)) && (seen.add(facetKey(a)), true));
  };
  return [
    Plot.ruleX(alerts, { x, stroke: ALERT_COLOR, strokeDasharray: "3,2", strokeWidth: 1.5, className: "gradscope-alert-rule", ...channels }),
    // one text mark per kind, each on its own line at the top
    ...kinds.map((kind) =>
      Plot.text(first(kind), {
        x, text: (a: AlertRow) => `⚠ ${a.kind}${axis === "layer" ? ` (step ${a.step})` : ""}`,
        frameAnchor: "top", textAnchor: "start", dx: 3, dy: 6 + 11 * KINDS.indexOf(kind),
        fill: ALERT_COLOR, fontSize: 10, className: "gradscope-alert-marker", ...channels,
      }),
    ),
  ];
}

/**
 * X-scale options for a step axis: linear, or "log" – a symlog scale, on which step 0 has a place and the
 * first percent of a run takes as much room as the last decade – with plain-number ticks at powers of 10.
 */
export function stepAxis(stepScale: "linear" | "log" | undefined, steps: readonly number[]): Plot.ScaleOptions {
  if (stepScale !== "log") return {};
  const max = steps.reduce((m, s) => Math.max(m, s), 1);
  const ticks = [0];
  for (let t = 1; t <= max * 1.0001; t *= 10) ticks.push(t);
  return { type: "symlog", ticks, tickFormat: (t: number) => t.toLocaleString("en") };
}

/** The ghost's rows of one type, or none. */
export function ghostRows<T extends Row["type"]>(ghost: readonly Row[] | undefined, type: T): Extract<Row, { type: T }>[] {
  return ghost ? ofType(ghost, type) : [];
}
