import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { trainWorkerPool } from "@gradscope/stream";
import type { SweepRunSummary } from "../sweepRunSummary.js";
import { sweepRunInThread, sweepThread } from "../sweepRunInThread.js";
import { RefusedJob, validateJob } from "./jobPayload.js";
import { cancelKey, QUEUE_NAME } from "./queueConnection.js";

/** What a worker returns for a finished job: the run's summary and its whole recording, gzipped. */
export interface SweepJobResult {
  summary: SweepRunSummary;
  /** The recording's NDJSON (header first, status row last), gzip, base64. */
  recording: string;
}

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions {
  /** Makes a new Redis connection (the worker takes two: one blocks waiting for jobs). */
  connect(): Redis;
  /** Jobs trained at once, each in its own worker thread. */
  concurrency: number;
  /** This worker's `@gradscope/cli` version: jobs of another version are refused. */
  version: string;
  /** One line per event: started, finished, failed, refused. */
  log(line: string): void;
  /** Lock of a job in ms (renewed every half); a dead worker's jobs go back to the queue after it. Default 4000. */
  lockDuration?: number;
  /** How often (ms) workers look for jobs whose lock expired. Default 2000. */
  stalledInterval?: number;
  /** Progress reports per job at most this often (ms). Default 1000. */
  progressEvery?: number;
}

/**
 * A BullMQ worker that trains sweep jobs. Each job's data is validated as untrusted input
 * (`validateJob`): a bad one is refused — logged, failed without retries, with the reason — and the
 * worker goes on. A valid one trains in a sweep thread (`sweepRunInThread`, which also encodes and gzips the recording), so this event loop stays free
 * to renew the job's lock; its progress (`{step, steps}`) is reported at most every second; the result is
 * the run's summary and its gzipped recording, which the submitting process writes to its `--out`.
 * A cancelled sweep's jobs are refused before they start, and running ones stop within a second.
 * @example
 * const worker = startSweepWorker({ connect: () => new Redis(opts), concurrency: 2, version, log: console.log });
 * await worker.close();
 */
export function startSweepWorker(options: SweepWorkerOptions) {
  const { log, version } = options;
  const control = options.connect();
  // training threads are reused from job to job: starting one costs more than a short run
  const pool = trainWorkerPool(sweepThread);
  let active = 0, lastActive = performance.now();

  const processor = async (job: Job): Promise<SweepJobResult> => {
    let checked;
    try {
      checked = validateJob(job.data, version);
    } catch (e) {
      if (!(e instanceof RefusedJob)) throw e;
      log(`refused job ${JSON.stringify(job.id)}: ${e.message}`);
      throw new UnrecoverableError(`refused: ${e.message}`);
    }
    const { run, rules, sweep } = checked;
    if (job.id !== run.id) {
      log(`refused job ${JSON.stringify(job.id)}: its data names run ${JSON.stringify(run.id)}`);
      throw new UnrecoverableError(`refused: job id ${job.id} is not the run id ${run.id}`);
    }
    if (await control.exists(cancelKey(sweep))) throw new UnrecoverableError(`sweep ${sweep} was cancelled`);
    active++;
    log(`start ${run.id} (pid ${process.pid})`);
    const abort = new AbortController();
    const steps = run.config.steps ?? 500;
    let lastProgress = 0, cancelled = false;
    const watch = setInterval(() => {
      void control.exists(cancelKey(sweep)).then((n) => {
        if (n) {
          cancelled = true;
          abort.abort();
        }
      }, () => {});
    }, 1000);
    try {
      const { summary, gzip } = await sweepRunInThread(run, rules, {
        signal: abort.signal,
        worker: pool.worker,
        onStep(step) {
          const now = performance.now();
          if (now - lastProgress < (options.progressEvery ?? 1000)) return;
          lastProgress = now;
          void job.updateProgress({ step, steps }).catch(() => {});
        },
      });
      const recording = Buffer.from(gzip!.buffer, gzip!.byteOffset, gzip!.byteLength).toString("base64");
      log(`done ${run.id} (${summary.status}, ${summary.steps} steps)`);
      return { summary, recording };
    } catch (e) {
      if (cancelled) {
        log(`cancelled ${run.id}`);
        throw new UnrecoverableError(`sweep ${sweep} was cancelled`);
      }
      log(`failed ${run.id}: ${(e as Error).message}`);
      throw e;
    } finally {
      clearInterval(watch);
      active--;
      lastActive = performance.now();
    }
  };

  const connection = options.connect();
  const worker = new Worker(QUEUE_NAME, processor, {
    connection,
    concurrency: options.concurrency,
    lockDuration: options.lockDuration ?? 4000,
    stalledInterval: options.stalledInterval ?? 2000,
    maxStalledCount: 2,
    drainDelay: 1,
    // finished jobs stay: re-submitting a sweep then adds nothing, and the submitter can still collect
    removeOnComplete: { count: Number.MAX_SAFE_INTEGER },
    removeOnFail: { count: Number.MAX_SAFE_INTEGER },
  });
  worker.on("error", (e) => log(`queue error: ${e.message}`));

  return {
    worker,
    /** Milliseconds since the last job ended (0 while one runs). */
    idleMs: () => (active > 0 ? 0 : performance.now() - lastActive),
    async close() {
      await worker.close();
      pool.close();
      // connections we made are ours to end (BullMQ ends only those it made itself)
      connection.disconnect();
      control.disconnect();
    },
  };
}
