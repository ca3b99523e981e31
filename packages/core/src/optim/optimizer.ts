import type { Parameter } from "../graph/parameter.js";

/**
 * Updates parameters from their gradients. `attach` allocates any state once; `step` then runs
 * allocation-free. `lr` may be changed between steps (schedules, a notebook slider).
 */
export interface Optimizer {
  readonly name: string;
  lr: number;
  attach(params: readonly Parameter[]): void;
  step(): void;
}

export function checkRate(name: string, key: string, value: number, { max = Infinity, open = false } = {}): void {
  if (!Number.isFinite(value) || value < 0 || (open && value === 0) || value >= max) {
    const range = max === Infinity ? (open ? "> 0" : "≥ 0") : `in [0, ${max})`;
    throw new RangeError(`${name}: ${key} must be ${range}, got ${value}`);
  }
}
