import { runConfigKeys, validateRunConfig } from "@gradscope/stream";

/**
 * Run-config keys a sweep can set or vary. `run` is the sweep's (each run's id); `digitsUrl` is left
 * out on purpose: a queued job must not make a worker fetch a URL it names.
 */
export const sweepRunConfigKeys: readonly string[] = runConfigKeys.filter((k) => k !== "run" && k !== "digitsUrl");

/**
 * Checks a run config from a sweep file or a job with the stream package's `validateRunConfig` (unknown
 * keys, also in probes and alerts, and JSON types), prefixing its message with `where`, and refuses
 * `digitsUrl`. Ranges are checked afterwards by `resolveRunConfig`.
 * @example checkRunConfigKeys({ widht: 16 }, "sweep file: base"); // RangeError: sweep file: base: unknown run-config key "widht" …
 */
export function checkRunConfigKeys(config: Record<string, unknown>, where: string): void {
  try {
    validateRunConfig(config);
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message}`);
  }
  if ("digitsUrl" in config) throw new RangeError(`${where}: digitsUrl is not allowed in a sweep (a worker would fetch the URL a job names); use dataset: digits`);
}

/** Checks an axis key (grid or random): a run-config key a sweep may vary. */
export function checkAxisKey(key: string, where: string): void {
  if (!sweepRunConfigKeys.includes(key)) throw new RangeError(`${where}: unknown run-config key (known: ${sweepRunConfigKeys.join(", ")})`);
}
