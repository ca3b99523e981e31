import { describe, expect, it } from "vitest";
import { createRng, createWasmBackend, jsBackend, jsNormKernels, normKernels, type Backend, type DType, type FloatArray } from "@gradscope/core";

// Batch normalisation's forward, backward and running statistics against values computed by hand
// on a 4 × 2 batch, on every backend; then every backend's kernels against the TypeScript oracle
// on random shapes.

const wasm = createWasmBackend();
const backends: [string, Backend, DType][] = [["js float64", jsBackend, "float64"], ["js float32", jsBackend, "float32"], [`${wasm.name} float32`, wasm, "float32"]];

function buffer(backend: Backend, dtype: DType, values: readonly number[]): FloatArray {
  const b = backend.allocate(dtype, values.length);
  b.set(values);
  return b;
}

// column 0: 1, 3, 5, 7 (mean 4, deviations −3 −1 1 3, biased variance 5, unbiased 20/3);
// column 1: 0, 0, 2, 2 (mean 1, deviations ±1, biased variance 1, unbiased 4/3)
const X = [1, 0, 3, 0, 5, 2, 7, 2];
const DY = [1, 0, 0, 1, 0, 0, 0, -1];
const eps = 1e-5, s0 = Math.sqrt(5 + eps), s1 = Math.sqrt(1 + eps);

