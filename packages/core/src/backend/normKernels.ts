import type { FloatArray } from "../tensor.js";

/**
 * Normalisation kernels (batch and layer normalisation), forward and backward together so one can
 * be checked against the other on one screen. The TypeScript versions here are the oracle and the
 * fallback of backends without their own ({@link normKernels}). Matrices are row-major [rows × cols].
 * Backward recomputes x̂ = (x − mean)·invStd from the input and the statistics forward kept, rather
 * than keeping x̂: one buffer of rows × cols less to write and hold per layer (the step's memory
 * traffic is what normalisation costs most). `acc…` add into a gradient instead of overwriting it.
 */
export interface NormKernels {
  /**
   * Batch normalisation over the rows of each column. Training: mean and biased variance of the
   * batch normalise, mean[c] and invStd[c] = 1/√(var + ε) are kept, and the running estimates move
   * by `momentum` towards the batch mean and the unbiased variance (PyTorch's BatchNorm1d).
   * Eval: the running estimates normalise (and are copied to mean, invStd). y = γ ⊙ x̂ + β.
   */
  batchNormForward(
    x: FloatArray, gamma: FloatArray, beta: FloatArray, y: FloatArray, mean: FloatArray, invStd: FloatArray,
    runningMean: FloatArray, runningVar: FloatArray, rows: number, cols: number, momentum: number, epsilon: number, training: boolean,
  ): void;
  /**
   * With x̂ = (x − mean)·invStd: dγ (+)= Σ_r dy ⊙ x̂, dβ (+)= Σ_r dy, and dx (+)= γ·invStd ⊙ (dy −
   * Σdy/N − x̂ ⊙ Σ(dy ⊙ x̂)/N) in training (the batch statistics depend on every row), γ·invStd ⊙ dy
   * in eval. `sums` is scratch of 2·cols values.
   */
  batchNormBackward(
    dy: FloatArray, x: FloatArray, mean: FloatArray, gamma: FloatArray, invStd: FloatArray, sums: FloatArray, dx: FloatArray,
    dgamma: FloatArray, dbeta: FloatArray, rows: number, cols: number, training: boolean, accX: boolean, accGamma: boolean, accBeta: boolean,
  ): void;
  /** Layer normalisation over the columns of each row (Ba et al. 2016): mean[r] and invStd[r] kept, y = γ ⊙ x̂ + β. */
  layerNormForward(x: FloatArray, gamma: FloatArray, beta: FloatArray, y: FloatArray, mean: FloatArray, invStd: FloatArray, rows: number, cols: number, epsilon: number): void;
  /** With g = dy ⊙ γ: dx (+)= invStd[r]·(g − Σ_c g/C − x̂ ⊙ Σ_c(g ⊙ x̂)/C); dγ, dβ as batch normalisation's. */
  layerNormBackward(
    dy: FloatArray, x: FloatArray, mean: FloatArray, gamma: FloatArray, invStd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
    rows: number, cols: number, accX: boolean, accGamma: boolean, accBeta: boolean,
  ): void;
}

