import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { RunScore } from "@gradscope/stream";
import { readNdjson } from "@gradscope/stream/node";
import { inFile } from "../inFile.js";
import { expandSweep, type SweepPoint } from "../sweep/expandSweep.js";
import { failurePath, recordingPath } from "../sweep/recordings.js";
import type { SweepSpec } from "../sweep/sweepFile.js";
import { readManifest } from "../sweep/sweepManifest.js";
import { sweepRunSummarizer, type SweepRunSummary } from "../sweep/sweepRunSummary.js";

/** One run of a sweep as its report reads it: where it stands and, when it has a recording, its scores. */
export interface SweepReportRun {
  id: string;
  point: SweepPoint;
  seed: number;
  /**
   * "finished" (a recording ending in a status row: completed, stopped or diverged – see `summary.status`),
   * "unfinished" (a recording without a status row), "failed" (`<id>.failed.json`), "missing" (neither yet).
   */
  state: "finished" | "unfinished" | "failed" | "missing";
  /** The run's race score and sweep summary (finished and unfinished runs only). */
  score?: RunScore;
  summary?: SweepRunSummary;
  /** Why it failed (failed runs), or its status row's message. */
  message?: string;
}

/** A sweep directory, read for a report: the sweep file, and every run it defines, in the sweep's order. */
export interface SweepReading {
  spec: SweepSpec;
  /** Axes in the sweep file's order (grid, then random), each with its values in that order. */
  axes: { name: string; values: (string | number | boolean)[] }[];
  runs: SweepReportRun[];
  /** Recordings in the directory that are no run of this sweep (ignored). */
  strays: string[];
}

/** Options of {@link readSweep}. */
export interface ReadSweepOptions {
  /** Early stopping's patience in evaluations (default 5). */
  patience?: number;
  /** Called after each run is read (progress). */
  onRun?(done: number, total: number, id: string): void;
  onWarning?(warning: string): void;
}

/**
 * Reads a sweep directory (`sweep.json` and `<id>.ndjson` per run) for a report, one recording at a time
 * and each in one pass: of every run only its race score (`RunScorer`) and summary are kept, so hundreds
 * of runs fit in little memory. Runs the sweep defines but that have no recording are kept as "failed"
 * (with the reason from `<id>.failed.json`) or "missing" (not run yet, or still running).
 * @example
 * const sweep = await readSweep("runs"); sweep.runs.filter((r) => r.state === "missing").length;
 */
export async function readSweep(dir: string, options: ReadSweepOptions = {}): Promise<SweepReading> {
  const spec = readManifest(dir);
  if (!spec) throw new RangeError(`${dir} holds no sweep.json (not a sweep directory)`);
  const planned = expandSweep(spec);
  const axisNames = [...Object.keys(spec.grid), ...Object.keys(spec.random?.axes ?? {})];
  const axes = axisNames.map((name) => ({
    name,
    values: spec.grid[name] ?? [...new Map(planned.map((r) => [JSON.stringify(r.point[name]), r.point[name]!])).values()],
  }));
  const runs: SweepReportRun[] = [];
  for (const [i, run] of planned.entries()) {
    runs.push(await readRun(dir, run.id, run.point, run.seed, spec, options));
    options.onRun?.(i + 1, planned.length, run.id);
  }
  const ids = new Set(planned.map((r) => r.id));
  const strays = readdirSync(dir).filter((f) => f.endsWith(".ndjson") && !f.startsWith(".") && !ids.has(f.slice(0, -".ndjson".length))).sort();
  return { spec, axes, runs, strays };
}

async function readRun(dir: string, id: string, point: SweepPoint, seed: number, spec: SweepSpec, options: ReadSweepOptions): Promise<SweepReportRun> {
  const file = recordingPath(dir, id);
  if (existsSync(file)) {
    const s = sweepRunSummarizer(id, { ...(spec.stop.targetLoss !== undefined ? { targetLoss: spec.stop.targetLoss } : {}), ...(options.patience !== undefined ? { patience: options.patience } : {}) });
    const warn = (w: string) => options.onWarning?.(`${id}.ndjson: ${w}`);
    await inFile(file, async () => {
      for await (const row of readNdjson(file, { onHeader: s.header, onWarning: warn })) s.add(row);
    });
    const summary = s.result();
    return { id, point, seed, state: summary.status === "unfinished" ? "unfinished" : "finished", score: s.score(), summary, message: summary.message };
  }
  if (existsSync(failurePath(dir, id))) {
    const failure = JSON.parse(readFileSync(failurePath(dir, id), "utf8")) as { error?: string };
    return { id, point, seed, state: "failed", message: failure.error ?? "" };
  }
  return { id, point, seed, state: "missing" };
}
