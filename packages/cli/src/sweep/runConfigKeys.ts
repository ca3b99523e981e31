import type { RunConfig } from "@gradscope/stream";

/**
 * The keys a run config may have in a sweep file or a queued job. `run` is the sweep's (each run's id);
 * `digitsUrl` is left out on purpose: a queued job must not make a worker fetch a URL it names.
 */
export const sweepRunConfigKeys = [
  "dataset", "n", "noise", "activation", "params", "depth", "width", "init", "biasInit", "perUnit", "optimizer", "lr",
  "batchSize", "steps", "seed", "precision", "backend", "threads", "evalEvery", "probes", "alerts", "run",
] as const satisfies readonly (keyof RunConfig)[];

const probeKeys = ["every", "distributionsEvery", "distributions", "bins", "epsilon", "boundaryEvery", "boundaryResolution"];
const alertKeys = ["vanishingRatio", "explodingNorm", "explodingRatio", "deadFrac", "saturatedFrac"];

/**
 * Rejects unknown keys of a run config, naming the key (`base.widht: unknown run-config key`). Values are
 * checked afterwards by `resolveRunConfig`. With `keysOnly`, only the top-level keys are looked at.
 */
export function checkRunConfigKeys(config: Record<string, unknown>, where: string, { keysOnly = false } = {}): void {
  for (const key of Object.keys(config)) {
    if (!(sweepRunConfigKeys as readonly string[]).includes(key)) {
      throw new RangeError(`${prefix(where)}${where}.${key}: unknown run-config key (known: ${sweepRunConfigKeys.filter((k) => k !== "run").join(", ")})`);
    }
  }
  if (keysOnly) return;
  const nested = (key: string, known: string[]) => {
    const v = config[key];
    if (v === undefined || v === false) return;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new RangeError(`${prefix(where)}${where}.${key}: expected a mapping`);
    for (const k of Object.keys(v)) if (!known.includes(k)) throw new RangeError(`${prefix(where)}${where}.${key}.${k}: unknown key (known: ${known.join(", ")})`);
  };
  nested("probes", probeKeys);
  nested("alerts", alertKeys);
  const params = config.params;
  if (params !== undefined) {
    if (typeof params !== "object" || params === null || Array.isArray(params)) throw new RangeError(`${prefix(where)}${where}.params: expected a mapping of name → number`);
    for (const [k, v] of Object.entries(params)) if (typeof v !== "number") throw new RangeError(`${prefix(where)}${where}.params.${k}: expected a number`);
  }
}

const prefix = (where: string) => (where.startsWith("job") ? "" : "sweep file: ");
