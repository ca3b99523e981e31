import { afterAll, describe, expect, it } from "vitest";
import { createRng } from "../../random.js";
import { startGemmHelper } from "./gemmHelper.js";
import { createWasmBackend, type WasmBackend } from "./index.js";

// Two threads: the helper computes the lower rows of large products on the same memory. Its rows
// must be the very numbers one thread computes (same kernel, same order within a row).

/** Waits for the helper to be up (the event; a busy machine has taken seconds to start a thread). */
async function whenThreaded(b: WasmBackend): Promise<void> {
  while (b.threads !== 2) {
    if (!b.starting) throw new Error("the helper thread failed to start");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("wasm backend with a helper thread", () => {
  const one = createWasmBackend();
  const two = createWasmBackend({ threads: 2 });
  afterAll(() => two.dispose());

  it("computes exactly what one thread computes, in all three forms, split or not", async () => {
    await whenThreaded(two);
    const rng = createRng(21);
    // 2¹⁸ multiply-adds and up are split; odd m, n not a multiple of 16 (partial tiles on both threads)
    const shapes = [[128, 128, 128], [100, 70, 45], [9, 200, 200], [257, 33, 31], [512, 64, 16], [16, 16, 16], [3, 5, 7]];
    for (const [m, k, n] of shapes as [number, number, number][]) {
      for (const form of ["matmul", "matmulBT", "matmulAT"] as const) {
        for (const acc of [false, true]) {
          const [a1, b1, c1] = [m * k, k * n, m * n].map((len) => one.allocate("float32", len)) as Float32Array[];
          const [a2, b2, c2] = [m * k, k * n, m * n].map((len) => two.allocate("float32", len)) as Float32Array[];
          for (const [x, y] of [[a1, a2], [b1, b2], [c1, c2]] as const) {
            for (let i = 0; i < x!.length; i++) x![i] = rng.uniform(-1, 1);
            y!.set(x!);
          }
          one[form](a1!, b1!, c1!, m, k, n, acc);
          two[form](a2!, b2!, c2!, m, k, n, acc);
          expect(Array.from(c2!), `${form} ${m}×${k}×${n} acc=${acc}`).toEqual(Array.from(c1!));
        }
      }
    }
    expect(two.threads).toBe(2);
    // the five shapes with m·k·n ≥ 2¹⁸ (not 16³, 3×5×7), three forms, two modes: each split, its lower
    // half computed by the helper when it had started it in time (it sleeps between tests), else here
    expect(two.parallelProducts).toBeLessThanOrEqual(5 * 3 * 2);
    // on a busy machine the helper may have lost every race: multiply until it has computed a lower
    // half (the event, not a number of tries), checking the numbers each time
    const [m, k, n] = [128, 128, 128];
    const [a1, b1, c1] = [m * k, k * n, m * n].map((len) => one.allocate("float32", len)) as Float32Array[];
    const [a2, b2, c2] = [m * k, k * n, m * n].map((len) => two.allocate("float32", len)) as Float32Array[];
    for (let i = 0; i < a1!.length; i++) a2![i] = a1![i] = rng.uniform(-1, 1);
    for (let i = 0; i < b1!.length; i++) b2![i] = b1![i] = rng.uniform(-1, 1);
    one.matmul(a1!, b1!, c1!, m, k, n, false);
    while (two.parallelProducts === 0) {
      two.matmul(a2!, b2!, c2!, m, k, n, false);
      expect(Array.from(c2!)).toEqual(Array.from(c1!));
    }
  });

  it("runs on one thread without shared memory, and after dispose", async () => {
    const unshared = createWasmBackend({ threads: 2, sharedMemory: false });
    expect(unshared.threads).toBe(1);
    const b = createWasmBackend({ threads: 2 });
    await whenThreaded(b);
    b.dispose();
    expect(b.threads).toBe(1);
    const x = b.allocate("float32", 128 * 128).fill(1), y = b.allocate("float32", 128 * 128).fill(2), z = b.allocate("float32", 128 * 128);
    b.matmul(x, y, z, 128, 128, 128, false);
    expect(z.every((v) => v === 256)).toBe(true);
  });
});

describe("gemm helper thread failures", () => {
  it("a product that traps in the helper is an error of finish(), naming it, not a hang", async () => {
    const { simd128Shared, maxPages } = await import("./kernels.wasm.js");
    const module = new WebAssembly.Module(Uint8Array.from(atob(simd128Shared), (ch) => ch.charCodeAt(0)));
    const memory = new WebAssembly.Memory({ initial: 16, maximum: maxPages, shared: true });
    const control = 512 * 1024;
    const helper = startGemmHelper(module, memory, control, false, { timeoutMs: 60_000 })!;
    expect(helper).not.toBeNull();
    while (!helper.ready) {
      if (!helper.starting) throw new Error("the helper failed to start");
      await new Promise((r) => setTimeout(r, 5));
    }
    // C far outside the 1 MiB memory: the helper's kernel traps on its first store
    helper.post(0, 4, 1, 4096, 4, 1, 0x7ff00000, 4, 4, 4, false, 8192);
    const claim = new Int32Array(memory.buffer, control, 4);
    while (Atomics.load(claim, 3) === 0) await new Promise((r) => setTimeout(r, 1)); // let the helper take it
    expect(() => helper.finish()).toThrow("the helper thread's matrix product failed");
    expect(helper.ready).toBe(false); // dropped: products run on the calling thread from now on
  });
});

describe("gemm helper thread that fails to start", () => {
  it("stops starting without the caller's event loop, so waitForHelperSync does not block until its timeout", () => {
    // a module the helper cannot instantiate: it imports env.foo, which the helper does not give
    const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 11, 1, 3, 101, 110, 118, 3, 102, 111, 111, 0, 0];
    const module = new WebAssembly.Module(new Uint8Array(bytes));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const helper = startGemmHelper(module, memory, 0, false)!;
    try {
      // blocks this thread as the CLI does, with no time limit: Node's error event cannot arrive meanwhile,
      // so this loop ends only because the helper said so in the shared memory (else the test times out)
      const nap = new Int32Array(new SharedArrayBuffer(4));
      while (helper.starting) Atomics.wait(nap, 0, 0, 5);
      expect(helper.starting).toBe(false);
      expect(helper.ready).toBe(false);
    } finally {
      helper.terminate();
    }
  });
});

describe("gemm helper protocol", () => {
  it("never loses a completion when the caller takes halves the helper is about to claim (300,000 tiny products)", async () => {
    // Tiny products make the caller claim about one half in eight while the helper races it: a helper
    // that claimed a freshly posted job but reported the previous one made finish() time out (review
    // repro: after 30–54 thousand products).
    const { simd128Shared, maxPages } = await import("./kernels.wasm.js");
    const module = new WebAssembly.Module(Uint8Array.from(atob(simd128Shared), (ch) => ch.charCodeAt(0)));
    const memory = new WebAssembly.Memory({ initial: 64, maximum: maxPages, shared: true });
    const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as {
      heapBase(): number;
      gemm(a: number, ai: number, ap: number, b: number, bp: number, bj: number, c: number, m: number, k: number, n: number, acc: boolean, scratch: number): void;
    };
    const base = (k.heapBase() + 4095) & ~4095;
    const control = base, A = base + 4096, B = A + 4096, C = B + 4096, mine = C + 65536, theirs = mine + 200_000;
    const helper = startGemmHelper(module, memory, control, false, { timeoutMs: 60_000 })!; // a guard: a busy machine may preempt the helper mid-product
    while (!helper.ready) await new Promise((r) => setTimeout(r, 5));
    let byHelper = 0;
    for (let i = 0; i < 300_000; i++) {
      helper.post(A, 1, 1, B, 16, 1, C, 2, 1, 16, false, theirs);
      if (helper.finish()) byHelper++;
      else k.gemm(A, 1, 1, B, 16, 1, C, 2, 1, 16, false, mine);
    }
    helper.terminate();
    expect(byHelper).toBeGreaterThan(0);
  }, 60_000);
});
