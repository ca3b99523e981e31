import type { Activation, ActivationParams } from "./activation.js";
import { createRng } from "./random.js";

/** Result of a gradient check: the worst errors between analytic and finite-difference derivatives. */
export interface GradcheckResult {
  name: string;
  maxAbsError: number;
  maxRelError: number;
  /** Number of (point, derivative) pairs compared. */
  checked: number;
  ok: boolean;
  /** Where the worst relative error occurred, to help debugging. */
  worst?: { x: number; wrt: string; analytic: number; numeric: number };
}

/** Options of {@link checkActivation}. */
export interface CheckActivationOptions {
  /** Random points drawn in `range`. Default 200. */
  points?: number;
  /** Interval the points are drawn from. Default [−6, 6]. */
  range?: [number, number];
  /** Points closer than this to a kink are skipped. Default 1e-3. */
  kinkMargin?: number;
  /** Finite-difference step, scaled by max(1, |x|). Default 1e-6. */
  h?: number;
  /** Pass threshold on the relative error. Default 1e-6. */
  tolerance?: number;
  /** Seed of the points. Default 1. */
  seed?: number;
}

/** |a − n| / max(|a|, |n|, floor): relative where the derivative is sizeable, absolute-ish where it vanishes. */
export function relativeError(analytic: number, numeric: number, floor = 1e-3): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
}

/** Tracks the worst error over many comparisons. */
export class ErrorTally {
  maxAbsError = 0;
  maxRelError = 0;
  checked = 0;
  worst: GradcheckResult["worst"];
  add(x: number, wrt: string, analytic: number, numeric: number): void {
    const abs = Math.abs(analytic - numeric);
    const rel = relativeError(analytic, numeric);
    this.checked++;
    if (!(abs <= this.maxAbsError)) this.maxAbsError = abs; // NaN counts as the worst
    if (!(rel <= this.maxRelError)) {
      this.maxRelError = rel;
      this.worst = { x, wrt, analytic, numeric };
    }
  }
  result(name: string, tolerance: number): GradcheckResult {
    const ok = this.checked > 0 && this.maxRelError < tolerance && Number.isFinite(this.maxRelError);
    return { name, maxAbsError: this.maxAbsError, maxRelError: this.maxRelError, checked: this.checked, ok, worst: this.worst };
  }
}

/**
 * Checks an activation's f′ (and ∂f/∂param of its learnable parameters, and its training-mode
 * derivative if it has one) against central finite differences in float64, at seeded random
 * points away from its kinks.
 * @example
 * const r = checkActivation(elu);
 * if (!r.ok) throw new Error(`elu: max relative error ${r.maxRelError}`);
 */
export function checkActivation<P extends ActivationParams>(
  act: Activation<P>,
  options: CheckActivationOptions = {},
): GradcheckResult {
  const { points = 200, range = [-6, 6], kinkMargin = 1e-3, h = 1e-6, tolerance = 1e-6, seed = 1 } = options;
  const rng = createRng(seed);
  const tally = new ErrorTally();
  const p = act.params;
  for (let i = 0; i < points; i++) {
    const x = rng.uniform(range[0], range[1]);
    if (act.kinks.some((k) => Math.abs(x - k) < kinkMargin)) continue;
    const step = h * Math.max(1, Math.abs(x));
    const numeric = (act.f(x + step, p) - act.f(x - step, p)) / (2 * step);
    tally.add(x, "x", act.df(x, p, act.f(x, p)), numeric);
    for (const key of act.learnable) {
      const dp = act.dparams?.[key];
      if (!dp) continue;
      const v = p[key] as number;
      const s = h * Math.max(1, Math.abs(v));
      const up = { ...p, [key]: v + s };
      const down = { ...p, [key]: v - s };
      tally.add(x, key, dp(x, p, act.f(x, p)), (act.f(x, up) - act.f(x, down)) / (2 * s));
    }
    if (act.train) {
      const u = act.train.noise(rng, p);
      const fu = act.train.f;
      tally.add(x, "x (train)", act.train.df(x, p, u), (fu(x + step, p, u) - fu(x - step, p, u)) / (2 * step));
    }
  }
  return tally.result(act.name, tolerance);
}

/** Options of {@link checkGraph}. */
export interface CheckGraphOptions {
  /** Elements checked per parameter (chosen at random, seeded). Default 24. */
  perParameter?: number;
  /** Finite-difference step. Default 1e-6. */
  h?: number;
  /** Pass threshold on the relative error. Default 1e-6. */
  tolerance?: number;
  seed?: number;
  name?: string;
  /**
   * Check the training-mode graph instead of the eval-mode one. Only for graphs that are
   * deterministic in training (batch normalisation is; RReLU redraws its noise every pass, so its
   * finite differences would be noise). Running estimates move on every pass; the training-mode
   * output does not read them. Default false.
   */
  training?: boolean;
}

/** The part of a graph a gradient check needs. */
export interface CheckableGraph {
  readonly dtype: string;
  training: boolean;
  readonly parameters: readonly { name: string; value: ArrayLike<number> & { [i: number]: number }; grad: ArrayLike<number> }[];
  forward(): number;
  backward(): void;
}

/**
 * Checks a whole graph's back-propagated parameter gradients against central finite differences
 * of its loss. The graph must be float64 with its inputs filled; it runs in eval mode so that
 * stochastic activations are deterministic (or in training mode with `training: true`). To check a
 * node's input gradient too, make the input a parameter: for batch normalisation that checks how
 * each row's gradient depends on every other row.
 * @example
 * const r = checkGraph(net.graph);
 * expect(r.ok).toBe(true);
 */
export function checkGraph(graph: CheckableGraph, options: CheckGraphOptions = {}): GradcheckResult {
  const { perParameter = 24, h = 1e-6, tolerance = 1e-6, seed = 1, name = "graph", training: mode = false } = options;
  if (graph.dtype !== "float64") throw new TypeError(`checkGraph needs a float64 graph (finite differences in float32 are noise), got ${graph.dtype}`);
  const training = graph.training;
  graph.training = mode;
  try {
    graph.forward();
    graph.backward();
    const analytic = graph.parameters.map((p) => Float64Array.from(p.grad));
    const rng = createRng(seed);
    const tally = new ErrorTally();
    graph.parameters.forEach((p, k) => {
      const n = p.value.length;
      const picks = n <= perParameter ? [...Array(n).keys()] : Array.from({ length: perParameter }, () => rng.int(n));
      for (const i of picks) {
        const v = p.value[i]!;
        const step = h * Math.max(1, Math.abs(v));
        p.value[i] = v + step;
        const up = graph.forward();
        p.value[i] = v - step;
        const down = graph.forward();
        p.value[i] = v;
        tally.add(i, `${p.name}[${i}]`, analytic[k]![i]!, (up - down) / (2 * step));
      }
    });
    graph.forward();
    return tally.result(name, tolerance);
  } finally {
    graph.training = training;
  }
}
