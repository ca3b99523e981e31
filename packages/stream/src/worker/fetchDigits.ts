import { createRng, decodeDigits, subset, type Dataset } from "@gradscope/core";
import type { TrainOverrides } from "../runConfig.js";

type DigitsLoader = NonNullable<TrainOverrides["loadDigits"]>;

/**
 * Fetches an `encodeDigits` binary (a run's `digitsUrl`) and returns a "digits" loader over it, as
 * `TrainOverrides.loadDigits` expects. Platform-neutral (`fetch`): the browser worker's way to the digits.
 * Any failure – network, HTTP status, a file that is not an `encodeDigits` binary – is an Error naming the URL.
 */
export async function fetchDigits(url: string): Promise<DigitsLoader> {
  const fail = (why: string): never => {
    throw new Error(`could not load the digits from ${url}: ${why}`);
  };
  let bytes: ArrayBuffer | undefined;
  try {
    const response = await fetch(url);
    if (!response.ok) fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    bytes = await response.arrayBuffer();
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("could not load the digits")) throw err;
    fail(err instanceof Error ? err.message : String(err));
  }
  let all: Dataset | undefined;
  try {
    all = decodeDigits(bytes!);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  return digitsLoader(all!, url);
}

/**
 * A "digits" loader drawing from an in-memory set (e.g. a decoded `encodeDigits` binary): for
 * `{perClass, seed}`, a seeded sample of `perClass` examples of every class, rows in a seeded random order.
 * The same set, options and seed always give the same rows. `source` names the set in errors.
 * @internal exported for its test
 */
export function digitsLoader(all: Dataset, source = "the digits"): DigitsLoader {
  const byClass: number[][] = Array.from({ length: all.classes }, () => []);
  for (let i = 0; i < all.n; i++) byClass[all.y[i]!]!.push(i);
  return ({ perClass, seed }) => {
    const smallest = Math.min(...byClass.map((rows) => rows.length));
    if (perClass > smallest) {
      throw new RangeError(
        `${source} holds ${smallest} examples of its smallest class, fewer than the ${perClass} per class asked for (set n to at most ${smallest * all.classes})`,
      );
    }
    const rng = createRng(seed);
    const chosen: number[] = [];
    for (const rows of byClass) chosen.push(...rng.shuffle(Int32Array.from(rows)).subarray(0, perClass));
    return subset(all, rng.shuffle(Int32Array.from(chosen)));
  };
}