describe.each(backends)("batch normalisation by hand (%s)", (_name, backend, dtype) => {
  const digits = dtype === "float64" ? 12 : 6;
  const k = normKernels(backend);
  const setup = () => ({
    x: buffer(backend, dtype, X), gamma: buffer(backend, dtype, [2, 0.5]), beta: buffer(backend, dtype, [1, -1]),
    y: backend.allocate(dtype, 8), mean: backend.allocate(dtype, 2), invStd: backend.allocate(dtype, 2),
    runMean: buffer(backend, dtype, [0, 0]), runVar: buffer(backend, dtype, [1, 1]),
    dy: buffer(backend, dtype, DY), sums: backend.allocate(dtype, 4), dx: backend.allocate(dtype, 8),
    dgamma: backend.allocate(dtype, 2), dbeta: backend.allocate(dtype, 2),
  });
  const expectValues = (actual: FloatArray, expected: readonly number[]) => {
    expect(actual.length).toBe(expected.length);
    expected.forEach((e, i) => expect(actual[i], `[${i}]`).toBeCloseTo(e, digits));
  };

  it("training: normalises by the biased batch variance, moves the running estimates by momentum towards the unbiased one", () => {
    const b = setup();
    k.batchNormForward(b.x, b.gamma, b.beta, b.y, b.mean, b.invStd, b.runMean, b.runVar, 4, 2, 0.1, eps, true);
    const xhat0 = [-3, -1, 1, 3].map((d) => d / s0), xhat1 = [-1, -1, 1, 1].map((d) => d / s1);
    expectValues(b.y, [0, 1, 2, 3].flatMap((r) => [2 * xhat0[r]! + 1, 0.5 * xhat1[r]! - 1]));
    expectValues(b.mean, [4, 1]);
    expectValues(b.invStd, [1 / s0, 1 / s1]);
    // from mean 0 and variance 1, momentum 0.1: 0.9·old + 0.1·batch (variance unbiased: 20/3 and 4/3)
    expectValues(b.runMean, [0.4, 0.1]);
    expectValues(b.runVar, [0.9 + 0.1 * (20 / 3), 0.9 + 0.1 * (4 / 3)]);
  });

  it("training: back-propagates through the batch statistics (each row's dx depends on every row)", () => {
    const b = setup();
    k.batchNormForward(b.x, b.gamma, b.beta, b.y, b.mean, b.invStd, b.runMean, b.runVar, 4, 2, 0.1, eps, true);
    k.batchNormBackward(b.dy, b.x, b.mean, b.gamma, b.invStd, b.sums, b.dx, b.dgamma, b.dbeta, 4, 2, true, false, false, false);
    // dβ = Σ dy; dγ = Σ dy·x̂
    expectValues(b.dbeta, [1, 0]);
    expectValues(b.dgamma, [-3 / s0, -2 / s1]);
    // dx = γ/σ · (dy − Σdy/4 − x̂·Σ(dy·x̂)/4). Column 0 (γ 2, Σdy 1, Σdy·x̂ −3/√5): dy − 1/4 + 3·dev/20
    // = 0.3, −0.4, −0.1, 0.2; column 1 (γ 0.5, Σdy 0, Σdy·x̂ −2): 0.5·(dy + x̂/2) = −0.25, 0.25, 0.25, −0.25
    // (ε = 1e-5 moves these by < 1e-5 relative: the exact expressions below keep it)
    const dev0 = [-3, -1, 1, 3], dy0 = [1, 0, 0, 0], dy1 = [0, 1, 0, -1], xh1 = [-1, -1, 1, 1].map((d) => d / s1);
    const dx0 = dev0.map((d, r) => (2 / s0) * (dy0[r]! - 0.25 + (3 / s0) * (d / s0) / 4));
    const dx1 = xh1.map((h, r) => (0.5 / s1) * (dy1[r]! + (h * 2) / s1 / 4));
    expectValues(b.dx, [0, 1, 2, 3].flatMap((r) => [dx0[r]!, dx1[r]!]));
    expect(dx0.map((v) => v * s0).map((v) => +v.toFixed(4))).toEqual([0.6, -0.8, -0.2, 0.4]);
    // accumulate adds onto what is there
    k.batchNormBackward(b.dy, b.x, b.mean, b.gamma, b.invStd, b.sums, b.dx, b.dgamma, b.dbeta, 4, 2, true, true, true, true);
    expectValues(b.dbeta, [2, 0]);
    expectValues(b.dx, [0, 1, 2, 3].flatMap((r) => [2 * dx0[r]!, 2 * dx1[r]!]));
  });

  it("eval: normalises by the running estimates and leaves them alone; dx = γ·dy/√(var + ε)", () => {
    const b = setup();
    const rm = [0.4, 0.1], rv = [0.9 + 0.1 * (20 / 3), 0.9 + 0.1 * (4 / 3)];
    b.runMean.set(rm);
    b.runVar.set(rv);
    k.batchNormForward(b.x, b.gamma, b.beta, b.y, b.mean, b.invStd, b.runMean, b.runVar, 4, 2, 0.1, eps, false);
    const gamma = [2, 0.5], beta = [1, -1];
    expectValues(b.y, X.map((x, i) => gamma[i % 2]! * (x - rm[i % 2]!) / Math.sqrt(rv[i % 2]! + eps) + beta[i % 2]!));
    expectValues(b.runMean, rm);
    expectValues(b.runVar, rv);
    k.batchNormBackward(b.dy, b.x, b.mean, b.gamma, b.invStd, b.sums, b.dx, b.dgamma, b.dbeta, 4, 2, false, false, false, false);
    expectValues(b.dx, DY.map((d, i) => gamma[i % 2]! * d / Math.sqrt(rv[i % 2]! + eps)));
    expectValues(b.dbeta, [1, 0]);
    // dγ = Σ dy·x̂ with x̂ from the running estimates
    const xh = X.map((x, i) => (x - rm[i % 2]!) / Math.sqrt(rv[i % 2]! + eps));
    expectValues(b.dgamma, [0, 1].map((c) => DY.reduce((sum, d, i) => (i % 2 === c ? sum + d * xh[i]! : sum), 0)));
  });
});

/** Random [rows × cols] shapes, including 2 rows, 1 column and widths that are not multiples of 4. */
const shapes: [number, number][] = [[2, 1], [2, 3], [5, 4], [7, 13], [60, 100], [64, 128], [33, 9], [128, 257]];

