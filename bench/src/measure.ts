import { median } from "@gradscope/stream";
import type { Runner } from "./system.js";

/** Median, min and max of per-run times. */
export interface Stats {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function stats(samples: readonly number[]): Stats {
  return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples) };
}

/**
 * How many runs one sample holds so that it lasts about `targetMs`: a few warm-up runs (JIT, caches),
 * then one timed run to calibrate.
 */
export async function calibrate(runner: Runner, targetMs: number, warmup: number): Promise<number> {
  await runner.sample(warmup);
  const ms = await runner.sample(1);
  return Math.max(1, Math.min(10_000, Math.round(targetMs / Math.max(ms, 1e-3))));
}
