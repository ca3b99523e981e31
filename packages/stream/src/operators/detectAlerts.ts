import { concat, concatMap, defer, type OperatorFunction } from "rxjs";
import type { AlertKind, AlertRow, LayerRow, Row } from "../rows.js";

/** Options of {@link detectAlerts}: the thresholds, each with its default. */
export interface DetectAlertsOptions {
  /** Vanishing when ‖∂L/∂z‖ of the first hidden layer / that of the last hidden layer is below this; 1e-3. */
  vanishingRatio?: number;
  /** Exploding when some layer's ‖∂L/∂z‖ is above this; 1e3. */
  explodingNorm?: number;
  /** Exploding also when the first/last hidden-layer ‖∂L/∂z‖ ratio is above this; 1e3. */
  explodingRatio?: number;
  /** Dead when some hidden layer's `deadFrac` is at least this; 0.5. */
  deadFrac?: number;
  /** Saturated when some hidden layer's `saturatedFrac` is at least this; 0.9. */
  saturatedFrac?: number;
}

/**
 * detectAlerts' default thresholds – the one place they are set; reports that word alerts read them here.
 * @example alertThresholds.vanishingRatio // 1e-3
 */
export const alertThresholds: Readonly<Required<DetectAlertsOptions>> = {
  vanishingRatio: 1e-3,
  explodingNorm: 1e3,
  explodingRatio: 1e3,
  deadFrac: 0.5,
  saturatedFrac: 0.9,
};

/** Per run: the layer rows of the step being collected, and the alert kinds currently on. */
interface RunState {
  step: number;
  layers: LayerRow[];
  /** The last step evaluated: late layer rows of it are not evaluated again. */
  evaluated: number;
  active: Set<AlertKind>;
}

/**
 * Passes every row through and adds {@link AlertRow}s: `diverged` (a step row's loss is NaN or ±Infinity),
 * and, once per step from that step's layer rows, `vanishing`, `exploding`, `dead` and `saturated`.
 * "Hidden" layers are those whose `activation` is not "none" (the output layer's is "none").
 *
 * Each kind fires once per run when it starts and again only after a step where it has cleared, so a
 * 10 000-step vanishing run yields one alert, not 10 000. An alert names the worst layer, its value and the
 * threshold: "vanishing gradients: ∂L/∂z at layer 0 is 3.2e-9 × that of layer 49 (threshold 1e-3)".
 * Alert rows already in the input (e.g. the trainer's own `diverged`) count as fired, so they are not repeated.
 *
 * A step's layer rows are evaluated when its output layer row arrives, or else when a row of another step
 * (or a status row) of the same run arrives, or the input completes; its alerts carry that step.
 *
 * @example
 * rows$.pipe(detectAlerts({ deadFrac: 0.3 }), filter(isRow("alert"))).subscribe((a) => console.warn(a.message));
 */
export function detectAlerts(options: DetectAlertsOptions = {}): OperatorFunction<Row, Row> {
  const thresholds = { ...alertThresholds, ...options };
  return (source) =>
    defer(() => {
      const runs = new Map<string, RunState>();
      const stateOf = (run: string) => {
        let st = runs.get(run);
        if (st === undefined) runs.set(run, (st = { step: NaN, layers: [], evaluated: NaN, active: new Set() }));
        return st;
      };

      /** Evaluates the collected step of a run (if any) and returns the alerts that start now. */
      const flush = (run: string, st: RunState): AlertRow[] => {
        if (st.layers.length === 0) return [];
        const findings = evaluate(st.layers, thresholds);
        const step = st.step;
        st.evaluated = step;
        st.layers = [];
        const alerts: AlertRow[] = [];
        for (const kind of LAYER_KINDS) {
          const finding = findings[kind];
          if (finding === undefined) st.active.delete(kind);
          else if (!st.active.has(kind)) {
            st.active.add(kind);
            alerts.push({ type: "alert", run, step, kind, ...finding });
          }
        }
        return alerts;
      };

      const handle = (row: Row): Row[] => {
        const st = stateOf(row.run);
        // a row of a later step (or the run's last row) closes the step being collected
        const out: Row[] = st.layers.length > 0 && (row.step !== st.step || row.type === "status") ? flush(row.run, st) : [];
        out.push(row);
        if (row.type === "alert") st.active.add(row.kind);
        else if (row.type === "step") {
          if (Number.isFinite(row.loss)) st.active.delete("diverged");
          else if (!st.active.has("diverged")) {
            st.active.add("diverged");
            out.push({
              type: "alert",
              run: row.run,
              step: row.step,
              kind: "diverged",
              message: `diverged: loss is ${row.loss} at step ${row.step}`,
              value: row.loss,
            });
          }
        } else if (row.type === "layer" && row.step !== st.evaluated) {
          st.step = row.step;
          st.layers.push(row);
          if (row.activation === "none") out.push(...flush(row.run, st));
        }
        return out;
      };

      const flushAll = defer(() => [...runs].flatMap(([run, st]) => flush(run, st)));
      return concat(source.pipe(concatMap(handle)), flushAll);
    });
}

