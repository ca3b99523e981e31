import { defer, merge, tap, Subscription, type Observable } from "rxjs";
import type { Row } from "../rows.js";
import { resolveRunConfig, type RunConfig } from "../runConfig.js";
import type { RaceRun } from "./scoreRace.js";

/** A contender: a name and what its runs change in the base config (at least the activation). */
export interface Contender {
  name: string;
  /** Merged over the base config; default `{ activation: name }`. */
  config?: RunConfig;
}

/** One (contender, seed) run of a race. */
export interface RaceJob {
  contender: string;
  seed: number;
  config: RunConfig;
}

/**
 * The race's runs: every contender on seeds `firstSeed … firstSeed + seeds − 1` with the **same step budget**
 * (the base config's, finite), and held-out evaluations often enough for early stopping to find a best
 * step (about 40 per run unless `base.evalEvery` says otherwise). Each config is checked here, so a bad one
 * fails before any run starts.
 * @example raceJobs({ dataset: "moons", steps: 2000 }, ["relu", "elu"], { seeds: 3 }); // 6 jobs
 */
export function raceJobs(base: RunConfig, contenders: readonly (string | Contender)[], options: { seeds: number; firstSeed?: number }): RaceJob[] {
  const steps = resolveRunConfig(base).steps;
  if (!Number.isFinite(steps) || steps < 1) throw new RangeError(`a race needs a finite step budget ≥ 1, got steps ${steps}`);
  const evalEvery = base.evalEvery ?? Math.max(1, Math.round(steps / 40));
  const first = options.firstSeed ?? base.seed ?? 1;
  return contenders.flatMap((c) => {
    const { name, config = { activation: name } } = typeof c === "string" ? { name: c } : c;
    return Array.from({ length: options.seeds }, (_, i) => {
      const seed = first + i;
      const job: RunConfig = { ...base, ...config, steps, evalEvery, seed, run: `${name}-seed${seed}` };
      resolveRunConfig(job);
      return { contender: name, seed, config: job };
    });
  });
}

/** Options of {@link runRace}. */
export interface RunRaceOptions {
  /** Starts one run: `trainInWorker` (browser or `@gradscope/stream/node`), or `train` on this thread. */
  train: (config: RunConfig, job: RaceJob) => Observable<Row>;
  /** Runs at once. Default 2. */
  concurrency?: number;
  /** A run's latest step (for progress bars). */
  onProgress?(index: number, step: number): void;
  /** A run finished (or failed: `error` set). */
  onFinished?(index: number, run: FinishedRaceRun): void;
  /** Aborting stops the running runs and starts no more; finished runs are kept. */
  signal?: AbortSignal;
}

/** A finished run: its rows, and an error message when it failed. */
export interface FinishedRaceRun extends RaceRun {
  job: RaceJob;
  rows: Row[];
  error?: string;
}

/**
 * Runs a race's jobs, `concurrency` at a time (seeds in parallel workers when `train` is trainInWorker),
 * and resolves with the finished runs in job order; aborted runs are left out.
 * @example
 * const runs = await runRace(raceJobs(base, ["relu", "elu"], { seeds: 3 }), { train: (c) => trainInWorker(c), concurrency: 2 });
 * const race = scoreRace(runs);
 */
export function runRace(jobs: readonly RaceJob[], options: RunRaceOptions): Promise<FinishedRaceRun[]> {
  const { concurrency = 2, signal } = options;
  const results: (FinishedRaceRun | undefined)[] = [];
  const running = new Map<number, Subscription>();
  let next = 0;
  return new Promise((resolve) => {
    let resolved = false;
    const finish = () => {
      if (resolved) return;
      resolved = true;
      resolve(results.filter((r): r is FinishedRaceRun => r !== undefined));
    };
    const start = () => {
      while (!signal?.aborted && running.size < concurrency && next < jobs.length) launch(next++);
      if (running.size === 0) finish();
    };
    signal?.addEventListener("abort", () => {
      for (const sub of running.values()) sub.unsubscribe();
      running.clear();
      finish();
    });
    const launch = (index: number) => {
      const job = jobs[index]!;
      const rows: Row[] = [];
      const done = (error?: string) => {
        if (!running.has(index)) return;
        running.delete(index);
        const run: FinishedRaceRun = { job, contender: job.contender, seed: job.seed, rows, ...(error === undefined ? {} : { error }) };
        results[index] = run;
        options.onFinished?.(index, run);
        start();
      };
      running.set(index, new Subscription()); // placeholder: a synchronous source finishes before subscribe returns
      let rows$: Observable<Row>;
      try {
        rows$ = options.train(job.config, job);
      } catch (e) {
        done((e as Error).message);
        return;
      }
      const sub = rows$.subscribe({
        next(row) {
          rows.push(row);
          if (row.type === "step") options.onProgress?.(index, row.step);
        },
        error: (e: Error) => done(e.message),
        complete: () => done(),
      });
      if (running.has(index)) running.set(index, sub);
    };
    start();
  });
}

/** Options of {@link raceRows}. */
export interface RaceRowsOptions {
  /** Starts one run (as in {@link runRace}). */
  train: (config: RunConfig, job: RaceJob) => Observable<Row>;
  /** Runs at once. Default 2. */
  concurrency?: number;
  /** Sees every row as it passes (e.g. to keep the rows a score needs while a live view keeps a window). */
  onRow?: (row: Row) => void;
  /** Called each time the race is subscribed (a restart starts every run again): clear what `onRow` kept. */
  onStart?: () => void;
}

/**
 * A race's runs as one Observable of rows for live views: `concurrency` runs at a time, the next starting
 * when one completes; unsubscribing stops them all. Score the rows with {@link scoreRace} (group them by
 * `job.config.run`).
 * @example
 * const rows$ = raceRows(jobs, { train: (c) => trainInWorker(c, { control }), concurrency: 3, onRow: (r) => all.push(r) });
 */
export function raceRows(jobs: readonly RaceJob[], options: RaceRowsOptions): Observable<Row> {
  const { train, concurrency = 2, onRow, onStart } = options;
  return defer(() => {
    onStart?.();
    const rows$ = merge(...jobs.map((job) => defer(() => train(job.config, job))), Math.max(1, concurrency));
    return onRow ? rows$.pipe(tap(onRow)) : rows$;
  });
}
