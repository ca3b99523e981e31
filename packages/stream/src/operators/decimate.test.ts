import { last, map, range, tap } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "../rows.js";
import { decimate } from "./index.js";

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const step = (s: number, run = "a") => ({ type: "step", run, step: s, loss: 1 / (s + 1), accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const steps = (...s: number[]) => s.map((i) => step(i));

describe("decimate", () => {
  it("keeps every stride-th step row, doubling the stride past maxPoints; the last snapshot adds the latest", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("0123456789|", Object.fromEntries([...Array(10).keys()].map((i) => [String(i), step(i)])));
      expectObservable(source.pipe(decimate(4))).toBe("abcde-g-i-(j|)", {
        a: steps(0),
        b: steps(0, 1),
        c: steps(0, 1, 2),
        d: steps(0, 1, 2, 3),
        e: steps(0, 2, 4),
        g: steps(0, 2, 4, 6),
        i: steps(0, 4, 8),
        j: steps(0, 4, 8, 9),
      });
    });
  });

  it("decimates each run on its own and ignores other row types", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const layer = { type: "layer", run: "a", step: 1, layer: 0 } as unknown as Row;
      const source = cold("abcd|", { a: step(0), b: step(0, "b"), c: layer, d: step(1) });
      expectObservable(source.pipe(decimate(2))).toBe("ab-d|", {
        a: [step(0)],
        b: [step(0), step(0, "b")],
        d: [step(0), step(1), step(0, "b")],
      });
    });
  });

  it("holds at most maxPoints (+ the latest at the end) evenly spread rows of a 100 000-step run", () => {
    let kept: Row[] = [];
    let snapshots = 0;
    range(0, 100_000)
      .pipe(map((s) => step(s)), decimate(1000), tap(() => snapshots++), last())
      .subscribe((rows) => (kept = rows));
    expect(snapshots).toBeLessThan(1000 + 7 * 500 + 2); // 1000 at stride 1, ≤ 500 per doubling after
    expect(kept.length).toBeLessThanOrEqual(1001);
    expect(kept.length).toBeGreaterThan(500);
    const gaps = new Set(kept.slice(0, -1).map((r, i) => kept[i + 1]!.step - r.step).slice(0, -1));
    expect(gaps).toEqual(new Set([128])); // one stride throughout
    expect(kept.at(-1)?.step).toBe(99_999);
  });
});
