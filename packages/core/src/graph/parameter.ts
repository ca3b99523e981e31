import type { DType, FloatArray } from "../tensor.js";
import { allocate, sizeOf } from "../tensor.js";

/**
 * A trainable tensor: its value and the gradient the last backward pass left. Parameters live
 * outside graphs, so graphs built for different batch sizes share them.
 */
export interface Parameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: FloatArray;
  readonly grad: FloatArray;
}

/** A zero-filled parameter. */
export function parameter(
  name: string, shape: readonly number[], dtype: DType = "float32",
  alloc: (dtype: DType, length: number) => FloatArray = allocate,
): Parameter {
  const n = sizeOf(shape);
  return { name, shape: [...shape], value: alloc(dtype, n), grad: alloc(dtype, n) };
}
