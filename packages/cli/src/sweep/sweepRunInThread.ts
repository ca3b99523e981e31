import { nodeWorker } from "@gradscope/stream/node";
import type { WorkerLike } from "@gradscope/stream";
import type { SweepRun } from "./expandSweep.js";
import type { SweepRunSummary } from "./sweepRunSummary.js";
import type { SweepRunRules } from "./trainSweepRun.js";

/** Main thread → sweep thread. */
export type ToSweepThread =
  /** Train `run`; its recording is appended to `path` (the main thread renames it), or returned gzipped without one. */
  | { type: "run"; run: SweepRun; rules: SweepRunRules; path?: string; target?: string }
  /** Stop the run now and write nothing more; answered by "stopped". */
  | { type: "stop" };

/** Sweep thread → main thread. */
export type FromSweepThread =
  | { type: "step"; step: number }
  | { type: "done"; summary: SweepRunSummary; gzip?: Uint8Array }
  | { type: "error"; name: string; message: string }
  | { type: "stopped" };

/** Starts a sweep thread (`sweepThread.ts`): for a `trainWorkerPool`, one per lane. */
export function sweepThread(): WorkerLike {
  const fromSource = import.meta.url.endsWith(".ts");
  return nodeWorker(new URL(`./sweepThread.${fromSource ? "ts" : "js"}`, import.meta.url), "sweep thread");
}

/** Options of {@link sweepRunInThread}. */
export interface SweepRunInThreadOptions {
  /** The thread to train in (a pool's `worker`); default a new sweep thread. */
  worker?: () => WorkerLike;
  /**
   * Append the recording to this file (an open `atomicFile`'s temporary `path`: the caller commits or
   * discards it); `target` names it in errors. Without `path` the recording comes back gzipped.
   */
  path?: string;
  target?: string;
  /** Steps trained so far, at most every 100 ms. */
  onStep?(step: number): void;
  /** Aborting stops the run; the promise rejects with an AbortError once the thread has stopped writing. */
  signal?: AbortSignal;
}

/**
 * Trains one run of a sweep in a sweep thread: the same rows, stop rules and summary as `trainSweepRun`
 * (which runs there), with the recording encoded and written by the thread. Resolves with the summary
 * (and the gzipped recording when no `path` was given); a failed run rejects with the thread's error.
 * @example
 * const rec = openRecording(dir, run.id);
 * const { summary } = await sweepRunInThread(run, rules, { path: rec.path, target: rec.target, worker: pool.worker });
 * await rec.commitAsync();
 */
export function sweepRunInThread(run: SweepRun, rules: SweepRunRules, options: SweepRunInThreadOptions = {}): Promise<{ summary: SweepRunSummary; gzip?: Uint8Array }> {
  const worker = (options.worker ?? sweepThread)();
  const { signal } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void, keep: boolean) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (keep && worker.release) worker.release();
      else worker.terminate();
      f();
    };
    const aborted = () => Object.assign(new Error(`run ${run.id} aborted`), { name: "AbortError" });
    // the thread writes to `path` until it says it stopped: only then may the caller remove the file
    let stopping = false;
    const onAbort = () => {
      stopping = true;
      worker.postMessage({ type: "stop" } satisfies ToSweepThread);
    };
    worker.listen({
      message(data) {
        const m = data as FromSweepThread;
        if (m.type === "step") options.onStep?.(m.step);
        else if (m.type === "done") settle(() => resolve(m.gzip ? { summary: m.summary, gzip: m.gzip } : { summary: m.summary }), true);
        // a "stopped" this run did not ask for answers an abort that came as the thread's previous run ended
        else if (m.type === "stopped") void (stopping && settle(() => reject(aborted()), true));
        else settle(() => reject(Object.assign(new Error(m.message), { name: m.name })), false);
      },
      error: (e) => settle(() => reject(signal?.aborted ? aborted() : e), false),
    });
    const message: ToSweepThread = { type: "run", run, rules, ...(options.path !== undefined ? { path: options.path } : {}), ...(options.target !== undefined ? { target: options.target } : {}) };
    worker.postMessage(message);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
