import type { Observable } from "rxjs";
import { createControl, encodeRow, headerRow, resolveRunConfig, type Row, type RunConfig, type StatusRow, type TrainingControl } from "@gradscope/stream";
import { packageVersions } from "../versions.js";
import type { SweepRun } from "./expandSweep.js";
import { sweepRunSummarizer, type SweepRunSummary } from "./sweepRunSummary.js";
import type { KeepableRow, StopRules } from "./sweepFile.js";

/** What a run of a sweep is trained with besides its config. */
export interface SweepRunRules {
  stop: StopRules;
  keep: KeepableRow[];
}

/** Options of {@link trainSweepRun}. */
export interface TrainSweepRunOptions {
  /** Each recorded line (NDJSON, with its "\n"), the header's first, in order. */
  write(line: string): void;
  /** Steps trained so far. */
  onStep?(step: number): void;
  /** Aborting ends the run (the promise rejects with an AbortError). */
  signal?: AbortSignal;
  /**
   * The run's rows, trained under `control`: `train` in a sweep thread (`sweepThread`, off the main thread
   * already), `trainInWorker` to train elsewhere.
   */
  source(config: RunConfig, control: TrainingControl): Observable<Row>;
}

/**
 * Trains one run of a sweep, applies the stop rules and hands every kept row's line to `write` as it
 * arrives: nothing of the run is kept in memory but its summary. Sweeps call it inside a sweep thread
 * (`sweepThread.ts`, with `source` = `train`), so encoding and writing happen there too.
 *
 * Stop rules are applied to the rows, not to the clock, so a run stops at the same step wherever it
 * trains: at the first step whose 20-step moving-average loss reaches `targetLoss` (or whose loss
 * exceeds `divergeAbove`), the worker is told to stop, the rows of later steps it made meanwhile are
 * dropped, and the worker's status row is rewritten to that step, "stopped" ("diverged"), with the reason.
 * @example
 * const summary = await trainSweepRun(run, { stop: {}, keep: ["step", "eval"] }, { write: (l) => out.write(l), source: (config, control) => train(config, { control }) });
 */
export function trainSweepRun(run: SweepRun, rules: SweepRunRules, options: TrainSweepRunOptions): Promise<SweepRunSummary> {
  const config = resolveRunConfig(run.config);
  const summary = sweepRunSummarizer(run.id, { ...(rules.stop.targetLoss !== undefined ? { targetLoss: rules.stop.targetLoss } : {}) });
  const keep = new Set<string>(rules.keep);
  const record = (row: Row) => {
    summary.add(row);
    options.write(`${encodeRow(row)}\n`);
  };
  const header = headerRow({ run: run.id, config: config as unknown as Record<string, unknown>, seed: run.seed, versions: packageVersions() });
  summary.header(header);
  options.write(`${encodeRow(header)}\n`);

  const control = createControl();
  const { targetLoss, divergeAbove } = rules.stop;
  const window: number[] = [];
  let stopAt: { step: number; status: "stopped" | "diverged"; message: string } | undefined;

  return new Promise<SweepRunSummary>((resolve, reject) => {
    const onAbort = () => {
      sub.unsubscribe();
      reject(Object.assign(new Error(`run ${run.id} aborted`), { name: "AbortError" }));
    };
    const rows = options.source(run.config, control);
    const sub = rows.subscribe({
      next(row) {
        if (row.type === "status") {
          const status: StatusRow = stopAt ? { ...row, step: stopAt.step, status: stopAt.status, message: stopAt.message } : row;
          record(status);
          return;
        }
        if (stopAt && row.step > stopAt.step) return; // made after the rule fired, before the worker heard
        if (row.type === "step") {
          options.onStep?.(row.step);
          if (!stopAt) stopAt = checkRules(row.step, row.loss);
        }
        if (keep.has(row.type)) record(row);
      },
      error(e: Error) {
        options.signal?.removeEventListener("abort", onAbort);
        reject(e);
      },
      complete() {
        options.signal?.removeEventListener("abort", onAbort);
        resolve(summary.result());
      },
    });
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });

  function checkRules(step: number, loss: number): typeof stopAt {
    if (divergeAbove !== undefined && loss > divergeAbove) {
      control.stop();
      return { step, status: "diverged", message: `loss ${loss} above divergeAbove ${divergeAbove} at step ${step}` };
    }
    if (targetLoss === undefined) return undefined;
    window.push(loss);
    if (window.length > 20) window.shift();
    const mean = window.reduce((a, b) => a + b, 0) / window.length;
    if (window.length === Math.min(20, config.steps) && mean <= targetLoss && step < config.steps) {
      control.stop();
      return { step, status: "stopped", message: `target loss ${targetLoss} reached at step ${step}` };
    }
    return undefined;
  }
}
