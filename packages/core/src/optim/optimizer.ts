import type { Backend, OptimizerKernels } from "../backend/backend.js";
import { jsBackend } from "../backend/js.js";
import type { Parameter } from "../graph/parameter.js";
import { dtypeOf } from "../tensor.js";

/**
 * Updates parameters from their gradients. `attach` allocates any state once; `step` then runs
 * allocation-free. `lr` may be changed between steps (schedules, a notebook slider).
 */
export interface Optimizer {
  readonly name: string;
  lr: number;
  /**
   * Takes the parameters to update and allocates any state once. With a `backend` (the graph's:
   * the trainer passes it), state lives in the backend's memory and updates run in its kernels,
   * e.g. WebAssembly SIMD; default the TypeScript loops.
   */
  attach(params: readonly Parameter[], backend?: Backend): void;
  step(): void;
  /**
   * Asks the next `step()` to measure its change of `param`, a [rows × cols] matrix, into `out`
   * as Backend.probeUpdate would from a snapshot taken before it (‖ΔW‖², ‖W₀‖², ‖W‖², ‖G‖², sign
   * agreement sum, moved units), in the same pass as the update. False when it cannot (the caller
   * then takes the snapshot itself). The probes use it; optional for custom optimisers.
   */
  measureNext?(param: Parameter, cols: number, out: Float64Array): boolean;
}

/**
 * Pending measureNext requests of an optimiser, by parameter index: set by `request`, used and
 * cleared by the next step. Plain arrays, so a step allocates nothing.
 */
export class MeasureRequests {
  private index = new Map<Parameter, number>();
  private outs: (Float64Array | null)[] = [];
  private cols: number[] = [];

  attach(params: readonly Parameter[]): void {
    this.index = new Map(params.map((p, i) => [p, i]));
    this.outs = params.map(() => null);
    this.cols = params.map(() => 0);
  }

  /**
   * Records a request; false for an unknown parameter, a `cols` that does not divide it, or a
   * parameter another caller already asked about for this step (one measurement per step: the
   * second asker takes its own snapshot instead of silently losing the first's).
   */
  request(param: Parameter, cols: number, out: Float64Array): boolean {
    const i = this.index.get(param);
    if (i === undefined || !(cols > 0) || param.value.length % cols !== 0 || this.outs[i] !== null) return false;
    this.outs[i] = out;
    this.cols[i] = cols;
    return true;
  }

  /** The request for parameter i (null when none), cleared: it is for one step only. */
  take(i: number): Float64Array | null {
    const out = this.outs[i]!;
    this.outs[i] = null;
    return out;
  }

  /** Columns of the request for parameter i, valid right after a non-null `take(i)`. */
  colsOf(i: number): number {
    return this.cols[i]!;
  }
}

export function checkRate(name: string, key: string, value: number, { max = Infinity, open = false } = {}): void {
  if (!Number.isFinite(value) || value < 0 || (open && value === 0) || value >= max) {
    const range = max === Infinity ? (open ? "> 0" : "≥ 0") : `in [0, ${max})`;
    throw new RangeError(`${name}: ${key} must be ${range}, got ${value}`);
  }
}

/** The backend whose update kernels an optimiser calls: `backend` when it has them, else jsBackend. */
export function updateKernels(backend: Backend | undefined, kernel: keyof OptimizerKernels): Backend & OptimizerKernels {
  return (backend?.[kernel] ? backend : jsBackend) as Backend & OptimizerKernels;
}

/** A zero-filled state buffer like a parameter's value, from `backend` (so its kernels can use it). */
export function stateLike(p: Parameter, backend: Backend = jsBackend) {
  return backend.allocate(dtypeOf(p.value), p.value.length);
}
