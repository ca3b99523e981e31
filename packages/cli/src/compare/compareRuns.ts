import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { headerRow, recordRows, resolveRunConfig, runRace, type FinishedRaceRun, type RaceJob, type Row, type RunConfig } from "@gradscope/stream";
import { trainInWorker } from "@gradscope/stream/node";
import { Observable } from "rxjs";
import { atomicFile } from "../atomicFile.js";
import { describeError } from "../reportError.js";
import { packageVersions } from "../versions.js";

/** One (activation, seed) configuration of a comparison: a race job whose contender is the activation. */
export type CompareJob = RaceJob & { activation: string };

/** What a finished run left: its rows (header excluded) and, when it failed, the error. */
export type FinishedRun = FinishedRaceRun;

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
 * The race protocol's runner (`runRace`) with one worker thread per run (`trainInWorker`), at most
 * `concurrency` at a time; resolves with the finished runs in job order. With `outDir` each run is recorded
 * through a temporary file renamed into place when the run completes: a run that fails or is interrupted
 * leaves an existing file of the same name as it was.
 */
export function runPool(jobs: CompareJob[], options: PoolOptions): Promise<FinishedRun[]> {
  const { outDir } = options;
  if (outDir) mkdirSync(outDir, { recursive: true });
  return runRace(jobs, { ...options, train: (config, job) => recorded(config, job, outDir) });
}

/** A run's rows, recorded to `outDir` when given; errors carry describeError's one line. */
function recorded(config: RunConfig, job: RaceJob, outDir: string | undefined): Observable<Row> {
  return new Observable<Row>((subscriber) => {
    const fail = (e: unknown) => subscriber.error(new Error(describeError(e).line));
    let rows$ = trainInWorker(config);
    let file: ReturnType<typeof atomicFile> | undefined;
    try {
      if (outDir) {
        const header = headerRow({ run: config.run ?? job.contender, config: resolveRunConfig(config) as unknown as Record<string, unknown>, seed: job.seed, versions: packageVersions() });
        const f = (file = atomicFile(join(outDir, `${job.contender}-seed${job.seed}.ndjson`)));
        rows$ = rows$.pipe(recordRows((line) => f.write(line), header));
      }
    } catch (e) {
      fail(e);
      return;
    }
    const sub = rows$.subscribe({
      next: (row) => subscriber.next(row),
      error: (e: unknown) => {
        file?.abort();
        fail(e);
      },
      complete: () => {
        try {
          file?.commit();
        } catch (e) {
          file?.abort();
          fail(e); // e.g. no space left for the recording
          return;
        }
        subscriber.complete();
      },
    });
    return () => {
      sub.unsubscribe();
      file?.abort(); // after a commit this does nothing
    };
  });
}
