import { from } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "../rows.js";
import { layerSeries, type LayerSeries } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const layer = (step: number, l: number, gradNormZ: number) =>
  ({ type: "layer", run: "a", step, layer: l, name: `hidden${l}`, activation: "relu", gradNormZ }) as unknown as Row;
const stepRow = { type: "step", run: "a", step: 1, loss: 1, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 } as Row;

describe("layerSeries", () => {
  it("emits a per-layer snapshot, sorted by layer, after each layer row", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("abcd|", { a: layer(0, 1, 0.5), b: stepRow, c: layer(0, 0, 0.1), d: layer(1, 1, 0.4) });
      expectObservable(source.pipe(layerSeries("gradNormZ"))).toBe("a-cd|", {
        a: [{ layer: 1, name: "hidden1", points: [{ step: 0, value: 0.5 }] }],
        c: [
          { layer: 0, name: "hidden0", points: [{ step: 0, value: 0.1 }] },
          { layer: 1, name: "hidden1", points: [{ step: 0, value: 0.5 }] },
        ],
        d: [
          { layer: 0, name: "hidden0", points: [{ step: 0, value: 0.1 }] },
          { layer: 1, name: "hidden1", points: [{ step: 0, value: 0.5 }, { step: 1, value: 0.4 }] },
        ],
      });
    });
  });

  it("keeps only the last `window` points per layer", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("abc|", { a: layer(0, 0, 1), b: layer(1, 0, 2), c: layer(2, 0, 3) });
      const series = (...points: [number, number][]) => [
        { layer: 0, name: "hidden0", points: points.map(([step, value]) => ({ step, value })) },
      ];
      expectObservable(source.pipe(layerSeries("gradNormZ", { window: 2 }))).toBe("abc|", {
        a: series([0, 1]),
        b: series([0, 1], [1, 2]),
        c: series([1, 2], [2, 3]),
      });
    });
  });

  it("reads another row type and skips rows without the field", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const bands = (step: number, p50: number) => ({ type: "bands", run: "a", step, layer: 2, of: "pre", p50 }) as unknown as Row;
      const source = cold("abc|", { a: bands(0, 0.2), b: layer(0, 2, 9), c: { ...bands(5, 0), p50: undefined } as unknown as Row });
      expectObservable(source.pipe(layerSeries("p50", { type: "bands" }))).toBe("a--|", {
        a: [{ layer: 2, name: "layer2", points: [{ step: 0, value: 0.2 }] }],
      });
    });
  });

  it("shares unchanged layers' arrays between snapshots", () => {
    const snapshots: LayerSeries[][] = [];
    from([layer(0, 0, 1), layer(0, 1, 2)]).pipe(layerSeries("gradNormZ")).subscribe((s) => snapshots.push(s));
    expect(snapshots[1]?.[0]?.points).toBe(snapshots[0]?.[0]?.points);
  });
});
