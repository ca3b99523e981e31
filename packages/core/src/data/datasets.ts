import { blobs } from "./blobs.js";
import { circles } from "./circles.js";
import type { Dataset } from "./dataset.js";
import { moons } from "./moons.js";
import { spiral } from "./spiral.js";
import { xor } from "./xor.js";

/**
 * The built-in 2-D data sets by name. Adding one is adding its file and one entry here.
 * @example
 * for (const [name, make] of Object.entries(datasets)) console.log(name, make().n);
 */
export const datasets = Object.freeze({ spiral, moons, circles, xor, blobs });

/** Name of a built-in data set: "spiral", "moons", "circles", "xor" or "blobs". */
export type DatasetName = keyof typeof datasets;

/** The options object the named data set's factory takes. */
export type DatasetOptions<K extends DatasetName> = NonNullable<Parameters<(typeof datasets)[K]>[0]>;

/**
 * Makes a built-in data set by name, e.g. from a CLI flag or a notebook input. Unknown names and options throw.
 * @example
 * const ds = dataset("moons", { n: 200, noise: 0.2, seed: 3 });
 * dataset("foo"); // throws: unknown dataset "foo" (known: spiral, moons, circles, xor, blobs)
 */
export function dataset<K extends DatasetName>(name: K, options?: DatasetOptions<K>): Dataset;
export function dataset(name: string, options?: Record<string, unknown>): Dataset;
export function dataset(name: string, options: object = {}): Dataset {
  if (!Object.hasOwn(datasets, name)) {
    throw new RangeError(`unknown dataset "${name}" (known: ${Object.keys(datasets).join(", ")})`);
  }
  return (datasets[name as DatasetName] as (options: object) => Dataset)(options);
}
