/**
 * Run ids become file names (`DIR/<id>.ndjson`) and BullMQ job ids, so they keep to a safe set:
 * letters, digits, `.`, `_`, `=`, `-`; starting with a letter or digit; no `..`; at most 200 characters.
 * Such an id cannot name a path outside its directory, holds no `:` (BullMQ's key separator), and is
 * never all digits (BullMQ reads those as its own numeric ids).
 */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._=-]{0,199}$/;

/** True when `id` is a safe run id (see the module comment). */
export function isSafeId(id: unknown): id is string {
  return typeof id === "string" && SAFE.test(id) && !id.includes("..") && !/^\d+$/.test(id);
}

/**
 * Throws a RangeError naming `what` unless `id` is safe.
 * @example checkSafeId("../x", "run id"); // RangeError: run id "../x" is not a safe name …
 */
export function checkSafeId(id: string, what: string): string {
  if (!isSafeId(id)) {
    throw new RangeError(`${what} ${JSON.stringify(id)} is not a safe name: use letters, digits, ".", "_", "=", "-" (starting with a letter or digit, no "..", not all digits, ≤ 200 characters)`);
  }
  return id;
}

/** A value as it appears in a run id: `0.01`, `relu`, `-3`, `true`; other characters become `_`. */
export function idPart(value: string | number | boolean): string {
  return String(value).replace(/[^A-Za-z0-9.=-]/g, "_").replace(/\.\.+/g, "_");
}

/**
 * The stable id of a sweep's run: the sweep's name, then `key-value` per axis in the sweep file's
 * order, then the seed, joined by `.` — the same point always gets the same id.
 * @example runIdOf("act-depth", { activation: "relu", depth: 2 }, 1) // "act-depth.activation-relu.depth-2.seed-1"
 */
export function runIdOf(name: string, point: Record<string, string | number | boolean>, seed: number): string {
  const parts = [name, ...Object.entries(point).map(([k, v]) => `${k}-${idPart(v)}`), `seed-${idPart(seed)}`];
  return checkSafeId(parts.join("."), "run id");
}
