import type { WorkerLike } from "./trainInWorker.js";

/** A pool of training workers: `worker` is a `trainInWorker` `worker` option; `close()` ends them all. */
export interface TrainWorkerPool {
  /** A worker for one run: an idle one of the pool, or a newly started one. */
  worker(): WorkerLike;
  /** Workers started so far (for tests and benches: reuse keeps this at the runs' concurrency). */
  readonly started: number;
  /** Terminates the idle workers, and each busy one as its run ends. Idempotent. */
  close(): void;
}

type Handlers = Parameters<WorkerLike["listen"]>[0];

/**
 * Reuses training workers across runs. Starting a worker costs far more than a short run (loading the
 * training modules: 0.4–1 s a worker from TypeScript source on a busy 2-core machine, against 20–50 ms
 * for a 200-step run), so a sweep of many short runs should start one worker per concurrent run, not one
 * per run. A run that completes hands its worker back (`release`); a failed, crashed or unsubscribed run's
 * worker is terminated, and the next run starts a fresh one.
 * @example
 * const pool = trainWorkerPool(nodeTrainWorker); // from "@gradscope/stream/node"
 * for (const config of configs) await lastValueFrom(trainInWorker(config, { worker: pool.worker }));
 * pool.close();
 */
export function trainWorkerPool(start: () => WorkerLike): TrainWorkerPool {
  interface Entry {
    raw: WorkerLike;
    /** The handlers of the run using it now (none while idle). */
    current: Handlers | undefined;
    /** It failed or exited: never handed out again. */
    dead: boolean;
  }
  const idle: Entry[] = [];
  let started = 0;
  let closed = false;

  const startOne = (): Entry => {
    const entry: Entry = { raw: start(), current: undefined, dead: false };
    started++;
    entry.raw.listen({
      message: (data) => entry.current?.message(data),
      error(error) {
        entry.dead = true;
        const i = idle.indexOf(entry);
        if (i >= 0) idle.splice(i, 1);
        entry.current?.error(error);
      },
    });
    return entry;
  };

  return {
    get started() {
      return started;
    },
    worker(): WorkerLike {
      if (closed) throw new Error("trainWorkerPool: the pool is closed");
      const entry = idle.pop() ?? startOne();
      let done = false;
      const finish = (keep: boolean) => {
        if (done) return;
        done = true;
        entry.current = undefined;
        if (keep && !closed && !entry.dead) idle.push(entry);
        else entry.raw.terminate();
      };
      return {
        postMessage: (message) => entry.raw.postMessage(message),
        listen: (handlers) => void (entry.current = handlers),
        terminate: () => finish(false),
        release: () => finish(true),
      };
    },
    close() {
      closed = true;
      for (const entry of idle.splice(0)) entry.raw.terminate();
    },
  };
}
