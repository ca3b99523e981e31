// A dense layer's bias and activation in one pass per block of rows: the bias add and f (forward),
// or f′ and the bias gradient's column sums (backward), run on a block while it is in L1, instead
// of two sweeps over the whole [rows × cols] buffer.
import { activationBackward, activationForward } from "./activations";
import { addBias, sumRows } from "./elementwise";

/** Bytes per block of rows: well inside a 32 KiB L1 with z, a, da and dz blocks live at once. */
const BLOCK_BYTES = 4096;

/** Rows per block: at least one. */
// @ts-ignore: decorator
@inline function blockRows(cols: i32): i32 {
  return max(1, BLOCK_BYTES / max(1, cols << 2));
}

/** z[r, c] += bias[c]; then a = f(z). */
export function biasActivationForward(id: i32, z: usize, bias: usize, a: usize, rows: i32, cols: i32, param: f32): void {
  const step = blockRows(cols);
  for (let r = 0; r < rows; r += step) {
    const n = min(step, rows - r), at = <usize>(r * cols) << 2;
    addBias(z + at, bias, n, cols);
    activationForward(id, z + at, a + at, n * cols, param);
  }
}

/** dz (+)= da ⊙ f′(z); then dbias[c] (+)= Σ_r dz[r, c] over the final dz. */
export function activationBackwardBias(id: i32, z: usize, a: usize, da: usize, dz: usize, dbias: usize, rows: i32, cols: i32, param: f32, accDz: bool, accBias: bool): void {
  if (!accBias) memory.fill(dbias, 0, <usize>cols << 2);
  const step = blockRows(cols);
  for (let r = 0; r < rows; r += step) {
    const n = min(step, rows - r), at = <usize>(r * cols) << 2;
    activationBackward(id, z + at, a + at, da + at, dz + at, n * cols, param, accDz);
    sumRows(dz + at, dbias, n, cols, true);
  }
}
