import { describe, expect, it } from "vitest";
import { createRng, createWasmBackend, jsBackend, normKernels, type Backend, type DType, type FloatArray } from "@gradscope/core";

// Batch normalisation's forward, backward and running statistics against values computed by hand
// on a 4 × 2 batch, on every backend; then every backend's kernels (the TypeScript ones too, in float32
// and float64) against an independent float64 reference on random shapes.

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

/**
 * An independent float64 reference, written from the definitions rather than from the kernels: the
 * statistics in two plain passes, and dx through the explicit Jacobian of x̂, ∂x̂ᵢ/∂xⱼ = invStd·(δᵢⱼ − 1/N −
 * x̂ᵢx̂ⱼ/N) (training; invStd·δᵢⱼ in eval), summed against dy·γ – not the kernels' simplified formula.
 * `group(i)` lists the flat indices normalised together; `scale(i)` is γ's index for element i.
 */
function normalise(
  x: readonly number[], dy: readonly number[], gamma: readonly number[], beta: readonly number[], groups: number[][], scale: (i: number) => number,
  stats: (members: number[]) => { mean: number; invStd: number; batch: boolean },
) {
  const n = x.length;
  const y = new Float64Array(n), dx = new Float64Array(n), dgamma = new Float64Array(gamma.length), dbeta = new Float64Array(gamma.length);
  const means: number[] = [], invStds: number[] = [];
  for (const members of groups) {
    const { mean, invStd, batch } = stats(members);
    means.push(mean);
    invStds.push(invStd);
    const N = members.length, xhat = members.map((i) => (x[i]! - mean) * invStd);
    members.forEach((i, a) => {
      y[i] = gamma[scale(i)]! * xhat[a]! + beta[scale(i)]!;
      dgamma[scale(i)]! += dy[i]! * xhat[a]!;
      dbeta[scale(i)]! += dy[i]!;
    });
    for (let b = 0; b < N; b++) {
      const j = members[b]!;
      let sum = 0;
      for (let a = 0; a < N; a++) {
        const i = members[a]!;
        const jacobian = invStd * ((i === j ? 1 : 0) - (batch ? 1 / N + (xhat[a]! * xhat[b]!) / N : 0));
        sum += dy[i]! * gamma[scale(i)]! * jacobian;
      }
      dx[j] = sum;
    }
  }
  return { y, dx, dgamma, dbeta, mean: Float64Array.from(means), invStd: Float64Array.from(invStds) };
}
const plainMean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
const plainVariance = (v: number[]) => plainMean(v.map((a) => (a - plainMean(v)) ** 2)); // biased
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("the reference agrees with the hand-computed batch (4 × 2, γ = [2, 0.5], β = [1, −1])", () => {
  it("y and dx", () => {
    const r = normalise(X, DY, [2, 0.5], [1, -1], [[0, 2, 4, 6], [1, 3, 5, 7]], (i) => i % 2, (m) => {
      const v = m.map((i) => X[i]!);
      return { mean: plainMean(v), invStd: 1 / Math.sqrt(plainVariance(v) + eps), batch: true };
    });
    const expected = [-3 / s0, -1 / s1, -1 / s0, -1 / s1, 1 / s0, 1 / s1, 3 / s0, 1 / s1].map((h, i) => (i % 2 ? 0.5 * h - 1 : 2 * h + 1));
    expected.forEach((e, i) => expect(r.y[i]).toBeCloseTo(e, 12));
    // column 1: dy = 0, 1, 0, −1, x̂ = −1, −1, 1, 1 (× √(1/(1+ε))): Σdy = 0, Σdy·x̂ = −2/s1 ⇒ dγ₁ = −2/s1
    expect(r.dgamma[1]).toBeCloseTo(-2 / s1, 12);
    expect(r.dbeta[1]).toBeCloseTo(0, 12);
  });
});

