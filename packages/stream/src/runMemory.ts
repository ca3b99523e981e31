import type { ResolvedRunConfig } from "./runConfig.js";

/** What {@link resolveRunConfig} lets a run allocate: 2 GiB (typed arrays and WebAssembly memory stay far below their limits). */
export const RUN_MEMORY_BUDGET = 2 ** 31;

/**
 * An upper estimate of the bytes a run allocates, computed from the config alone, before anything is built:
 * parameters with their gradients and up to two optimiser moments (4 copies), the per-layer buffers of a
 * batch (pre-activation, activation and their gradients: 4 × batch × width per layer; z and a of evaluation
 * chunks of 256 rows) and the data (train and held-out sets, features and labels in float64).
 * Inputs and classes are bounded by the data set: 784 and 10 for digits, 2 and 10 for the 2-D sets.
 *
 * @example
 * runMemoryBytes(resolveRunConfig({ depth: 4, width: 32 })) // ≈ 1.6 MB
 */
export function runMemoryBytes(config: Pick<ResolvedRunConfig, "dataset" | "depth" | "width" | "batchSize" | "precision" | "n"> & Partial<Pick<ResolvedRunConfig, "norm">>): number {
  const inputs = config.dataset === "digits" ? 784 : 2;
  const outputs = 10;
  const { depth, width, batchSize } = config;
  const bytes = config.precision === "float64" ? 8 : 4;
  const params = inputs * width + width + (depth - 1) * (width * width + width) + width * outputs + outputs;
  // training: z, a and their gradients per layer; evaluation: z and a, on chunks of up to 256 rows
  // a normalised layer adds the dense product, its gradient and the normalised input x̂: 7 × batch × width
  const perRow = config.norm && config.norm !== "none" ? 7 : 4;
  const buffers = (perRow * batchSize + 2 * 256) * (depth * width + inputs + outputs);
  const n = config.n ?? 2000;
  const data = 2 * n * (inputs + 1) * 8;
  return 4 * params * bytes + buffers * bytes + data;
}

/** `1.5e9` → "1.5 GB". */
export function formatBytes(n: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  if (i === 0) return `${n} bytes`;
  return `${n >= 1000 ? n.toExponential(1) : Number(n.toPrecision(2))} ${units[i]}`; // beyond EB: 4.8e+15 EB
}
