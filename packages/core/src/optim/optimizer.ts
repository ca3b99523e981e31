import type { Backend, OptimizerKernels } from "../backend/backend.js";
import { jsBackend } from "../backend/js.js";
import type { Parameter } from "../graph/parameter.js";

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
  return backend.allocate(p.value instanceof Float64Array ? "float64" : "float32", p.value.length);
}
