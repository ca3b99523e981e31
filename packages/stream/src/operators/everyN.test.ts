import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "../rows.js";
import { everyN } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const step = (s: number) => ({ type: "step", run: "a", step: s, loss: 1, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number) => ({ type: "layer", run: "a", step: s, layer: 0 }) as unknown as Row;

describe("everyN", () => {
  it("keeps rows whose step is a multiple of n, step 0 included", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: step(0), b: step(1), c: step(2), d: step(3), e: step(4) };
      expectObservable(cold("abcde|", values).pipe(everyN(2))).toBe("a-c-e|", values);
    });
  });

  it("thins only the given types and passes the others through", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: step(1), b: layer(1), c: step(2), d: layer(2), e: layer(3) };
      expectObservable(cold("abcde|", values).pipe(everyN(2, { type: "layer" }))).toBe("a-cd-|", values);
    });
  });

  it("rejects a non-positive or fractional n", () => {
    expect(() => everyN(0)).toThrow(RangeError);
    expect(() => everyN(1.5)).toThrow(RangeError);
  });
});
