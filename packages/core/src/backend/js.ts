import type { FloatArray, DType } from "../tensor.js";
import { allocate } from "../tensor.js";
import type { Backend } from "./backend.js";
import { activationKernels } from "./elementwise.js";
import { matmul, matmulAT, matmulBT } from "./matmul.js";
import { jsNormKernels } from "./normKernels.js";
import { adamUpdate, sgdUpdate } from "./optimKernels.js";

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
  // one sweep each: a TypeScript loop gains nothing from blocking, the wasm backend fuses
  biasActivationForward(s, z, bias, a, rows, cols, training) {
    jsBackend.addBias(z, bias, rows, cols);
    jsBackend.activationForward(s, z, a, rows, cols, training);
  },
  activationBackwardBias(s, z, a, da, dz, dbias, rows, cols, training, acc, accBias) {
    jsBackend.activationBackward(s, z, a, da, dz, rows, cols, training, acc);
    jsBackend.sumRows(dz, dbias, rows, cols, accBias);
  },
  softmaxCrossEntropy,
  ...jsNormKernels,
  copy(src, dst, n) {
    dst.set(n === src.length ? src : src.subarray(0, n));
  },
  sumSquares(x, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    return s;
  },
  probeUpdate,
  sgdUpdate,
  adamUpdate,
  // the TypeScript path measures the plain way: snapshot, update, compare
  sgdUpdateMeasured(w, g, v, rows, cols, lr, momentum, nesterov, decay, out) {
    const w0 = snapshot(w, rows * cols);
    sgdUpdate(w, g, v, rows * cols, lr, momentum, nesterov, decay);
    probeUpdate(w, w0, g, rows, cols, out);
  },
  adamUpdateMeasured(w, g, m, v, rows, cols, lr, beta1, beta2, c1, c2, epsilon, decay, out) {
    const w0 = snapshot(w, rows * cols);
    adamUpdate(w, g, m, v, rows * cols, lr, beta1, beta2, c1, c2, epsilon, decay);
    probeUpdate(w, w0, g, rows, cols, out);
  },
  probeActivation(s, z, a, rows, cols, limit, out) {
    const alive = scratchFlags(cols);
    activationKernels(s.act).probe(z, a, rows * cols, cols, s, limit, alive, out);
    let dead = 0;
    for (let j = 0; j < cols; j++) dead += 1 - alive[j]!;
    out[11] = dead;
  },
};

// per-unit scratch of the probe reductions, grown as needed (kernels allocate nothing per call)
let upScratch = new Int32Array(0), downScratch = new Int32Array(0), flags = new Uint8Array(0);

let snap32 = new Float32Array(0), snap64 = new Float64Array(0);

/** A copy of the first n values of w in a reused buffer of w's type. */
function snapshot(w: FloatArray, n: number): FloatArray {
  if (w instanceof Float64Array) {
    if (snap64.length < n) snap64 = new Float64Array(n);
    snap64.set(w.subarray(0, n));
    return snap64;
  }
  if (snap32.length < n) snap32 = new Float32Array(n);
  snap32.set(w.subarray(0, n));
  return snap32;
}

function scratchFlags(cols: number): Uint8Array {
  if (flags.length < cols) flags = new Uint8Array(cols);
  flags.fill(0, 0, cols);
  return flags;
}

/** See {@link Backend.probeUpdate}: one row-major pass, differences in float64. */
function probeUpdate(W: FloatArray, W0: FloatArray, G: FloatArray, fanIn: number, fanOut: number, out: Float64Array): void {
  if (upScratch.length < fanOut) [upScratch, downScratch] = [new Int32Array(fanOut), new Int32Array(fanOut)];
  // locals, so the hot loop does not reload module bindings
  const up = upScratch.fill(0, 0, fanOut), down = downScratch.fill(0, 0, fanOut);
  let dw2 = 0, w02 = 0, w2 = 0, g2 = 0;
  for (let i = 0, idx = 0; i < fanIn; i++) {
    for (let j = 0; j < fanOut; j++, idx++) {
      const w = W[idx]!, w0 = W0[idx]!, d = w - w0, g = G[idx]!;
      dw2 += d * d;
      w02 += w0 * w0;
      w2 += w * w;
      g2 += g * g;
      up[j]! += +(d > 0);
      down[j]! += +(d < 0);
    }
  }
  let sum = 0, moved = 0;
  for (let j = 0; j < fanOut; j++) {
    const u = up[j]!, v = down[j]!;
    if (u + v > 0) {
      sum += Math.max(u, v) / (u + v);
      moved++;
    }
  }
  out[0] = dw2; out[1] = w02; out[2] = w2; out[3] = g2; out[4] = sum; out[5] = moved;
}

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
