import { mkdirSync } from "node:fs";
import { resolveRunConfig } from "@gradscope/stream";
import type { SweepRun } from "./expandSweep.js";
import { openRecording, recordingState, removeStaleTemporaries, writeFailure } from "./recordings.js";
import type { SweepRunSummary } from "./sweepRunSummary.js";
import { trainSweepRun, type SweepRunRules } from "./trainSweepRun.js";

/** What happens to the runs of a sweep, for progress displays. */
export type SweepEvent =
  | { kind: "skipped"; id: string }
  | { kind: "start"; id: string; steps: number }
  | { kind: "step"; id: string; step: number }
  | { kind: "done"; id: string; summary: SweepRunSummary }
  | { kind: "failed"; id: string; error: string };

/** Options of {@link runLocalSweep}. */
export interface LocalSweepOptions extends SweepRunRules {
  /** Recordings go to `outDir/<id>.ndjson`. */
  outDir: string;
  /** Runs at once, one worker thread each. */
  concurrency: number;
  /** Re-run runs that failed before (default: skip them, as finished ones). */
  retryFailed?: boolean;
  onEvent?(event: SweepEvent): void;
  /** Aborting stops the running runs (their temporary files are removed) and starts no more. */
  signal?: AbortSignal;
}

/** What a local sweep did. */
export interface LocalSweepResult {
  /** Runs trained now, in the order they finished. */
  ran: string[];
  /** Runs skipped: finished before (or failed before, without `retryFailed`). */
  skipped: string[];
  failed: { id: string; error: string }[];
  interrupted: boolean;
}

/**
 * Runs a sweep on this machine: at most `concurrency` runs at once, each in its own worker thread,
 * each recorded as it streams to a temporary file that is renamed to `outDir/<id>.ndjson` when the run
 * ends. Running it again resumes: finished runs are skipped, failed ones too unless `retryFailed`.
 * @example
 * await runLocalSweep(expandSweep(spec), { outDir: "out", concurrency: 2, stop: spec.stop, keep: spec.keep });
 */
export async function runLocalSweep(runs: SweepRun[], options: LocalSweepOptions): Promise<LocalSweepResult> {
  const { outDir, concurrency, signal } = options;
  mkdirSync(outDir, { recursive: true });
  removeStaleTemporaries(outDir);
  const result: LocalSweepResult = { ran: [], skipped: [], failed: [], interrupted: false };
  const todo = runs.filter((run) => {
    const state = recordingState(outDir, run.id);
    const skip = state === "finished" || (state === "failed" && !options.retryFailed);
    if (skip) {
      result.skipped.push(run.id);
      options.onEvent?.({ kind: "skipped", id: run.id });
    }
    return !skip;
  });
  const rules = { stop: options.stop, keep: options.keep };
  let next = 0;
  const lane = async () => {
    while (!signal?.aborted && next < todo.length) {
      const run = todo[next++]!;
      const recording = openRecording(outDir, run.id);
      options.onEvent?.({ kind: "start", id: run.id, steps: resolveRunConfig(run.config).steps });
      try {
        const summary = await trainSweepRun(run, rules, {
          write: recording.write,
          onStep: (step) => options.onEvent?.({ kind: "step", id: run.id, step }),
          ...(signal ? { signal } : {}),
        });
        recording.commit();
        result.ran.push(run.id);
        options.onEvent?.({ kind: "done", id: run.id, summary });
      } catch (e) {
        recording.discard();
        if (signal?.aborted) break;
        const error = (e as Error).message;
        writeFailure(outDir, run.id, error);
        result.failed.push({ id: run.id, error });
        options.onEvent?.({ kind: "failed", id: run.id, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, lane));
  result.interrupted = signal?.aborted === true;
  return result;
}
