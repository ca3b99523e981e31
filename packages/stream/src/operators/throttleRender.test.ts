import { from, range, map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "../rows.js";
import { throttleRender } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const step = (s: number) => ({ type: "step", run: "a", step: s, loss: 1, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number, l: number) => ({ type: "layer", run: "a", step: s, layer: l }) as unknown as Row;
const alert = (s: number) => ({ type: "alert", run: "a", step: s, kind: "dead", message: "dead units" }) as Row;
const status = (s: number) => ({ type: "status", run: "a", step: s, status: "completed" }) as Row;

describe("throttleRender", () => {
  it("emits the rows since the last frame as one batch, keeping only the latest layer row per layer", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: step(1), b: layer(1, 0), c: layer(1, 1), d: step(2), e: layer(2, 0), f: alert(2), g: step(3) };
      const source = cold("abcdef 20ms g|", values);
      // first batch at 10 ms: layer(1, 0) was replaced by layer(2, 0), which takes its arrival place
      expectObservable(source.pipe(throttleRender(10, { scheduler }))).toBe("10ms x 16ms (y|)", {
        x: [step(1), layer(1, 1), step(2), layer(2, 0), alert(2)],
        y: [step(3)],
      });
    });
  });

  it("uses a 60 Hz timer for frames without requestAnimationFrame, and no timer while idle", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a 99ms b 99ms -|", { a: step(1), b: step(2) });
      expectObservable(source.pipe(throttleRender("frame", { scheduler }))).toBe("16ms x 99ms y 84ms |", {
        x: [step(1)],
        y: [step(2)],
      });
    });
  });

  it("emits the pending batch before an error", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a-#", { a: step(1) }, new Error("boom"));
      expectObservable(source.pipe(throttleRender(10, { scheduler }))).toBe("--(x#)", { x: [step(1)] }, new Error("boom"));
    });
  });

  it("bounds a batch: step rows up to maxRows, every alert and status row", () => {
    const batches: Row[][] = [];
    const rows = range(0, 100_000).pipe(map((s) => (s % 25_000 === 0 ? alert(s) : s % 2 ? layer(s, s % 50) : step(s))));
    rows.pipe(throttleRender(10, { maxRows: 100 })).subscribe((b) => batches.push(b));
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.filter((r) => r.type === "alert").map((r) => r.step)).toEqual([0, 25_000, 50_000, 75_000]);
    expect(batch.filter((r) => r.type === "layer")).toHaveLength(25); // odd steps hit 25 distinct layers
    const steps = batch.filter((r) => r.type === "step").map((r) => r.step);
    expect(steps).toHaveLength(100);
    expect(steps[0]).toBe(99_800);
  });

  it("never drops status rows", () => {
    const batches: Row[][] = [];
    from([step(1), step(2), status(2)]).pipe(throttleRender(10, { maxRows: 1 })).subscribe((b) => batches.push(b));
    expect(batches).toEqual([[step(2), status(2)]]);
  });
});
