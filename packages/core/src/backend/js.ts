import type { FloatArray, DType } from "../tensor.js";
import { allocate } from "../tensor.js";
import type { Backend } from "./backend.js";
import { activationKernels } from "./elementwise.js";
import { matmul, matmulAT, matmulBT } from "./matmul.js";

/**
 * The plain TypeScript backend: always available, the correctness oracle for faster backends,
 * and the only one that runs float64.
 */
export const jsBackend: Backend = {
  name: "js",
  allocate: (dtype: DType, length: number) => allocate(dtype, length),
  matmul,
  matmulBT,
  matmulAT,
  addBias(z, bias, rows, cols) {
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) z[o + c]! += bias[c]!;
    }
  },
  sumRows(x, out, rows, cols, acc) {
    if (!acc) out.fill(0, 0, cols);
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) out[c]! += x[o + c]!;
    }
  },
  add(a, b, out, n, acc) {
    if (acc) for (let i = 0; i < n; i++) out[i]! += a[i]! + b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
  },
  scale(a, s, out, n, acc) {
    if (acc) for (let i = 0; i < n; i++) out[i]! += s * a[i]!;
    else for (let i = 0; i < n; i++) out[i] = s * a[i]!;
  },
  mul(a, b, out, n, acc) {
    if (acc) for (let i = 0; i < n; i++) out[i]! += a[i]! * b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
  },
  activationForward(s, z, a, rows, cols, training) {
    const k = activationKernels(s.act);
    (training ? k.forwardTrain : k.forward)(z, a, rows * cols, cols, s);
  },
  activationBackward(s, z, a, da, dz, rows, cols, training, acc) {
    const k = activationKernels(s.act);
    const run = training
      ? acc ? k.backwardTrainAccumulate : k.backwardTrain
      : acc ? k.backwardAccumulate : k.backward;
    run(z, a, da, dz, rows * cols, cols, s);
  },
  softmaxCrossEntropy,
};

function softmaxCrossEntropy(
  logits: FloatArray, labels: Int32Array, probs: FloatArray, dlogits: FloatArray, rows: number, cols: number,
): number {
  let loss = 0;
  const inv = 1 / rows;
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    const label = labels[r]!;
    if (!(label >= 0 && label < cols)) throw new RangeError(`label ${label} at row ${r} is outside [0, ${cols})`);
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (logits[o + c]! > max) max = logits[o + c]!;
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(logits[o + c]! - max);
      probs[o + c] = e;
      sum += e;
    }
    const invSum = 1 / sum;
    for (let c = 0; c < cols; c++) {
      const p = probs[o + c]! * invSum;
      probs[o + c] = p;
      dlogits[o + c] = (p - (c === label ? 1 : 0)) * inv;
    }
    // log-sum-exp form: exact even when the label's probability underflows
    loss += Math.log(sum) + max - logits[o + label]!;
  }
  return loss * inv;
}
