import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import type { RunConfig } from "@gradscope/stream";
import { checkAxisKey as checkRunConfigAxis, checkRunConfigKeys } from "./runConfigKeys.js";
import { checkSafeId } from "./runId.js";

/** A random axis: values drawn per sample from one law. */
export type RandomLaw =
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { choice: (string | number | boolean)[] };

/** Row types a sweep can keep in its recordings (header and status rows are always kept). */
export const keepableRows = ["step", "layer", "eval", "alert", "bands", "histogram", "boundary"] as const;
export type KeepableRow = (typeof keepableRows)[number];

/** When a run ends before its step budget. */
export interface StopRules {
  /** Stop ("stopped", message "target loss reached") once the 20-step moving average of the loss is ≤ this. */
  targetLoss?: number;
  /** Stop with status "diverged" once the loss exceeds this (NaN and ±Infinity always end a run as diverged). */
  divergeAbove?: number;
}

/**
 * A sweep file, checked (see {@link parseSweepFile}): every run is `base` with one grid point (× one
 * random draw) and one seed, trained for `steps`.
 */
export interface SweepSpec {
  /** Names the sweep: the prefix of its run ids and its name on a queue. Safe characters only. */
  name: string;
  /** The run config every run starts from. */
  base: RunConfig;
  /** Grid axes: run-config key → the values to try (every combination is run). */
  grid: Record<string, (string | number | boolean)[]>;
  /** Random axes: `count` draws (seeded) of every axis, crossed with the grid. */
  random?: { count: number; seed: number; axes: Record<string, RandomLaw> };
  /** Seeds every point runs with. */
  seeds: number[];
  /** Step budget of every run (default: base.steps, else 500). */
  steps?: number;
  stop: StopRules;
  /** Row types kept in recordings; default all. */
  keep: KeepableRow[];
}

const topKeys = ["name", "base", "grid", "random", "seeds", "steps", "stop", "keep"];

/** A problem in a sweep file, naming the key: printed as one line, exit 2. */
export class SweepFileError extends RangeError {
  override name = "SweepFileError";
}

const fail = (key: string, message: string): never => {
  throw new SweepFileError(`sweep file: ${key}: ${message}`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/**
 * Reads and checks a sweep file, YAML (`.yaml`, `.yml`) or JSON (`.json`; the same keys).
 * @example
 * const spec = loadSweepFile("act-depth.yaml"); // throws SweepFileError "sweep file: grid.depth: …"
 */
export function loadSweepFile(path: string): SweepSpec {
  const text = readFileSync(path, "utf8");
  const ext = extname(path).toLowerCase();
  return parseSweepFile(text, ext === ".json" ? "json" : "yaml");
}

/**
 * Parses and checks a sweep's text. Every error names the key (`grid.depth`, `base.widht`, `seeds[2]`).
 * @example
 * parseSweepFile("name: a\nbase: {steps: 300}\ngrid: {activation: [relu, elu]}\nseeds: [1, 2]", "yaml");
 */
export function parseSweepFile(text: string, format: "yaml" | "json"): SweepSpec {
  let raw: unknown;
  try {
    raw = format === "json" ? JSON.parse(text) : parseYaml(text, { schema: "core", uniqueKeys: true });
  } catch (e) {
    throw new SweepFileError(`sweep file: not valid ${format.toUpperCase()}: ${(e as Error).message.split("\n")[0]}`);
  }
  return checkSweep(raw);
}

/** Checks a parsed sweep object (see {@link SweepSpec}). */
export function checkSweep(raw: unknown): SweepSpec {
  if (!isPlainObject(raw)) fail("(top level)", "expected a mapping with name, base, grid, seeds");
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!topKeys.includes(key)) fail(key, `unknown key (known: ${topKeys.join(", ")})`);

  if (typeof o.name !== "string") fail("name", "required, a string such as act-depth");
  checkSafeId(o.name as string, "sweep file: name");

  const base = o.base ?? {};
  if (!isPlainObject(base)) fail("base", "expected a mapping of run-config keys");
  checkRunConfigKeys(base as Record<string, unknown>, "sweep file: base");
  if ("run" in (base as object)) fail("base.run", "set by the sweep (each run's id)");
  if ("seed" in (base as object)) fail("base.seed", "use seeds: [..] at the top level");

  const grid = o.grid ?? {};
  if (!isPlainObject(grid)) fail("grid", "expected a mapping of run-config key → list of values");
  for (const [key, values] of Object.entries(grid as object)) {
    checkAxisKey(key, `grid.${key}`);
    if (!Array.isArray(values) || values.length === 0) fail(`grid.${key}`, "expected a non-empty list of values");
    (values as unknown[]).forEach((v, i) => { if (!isScalar(v)) fail(`grid.${key}[${i}]`, `expected a number, string or boolean, got ${JSON.stringify(v)}`); });
    if (new Set((values as unknown[]).map(String)).size !== (values as unknown[]).length) fail(`grid.${key}`, "a value is listed twice");
  }

  const random = o.random === undefined ? undefined : checkRandom(o.random, Object.keys(grid as object));

  let seeds: number[];
  if (o.seeds === undefined) seeds = [1];
  else if (typeof o.seeds === "number") {
    if (!Number.isInteger(o.seeds) || o.seeds < 1) fail("seeds", `expected a positive count or a list of integers, got ${o.seeds}`);
    seeds = Array.from({ length: o.seeds as number }, (_, i) => i + 1);
  } else if (Array.isArray(o.seeds) && o.seeds.length > 0) {
    seeds = o.seeds.map((s, i) => (Number.isInteger(s) ? (s as number) : fail(`seeds[${i}]`, `expected an integer, got ${JSON.stringify(s)}`)));
    if (new Set(seeds).size !== seeds.length) fail("seeds", "a seed is listed twice");
  } else seeds = fail("seeds", "expected a positive count or a non-empty list of integers");

  if (o.steps !== undefined && !(Number.isInteger(o.steps) && (o.steps as number) >= 1)) fail("steps", `expected a positive integer, got ${JSON.stringify(o.steps)}`);

  const stop: StopRules = {};
  if (o.stop !== undefined) {
    if (!isPlainObject(o.stop)) fail("stop", "expected a mapping (targetLoss, divergeAbove)");
    for (const [key, v] of Object.entries(o.stop as object)) {
      if (key !== "targetLoss" && key !== "divergeAbove") fail(`stop.${key}`, "unknown key (known: targetLoss, divergeAbove)");
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) fail(`stop.${key}`, `expected a positive number, got ${JSON.stringify(v)}`);
      stop[key as keyof StopRules] = v as number;
    }
  }

  let keep: KeepableRow[] = [...keepableRows];
  if (o.keep !== undefined) {
    if (!Array.isArray(o.keep)) fail("keep", `expected a list of row types (${keepableRows.join(", ")})`);
    keep = (o.keep as unknown[]).map((k, i) =>
      (keepableRows as readonly unknown[]).includes(k) ? (k as KeepableRow) : fail(`keep[${i}]`, `unknown row type ${JSON.stringify(k)} (known: ${keepableRows.join(", ")})`));
  }

  const spec: SweepSpec = { name: o.name as string, base: base as RunConfig, grid: grid as SweepSpec["grid"], seeds, stop, keep };
  if (random) spec.random = random;
  if (o.steps !== undefined) spec.steps = o.steps as number;
  return spec;
}

