import { Redis } from "ioredis";
import type { RedisTarget } from "./redisUrl.js";

/** The BullMQ queue every sweep's runs go to; a run's job id is its run id (which names its sweep). */
export const QUEUE_NAME = "gradscope-sweeps";

/** Redis key that tells workers a sweep was cancelled (set by `sweep cancel`, cleared by a new submission). */
export const cancelKey = (sweep: string) => `gradscope:cancelled:${sweep}`;

/**
 * A new ioredis connection to the target. BullMQ objects each get their own (workers and queue events
 * block on theirs). Connection errors are remembered, not printed by ioredis: `lastError()` gives the
 * latest, for a clear message when a command fails.
 */
export function connect(target: RedisTarget): { redis: Redis; lastError(): Error | undefined } {
  const redis = new Redis({ ...target.options, lazyConnect: false });
  let last: Error | undefined;
  redis.on("error", (e: Error) => { last = e; });
  return { redis, lastError: () => last };
}

/** Waits until the connection is ready, or fails with one line naming the (redacted) URL. */
export async function ready(redis: Redis, target: RedisTarget, lastError: () => Error | undefined): Promise<void> {
  try {
    await redis.ping();
  } catch (e) {
    const cause = lastError() ?? (e as Error);
    throw new QueueError(`cannot reach the queue at ${target.display}: ${cause.message}${certificateHint(target, cause)}`);
  }
}

/** A queue that cannot be reached or used: printed as one line, exit 2. */
export class QueueError extends Error {
  override name = "QueueError";
}

/** For a TLS certificate Node does not trust: how to give it the CA that signed the server's certificate. */
function certificateHint(target: RedisTarget, cause: Error): string {
  const code = (cause as NodeJS.ErrnoException).code ?? "";
  if (target.options.tls === undefined || !/CERT|certificate/i.test(`${code} ${cause.message}`)) return "";
  return " (signed by a private CA? give its PEM file: NODE_EXTRA_CA_CERTS=ca.pem gradscope …)";
}
