import { createWasmBackend, jsBackend, waitForHelper } from "@gradscope/core";
import { describe, expect, it } from "vitest";
import { kernelsUsed } from "./kernelsUsed.js";

describe("kernelsUsed", () => {
  it("names the backend, and with a helper thread how many products it shared", async () => {
    expect(kernelsUsed(jsBackend)).toEqual({ backend: "js" });
    const one = createWasmBackend();
    expect(kernelsUsed(one)).toEqual({ backend: one.name });
    const two = createWasmBackend({ threads: 2 });
    try {
      expect(await waitForHelper(two)).toBe(true);
      expect(kernelsUsed(two)).toEqual({ backend: `${one.name}-2threads`, parallelProducts: 0 });
      const n = 256, [x, w, z] = [0, 1, 2].map(() => two.allocate("float32", n * n)) as Float32Array[];
      // 2²⁴ multiply-adds: split; on a busy machine the helper may lose the race for the lower half
      // many times, so multiply until it has shared one (the event), not a fixed number of times
      while (two.parallelProducts === 0) two.matmul(x!, w!, z!, n, n, n, false);
      expect(kernelsUsed(two).parallelProducts).toBe(two.parallelProducts);
      expect(two.parallelProducts).toBeGreaterThan(0);
    } finally {
      two.dispose();
    }
  });
});
