import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { cancelKey, QUEUE_NAME } from "./queueConnection.js";

const states = ["waiting", "prioritized", "delayed", "waiting-children", "active", "completed", "failed"] as const;
type State = (typeof states)[number];

/** A sweep's jobs by state, from the queue. */
export interface SweepStatus {
  sweep: string;
  cancelled: boolean;
  counts: Record<State, number>;
  total: number;
  /** Failed jobs with their reason (first 20). */
  failed: { id: string; reason: string }[];
  /** Running jobs with their last progress. */
  active: { id: string; step: number | null; steps: number | null }[];
}

async function jobsOf(queue: Queue, sweep: string, which: readonly State[]): Promise<Map<State, Job[]>> {
  const out = new Map<State, Job[]>();
  for (const state of which) {
    const jobs = await queue.getJobs([state]);
    out.set(state, jobs.filter((j) => j && (j.id ?? "").startsWith(`${sweep}.`)));
  }
  return out;
}

async function withQueue<T>(connect: () => Redis, fn: (queue: Queue, redis: Redis) => Promise<T>): Promise<T> {
  const redis = connect();
  const queue = new Queue(QUEUE_NAME, { connection: redis });
  try {
    return await fn(queue, redis);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/**
 * How far a queued sweep is: its jobs per state, failures with their reasons, running jobs' progress.
 * @example const s = await sweepStatus(connect, "act-depth"); s.counts.completed;
 */
export function sweepStatus(connect: () => Redis, sweep: string): Promise<SweepStatus> {
  return withQueue(connect, async (queue, redis) => {
    const byState = await jobsOf(queue, sweep, states);
    const counts = Object.fromEntries(states.map((s) => [s, byState.get(s)!.length])) as Record<State, number>;
    const progress = (j: Job, key: "step" | "steps") => {
      const v = (j.progress as Record<string, unknown> | number)?.[key as never];
      return typeof v === "number" ? v : null;
    };
    return {
      sweep,
      cancelled: (await redis.exists(cancelKey(sweep))) === 1,
      counts,
      total: states.reduce((n, s) => n + counts[s], 0),
      failed: byState.get("failed")!.slice(0, 20).map((j) => ({ id: j.id!, reason: j.failedReason })),
      active: byState.get("active")!.map((j) => ({ id: j.id!, step: progress(j, "step"), steps: progress(j, "steps") })),
    };
  });
}

/** Puts a sweep's failed jobs back in the queue; returns how many. */
export function retrySweep(connect: () => Redis, sweep: string): Promise<number> {
  return withQueue(connect, async (queue, redis) => {
    await redis.del(cancelKey(sweep));
    const failed = (await jobsOf(queue, sweep, ["failed"])).get("failed")!;
    for (const job of failed) await job.retry("failed");
    return failed.length;
  });
}

/**
 * Cancels a sweep: removes its jobs that have not started, and tells workers (a Redis key they check
 * every second) to stop its running ones, which then fail as "cancelled". Finished jobs stay.
 * Submitting the sweep again un-cancels it. Returns how many jobs were removed.
 */
export function cancelSweep(connect: () => Redis, sweep: string): Promise<{ removed: number; running: number }> {
  return withQueue(connect, async (queue, redis) => {
    await redis.set(cancelKey(sweep), "1");
    const byState = await jobsOf(queue, sweep, ["waiting", "prioritized", "delayed"]);
    let removed = 0;
    for (const jobs of byState.values()) for (const job of jobs) {
      try {
        await job.remove();
        removed++;
      } catch {
        // taken by a worker meanwhile: the cancel key stops it
      }
    }
    const running = (await jobsOf(queue, sweep, ["active"])).get("active")!.length;
    return { removed, running };
  });
}
