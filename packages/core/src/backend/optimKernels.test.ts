import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../random.js";
import type { Backend, OptimizerKernels } from "./backend.js";
import { jsBackend } from "./js.js";
import { adamUpdate, sgdUpdate } from "./optimKernels.js";
import { availableWasmBackends, createWasmBackend } from "./wasm/index.js";

// The update kernels of every backend agree with the TypeScript loops (float64 arithmetic rounded
// to float32 per store) within float32 tolerance, over many steps, on lengths that are not
// multiples of 4 (the SIMD tails) and on 1.

const tested: [string, Backend][] = [
  ...availableWasmBackends().map((b) => [b.name, b] as [string, Backend]),
  ["wasm-simd128 (unshared memory)", createWasmBackend({ variant: "simd128", sharedMemory: false })],
];
const lengths = [1, 3, 4, 17, 130, 1027];

function filled(b: Backend, n: number, rng: Rng, lo: number, hi: number): Float32Array {
  const x = b.allocate("float32", n) as Float32Array;
  for (let i = 0; i < n; i++) x[i] = rng.uniform(lo, hi);
  return x;
}

/** Largest |a − e| / (|e| + scale) over the arrays. */
function worst(a: Float32Array, e: Float32Array, scale: number): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - e[i]!) / (Math.abs(e[i]!) + scale));
  return w;
}

describe("the TypeScript update kernels", () => {
  it("sgd: one step by hand, each form", () => {
    const w = new Float64Array([1, -2]), g = new Float64Array([0.5, 1]), v = new Float64Array([0.25, 0]);
    sgdUpdate(w, g, v, 2, 0.1, 0.9, true, 0.1);
    // g′ = g + 0.1·w = [0.6, 0.8]; v = 0.9·[0.25, 0] + g′ = [0.825, 0.8]; w −= 0.1·(g′ + 0.9·v)
    expect(v[0]).toBeCloseTo(0.825, 15);
    expect(w[0]).toBeCloseTo(1 - 0.1 * (0.6 + 0.9 * 0.825), 15);
    expect(w[1]).toBeCloseTo(-2 - 0.1 * (0.8 + 0.9 * 0.8), 15);
  });
  it("adam: the first bias-corrected step moves by lr·g/(|g| + ε)", () => {
    const w = new Float64Array([1]), g = new Float64Array([-3]), m = new Float64Array(1), v = new Float64Array(1);
    adamUpdate(w, g, m, v, 1, 0.01, 0.9, 0.999, 1 / 0.1, 1 / 0.001, 1e-8, 0);
    expect(w[0]).toBeCloseTo(1 + 0.01 * 3 / (3 + 1e-8), 14);
  });
});

describe.each(tested)("%s update kernels agree with js", (_name, wasm) => {
  const k = wasm as Backend & OptimizerKernels;
  it("has its own kernels", () => {
    expect(k.sgdUpdate).not.toBe(jsBackend.sgdUpdate);
    expect(k.adamUpdate).not.toBe(jsBackend.adamUpdate);
  });
  it.each([
    ["sgd", 0, false, 0], ["sgd + weight decay", 0, false, 0.01],
    ["momentum", 0.9, false, 0], ["nesterov + weight decay", 0.9, true, 0.005],
  ] as const)("%s over 50 steps", (_form, momentum, nesterov, decay) => {
    const rng = createRng(3);
    for (const n of lengths) {
      const w = filled(wasm, n, rng, -1, 1), v = filled(wasm, n, rng, -0.1, 0.1);
      const ew = Float32Array.from(w), ev = Float32Array.from(v);
      for (let step = 0; step < 50; step++) {
        const g = filled(wasm, n, rng, -1, 1);
        k.sgdUpdate(w, g, v, n, 0.05, momentum, nesterov, decay);
        sgdUpdate(ew, Float32Array.from(g), ev, n, 0.05, momentum, nesterov, decay);
      }
      // weights of order 1, 50 steps each ≤ ~1 ulp(1) = 1.2e-7 apart: ≤ 6e-6 (relative to |w| + 1)
      expect(worst(w, ew, 1), `w, n = ${n}`).toBeLessThan(1e-5);
      if (momentum > 0) expect(worst(v, ev, 1), `v, n = ${n}`).toBeLessThan(1e-5);
      else expect(v.every((x, i) => x === ev[i]), "v untouched without momentum").toBe(true);
    }
  });
  it("adam over 50 steps (with weight decay), gradients spanning 8 decades", () => {
    const rng = createRng(4);
    for (const n of lengths) {
      const w = filled(wasm, n, rng, -1, 1), m = wasm.allocate("float32", n) as Float32Array, v = wasm.allocate("float32", n) as Float32Array;
      const ew = Float32Array.from(w), em = new Float32Array(n), ev = new Float32Array(n);
      for (let t = 1; t <= 50; t++) {
        const g = filled(wasm, n, rng, -1, 1);
        for (let i = 0; i < n; i++) g[i]! *= 10 ** -(i % 9); // from 1 down to 1e-8: ε matters at the low end
        const c1 = 1 / (1 - 0.9 ** t), c2 = 1 / (1 - 0.999 ** t);
        k.adamUpdate(w, g, m, v, n, 0.01, 0.9, 0.999, c1, c2, 1e-8, 0.01);
        adamUpdate(ew, Float32Array.from(g), em, ev, n, 0.01, 0.9, 0.999, c1, c2, 1e-8, 0.01);
      }
      expect(worst(w, ew, 1), `w, n = ${n}`).toBeLessThan(1e-5);
      expect(worst(m, em, 1e-9), `m, n = ${n}`).toBeLessThan(1e-4);
      expect(worst(v, ev, 1e-18), `v, n = ${n}`).toBeLessThan(1e-4);
    }
  });
  it("falls back to the TypeScript loops for buffers outside its memory", () => {
    const w = new Float32Array([1, 2, 3]), g = new Float32Array([1, 1, 1]);
    k.sgdUpdate(w, g, w, 3, 0.5, 0, false, 0);
    expect([...w]).toEqual([0.5, 1.5, 2.5]);
  });
});

