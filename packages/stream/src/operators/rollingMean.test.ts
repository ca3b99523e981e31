import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "../rows.js";
import { rollingMean } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const step = (run: string, s: number, loss: number) =>
  ({ type: "step", run, step: s, loss, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number, l: number, gradNormZ: number) => ({ type: "layer", run: "a", step: s, layer: l, gradNormZ }) as unknown as Row;
const status = { type: "status", run: "a", step: 3, status: "completed" } as Row;

describe("rollingMean", () => {
  it("adds the mean of the last `window` values per run as `${field}Mean`", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("abcde|", { a: step("a", 0, 4), b: step("b", 0, 10), c: step("a", 1, 2), d: step("a", 2, 0), e: status });
      expectObservable(source.pipe(rollingMean("loss", 2))).toBe("abcde|", {
        a: { ...step("a", 0, 4), lossMean: 4 },
        b: { ...step("b", 0, 10), lossMean: 10 },
        c: { ...step("a", 1, 2), lossMean: 3 },
        d: { ...step("a", 2, 0), lossMean: 1 },
        e: status,
      });
    });
  });

  it("keeps one series per layer, and takes a custom key and output name", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("abc|", { a: layer(0, 0, 1), b: layer(0, 1, 5), c: layer(1, 0, 3) });
      expectObservable(source.pipe(rollingMean("gradNormZ", 3))).toBe("abc|", {
        a: { ...layer(0, 0, 1), gradNormZMean: 1 },
        b: { ...layer(0, 1, 5), gradNormZMean: 5 },
        c: { ...layer(1, 0, 3), gradNormZMean: 2 },
      });
      const mixed = cold("abc|", { a: layer(0, 0, 1), b: layer(0, 1, 5), c: layer(1, 0, 3) });
      expectObservable(mixed.pipe(rollingMean("gradNormZ", 3, { key: (row) => row.run, as: "g" }))).toBe("abc|", {
        a: { ...layer(0, 0, 1), g: 1 },
        b: { ...layer(0, 1, 5), g: 3 },
        c: { ...layer(1, 0, 3), g: 3 },
      });
    });
  });

  it("recovers once a NaN has left the window", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("abc|", { a: step("a", 0, NaN), b: step("a", 1, 1), c: step("a", 2, 3) });
      expectObservable(source.pipe(rollingMean("loss", 2))).toBe("abc|", {
        a: { ...step("a", 0, NaN), lossMean: NaN },
        b: { ...step("a", 1, 1), lossMean: NaN },
        c: { ...step("a", 2, 3), lossMean: 2 },
      });
    });
  });
});
