/**
 * The shape of each known row type, checked when a recording is read: a missing field or one of the wrong JSON
 * type is an error naming the line and the field, instead of a TypeError (or a silent NaN) far away in a view.
 * Required fields are those every recording of format "gradscope-rows/1" has; the others are checked when
 * present. Rows of unknown types, and unknown fields, are kept unchecked (newer writers may add them).
 */

type Kind = "number" | "string" | "numbers" | "object";

interface Shape {
  required: Record<string, Kind>;
  optional?: Record<string, Kind>;
}

const n = (...names: string[]): Record<string, Kind> => Object.fromEntries(names.map((k) => [k, "number" as const]));

const base: Record<string, Kind> = { run: "string", step: "number" };

const shapes: Record<string, Shape> = {
  step: { required: n("loss", "accuracy"), optional: n("lr", "ms", "probeMs", "epoch") },
  layer: {
    required: { ...n("layer", "gradNormZ"), activation: "string" },
    optional: {
      name: "string",
      ...n("gradNormW", "gradRmsW", "gradNormB", "gradRmsB", "gradRmsZ", "weightNorm", "updateRatio", "preMean", "preStd",
        "preMin", "preMax", "actMean", "actStd", "actMin", "actMax", "saturatedFrac", "deadCount", "deadFrac", "signAgreement", "alpha"),
    },
  },
  eval: { required: n("loss", "accuracy") },
  alert: { required: { kind: "string", message: "string" }, optional: n("layer", "value", "threshold") },
  status: { required: { status: "string" }, optional: { message: "string", backend: "string", parallelProducts: "number" } },
  bands: { required: { ...n("layer", "p0", "p7", "p16", "p31", "p50", "p69", "p84", "p93", "p100"), of: "string" } },
  histogram: { required: { layer: "number", of: "string", bins: "numbers", counts: "numbers" } },
  boundary: { required: { ...n("resolution", "x0Min", "x0Max", "x1Min", "x1Max"), classes: "numbers" } },
  paused: { required: {} },
  header: { required: { config: "object" }, optional: { format: "string", versions: "object", seed: "number", createdAt: "string" } },
};

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `${typeof v} ${String(v)}`;

function fits(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case "number": return typeof v === "number";
    case "string": return typeof v === "string";
    case "numbers": return Array.isArray(v) && v.every((x) => typeof x === "number");
    case "object": return v !== null && typeof v === "object" && !Array.isArray(v);
  }
}

const words: Record<Kind, string> = { number: "a number", string: "a string", numbers: "an array of numbers", object: "an object" };

/**
 * The problem with a decoded row, or undefined when it has the shape of its type: `a "step" row has no
 * "loss"`, `"loss" of a "step" row must be a number, got string "abc"`.
 */
export function rowProblem(row: Record<string, unknown>): string | undefined {
  const type = row.type as string;
  const shape = shapes[type];
  const required = shape ? { ...base, ...shape.required } : base;
  for (const [field, kind] of Object.entries(required)) {
    if (!(field in row) || row[field] === undefined) return `a${/^[aeiou]/.test(type) ? "n" : ""} "${type}" row has no "${field}"`;
    if (!fits(row[field], kind)) return `"${field}" of a "${type}" row must be ${words[kind]}, got ${describe(row[field])}`;
  }
  for (const [field, kind] of Object.entries(shape?.optional ?? {})) {
    if (field in row && row[field] !== undefined && !fits(row[field], kind)) {
      return `"${field}" of a "${type}" row must be ${words[kind]}, got ${describe(row[field])}`;
    }
  }
  return undefined;
}
