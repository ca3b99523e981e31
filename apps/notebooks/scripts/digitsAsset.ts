// The real digits the notebooks train on in the browser, written at build time (never committed) by
// scripts/digits.ts and served by Vite as a static asset from notebooks/public/.
import { fileURLToPath } from "node:url";

/**
 * 300 of each digit, seeded: 3,000 images, 16 + 3,000 × 785 = 2,355,016 bytes. Enough for a notebook's
 * runs of a few thousand batches (2,400 training images after the 80 / 20 split, so every batch of 64 is
 * fresh for 37 steps and the held-out set has 600 images, about 0.04 standard error on the accuracy), and a
 * third of the 7.85 MB the full 10,000 would cost every page load. At most 863 (digit 5 has no more).
 */
export const perClass = 300;
export const seed = 1;
/** Where Vite's publicDir (the notebooks root's public/) picks it up: served and copied to dist as /digits.bin. */
export const digitsFile = fileURLToPath(new URL("../../../notebooks/public/digits.bin", import.meta.url));
/** encodeDigits' size for 10 × perClass images of 28 × 28: header, grey bytes, labels. */
export const digitsBytes = 16 + 10 * perClass * (28 * 28 + 1);
