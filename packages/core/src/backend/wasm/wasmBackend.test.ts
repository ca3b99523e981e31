import { describe, expect, it } from "vitest";
import type { Activation } from "../../activation.js";
import { celu, elu, identity, leakyRelu, relu, selu, sigmoid, silu, tanh } from "../../activations/index.js";
import { createRng, type Rng } from "../../random.js";
import type { FloatArray } from "../../tensor.js";
import type { ActivationState, Backend, ProbeKernels } from "../backend.js";
import { jsBackend } from "../js.js";
import { availableWasmBackends, createWasmBackend, defaultBackend, setDefaultBackend } from "./index.js";

// Property tests: on random shapes (sizes that are not multiples of 4 or 8, and 1×1) every wasm
// kernel agrees with the TypeScript oracle within float32 tolerance, with and without accumulate.

const backends = availableWasmBackends();
// the unshared build (pages without cross-origin isolation) runs the same kernels over another memory
const tested: [string, Backend][] = [
  ...backends.map((b) => [b.name, b] as [string, Backend]),
  ["wasm-simd128 (unshared memory)", createWasmBackend({ variant: "simd128", sharedMemory: false })],
];
const shapes = (rng: Rng) => [
  [1, 1, 1], [1, 5, 3], [3, 1, 9], [4, 8, 8], [6, 128, 8], [7, 13, 17], [130, 129, 9], [128, 128, 128],
  ...Array.from({ length: 6 }, () => [1 + rng.int(70), 1 + rng.int(300), 1 + rng.int(70)]),
] as [number, number, number][];

function filled(b: Backend, n: number, rng: Rng, lo = -1, hi = 1): Float32Array {
  const x = b.allocate("float32", n) as Float32Array;
  for (let i = 0; i < n; i++) x[i] = rng.uniform(lo, hi);
  return x;
}
/** The same values in a buffer of the js backend. */
const copy = (x: FloatArray) => Float32Array.from(x);

