// Batch and layer normalisation, forward and backward (the TypeScript oracle and the formulas are
// in src/backend/normKernels.ts). Batch statistics are per column: four columns per vector, rows
// walked in memory order, the per-column sums kept in the `mean` / `invStd` / `sums` buffers.
// Layer statistics are per row: four lanes summed, then added in f64.
import { hsum, madd } from "./common";

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** y = γ ⊙ (x − mean[c])·invStd[c] + β. */
function normaliseColumns(x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, y: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < c4; c += 4) {
      const h = f32x4.mul(f32x4.sub(v128.load(at(x, o + c)), v128.load(at(mean, c))), v128.load(at(invStd, c)));
      v128.store(at(y, o + c), madd(v128.load(at(gamma, c)), h, v128.load(at(beta, c))));
    }
    for (let c = c4; c < cols; c++) {
      const h = (load<f32>(at(x, o + c)) - load<f32>(at(mean, c))) * load<f32>(at(invStd, c));
      store<f32>(at(y, o + c), load<f32>(at(gamma, c)) * h + load<f32>(at(beta, c)));
    }
  }
}

/** See NormKernels.batchNormForward. */
export function batchNormForward(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, invStd: usize,
  runMean: usize, runVar: usize, rows: i32, cols: i32, momentum: f64, epsilon: f64, training: bool,
): void {
  if (!training) {
    // backward recomputes x̂ from mean and invStd: they hold the running estimates in eval mode
    memory.copy(mean, runMean, <usize>cols << 2);
    for (let c = 0; c < cols; c++) store<f32>(at(invStd, c), <f32>(1.0 / Math.sqrt(<f64>load<f32>(at(runVar, c)) + epsilon)));
    normaliseColumns(x, mean, invStd, gamma, beta, y, rows, cols);
    return;
  }
  const c4 = cols & ~3;
  // one pass: sums of d = x − x[0, c] and of d² (the shift by the first row keeps E[d²] − E[d]²
  // from cancelling when the values sit far from 0; |x[0, c] − mean| is a few spreads at most)
  memory.fill(mean, 0, <usize>cols << 2);
  memory.fill(invStd, 0, <usize>cols << 2);
  for (let r = 1; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < c4; c += 4) {
      const d = f32x4.sub(v128.load(at(x, o + c)), v128.load(at(x, c)));
      v128.store(at(mean, c), f32x4.add(v128.load(at(mean, c)), d));
      v128.store(at(invStd, c), madd(d, d, v128.load(at(invStd, c))));
    }
    for (let c = c4; c < cols; c++) {
      const d = load<f32>(at(x, o + c)) - load<f32>(at(x, c));
      store<f32>(at(mean, c), load<f32>(at(mean, c)) + d);
      store<f32>(at(invStd, c), load<f32>(at(invStd, c)) + d * d);
    }
  }
  const unbiased: f64 = <f64>rows / <f64>(rows - 1);
  for (let c = 0; c < cols; c++) {
    const m: f64 = <f64>load<f32>(at(mean, c)) / <f64>rows;
    const v: f64 = Math.max(0, <f64>load<f32>(at(invStd, c)) / <f64>rows - m * m); // biased: E[d²] − E[d]²
    const mu: f64 = <f64>load<f32>(at(x, c)) + m;
    store<f32>(at(mean, c), <f32>mu);
    store<f32>(at(runMean, c), <f32>((1 - momentum) * <f64>load<f32>(at(runMean, c)) + momentum * mu));
    store<f32>(at(runVar, c), <f32>((1 - momentum) * <f64>load<f32>(at(runVar, c)) + momentum * v * unbiased));
    store<f32>(at(invStd, c), <f32>(1.0 / Math.sqrt(v + epsilon)));
  }
  normaliseColumns(x, mean, invStd, gamma, beta, y, rows, cols);
}

/** See NormKernels.batchNormBackward. `sums` holds 2·cols floats. */
export function batchNormBackward(
  dy: usize, x: usize, mean: usize, gamma: usize, invStd: usize, sums: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32, training: bool, accX: bool, accGamma: bool, accBeta: bool,
): void {
  const c4 = cols & ~3;
  const s1 = sums, s2 = at(sums, cols);
  // s2 sums dy·(x − mean); it is scaled by invStd below, once per column instead of once per element
  memory.fill(sums, 0, <usize>cols << 3);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < c4; c += 4) {
      const g = v128.load(at(dy, o + c));
      v128.store(at(s1, c), f32x4.add(v128.load(at(s1, c)), g));
      v128.store(at(s2, c), madd(g, f32x4.sub(v128.load(at(x, o + c)), v128.load(at(mean, c))), v128.load(at(s2, c))));
    }
    for (let c = c4; c < cols; c++) {
      const g = load<f32>(at(dy, o + c));
      store<f32>(at(s1, c), load<f32>(at(s1, c)) + g);
      store<f32>(at(s2, c), load<f32>(at(s2, c)) + g * (load<f32>(at(x, o + c)) - load<f32>(at(mean, c))));
    }
  }
  // the parameters' gradients, then the sums scaled to what dx subtracts (0 in eval: constants)
  const inv: f32 = training ? <f32>(1.0 / <f64>rows) : 0;
  for (let c = 0; c < cols; c++) {
    const a = load<f32>(at(s1, c)), b = load<f32>(at(s2, c)) * load<f32>(at(invStd, c));
    store<f32>(at(dbeta, c), accBeta ? load<f32>(at(dbeta, c)) + a : a);
    store<f32>(at(dgamma, c), accGamma ? load<f32>(at(dgamma, c)) + b : b);
    store<f32>(at(s1, c), a * inv);
    store<f32>(at(s2, c), b * inv);
  }
  const keep = accX ? i32x4.splat(-1) : i32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < c4; c += 4) {
      const is = v128.load(at(invStd, c)), scale = f32x4.mul(v128.load(at(gamma, c)), is);
      const h = f32x4.mul(f32x4.sub(v128.load(at(x, o + c)), v128.load(at(mean, c))), is);
      const inner = f32x4.sub(v128.load(at(dy, o + c)), madd(h, v128.load(at(s2, c)), v128.load(at(s1, c))));
      v128.store(at(dx, o + c), madd(scale, inner, v128.and(v128.load(at(dx, o + c)), keep)));
    }
    for (let c = c4; c < cols; c++) {
      const is = load<f32>(at(invStd, c)), h = (load<f32>(at(x, o + c)) - load<f32>(at(mean, c))) * is;
      const v = load<f32>(at(gamma, c)) * is * (load<f32>(at(dy, o + c)) - (load<f32>(at(s1, c)) + h * load<f32>(at(s2, c))));
      store<f32>(at(dx, o + c), accX ? load<f32>(at(dx, o + c)) + v : v);
    }
  }
}