const LAYER_KINDS = ["vanishing", "exploding", "dead", "saturated"] as const;

type Finding = Pick<AlertRow, "layer" | "message" | "value" | "threshold">;

/** What is wrong in one step's layer rows, at most one finding per kind, each about the worst layer. */
function evaluate(
  layers: readonly LayerRow[],
  t: Required<DetectAlertsOptions>,
): Partial<Record<(typeof LAYER_KINDS)[number], Finding>> {
  const findings: Partial<Record<(typeof LAYER_KINDS)[number], Finding>> = {};
  const hidden = layers.filter((l) => l.activation !== "none").sort((a, b) => a.layer - b.layer);
  const first = hidden[0];
  const last = hidden[hidden.length - 1];

  // gradient flow: the first hidden layer's ∂L/∂z against the last one's
  if (first !== undefined && last !== undefined && first !== last) {
    const ratio = first.gradNormZ / last.gradNormZ;
    const flow = (kind: string, threshold: number): Finding => ({
      layer: first.layer,
      value: ratio,
      threshold,
      message: `${kind} gradients: ∂L/∂z at layer ${first.layer} is ${fmt(ratio)} × that of layer ${last.layer} (threshold ${fmt(threshold)})`,
    });
    if (ratio < t.vanishingRatio) findings.vanishing = flow("vanishing", t.vanishingRatio);
    if (ratio > t.explodingRatio) findings.exploding = flow("exploding", t.explodingRatio);
  }
  const largest = worst(layers, (l) => l.gradNormZ);
  if (largest !== undefined && largest.gradNormZ > t.explodingNorm) {
    findings.exploding = {
      layer: largest.layer,
      value: largest.gradNormZ,
      threshold: t.explodingNorm,
      message: `exploding gradients: ‖∂L/∂z‖ at layer ${largest.layer} is ${fmt(largest.gradNormZ)} (threshold ${fmt(t.explodingNorm)})`,
    };
  }

  // unit health, over hidden layers
  const fraction = (field: "deadFrac" | "saturatedFrac", threshold: number, what: string): Finding | undefined => {
    const over = hidden.filter((l) => l[field] >= threshold);
    const w = worst(over, (l) => l[field]);
    if (w === undefined) return undefined;
    const others = over.length > 1 ? `; ${over.length} layers at or above it` : "";
    return {
      layer: w.layer,
      value: w[field],
      threshold,
      message: `${what.replace("{pct}", pct(w[field])).replace("{layer}", String(w.layer))} (threshold ${pct(threshold)}${others})`,
    };
  };
  const dead = fraction("deadFrac", t.deadFrac, "dead units: {pct} of layer {layer}'s units are dead");
  if (dead !== undefined) findings.dead = dead;
  const saturated = fraction("saturatedFrac", t.saturatedFrac, "saturated units: {pct} of layer {layer}'s unit-example pairs saturate");
  if (saturated !== undefined) findings.saturated = saturated;
  return findings;
}

/** The row with the largest value (NaN never wins). */
function worst<T>(rows: readonly T[], value: (row: T) => number): T | undefined {
  let best: T | undefined;
  for (const row of rows) if (best === undefined || value(row) > value(best)) best = row;
  return best;
}

/** Compact scientific notation: 3.2e-9, 1e-3, 4.5e3. */
function fmt(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  return x.toExponential(1).replace(".0e", "e").replace("e+", "e");
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