function expectClose(actual: FloatArray, expected: FloatArray, tol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0, at = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    if (!(err <= worst)) { worst = err; at = i; }
  }
  expect(worst, `${what}: worst at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

const state = (act: Activation): ActivationState => ({
  act, params: { ...act.params }, learned: [], learnedGrad: [], noise: new Float32Array(0), rng: createRng(1),
});

describe.each(tested)("%s agrees with js", (_name, wasm) => {
  it("on the three matmul forms", () => {
    const rng = createRng(11);
    for (const [m, k, n] of shapes(rng)) {
      for (const form of ["matmul", "matmulBT", "matmulAT"] as const) {
        for (const acc of [false, true]) {
          const a = filled(wasm, m * k, rng), b = filled(wasm, k * n, rng), c = filled(wasm, m * n, rng);
          const expected = copy(c);
          jsBackend[form](copy(a), copy(b), expected, m, k, n, acc);
          wasm[form](a, b, c, m, k, n, acc);
          expectClose(c, expected, 2e-6 * Math.sqrt(k) + 1e-6, `${form} ${m}×${k}×${n} acc=${acc}`);
        }
      }
    }
  });

  it("on addBias, sumRows, add, scale and mul", () => {
    const rng = createRng(12);
    for (const [rows, , cols] of shapes(rng)) {
      const n = rows * cols;
      const z = filled(wasm, n, rng), bias = filled(wasm, cols, rng);
      const zj = copy(z);
      jsBackend.addBias(zj, copy(bias), rows, cols);
      wasm.addBias(z, bias, rows, cols);
      expectClose(z, zj, 0, "addBias");
      for (const acc of [false, true]) {
        const out = filled(wasm, cols, rng), outj = copy(out);
        jsBackend.sumRows(copy(z), outj, rows, cols, acc);
        wasm.sumRows(z, out, rows, cols, acc);
        expectClose(out, outj, 1e-6 * rows, `sumRows acc=${acc}`);
        const a = filled(wasm, n, rng), b = filled(wasm, n, rng);
        for (const op of ["add", "mul"] as const) {
          const o = filled(wasm, n, rng), oj = copy(o);
          jsBackend[op](copy(a), copy(b), oj, n, acc);
          wasm[op](a, b, o, n, acc);
          expectClose(o, oj, 2.4e-7, `${op} acc=${acc}`); // js rounds once (float64 a + b + out), wasm twice
        }
        const o = filled(wasm, n, rng), oj = copy(o);
        jsBackend.scale(copy(a), 0.37, oj, n, acc);
        wasm.scale(a, 0.37, o, n, acc);
        expectClose(o, oj, 2.4e-7, `scale acc=${acc}`);
      }
    }
  });

  const acts = [identity, relu, leakyRelu, leakyRelu.with({ alpha: 0.2 }), elu, elu.with({ alpha: 0.5 }), selu, sigmoid, tanh, silu, celu];
  it.each(acts.map((a) => [`${a.name} ${JSON.stringify(a.params)}`, a] as const))("on %s forward and backward", (_n, act) => {
    const rng = createRng(13);
    for (const [rows, , cols] of shapes(rng)) {
      const n = rows * cols;
      // wide inputs reach saturation; a few exact kinks and tiny values test the branches
      const z = filled(wasm, n, rng, -30, 30);
      for (let i = 0; i < n; i += 7) z[i] = [0, -0, 1e-6, -1e-6, 0.3, -0.3, 100, -100][(i / 7) % 8]!;
      const a = wasm.allocate("float32", n), aj = new Float32Array(n);
      jsBackend.activationForward(state(act), copy(z), aj, rows, cols, true);
      wasm.activationForward(state(act), z, a, rows, cols, true);
      expectClose(a, aj, 3e-6, `${act.name} forward ${rows}×${cols}`);
      for (const acc of [false, true]) {
        const da = filled(wasm, n, rng), dz = filled(wasm, n, rng), dzj = copy(dz);
        jsBackend.activationBackward(state(act), copy(z), aj, copy(da), dzj, rows, cols, true, acc);
        wasm.activationBackward(state(act), z, a, da, dz, rows, cols, true, acc);
        expectClose(dz, dzj, 3e-6, `${act.name} backward ${rows}×${cols} acc=${acc}`);
      }
    }
  });

  it("on softmax cross-entropy, and rejects bad labels like js", () => {
    const rng = createRng(14);
    for (const [rows, , cols] of shapes(rng)) {
      const logits = filled(wasm, rows * cols, rng, -20, 20);
      const labels = Int32Array.from({ length: rows }, () => rng.int(cols));
      const [p, d] = [wasm.allocate("float32", rows * cols), wasm.allocate("float32", rows * cols)];
      const [pj, dj] = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
      const lossJ = jsBackend.softmaxCrossEntropy(copy(logits), labels, pj, dj, rows, cols);
      const loss = wasm.softmaxCrossEntropy(logits, labels, p, d, rows, cols);
      expect(Math.abs(loss - lossJ)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(lossJ)));
      expectClose(p, pj, 1e-7, "probs");
      expectClose(d, dj, 1e-7, "dlogits");
      labels[0] = cols;
      expect(() => wasm.softmaxCrossEntropy(logits, labels, p, d, rows, cols)).toThrow(RangeError);
    }
  });

  // probe reductions: sums within float32 tolerance (f32 lanes over short blocks, added in f64),
  // min/max and counts exact; the borderline |f′| ≈ limit may round either way for smooth f′
  it.each(acts.map((a) => [`${a.name} ${JSON.stringify(a.params)}`, a] as const))("on the probe reductions with %s", (_n, act) => {
    const rng = createRng(16);
    const probe = (b: Backend) => b as Backend & ProbeKernels;
    for (const [rows, , cols] of [...shapes(rng), [3, 0, 1100], [2100, 0, 3]] as [number, number, number][]) {
      const n = rows * cols;
      // columns shifted down far enough to be dead for relu; a few exact zeros
      const z = filled(wasm, n, rng, -3, 3);
      for (let i = 0; i < n; i++) if ((i % cols) % 5 === 2) z[i] = z[i]! - 4;
      for (let i = 0; i < n; i += 11) z[i] = 0;
      const a = wasm.allocate("float32", n), aj = new Float32Array(n);
      jsBackend.activationForward(state(act), copy(z), aj, rows, cols, false);
      a.set(aj);
      const limit = 0.05 * act.maxSlope;
      const out = new Float64Array(12), outj = new Float64Array(12);
      probe(jsBackend).probeActivation(state(act), copy(z), aj, rows, cols, limit, outj);
      probe(wasm).probeActivation(state(act), z, a, rows, cols, limit, out);
      const what = `${act.name} ${rows}×${cols}`;
      for (const at of [0, 5]) {
        const [s, s2, sj, s2j] = [out[at + 1]!, out[at + 2]!, outj[at + 1]!, outj[at + 2]!];
        expect(out[at], `${what} shift`).toBe(outj[at]);
        expect(Math.abs(s - sj), `${what} Σ`).toBeLessThanOrEqual(1e-5 * Math.sqrt(n * s2j) + 1e-30);
        expect(Math.abs(s2 - s2j), `${what} Σ²`).toBeLessThanOrEqual(1e-5 * s2j + 1e-30);
        expect([out[at + 3], out[at + 4]], `${what} min, max`).toEqual([outj[at + 3], outj[at + 4]]);
      }
      const f = act.df as (x: number, q: Record<string, number>, y: number) => number, q = { ...act.params } as Record<string, number>;
      const borderline = Array.from(aj, (y, i) => Math.abs(Math.abs(f(z[i]!, q, y)) - limit) < 1e-5 * limit).filter(Boolean).length;
      expect(Math.abs(out[10]! - outj[10]!), `${what} saturated`).toBeLessThanOrEqual(borderline);
      expect(out[11], `${what} dead`).toBe(outj[11]);

      const sq = probe(wasm).sumSquares(z, n), sqj = probe(jsBackend).sumSquares(copy(z), n);
      expect(Math.abs(sq - sqj), `${what} sumSquares`).toBeLessThanOrEqual(1e-5 * sqj);
    }
  });

  it("on the weight snapshot and the update pass", () => {
    const rng = createRng(17);
    const probe = (b: Backend) => b as Backend & ProbeKernels;
    for (const [fanIn, , fanOut] of [...shapes(rng), [2, 0, 1100]] as [number, number, number][]) {
      const n = fanIn * fanOut;
      const W = filled(wasm, n, rng), G = filled(wasm, n, rng), W0 = wasm.allocate("float32", n);
      probe(wasm).copy(W, W0, n);
      expect(Array.from(W0)).toEqual(Array.from(W));
      // an update: column 0 unmoved, column 1 all up, the rest random (some weights unmoved)
      for (let i = 0; i < n; i++) {
        const c = i % fanOut;
        if (c === 0 || rng.next() < 0.1) continue;
        W[i] = W[i]! + (c === 1 ? 0.01 : rng.uniform(-0.01, 0.01));
      }
      const out = new Float64Array(6), outj = new Float64Array(6);
      probe(wasm).probeUpdate(W, W0, G, fanIn, fanOut, out);
      probe(jsBackend).probeUpdate(copy(W), copy(W0), copy(G), fanIn, fanOut, outj);
      for (let i = 0; i < 4; i++) expect(Math.abs(out[i]! - outj[i]!), `${fanIn}×${fanOut} [${i}]`).toBeLessThanOrEqual(1e-5 * outj[i]! + 1e-30);
      expect([out[4], out[5]], `${fanIn}×${fanOut} sign agreement`).toEqual([outj[4], outj[5]]);
    }
  });

  it("falls back to the js kernels for buffers outside its memory, float64, and custom activations", () => {
    const rng = createRng(15);
    const a = Float64Array.from({ length: 12 }, () => rng.uniform(-1, 1)), b = Float64Array.from({ length: 20 }, () => rng.uniform(-1, 1));
    const c = new Float64Array(15), cj = new Float64Array(15);
    wasm.matmul(a, b, c, 3, 4, 5, false);
    jsBackend.matmul(a, b, cj, 3, 4, 5, false);
    expect(c).toEqual(cj); // float64 exactly: the same code ran
    expect(wasm.allocate("float64", 3)).toBeInstanceOf(Float64Array);
    const square = { ...relu, name: "square", f: (x: number) => x * x, df: (x: number) => 2 * x } as Activation;
    const z = filled(wasm, 9, rng), out = wasm.allocate("float32", 9);
    wasm.activationForward(state(square), z, out, 3, 3, true);
    expect(Array.from(out)).toEqual(Array.from(z, (x) => Math.fround(x * x)));
  });
});

describe("memory", () => {
  it("recognises its buffers after the memory grew, in every instance", () => {
    // regression: a grown shared memory hands out new SharedArrayBuffer objects, and a second
    // instance's buffers silently ran on the js path
    for (const b of [createWasmBackend(), createWasmBackend(), createWasmBackend({ sharedMemory: false })]) {
      const xs = [1, 5, 300_000, 2_000_000, 7].map((n) => b.allocate("float32", n));
      for (const x of xs) expect(b.owns(x)).toBe(true);
      expect(b.owns(new Float32Array(4))).toBe(false);
      expect(b.owns(b.allocate("float64", 4))).toBe(false);
    }
  });
});

describe("subnormals", () => {
  const tiny = 1e-39, normal = 2e-38; // below and above float32's smallest normal, 1.18e-38
  it("are kept by default, exactly as js keeps them", () => {
    const b = createWasmBackend();
    const z = b.allocate("float32", 4), a = b.allocate("float32", 4), da = b.allocate("float32", 4), dz = b.allocate("float32", 4);
    z.set([1, 1, 1, 1]); a.set([1, 1, 1, 1]); da.set([tiny, normal, -tiny, NaN]);
    b.activationBackward(state(identity), z, a, da, dz, 1, 4, true, false);
    expect(Array.from(dz)).toEqual(Array.from(Float32Array.of(tiny, normal, -tiny, NaN)));
  });

  it("become 0 in backward outputs with flushSubnormals (NaN stays NaN)", () => {
    const b = createWasmBackend({ flushSubnormals: true });
    const z = b.allocate("float32", 5), a = b.allocate("float32", 5), da = b.allocate("float32", 5), dz = b.allocate("float32", 5);
    z.fill(1); a.fill(1); da.set([tiny, normal, -tiny, NaN, 0.5]);
    b.activationBackward(state(identity), z, a, da, dz, 1, 5, true, false);
    expect(Array.from(dz)).toEqual([0, Math.fround(normal), 0, NaN, 0.5]);
    const x = b.allocate("float32", 3), w = b.allocate("float32", 3), c = b.allocate("float32", 9);
    x.set([1e-20, 1, 1]); w.set([1e-19, 1, 2]);
    b.matmul(x, w, c, 3, 1, 3, false); // an outer product: 1e-39 flushes, the rest stays
    expect(c[0]).toBe(0);
    expect(c[4]).toBe(1);
  });
});

describe("backend choice", () => {
  it("offers SIMD128 wherever WebAssembly SIMD runs, and relaxed SIMD only where the runtime has it", () => {
    expect(backends.map((b) => b.name)).toContain("wasm-simd128");
    // vitest.config.ts passes Node 20 the flag, so both builds are property-tested here
    expect(backends.map((b) => b.name)).toContain("wasm-relaxed");
    expect(() => createWasmBackend({ variant: "simd128", sharedMemory: false })).not.toThrow();
  });

  it("defaultBackend picks wasm, and can be overridden", () => {
    setDefaultBackend(undefined);
    expect(defaultBackend().name).toMatch(/^wasm-/);
    setDefaultBackend(jsBackend);
    expect(defaultBackend()).toBe(jsBackend);
    setDefaultBackend(undefined);
  });
});

// eˣ and eˣ − 1 in the kernels share one range reduction (asm/activations.ts); measured here
// against float64 Math.exp / Math.expm1 on a dense grid, in float32 ulps of the exact value. Below
// 1e-30 (sigmoid, SiLU and SELU tails past x ≈ −88, where e^−x saturates) the error is absolute.
describe.each(tested)("%s exp-based activations", (_name, wasm) => {
  const L = 1.0507009873554804934193349852946, LA = L * 1.6732632423543772848170429916717;
  const exact: [Activation, (x: number) => number][] = [
    [elu, (x) => (x > 0 ? x : Math.expm1(x))],
    [selu, (x) => (x > 0 ? L * x : LA * Math.expm1(x))],
    [sigmoid, (x) => 1 / (1 + Math.exp(-x))],
    [tanh, Math.tanh],
    [silu, (x) => x / (1 + Math.exp(-x))],
  ];
  const grid: number[] = [];
  for (let x = -100; x <= 100; x += 1 / 256) grid.push(x);
  for (let e = -40; e <= 2; e += 1 / 64) grid.push(10 ** e, -(10 ** e));
  for (const c of [0, 1e-4, -1e-4, -20, 88, -88, 0.5 * Math.LN2, -0.5 * Math.LN2, -Math.LN2, -17.33]) {
    for (let d = -64; d <= 64; d++) grid.push(c + d * Math.max(Math.abs(c), 1e-30) * 2 ** -20);
  }
  const ulp = (y: number) => 2 ** (Math.floor(Math.log2(Math.abs(y))) - 23);

  it.each(exact.map(([a, f]) => [a.name, a, f] as const))("%s forward is within 3 ulp", (_n, act, f) => {
    const n = grid.length, z = wasm.allocate("float32", n), a = wasm.allocate("float32", n);
    z.set(grid);
    wasm.activationForward(state(act), z, a, 1, n, false);
    let worstUlp = 0, worstAbs = 0, at = 0;
    for (let i = 0; i < n; i++) {
      const y = f(z[i]!), err = Math.abs(a[i]! - y);
      if (Math.abs(y) < 1e-30) worstAbs = Math.max(worstAbs, err);
      else if (!(err / ulp(y) <= worstUlp)) { worstUlp = err / ulp(y); at = z[i]!; }
    }
    // measured: ELU 0.86, SELU 1.7, sigmoid 2.4, tanh 1.2, SiLU 2.2 ulp (the reduction, the
    // polynomial's 0.15 ulp, then 1 + e⁻ˣ, the division and x·σ each round once more)
    expect(worstUlp, `${act.name}: worst at x = ${at}`).toBeLessThanOrEqual(3);
    expect(worstAbs).toBeLessThanOrEqual(1e-36);
  });
});