/** The TypeScript kernels: sums in JavaScript numbers (float64) where the loop order allows. */
export const jsNormKernels: NormKernels = {
  batchNormForward(x, gamma, beta, y, mean, invStd, runMean, runVar, rows, cols, momentum, epsilon, training) {
    if (training) {
      // two passes (mean, then squared deviations): E[x²] − E[x]² cancels badly in float32. The
      // mean sums deviations from the first row, so a float32 sum stays small when the values sit
      // far from 0 (a plain sum of 60 values near 10 lost 2e-4 of a spread of 0.15)
      mean.fill(0, 0, cols);
      invStd.fill(0, 0, cols);
      for (let r = 1, o = cols; r < rows; r++, o += cols) for (let c = 0; c < cols; c++) mean[c]! += x[o + c]! - x[c]!;
      for (let c = 0; c < cols; c++) mean[c] = x[c]! + mean[c]! / rows;
      for (let r = 0, o = 0; r < rows; r++, o += cols) {
        for (let c = 0; c < cols; c++) {
          const d = x[o + c]! - mean[c]!;
          invStd[c]! += d * d;
        }
      }
      const unbiased = rows / (rows - 1);
      for (let c = 0; c < cols; c++) {
        const v = invStd[c]! / rows;
        runMean[c] = (1 - momentum) * runMean[c]! + momentum * mean[c]!;
        runVar[c] = (1 - momentum) * runVar[c]! + momentum * v * unbiased;
        invStd[c] = 1 / Math.sqrt(v + epsilon);
      }
    } else {
      for (let c = 0; c < cols; c++) {
        mean[c] = runMean[c]!;
        invStd[c] = 1 / Math.sqrt(runVar[c]! + epsilon);
      }
    }
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) y[o + c] = gamma[c]! * ((x[o + c]! - mean[c]!) * invStd[c]!) + beta[c]!;
    }
  },
  batchNormBackward(dy, x, mean, gamma, invStd, sums, dx, dgamma, dbeta, rows, cols, training, accX, accGamma, accBeta) {
    // sums[c] = Σ_r dy, sums[cols + c] = Σ_r dy·x̂: β's and γ's gradients, and what dx subtracts
    sums.fill(0, 0, 2 * cols);
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) {
        const g = dy[o + c]!;
        sums[c]! += g;
        sums[cols + c]! += g * ((x[o + c]! - mean[c]!) * invStd[c]!);
      }
    }
    for (let c = 0; c < cols; c++) {
      dbeta[c] = (accBeta ? dbeta[c]! : 0) + sums[c]!;
      dgamma[c] = (accGamma ? dgamma[c]! : 0) + sums[cols + c]!;
    }
    const inv = training ? 1 / rows : 0; // eval: the running statistics are constants
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) {
        const h = (x[o + c]! - mean[c]!) * invStd[c]!;
        const v = gamma[c]! * invStd[c]! * (dy[o + c]! - inv * (sums[c]! + h * sums[cols + c]!));
        dx[o + c] = accX ? dx[o + c]! + v : v;
      }
    }
  },
  layerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, epsilon) {
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += x[o + c]!;
      const m = s / cols;
      let v = 0;
      for (let c = 0; c < cols; c++) {
        const d = x[o + c]! - m;
        v += d * d;
      }
      const is = 1 / Math.sqrt(v / cols + epsilon);
      mean[r] = m;
      invStd[r] = is;
      for (let c = 0; c < cols; c++) y[o + c] = gamma[c]! * ((x[o + c]! - m) * is) + beta[c]!;
    }
  },
  layerNormBackward(dy, x, mean, gamma, invStd, dx, dgamma, dbeta, rows, cols, accX, accGamma, accBeta) {
    if (!accGamma) dgamma.fill(0, 0, cols);
    if (!accBeta) dbeta.fill(0, 0, cols);
    const inv = 1 / cols;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      const m = mean[r]!, is = invStd[r]!;
      let s1 = 0, s2 = 0;
      for (let c = 0; c < cols; c++) {
        const d = dy[o + c]!, h = (x[o + c]! - m) * is, g = d * gamma[c]!;
        s1 += g;
        s2 += g * h;
        dgamma[c]! += d * h;
        dbeta[c]! += d;
      }
      for (let c = 0; c < cols; c++) {
        const h = (x[o + c]! - m) * is;
        const v = is * (dy[o + c]! * gamma[c]! - inv * (s1 + h * s2));
        dx[o + c] = accX ? dx[o + c]! + v : v;
      }
    }
  },
};

/**
 * A backend's normalisation kernels, with the TypeScript ones standing in for any it lacks.
 * @example
 * const k = normKernels(createWasmBackend());
 */
export function normKernels(backend: Partial<NormKernels>): NormKernels {
  const b = backend, js = jsNormKernels;
  return {
    batchNormForward: b.batchNormForward ? b.batchNormForward.bind(b) : js.batchNormForward,
    batchNormBackward: b.batchNormBackward ? b.batchNormBackward.bind(b) : js.batchNormBackward,
    layerNormForward: b.layerNormForward ? b.layerNormForward.bind(b) : js.layerNormForward,
    layerNormBackward: b.layerNormBackward ? b.layerNormBackward.bind(b) : js.layerNormBackward,
  };
}
