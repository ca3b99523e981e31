import { mkdirSync } from "node:fs";
import { resolveRunConfig, trainWorkerPool, type TrainWorkerPool } from "@gradscope/stream";
import type { SweepRun } from "./expandSweep.js";
import { openRecording, recordingState, removeStaleTemporaries, writeFailure } from "./recordings.js";
import type { SweepRunSummary } from "./sweepRunSummary.js";
import { sweepRunInThread, sweepThread } from "./sweepRunInThread.js";
import type { SweepRunRules } from "./trainSweepRun.js";

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
  /** Runs at once, one worker thread each (a worker trains one run after another). */
  concurrency: number;
  /** Re-run runs that failed before (default: skip them, as finished ones). */
  retryFailed?: boolean;
  onEvent?(event: SweepEvent): void;
  /** Aborting stops the running runs (their temporary files are removed) and starts no more. */
  signal?: AbortSignal;
  /** Sweep threads to use (`trainWorkerPool(sweepThread)`, the caller's: left open); default a pool of this sweep's own, closed at its end. */
  pool?: TrainWorkerPool;
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
 * Runs a sweep on this machine: at most `concurrency` runs at once, each in a sweep thread of a pool
 * (`trainWorkerPool(sweepThread)`: starting a thread costs 0.1–0.2 s from dist/, 0.4–1 s from source, more
 * than a short run's training, so a thread trains run after run and only a failed run's thread is
 * replaced). The thread trains, applies the stop rules, summarises and writes the recording, as it streams,
 * to a temporary file that this thread renames to `outDir/<id>.ndjson` when the run ends; this thread only
 * hands out runs and hears progress. Running it again resumes: finished runs are skipped, failed ones too
 * unless `retryFailed`.
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
  const pool = options.pool ?? trainWorkerPool(sweepThread);
  let next = 0;
  const lane = async () => {
    while (!signal?.aborted && next < todo.length) {
      const run = todo[next++]!;
      options.onEvent?.({ kind: "start", id: run.id, steps: resolveRunConfig(run.config).steps });
      let recording: ReturnType<typeof openRecording> | undefined;
      try {
        recording = openRecording(outDir, run.id); // fails for a directory in the way: this run fails
        const { summary } = await sweepRunInThread(run, rules, {
          path: recording.path,
          target: recording.target,
          onStep: (step) => options.onEvent?.({ kind: "step", id: run.id, step }),
          worker: pool.worker,
          ...(signal ? { signal } : {}),
        });
        // the lane goes on to its next run while the recording is fsynced and renamed (an fsync on the
        // event loop cost ~7 ms a run and held up every other lane's rows meanwhile)
        const committed = recording.commitAsync().then(
          () => {
            result.ran.push(run.id);
            options.onEvent?.({ kind: "done", id: run.id, summary });
          },
          (e: Error) => fail(run.id, e.message),
        );
        commits.push(committed);
      } catch (e) {
        recording?.discard();
        if (signal?.aborted) break;
        fail(run.id, (e as Error).message);
      }
    }
  };
  const commits: Promise<void>[] = [];
  const fail = (id: string, error: string) => {
    writeFailure(outDir, id, error);
    result.failed.push({ id, error });
    options.onEvent?.({ kind: "failed", id, error });
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, lane));
    await Promise.all(commits); // a finished run is kept even when the sweep was interrupted meanwhile
  } finally {
    if (!options.pool) pool.close();
  }
  result.interrupted = signal?.aborted === true;
  return result;
}