describe.each<[string, Backend]>([["js", jsBackend], ...tested])("%s measured updates", (_name, backend) => {
  const k = backend as Backend & OptimizerKernels;
  const forms = [
    ["sgd", 0, false], ["momentum", 0.9, false], ["nesterov", 0.9, true], ["adam", 0, false],
  ] as const;
  it.each(forms)("%s: the same update as the plain kernel, and probeUpdate's summaries of it", (form, momentum, nesterov) => {
    const rng = createRng(12);
    for (const [rows, cols] of [[1, 1], [3, 5], [7, 130], [64, 64], [2, 1029]] as const) {
      const n = rows * cols;
      const w = filled(backend, n, rng, -1, 1), g = filled(backend, n, rng, -1, 1);
      g[0] = 0; // a weight that does not move
      const v = filled(backend, n, rng, 0, 0.1), m = filled(backend, n, rng, -0.1, 0.1);
      const [w2, v2, m2] = [w, v, m].map((x) => { const y = backend.allocate("float32", n) as Float32Array; y.set(x); return y; }) as [Float32Array, Float32Array, Float32Array];
      const before = Float32Array.from(w), out = new Float64Array(6);
      if (form === "adam") {
        k.adamUpdateMeasured(w, g, m, v, rows, cols, 0.01, 0.9, 0.999, 10, 1000, 1e-8, 0.01, out);
        k.adamUpdate(w2, g, m2, v2, n, 0.01, 0.9, 0.999, 10, 1000, 1e-8, 0.01);
      } else {
        k.sgdUpdateMeasured(w, g, v, rows, cols, 0.05, momentum, nesterov, 0.01, out);
        k.sgdUpdate(w2, g, v2, n, 0.05, momentum, nesterov, 0.01);
      }
      // bit for bit, whatever the shape: a probed step must train exactly as an unprobed one
      for (const [x, y, what] of [[w, w2, "w"], [v, v2, "v"], [m, m2, "m"]] as const) {
        expect(Array.from(x), `${rows}×${cols} ${what}`).toEqual(Array.from(y));
      }
      const expected = new Float64Array(6);
      (jsBackend as Backend & Required<Pick<Backend, "probeUpdate">>).probeUpdate(Float32Array.from(w), before, Float32Array.from(g), rows, cols, expected);
      for (let i = 0; i < 4; i++) expect(Math.abs(out[i]! - expected[i]!) / (expected[i]! + 1e-30), `${rows}×${cols} out[${i}]`).toBeLessThan(1e-5);
      expect(out[4]).toBeCloseTo(expected[4]!, 9); // sign agreement sum and moved units: counts, exact
      expect(out[5]).toBe(expected[5]);
    }
  });
});
