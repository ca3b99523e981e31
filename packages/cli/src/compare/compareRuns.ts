import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { headerRow, recordRows, resolveRunConfig, type Row, type RunConfig } from "@gradscope/stream";
import { trainInWorker } from "@gradscope/stream/node";
import { Subscription } from "rxjs";
import { atomicFile, type AtomicFile } from "../atomicFile.js";
import { describeError } from "../reportError.js";
import { packageVersions } from "../versions.js";

/** One (activation, seed) configuration of a comparison. */
export interface CompareJob {
  activation: string;
  seed: number;
  config: RunConfig;
}

/** What a finished run left: its rows (header excluded) and how it ended. */
export interface FinishedRun {
  job: CompareJob;
  rows: Row[];
  /** Set when the run failed (an exception in the worker). */
  error?: string;
}

/** Options of {@link runPool}. */
export interface PoolOptions {
  /** Runs at once (worker threads). */
  concurrency: number;
  /** Keep each run's NDJSON here as `<activation>-seed<seed>.ndjson`. */
  outDir?: string;
  /** A run's step count so far (for progress bars). */
  onProgress?(index: number, step: number): void;
  onFinished?(index: number, run: FinishedRun): void;
  /** Aborting stops the running runs and starts no more; finished runs are kept. */
  signal?: AbortSignal;
}

/**
 * Runs every job with `trainInWorker` (one worker thread per run) at most `concurrency` at a time, and
 * resolves with the finished runs in job order (unfinished ones left out when aborted).
 */
export function runPool(jobs: CompareJob[], options: PoolOptions): Promise<FinishedRun[]> {
  const { concurrency, outDir, signal } = options;
  if (outDir) mkdirSync(outDir, { recursive: true });
  const results: (FinishedRun | undefined)[] = [];
  const running = new Map<number, Subscription>();
  const files = new Map<number, AtomicFile>(); // the recordings being written (--out)
  let next = 0;
  return new Promise((resolve) => {
    const finish = () => resolve(results.filter((r): r is FinishedRun => r !== undefined));
    const start = () => {
      while (!signal?.aborted && running.size < concurrency && next < jobs.length) launch(next++);
      if (running.size === 0) finish();
    };
    signal?.addEventListener("abort", () => {
      for (const sub of running.values()) sub.unsubscribe();
      for (const file of files.values()) file.abort();
      running.clear();
      finish();
    });
    const launch = (index: number) => {
      const job = jobs[index]!;
      const rows: Row[] = [];
      let rows$ = trainInWorker(job.config);
      // a run that fails or is interrupted leaves an existing file of the same name as it was
      let file: AtomicFile | undefined;
      if (outDir) {
        const header = headerRow({ run: job.config.run ?? job.activation, config: resolveRunConfig(job.config) as unknown as Record<string, unknown>, seed: job.seed, versions: packageVersions() });
        const f = (file = atomicFile(join(outDir, `${job.activation}-seed${job.seed}.ndjson`)));
        files.set(index, f);
        rows$ = rows$.pipe(recordRows((line) => f.write(line), header));
      }
      const done = (error?: string) => {
        if (!running.has(index)) return;
        try {
          if (error === undefined) file?.commit();
        } catch (e) {
          error = describeError(e).line; // e.g. no space left for the recording
        }
        file?.abort();
        files.delete(index);
        running.delete(index);
        const run: FinishedRun = error === undefined ? { job, rows } : { job, rows, error };
        results[index] = run;
        options.onFinished?.(index, run);
        start();
      };
      running.set(index, new Subscription()); // placeholder: rows may arrive before subscribe returns
      const sub = rows$.subscribe({
        next(row) {
          rows.push(row);
          if (row.type === "step") options.onProgress?.(index, row.step);
        },
        error: (e: unknown) => done(describeError(e).line),
        complete: () => done(),
      });
      if (running.has(index)) running.set(index, sub);
    };
    start();
  });
}
