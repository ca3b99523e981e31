import { describe, expect, it } from "vitest";
import { jsBackend } from "../js.js";
import { helperStarting, waitForHelper, waitForHelperSync } from "./waitForHelper.js";
import { createWasmBackend } from "./wasmBackend.js";

describe("waitForHelper", () => {
  it("resolves true once the helper thread takes products, and it then shares them", async () => {
    const b = createWasmBackend({ threads: 2 });
    try {
      expect(await waitForHelper(b)).toBe(true);
      expect(b.starting).toBe(false);
      expect(b.threads).toBe(2);
      const n = 256, [x, w, z] = [0, 1, 2].map(() => b.allocate("float32", n * n)) as Float32Array[];
      x!.fill(1); w!.fill(0.5);
      // 2²⁴ multiply-adds each: split, the helper's half claimed by whichever thread gets to it first;
      // on a busy machine the helper may lose that race many times: multiply until it has shared one
      let products = 0;
      while (b.parallelProducts === 0 || products < 10) {
        b.matmul(x!, w!, z!, n, n, n, false);
        products++;
        expect(z!.every((v) => v === 128)).toBe(true);
      }
      expect(b.parallelProducts).toBeGreaterThan(0);
    } finally {
      b.dispose();
    }
  });

  it("blocks until the helper is up in synchronous code (Node starts it without our event loop)", () => {
    const b = createWasmBackend({ threads: 2 });
    try {
      expect(waitForHelperSync(b)).toBe(true);
      expect(b.threads).toBe(2);
    } finally {
      b.dispose();
    }
  });

  it("answers false at once where there is no helper: one thread, js, or after dispose()", async () => {
    const one = createWasmBackend();
    expect(helperStarting(one)).toBe(false);
    expect(await waitForHelper(one)).toBe(false);
    expect(waitForHelperSync(jsBackend)).toBe(false);
    const two = createWasmBackend({ threads: 2 });
    two.dispose();
    expect(two.starting).toBe(false);
    const t0 = performance.now();
    expect(await waitForHelper(two)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
