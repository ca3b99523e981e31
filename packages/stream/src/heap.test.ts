import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { train } from "@gradscope/stream";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe("a long run", () => {
  it("keeps a flat heap over 100,000 steps", async () => {
    const samples: { step: number; heap: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      train({ steps: 100_000, depth: 2, width: 8, batchSize: 8, evalEvery: 10_000, probes: { every: 50 } }, { sliceMs: 50 }).subscribe({
        next(row) {
          if (row.type === "step" && row.step % 20_000 === 0) samples.push({ step: row.step, heap: heap() });
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(samples.map((s) => s.step)).toEqual([20_000, 40_000, 60_000, 80_000, 100_000]);
    // after the first 20k steps (warm-up: compiled code, caches) the heap must not grow with steps:
    // 80k more steps emit > 100k rows; a leak of even one small object per step would add > 3 MB
    const growth = samples.at(-1)!.heap - samples[0]!.heap;
    console.log("heap samples", samples.map((s) => (s.heap / 1e6).toFixed(2)).join(" "), "MB");
    expect(growth).toBeLessThan(1_000_000);
  }, 180_000);
});
