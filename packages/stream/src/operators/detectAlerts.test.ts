import { from, toArray } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { AlertRow, LayerRow, Row } from "../rows.js";
import { alertThresholds, detectAlerts } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A layer row with healthy defaults. */
const layer = (step: number, l: number, fields: Partial<LayerRow> = {}) =>
  ({
    type: "layer",
    run: "a",
    step,
    layer: l,
    name: l === 2 ? "output" : `hidden${l}`,
    activation: l === 2 ? "none" : "sigmoid",
    gradNormZ: 1,
    deadFrac: 0,
    saturatedFrac: 0,
    ...fields,
  }) as LayerRow;
const step = (s: number, loss: number) =>
  ({ type: "step", run: "a", step: s, loss, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;

const alerts = (rows: Row[], options = {}) => {
  let out: Row[] = [];
  from(rows).pipe(detectAlerts(options), toArray()).subscribe((r) => (out = r));
  return out.filter((r): r is AlertRow => r.type === "alert");
};

describe("detectAlerts", () => {
  it("uses alertThresholds by default: each kind fires at its threshold, not just short of it", () => {
    const t = alertThresholds;
    const at = (fields: Partial<LayerRow>) => alerts([layer(1, 0, fields), layer(1, 1), layer(1, 2)]).map((a) => [a.kind, a.threshold]);
    expect(at({ gradNormZ: t.vanishingRatio * 0.99 })).toEqual([["vanishing", t.vanishingRatio]]);
    expect(at({ gradNormZ: t.vanishingRatio * 1.01 })).toEqual([]);
    expect(at({ gradNormZ: t.explodingNorm * 1.01 })).toEqual([["exploding", t.explodingNorm]]);
    expect(at({ deadFrac: t.deadFrac })).toEqual([["dead", t.deadFrac]]);
    expect(at({ deadFrac: t.deadFrac - 0.01 })).toEqual([]);
    expect(at({ saturatedFrac: t.saturatedFrac })).toEqual([["saturated", t.saturatedFrac]]);
    expect(at({ saturatedFrac: t.saturatedFrac - 0.01 })).toEqual([]);
  });

  it("fires vanishing once when it starts and again only after it has cleared", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tiny = { gradNormZ: 3.2e-9 };
      const values = {
        a: layer(1, 0, tiny), b: layer(1, 1), c: layer(1, 2), // vanishing starts
        d: layer(2, 0, tiny), e: layer(2, 1), f: layer(2, 2), // still vanishing: quiet
        g: layer(3, 0), h: layer(3, 1), i: layer(3, 2), //       cleared
        j: layer(4, 0, tiny), k: layer(4, 1), l: layer(4, 2), // starts again
        v: {
          type: "alert", run: "a", step: 1, kind: "vanishing", layer: 0, value: 3.2e-9, threshold: 1e-3,
          message: "vanishing gradients: ∂L/∂z at layer 0 is 3.2e-9 × that of layer 1 (threshold 1e-3)",
        } as AlertRow,
        w: {
          type: "alert", run: "a", step: 4, kind: "vanishing", layer: 0, value: 3.2e-9, threshold: 1e-3,
          message: "vanishing gradients: ∂L/∂z at layer 0 is 3.2e-9 × that of layer 1 (threshold 1e-3)",
        } as AlertRow,
      };
      const source = cold("ab c---def---ghi---jk l---|", values);
      const expected = "   ab (cv)def---ghi---jk (lw)|";
      expectObservable(source.pipe(detectAlerts())).toBe(expected, values);
    });
  });

  it("fires diverged on a non-finite loss, and does not repeat an alert already in the input", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: step(1, 0.5),
        b: step(2, NaN),
        c: step(3, Infinity),
        d: step(4, 0.4),
        e: { type: "alert", run: "a", step: 5, kind: "diverged", message: "the trainer's own" } as Row,
        f: step(5, NaN),
        x: { type: "alert", run: "a", step: 2, kind: "diverged", message: "diverged: loss is NaN at step 2", value: NaN } as AlertRow,
      };
      expectObservable(cold("a b---c d e f|", values).pipe(detectAlerts())).toBe("a(bx)c d e f|", values);
    });
  });

  it("names the worst layer, its value and the threshold", () => {
    const rows = [
      layer(7, 0, { deadFrac: 0.6, saturatedFrac: 0.95, gradNormZ: 2e4 }),
      layer(7, 1, { deadFrac: 0.875 }),
      layer(7, 2, { gradNormZ: 1 }),
    ];
    expect(alerts(rows).map(({ kind, layer, step, message }) => ({ kind, layer, step, message }))).toEqual([
      { kind: "exploding", layer: 0, step: 7, message: "exploding gradients: ‖∂L/∂z‖ at layer 0 is 2e4 (threshold 1e3)" },
      { kind: "dead", layer: 1, step: 7, message: "dead units: 88% of layer 1's units are dead (threshold 50%; 2 layers at or above it)" },
      { kind: "saturated", layer: 0, step: 7, message: "saturated units: 95% of layer 0's unit-example pairs saturate (threshold 90%)" },
    ]);
  });

  it("fires exploding on a large first/last ratio, and honours custom thresholds", () => {
    const rows = [layer(1, 0, { gradNormZ: 500 }), layer(1, 1, { gradNormZ: 0.1 }), layer(1, 2)];
    expect(alerts(rows).map((a) => a.message)).toEqual([
      "exploding gradients: ∂L/∂z at layer 0 is 5e3 × that of layer 1 (threshold 1e3)",
    ]);
    expect(alerts(rows, { explodingRatio: 1e4 })).toEqual([]);
  });

  it("evaluates a step without an output layer row when the next step starts or the input ends", () => {
    const dead = { deadFrac: 1 };
    const byNextStep = alerts([layer(1, 0, dead), layer(1, 1), step(2, 0.3)]);
    expect(byNextStep.map((a) => [a.kind, a.step])).toEqual([["dead", 1]]);
    const byEnd = alerts([layer(1, 0, dead), layer(1, 1)]);
    expect(byEnd.map((a) => [a.kind, a.step])).toEqual([["dead", 1]]);
  });

  it("keeps separate state per run", () => {
    const tiny = { gradNormZ: 1e-6 };
    const rows = [layer(1, 0, tiny), layer(1, 1), layer(1, 2)];
    const other = rows.map((r) => ({ ...r, run: "b" }));
    expect(alerts([...rows, ...other]).map((a) => a.run)).toEqual(["a", "b"]);
  });
});
