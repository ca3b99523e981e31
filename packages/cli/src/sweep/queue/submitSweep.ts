import { mkdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { resolveRunConfig } from "@gradscope/stream";
import type { SweepRun } from "../expandSweep.js";
import { recordingState, removeStaleTemporaries, writeFailure, writeRecording } from "../recordings.js";
import { isSafeId } from "../runId.js";
import type { SweepEvent } from "../runLocalSweep.js";
import type { SweepRunRules } from "../trainSweepRun.js";
import { sweepJob } from "./jobPayload.js";
import { cancelKey, QUEUE_NAME } from "./queueConnection.js";
import type { SweepJobResult } from "./sweepWorker.js";

/** Options of {@link submitSweep}. */
export interface SubmitOptions extends SweepRunRules {
  sweep: string;
  /** Makes a new Redis connection. */
  connect(): Redis;
  /** The submitter writes every finished run's recording here (`<id>.ndjson`, temp file + rename). */
  outDir: string;
  version: string;
  retryFailed?: boolean;
  /** Wait for the runs and write their recordings (default); false: submit and return. */
  wait?: boolean;
  onEvent?(event: SweepEvent): void;
  /** Aborting stops waiting; the queued runs go on on the workers. */
  signal?: AbortSignal;
  /** Attempts per job (a training exception is retried with backoff). Default 3. */
  attempts?: number;
}

/** What a submission did. */
export interface SubmitResult {
  /** Jobs added to the queue now (runs with no job yet). */
  added: number;
  /** Runs skipped because DIR already holds their recording (or failure, without retryFailed). */
  skipped: string[];
  /** Recordings written now. */
  written: string[];
  failed: { id: string; error: string }[];
  /** Runs still queued or running when the submitter stopped waiting. */
  pending: string[];
}

/**
 * Submits a sweep to BullMQ and, unless `wait: false`, collects it: every run without a recording in
 * `outDir` gets a job whose id is the run id (BullMQ adds nothing for an id it already holds, finished
 * jobs included: re-submitting is a no-op, and resuming is submitting again); runs whose job already
 * finished are written at once from the job's result; failed jobs are retried only with `retryFailed`.
 * Then each run's recording is written as its job completes (temp file + rename) and failures are
 * noted in `<id>.failed.json`, as the local pool does.
 * @example
 * await submitSweep(runs, { sweep: spec.name, connect, outDir: "out", version, stop: spec.stop, keep: spec.keep });
 */
export async function submitSweep(runs: SweepRun[], options: SubmitOptions): Promise<SubmitResult> {
  const { outDir, sweep } = options;
  mkdirSync(outDir, { recursive: true });
  removeStaleTemporaries(outDir);
  const result: SubmitResult = { added: 0, skipped: [], written: [], failed: [], pending: [] };
  const connection = options.connect();
  const queue = new Queue(QUEUE_NAME, { connection });
  const eventsConnection = options.wait === false ? null : options.connect();
  const events = eventsConnection ? new QueueEvents(QUEUE_NAME, { connection: eventsConnection }) : null;
  const pending = new Map<string, SweepRun>();
  const emit = (e: SweepEvent) => options.onEvent?.(e);
  try {
    await connection.del(cancelKey(sweep)); // submitting again un-cancels
    if (events) await events.waitUntilReady();

    const finish = async (id: string): Promise<boolean> => {
      if (!pending.has(id)) return false;
      // the state first, then the job: a job read before it completed would have no result yet
      const state = await queue.getJobState(id);
      if (state !== "completed" && state !== "failed") return false;
      const job = await queue.getJob(id);
      if (!job || !pending.has(id)) return false;
      if (state === "completed") {
        const value = job.returnvalue as SweepJobResult | null;
        if (!isSafeId(job.id) || job.id !== id || !value || typeof value.recording !== "string") throw new Error(`job ${id}: its result is not a recording`);
        writeRecording(outDir, id, gunzipSync(Buffer.from(value.recording, "base64")).toString("utf8"));
        pending.delete(id);
        result.written.push(id);
        emit({ kind: "done", id, summary: value.summary });
        return true;
      }
      if (state === "failed") {
        const error = job.failedReason || "failed";
        writeFailure(outDir, id, error);
        pending.delete(id);
        result.failed.push({ id, error });
        emit({ kind: "failed", id, error });
        return true;
      }
      return false;
    };

    // what is there already
    const toAdd: SweepRun[] = [];
    for (const run of runs) {
      const local = recordingState(outDir, run.id);
      if (local === "finished" || (local === "failed" && !options.retryFailed)) {
        result.skipped.push(run.id);
        emit({ kind: "skipped", id: run.id });
        continue;
      }
      pending.set(run.id, run);
      const job = await queue.getJob(run.id);
      if (!job) toAdd.push(run);
      else if (options.retryFailed && (await job.getState()) === "failed") await job.retry("failed");
    }
    const rules = { stop: options.stop, keep: options.keep };
    for (let i = 0; i < toAdd.length; i += 500) {
      const added = await queue.addBulk(toAdd.slice(i, i + 500).map((run) => ({
        name: "run",
        data: sweepJob(run, sweep, rules, options.version),
        opts: {
          jobId: run.id, attempts: options.attempts ?? 3, backoff: { type: "exponential", delay: 1000 },
          removeOnComplete: false, removeOnFail: false,
        },
      })));
      result.added += added.length;
    }
    if (!events) {
      result.pending = [...pending.keys()];
      return result;
    }

    // collect: events as they come, and a look at every pending job now and every few seconds
    // (an event between our first look and the subscription would otherwise be missed)
    const stepsOf = (id: string) => resolveRunConfig(pending.get(id)?.config).steps;
    const started = new Set<string>();
    let wake: () => void = () => {};
    const check = async (id: string) => {
      if (!pending.has(id)) return;
      if (await finish(id)) wake();
    };
    events.on("active", ({ jobId }) => {
      if (pending.has(jobId) && !started.has(jobId)) {
        started.add(jobId);
        emit({ kind: "start", id: jobId, steps: stepsOf(jobId) });
      }
    });
    events.on("progress", ({ jobId, data }) => {
      if (!pending.has(jobId)) return;
      if (!started.has(jobId)) {
        started.add(jobId);
        emit({ kind: "start", id: jobId, steps: stepsOf(jobId) });
      }
      const step = (data as { step?: unknown }).step;
      if (typeof step === "number") emit({ kind: "step", id: jobId, step });
    });
    let failure: unknown;
    const onFinal = ({ jobId }: { jobId: string }) => void check(jobId).catch((e) => { failure = e; wake(); });
    events.on("completed", onFinal);
    events.on("failed", onFinal);
    for (const id of [...pending.keys()]) await check(id);
    while (pending.size > 0 && !options.signal?.aborted && failure === undefined) {
      const timedOut = await new Promise<boolean>((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          resolve(value);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(true), 3000);
        wake = () => done(false);
        options.signal?.addEventListener("abort", onAbort, { once: true });
      });
      // the safety net: only when no event came for a while
      if (timedOut && !options.signal?.aborted) for (const id of [...pending.keys()]) await check(id);
    }
    if (failure !== undefined) throw failure;
    result.pending = [...pending.keys()];
    return result;
  } finally {
    await events?.close();
    await queue.close();
    eventsConnection?.disconnect();
    connection.disconnect();
  }
}
