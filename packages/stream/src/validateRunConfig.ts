import type { DetectAlertsOptions } from "./operators/detectAlerts.js";
import type { ProbeOptions, RunConfig } from "./runConfig.js";

/** The JSON type a field must have; checked before any value is looked at. */
type Kind = "string" | "number" | "boolean" | "string|number" | "numbers" | "probes" | "alerts";

// Typed over every key of the interfaces: a field added to RunConfig without a line here fails to compile.
const runConfigFields: { [K in keyof Required<RunConfig>]: Kind } = {
  run: "string", dataset: "string", digitsUrl: "string", n: "number", noise: "number", activation: "string",
  params: "numbers", depth: "number", width: "number", init: "string|number", biasInit: "number",
  perUnit: "boolean", norm: "string", residual: "boolean", optimizer: "string", lr: "number", batchSize: "number", steps: "number", seed: "number",
  precision: "string", backend: "string", threads: "number", evalEvery: "number", probes: "probes", alerts: "alerts",
};
const probeFields: { [K in keyof Required<ProbeOptions>]: Kind } = {
  every: "number", schedule: "string", distributionsEvery: "number", distributions: "string", bins: "number", epsilon: "number",
  boundaryEvery: "number", boundaryResolution: "number",
};
const alertFields: { [K in keyof Required<DetectAlertsOptions>]: Kind } = {
  vanishingRatio: "number", explodingNorm: "number", explodingRatio: "number", deadFrac: "number", saturatedFrac: "number",
};

/** Every key a run config may have, in the order of the RunConfig interface. */
export const runConfigKeys = Object.keys(runConfigFields) as (keyof RunConfig)[];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? `string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;

function checkKeys(value: Record<string, unknown>, fields: Record<string, Kind>, where: string): void {
  for (const [key, v] of Object.entries(value)) {
    // own keys only: "constructor" or "toString" are not fields
    if (!Object.hasOwn(fields, key)) throw new RangeError(`unknown ${where} key "${key}" (known: ${Object.keys(fields).join(", ")})`);
    if (v === undefined) continue; // an optional field spelt out as undefined is absent
    checkKind(`${where === "run-config" ? "" : `${where.replace(/^run-config /, "")}.`}${key}`, v, fields[key]!);
  }
}

function checkKind(name: string, v: unknown, kind: Kind): void {
  const fail = (what: string) => {
    throw new RangeError(`run-config key "${name}" must be ${what}, got ${describe(v)}`);
  };
  switch (kind) {
    case "string": if (typeof v !== "string") fail("a string"); break;
    case "number": if (typeof v !== "number") fail("a number"); break;
    case "boolean": if (typeof v !== "boolean") fail("true or false"); break;
    case "string|number": if (typeof v !== "string" && typeof v !== "number") fail("a string or a number"); break;
    case "numbers":
      if (!isPlainObject(v)) fail("an object of numbers, e.g. { alpha: 0.2 }");
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x !== "number") throw new RangeError(`run-config key "${name}.${k}" must be a number, got ${describe(x)}`);
      }
      break;
    case "probes":
      if (!isPlainObject(v)) fail("an object");
      checkKeys(v as Record<string, unknown>, probeFields, "run-config probes");
      break;
    case "alerts":
      if (v === false) break;
      if (!isPlainObject(v)) fail("false or an object of thresholds");
      checkKeys(v as Record<string, unknown>, alertFields, "run-config alerts");
      break;
  }
}

/**
 * Checks that `config` has the shape of a {@link RunConfig}: a plain object whose keys are all known (also
 * inside `probes` and `alerts`) and whose values have the right JSON types. Throws a RangeError naming the
 * first bad key and the known ones, e.g. `unknown run-config key "lrate" (known: run, dataset, …)`.
 * It does not check ranges (`depth: 0`): {@link resolveRunConfig} does that after calling this.
 * Use it on untrusted input (a job payload, a recording's header) before anything is built.
 *
 * @example
 * const config = validateRunConfig(JSON.parse(body)); // throws on { "lrate": 0.1 }
 */
export function validateRunConfig(config: unknown): RunConfig {
  if (!isPlainObject(config)) throw new RangeError(`a run config must be an object, got ${describe(config)}`);
  checkKeys(config, runConfigFields, "run-config");
  return config as RunConfig;
}