function checkAxisKey(key: string, where: string): void {
  if (key === "run" || key === "seed") fail(where, key === "seed" ? "use seeds: [..] at the top level" : "set by the sweep");
  checkRunConfigAxis(key, `sweep file: ${where}`);
}

function checkRandom(raw: unknown, gridKeys: string[]): NonNullable<SweepSpec["random"]> {
  if (!isPlainObject(raw)) fail("random", "expected a mapping with count, seed, axes");
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!["count", "seed", "axes"].includes(key)) fail(`random.${key}`, "unknown key (known: count, seed, axes)");
  if (!Number.isInteger(r.count) || (r.count as number) < 1) fail("random.count", `expected a positive integer, got ${JSON.stringify(r.count)}`);
  const seed = r.seed ?? 1;
  if (!Number.isInteger(seed)) fail("random.seed", `expected an integer, got ${JSON.stringify(seed)}`);
  if (!isPlainObject(r.axes) || Object.keys(r.axes).length === 0) fail("random.axes", "expected a mapping of run-config key → law");
  const axes: Record<string, RandomLaw> = {};
  for (const [key, law] of Object.entries(r.axes as object)) {
    const where = `random.axes.${key}`;
    checkAxisKey(key, where);
    if (gridKeys.includes(key)) fail(where, "already a grid axis");
    if (!isPlainObject(law) || Object.keys(law).length !== 1) fail(where, "expected one of {uniform: [lo, hi]}, {logUniform: [lo, hi]}, {choice: [..]}");
    const [kind, arg] = Object.entries(law as object)[0]!;
    if (kind === "uniform" || kind === "logUniform") {
      const ok = Array.isArray(arg) && arg.length === 2 && arg.every((v) => typeof v === "number" && Number.isFinite(v)) && arg[0] < arg[1];
      if (!ok) fail(`${where}.${kind}`, `expected [low, high] with low < high, got ${JSON.stringify(arg)}`);
      if (kind === "logUniform" && arg[0] <= 0) fail(`${where}.logUniform`, "bounds must be positive");
      axes[key] = { [kind]: arg } as RandomLaw;
    } else if (kind === "choice") {
      if (!Array.isArray(arg) || arg.length === 0 || !arg.every(isScalar)) fail(`${where}.choice`, "expected a non-empty list of values");
      axes[key] = { choice: arg };
    } else fail(`${where}.${kind}`, "unknown law (known: uniform, logUniform, choice)");
  }
  return { count: r.count as number, seed: seed as number, axes };
}