/** See NormKernels.layerNormForward. */
export function layerNormForward(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, invStd: usize, rows: i32, cols: i32, epsilon: f64): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * cols);
    // mean of deviations from the row's first value, then squared deviations from the mean
    const x0: f32 = load<f32>(row), x0v = f32x4.splat(x0);
    let acc = f32x4.splat(0);
    for (let c = 0; c < c4; c += 4) acc = f32x4.add(acc, f32x4.sub(v128.load(at(row, c)), x0v));
    let s = hsum(acc);
    for (let c = c4; c < cols; c++) s += <f64>(load<f32>(at(row, c)) - x0);
    const m: f32 = <f32>(<f64>x0 + s / <f64>cols), mv = f32x4.splat(m);
    acc = f32x4.splat(0);
    for (let c = 0; c < c4; c += 4) {
      const d = f32x4.sub(v128.load(at(row, c)), mv);
      acc = madd(d, d, acc);
    }
    let v = hsum(acc);
    for (let c = c4; c < cols; c++) {
      const d = <f64>(load<f32>(at(row, c)) - m);
      v += d * d;
    }
    const is: f32 = <f32>(1.0 / Math.sqrt(v / <f64>cols + epsilon)), isv = f32x4.splat(is);
    store<f32>(at(mean, r), m);
    store<f32>(at(invStd, r), is);
    const o = r * cols;
    for (let c = 0; c < c4; c += 4) {
      const h = f32x4.mul(f32x4.sub(v128.load(at(row, c)), mv), isv);
      v128.store(at(y, o + c), madd(v128.load(at(gamma, c)), h, v128.load(at(beta, c))));
    }
    for (let c = c4; c < cols; c++) {
      const h = (load<f32>(at(row, c)) - m) * is;
      store<f32>(at(y, o + c), load<f32>(at(gamma, c)) * h + load<f32>(at(beta, c)));
    }
  }
}

/** See NormKernels.layerNormBackward. */
export function layerNormBackward(
  dy: usize, x: usize, mean: usize, gamma: usize, invStd: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32, accX: bool, accGamma: bool, accBeta: bool,
): void {
  if (!accGamma) memory.fill(dgamma, 0, <usize>cols << 2);
  if (!accBeta) memory.fill(dbeta, 0, <usize>cols << 2);
  const c4 = cols & ~3;
  const invCols: f32 = <f32>(1.0 / <f64>cols);
  const keep = accX ? i32x4.splat(-1) : i32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const m: f32 = load<f32>(at(mean, r)), is: f32 = load<f32>(at(invStd, r));
    const mv = f32x4.splat(m), isv = f32x4.splat(is);
    let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
    for (let c = 0; c < c4; c += 4) {
      const d = v128.load(at(dy, o + c)), h = f32x4.mul(f32x4.sub(v128.load(at(x, o + c)), mv), isv);
      const g = f32x4.mul(d, v128.load(at(gamma, c)));
      a1 = f32x4.add(a1, g);
      a2 = madd(g, h, a2);
      v128.store(at(dgamma, c), madd(d, h, v128.load(at(dgamma, c))));
      v128.store(at(dbeta, c), f32x4.add(v128.load(at(dbeta, c)), d));
    }
    let s1 = hsum(a1), s2 = hsum(a2);
    for (let c = c4; c < cols; c++) {
      const d = load<f32>(at(dy, o + c)), h = (load<f32>(at(x, o + c)) - m) * is, g = d * load<f32>(at(gamma, c));
      s1 += <f64>g;
      s2 += <f64>(g * h);
      store<f32>(at(dgamma, c), load<f32>(at(dgamma, c)) + d * h);
      store<f32>(at(dbeta, c), load<f32>(at(dbeta, c)) + d);
    }
    const k1: f32 = <f32>s1 * invCols, k2: f32 = <f32>s2 * invCols;
    const k1v = f32x4.splat(k1), k2v = f32x4.splat(k2);
    for (let c = 0; c < c4; c += 4) {
      const g = f32x4.mul(v128.load(at(dy, o + c)), v128.load(at(gamma, c)));
      const h = f32x4.mul(f32x4.sub(v128.load(at(x, o + c)), mv), isv);
      const inner = f32x4.sub(g, madd(h, k2v, k1v));
      v128.store(at(dx, o + c), madd(isv, inner, v128.and(v128.load(at(dx, o + c)), keep)));
    }
    for (let c = c4; c < cols; c++) {
      const h = (load<f32>(at(x, o + c)) - m) * is;
      const v = is * (load<f32>(at(dy, o + c)) * load<f32>(at(gamma, c)) - (k1 + h * k2));
      store<f32>(at(dx, o + c), accX ? load<f32>(at(dx, o + c)) + v : v);
    }
  }
}
