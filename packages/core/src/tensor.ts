/** The element types there are: the one list that DType, checkDType and run configs' checks read. */
export const dtypes = ["float32", "float64"] as const;

/** Element type of a tensor: float32 by default, float64 for gradient checks and for gradients float32 cannot hold. */
export type DType = (typeof dtypes)[number];

/** The typed arrays a tensor can live in. */
export type FloatArray = Float32Array | Float64Array;

/** A row-major block of numbers with a shape. Tensors are plain data: no methods, no hidden state. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: FloatArray;
}

/** Number of elements of a shape; throws on a dimension that is not a non-negative integer. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid dimension ${d} in shape ${shapeString(shape)}`);
    n *= d;
  }
  return n;
}

/** `[2, 3]` → `"[2, 3]"`, for error messages. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Throws a RangeError naming an unknown dtype and the known ones (a dtype can come from untyped JSON). */
export function checkDType(dtype: unknown): asserts dtype is DType {
  if (!(dtypes as readonly unknown[]).includes(dtype)) {
    throw new RangeError(`unknown dtype ${JSON.stringify(dtype)} (known: ${dtypes.join(", ")})`);
  }
}

/** The element type of a buffer. */
export function dtypeOf(x: FloatArray): DType {
  return x instanceof Float64Array ? "float64" : "float32";
}

/** A typed array of the given dtype and length. */
export function allocate(dtype: DType, length: number): FloatArray {
  checkDType(dtype);
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}

/**
 * A tensor of `shape`, zero-filled or holding a copy of `values`.
 * @example tensor([2, 2], "float64", [1, 2, 3, 4])
 */
export function tensor(shape: readonly number[], dtype: DType = "float32", values?: ArrayLike<number>): Tensor {
  checkDType(dtype);
  const n = sizeOf(shape);
  const data = allocate(dtype, n);
  if (values !== undefined) {
    if (values.length !== n) {
      throw new RangeError(`tensor of shape ${shapeString(shape)} needs ${n} values, got ${values.length}`);
    }
    data.set(values);
  }
  return { shape: [...shape], dtype, data };
}