describe.each(backends.slice(1))("%s normalisation kernels agree with the TypeScript oracle", (_name, backend) => {
  const k = normKernels(backend);
  const rng = createRng(5);
  const filled = (n: number, lo = -2, hi = 3) => {
    const b = backend.allocate("float32", n);
    for (let i = 0; i < n; i++) b[i] = rng.uniform(lo, hi);
    return b;
  };
  const copy = (x: FloatArray) => Float64Array.from(x);
  const expectClose = (actual: FloatArray, expected: FloatArray, tol: number, what: string) => {
    let worst = 0, at = 0;
    for (let i = 0; i < expected.length; i++) {
      const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
      if (!(err <= worst)) [worst, at] = [err, i];
    }
    expect(worst, `${what}: worst at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
  };

  it.each([true, false])("batch normalisation (training %s), with and without accumulate", (training) => {
    for (const [rows, cols] of shapes) {
      for (const acc of [false, true]) {
        // columns far from 0 with a small spread: where a one-pass E[x²] − E[x]² would lose digits
        const x = filled(rows * cols, 10, 10.5), gamma = filled(cols), beta = filled(cols), dy = filled(rows * cols);
        const runMean = filled(cols), runVar = filled(cols, 0.5, 2);
        const y = backend.allocate("float32", rows * cols);
        const mean = backend.allocate("float32", cols), invStd = backend.allocate("float32", cols), sums = backend.allocate("float32", 2 * cols);
        const dx = filled(rows * cols), dgamma = filled(cols), dbeta = filled(cols);
        const o = { y: new Float64Array(rows * cols), mean: new Float64Array(cols), invStd: new Float64Array(cols), runMean: copy(runMean), runVar: copy(runVar), dx: copy(dx), dgamma: copy(dgamma), dbeta: copy(dbeta) };
        jsNormKernels.batchNormForward(copy(x), copy(gamma), copy(beta), o.y, o.mean, o.invStd, o.runMean, o.runVar, rows, cols, 0.1, 1e-5, training);
        k.batchNormForward(x, gamma, beta, y, mean, invStd, runMean, runVar, rows, cols, 0.1, 1e-5, training);
        const what = `${rows}×${cols} acc=${acc}`;
        // x̂ carries the float32 rounding of x − mean relative to a spread of ~0.15: ~1e-7·10/0.15
        expectClose(y, o.y, 5e-5, `y ${what}`);
        expectClose(runMean, o.runMean, 1e-6, `running mean ${what}`);
        expectClose(runVar, o.runVar, 1e-5, `running variance ${what}`);
        jsNormKernels.batchNormBackward(copy(dy), copy(x), o.mean, copy(gamma), o.invStd, new Float64Array(2 * cols), o.dx, o.dgamma, o.dbeta, rows, cols, training, acc, acc, acc);
        k.batchNormBackward(dy, x, mean, gamma, invStd, sums, dx, dgamma, dbeta, rows, cols, training, acc, acc, acc);
        const scale = o.invStd.reduce((m, v) => Math.max(m, v), 0); // dx is ~invStd·dy: compare relative to it
        expectClose(dx.map((v) => v / scale), o.dx.map((v) => v / scale), 2e-5 * Math.sqrt(rows), `dx ${what}`);
        // dγ = Σ dy·x̂ sums `rows` terms whose x̂ each carry ~2e-5 of float32 rounding (see y)
        expectClose(dgamma, o.dgamma, 2e-5 * rows, `dγ ${what}`);
        expectClose(dbeta, o.dbeta, 2e-6 * Math.sqrt(rows), `dβ ${what}`);
      }
    }
  });

  it("layer normalisation, with and without accumulate", () => {
    for (const [rows, cols] of shapes) {
      for (const acc of [false, true]) {
        const x = filled(rows * cols, -4, 6), gamma = filled(cols), beta = filled(cols), dy = filled(rows * cols);
        const y = backend.allocate("float32", rows * cols), mean = backend.allocate("float32", rows), invStd = backend.allocate("float32", rows);
        const dx = filled(rows * cols), dgamma = filled(cols), dbeta = filled(cols);
        const o = { y: new Float64Array(rows * cols), mean: new Float64Array(rows), invStd: new Float64Array(rows), dx: copy(dx), dgamma: copy(dgamma), dbeta: copy(dbeta) };
        jsNormKernels.layerNormForward(copy(x), copy(gamma), copy(beta), o.y, o.mean, o.invStd, rows, cols, 1e-5);
        k.layerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, 1e-5);
        const what = `${rows}×${cols} acc=${acc}`;
        expectClose(y, o.y, 2e-6, `y ${what}`);
        jsNormKernels.layerNormBackward(copy(dy), copy(x), o.mean, copy(gamma), o.invStd, o.dx, o.dgamma, o.dbeta, rows, cols, acc, acc, acc);
        k.layerNormBackward(dy, x, mean, gamma, invStd, dx, dgamma, dbeta, rows, cols, acc, acc, acc);
        expectClose(dx, o.dx, 2e-6 * Math.sqrt(cols), `dx ${what}`);
        expectClose(dgamma, o.dgamma, 2e-6 * Math.sqrt(rows), `dγ ${what}`);
        expectClose(dbeta, o.dbeta, 2e-6 * Math.sqrt(rows), `dβ ${what}`);
      }
    }
  });
});