describe.each(backends)("%s normalisation kernels agree with an independent float64 reference", (_name, backend, dtype) => {
  const k = normKernels(backend);
  const rng = createRng(5);
  // the tolerances below are float32's; float64 kernels must be a million times closer
  const precision = dtype === "float64" ? 1e-6 : 1;
  const filled = (n: number, lo = -2, hi = 3) => {
    const b = backend.allocate(dtype, n);
    for (let i = 0; i < n; i++) b[i] = rng.uniform(lo, hi);
    return b;
  };
  const list = (x: FloatArray) => Array.from(x);
  const expectClose = (actual: FloatArray, expected: ArrayLike<number>, tol: number, what: string) => {
    let worst = 0, at = 0;
    for (let i = 0; i < expected.length; i++) {
      const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
      if (!(err <= worst)) [worst, at] = [err, i];
    }
    expect(worst, `${what}: worst at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol * precision);
  };
  const plus = (initial: number[], add: Float64Array, acc: boolean) => add.map((v, i) => (acc ? initial[i]! : 0) + v);

  it.each([true, false])("batch normalisation (training %s), with and without accumulate", (training) => {
    for (const [rows, cols] of shapes) {
      for (const acc of [false, true]) {
        // columns far from 0 with a small spread: where a one-pass E[x²] − E[x]² would lose digits
        const x = filled(rows * cols, 10, 10.5), gamma = filled(cols), beta = filled(cols), dy = filled(rows * cols);
        const runMean = filled(cols), runVar = filled(cols, 0.5, 2);
        const y = backend.allocate(dtype, rows * cols);
        const mean = backend.allocate(dtype, cols), invStd = backend.allocate(dtype, cols), sums = backend.allocate(dtype, 2 * cols);
        const dx = filled(rows * cols), dgamma = filled(cols), dbeta = filled(cols);
        const before = { runMean: list(runMean), runVar: list(runVar), dx: list(dx), dgamma: list(dgamma), dbeta: list(dbeta) };
        const xs = list(x);
        const o = normalise(xs, list(dy), list(gamma), list(beta), range(cols).map((c) => range(rows).map((r) => r * cols + c)), (i) => i % cols, (m) => {
          const c = m[0]!, v = m.map((i) => xs[i]!);
          return training
            ? { mean: plainMean(v), invStd: 1 / Math.sqrt(plainVariance(v) + 1e-5), batch: true }
            : { mean: before.runMean[c]!, invStd: 1 / Math.sqrt(before.runVar[c]! + 1e-5), batch: false };
        });
        const columns = range(cols).map((c) => range(rows).map((r) => xs[r * cols + c]!));
        const oRunMean = training ? before.runMean.map((m, c) => 0.9 * m + 0.1 * plainMean(columns[c]!)) : before.runMean;
        const oRunVar = training ? before.runVar.map((v, c) => 0.9 * v + 0.1 * plainVariance(columns[c]!) * (rows / (rows - 1))) : before.runVar;
        k.batchNormForward(x, gamma, beta, y, mean, invStd, runMean, runVar, rows, cols, 0.1, 1e-5, training);
        const what = `${rows}×${cols} acc=${acc}`;
        // x̂ carries the float32 rounding of x − mean relative to a spread of ~0.15: ~1e-7·10/0.15
        expectClose(y, o.y, 5e-5, `y ${what}`);
        expectClose(mean, o.mean, 1e-6, `mean ${what}`);
        expectClose(invStd, o.invStd, 5e-5, `invStd ${what}`);
        expectClose(runMean, oRunMean, 1e-6, `running mean ${what}`);
        expectClose(runVar, oRunVar, 1e-5, `running variance ${what}`);
        k.batchNormBackward(dy, x, mean, gamma, invStd, sums, dx, dgamma, dbeta, rows, cols, training, acc, acc, acc);
        const scale = o.invStd.reduce((m, v) => Math.max(m, v), 0); // dx is ~invStd·dy: compare relative to it
        expectClose(dx.map((v) => v / scale), plus(before.dx, o.dx, acc).map((v) => v / scale), 2e-5 * Math.sqrt(rows), `dx ${what}`);
        // dγ = Σ dy·x̂ sums `rows` terms whose x̂ each carry ~2e-5 of float32 rounding (see y)
        expectClose(dgamma, plus(before.dgamma, o.dgamma, acc), 2e-5 * rows, `dγ ${what}`);
        expectClose(dbeta, plus(before.dbeta, o.dbeta, acc), 2e-6 * Math.sqrt(rows), `dβ ${what}`);
      }
    }
  });

  it("layer normalisation, with and without accumulate", () => {
    for (const [rows, cols] of shapes) {
      for (const acc of [false, true]) {
        const x = filled(rows * cols, -4, 6), gamma = filled(cols), beta = filled(cols), dy = filled(rows * cols);
        const y = backend.allocate(dtype, rows * cols), mean = backend.allocate(dtype, rows), invStd = backend.allocate(dtype, rows);
        const dx = filled(rows * cols), dgamma = filled(cols), dbeta = filled(cols);
        const before = { dx: list(dx), dgamma: list(dgamma), dbeta: list(dbeta) };
        const xs = list(x);
        const o = normalise(xs, list(dy), list(gamma), list(beta), range(rows).map((r) => range(cols).map((c) => r * cols + c)), (i) => i % cols, (m) => {
          const v = m.map((i) => xs[i]!);
          return { mean: plainMean(v), invStd: 1 / Math.sqrt(plainVariance(v) + 1e-5), batch: true };
        });
        k.layerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, 1e-5);
        const what = `${rows}×${cols} acc=${acc}`;
        expectClose(y, o.y, 2e-6, `y ${what}`);
        expectClose(mean, o.mean, 1e-6, `mean ${what}`);
        expectClose(invStd, o.invStd, 2e-6, `invStd ${what}`);
        k.layerNormBackward(dy, x, mean, gamma, invStd, dx, dgamma, dbeta, rows, cols, acc, acc, acc);
        expectClose(dx, plus(before.dx, o.dx, acc), 2e-6 * Math.sqrt(cols), `dx ${what}`);
        expectClose(dgamma, plus(before.dgamma, o.dgamma, acc), 2e-6 * Math.sqrt(rows), `dγ ${what}`);
        expectClose(dbeta, plus(before.dbeta, o.dbeta, acc), 2e-6 * Math.sqrt(rows), `dβ ${what}`);
      }
    }
  });
});
