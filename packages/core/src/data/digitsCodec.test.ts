import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { decodeDigits, encodeDigits } from "./digitsCodec.js";
import { sameData } from "./testUtils.js";

const grey = (n: number, features: number, classes: number): Dataset => ({
  name: "digits",
  x: Float64Array.from({ length: n * features }, (_, i) => ((i * 37) % 256) / 255),
  y: Int32Array.from({ length: n }, (_, i) => i % classes),
  n,
  features,
  classes,
});

describe("encodeDigits / decodeDigits", () => {
  it("round-trips grey levels k/255 exactly in 16 + n(features + 1) bytes", () => {
    const ds = grey(30, 784, 10);
    const bytes = encodeDigits(ds);
    expect(bytes.length).toBe(16 + 30 * 785);
    expect(sameData(decodeDigits(bytes), ds)).toBe(true);
    expect(sameData(decodeDigits(bytes.slice().buffer), ds)).toBe(true); // an ArrayBuffer, as fetch gives
  });

  it("rounds other values to the nearest level", () => {
    const ds: Dataset = { name: "digits", x: Float64Array.of(0.624, 0.5, 1), y: Int32Array.of(1), n: 1, features: 3, classes: 2 };
    expect(Array.from(decodeDigits(encodeDigits(ds)).x)).toEqual([159 / 255, 128 / 255, 1]);
  });

  it("rejects values outside [0, 1] and damaged input", () => {
    const bad: Dataset = { name: "d", x: Float64Array.of(0, 1.5), y: Int32Array.of(0), n: 1, features: 2, classes: 2 };
    expect(() => encodeDigits(bad)).toThrow("encodeDigits: feature 1 of example 0 is 1.5, not a grey level in [0, 1]");
    const bytes = encodeDigits(grey(2, 4, 2));
    expect(() => decodeDigits(bytes.subarray(0, 20))).toThrow("decodeDigits: expected 26 bytes for 2 × 4, got 20");
    expect(() => decodeDigits(new Uint8Array(26))).toThrow('not an encodeDigits binary (no "GSD1" header)');
    bytes[25] = 7;
    expect(() => decodeDigits(bytes)).toThrow("decodeDigits: label 7 of example 1 is not below classes (2)");
  });
});
