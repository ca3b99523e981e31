import { resolveRunConfig, type RunConfig } from "@gradscope/stream";
import type { SweepRun } from "../expandSweep.js";
import { checkRunConfigKeys } from "../runConfigKeys.js";
import { isSafeId } from "../runId.js";
import { keepableRows, type KeepableRow, type StopRules } from "../sweepFile.js";
import type { SweepRunRules } from "../trainSweepRun.js";

/** The format tag of a sweep job's data. */
export const JOB_FORMAT = "gradscope-sweep-job/1";

/** What a queued job carries: one run of a sweep, as plain data (never code). */
export interface SweepJob {
  format: typeof JOB_FORMAT;
  /** The submitting gradscope's `@gradscope/cli` version: a worker of another version refuses the job. */
  version: string;
  sweep: string;
  id: string;
  seed: number;
  config: RunConfig;
  stop: StopRules;
  keep: KeepableRow[];
}

const jobKeys = ["format", "version", "sweep", "id", "seed", "config", "stop", "keep"];

/** Builds a run's job data. */
export function sweepJob(run: SweepRun, sweep: string, rules: SweepRunRules, version: string): SweepJob {
  return { format: JOB_FORMAT, version, sweep, id: run.id, seed: run.seed, config: run.config, stop: rules.stop, keep: rules.keep };
}

/** A job a worker will not run; the message says why (printed, and the job's failure reason). */
export class RefusedJob extends Error {
  override name = "RefusedJob";
}

/**
 * Checks a job's data as untrusted input and returns the run and its rules. Refuses (RefusedJob) a
 * payload that is not exactly a sweep job: unknown keys (at the top, in the run config, its probes and
 * alerts, the stop rules), a run id outside the safe set (`../x` would leave the output directory), a
 * config `resolveRunConfig` rejects, or another package version. Nothing in it is evaluated: activation,
 * optimiser and data set are names looked up in fixed tables.
 * @example
 * const { run, rules } = validateJob(job.data, "0.1.0");
 */
export function validateJob(data: unknown, ownVersion: string): { run: SweepRun; rules: SweepRunRules; sweep: string } {
  const refuse = (why: string): never => {
    throw new RefusedJob(why);
  };
  if (typeof data !== "object" || data === null || Array.isArray(data)) refuse("job data is not an object");
  const d = data as Record<string, unknown>;
  for (const key of Object.keys(d)) if (!jobKeys.includes(key)) refuse(`unknown key ${JSON.stringify(key)} in the job`);
  if (d.format !== JOB_FORMAT) refuse(`not a gradscope sweep job (format ${JSON.stringify(d.format)}, expected ${JOB_FORMAT})`);
  if (d.version !== ownVersion) {
    refuse(`submitted by gradscope ${JSON.stringify(d.version)}, this worker runs ${ownVersion}: run a worker of the same version (recordings of two versions would not compare)`);
  }
  if (!isSafeId(d.sweep)) refuse(`sweep name ${JSON.stringify(d.sweep)} is not a safe name`);
  if (!isSafeId(d.id)) refuse(`run id ${JSON.stringify(d.id)} is not a safe name (letters, digits, ".", "_", "=", "-"; no "..")`);
  if (!(d.id as string).startsWith(`${d.sweep as string}.`)) refuse(`run id ${JSON.stringify(d.id)} is not in sweep ${JSON.stringify(d.sweep)}`);
  if (!Number.isInteger(d.seed)) refuse(`seed must be an integer, got ${JSON.stringify(d.seed)}`);
  const config = d.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) refuse("config is not an object");
  try {
    checkRunConfigKeys(config as Record<string, unknown>, "job config");
    resolveRunConfig(config as RunConfig);
  } catch (e) {
    refuse((e as Error).message);
  }
  const c = config as RunConfig;
  if (c.run !== d.id) refuse(`config.run ${JSON.stringify(c.run)} is not the run id`);
  if (c.seed !== d.seed) refuse(`config.seed ${JSON.stringify(c.seed)} is not the job's seed`);
  if (c.steps === Infinity) refuse("config.steps is Infinity: a queued run must end");
  const stop = d.stop;
  if (typeof stop !== "object" || stop === null || Array.isArray(stop)) refuse("stop is not an object");
  for (const [key, v] of Object.entries(stop as object)) {
    if (key !== "targetLoss" && key !== "divergeAbove") refuse(`unknown key ${JSON.stringify(`stop.${key}`)} in the job`);
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) refuse(`stop.${key} must be a positive number`);
  }
  if (!Array.isArray(d.keep) || !d.keep.every((k) => (keepableRows as readonly unknown[]).includes(k))) refuse(`keep must list row types (${keepableRows.join(", ")})`);
  return {
    sweep: d.sweep as string,
    run: { id: d.id as string, point: {}, seed: d.seed as number, config: c },
    rules: { stop: stop as StopRules, keep: d.keep as KeepableRow[] },
  };
}
