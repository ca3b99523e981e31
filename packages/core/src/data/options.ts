// Option checks shared by the data set factories. Internal: not exported from the package.
// Messages name the caller, the option and the offending value, e.g.
// `spiral: n must be a positive integer, got 2.5`.

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(value));

/** Rejects option names the caller does not know, so a typo (or a CLI flag meant for another set) is not silently ignored. */
export function checkKeys(caller: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${caller}: unknown option "${key}" (known: ${known.join(", ")})`);
    }
  }
}

export function positiveInteger(caller: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${caller}: ${name} must be a positive integer, got ${show(value)}`);
  }
  return value;
}

export function integerAtLeast(caller: string, name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${caller}: ${name} must be an integer ≥ ${min}, got ${show(value)}`);
  }
  return value;
}

export function nonNegative(caller: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${caller}: ${name} must be a finite number ≥ 0, got ${show(value)}`);
  }
  return value;
}

/** A number strictly between 0 and 1. */
export function openFraction(caller: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new RangeError(`${caller}: ${name} must be a number in (0, 1), got ${show(value)}`);
  }
  return value;
}

export function finiteSeed(caller: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${caller}: seed must be a finite number, got ${show(value)}`);
  }
  return value;
}
