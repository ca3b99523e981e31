import type { FloatArray } from "../tensor.js";

// Plain-TypeScript matrix products. One strided kernel serves the three forms a dense layer needs
// (x·W, dz·Wᵀ, xᵀ·dz), so backward never materialises a transpose. It is register-tiled: a 2×4
// block of C lives in locals across the whole k loop, so each load of A or B feeds 4 or 2
// multiply-adds and C is written once (measured ~1.8× faster than an i-k-j loop that streams C).

/**
 * C[m×n] (+)= A·B where A(i, p) = a[i·ai + p·ap] and B(p, j) = b[p·bp + j·bj].
 */
function gemm(
  a: FloatArray, ai: number, ap: number, b: FloatArray, bp: number, bj: number,
  c: FloatArray, m: number, k: number, n: number, acc: boolean,
): void {
  const m2 = m - (m % 2), n4 = n - (n % 4);
  for (let i = 0; i < m2; i += 2) {
    const r0 = i * ai, r1 = r0 + ai, o0 = i * n, o1 = o0 + n;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0, pa = 0, pb = j * bj; p < k; p++, pa += ap, pb += bp) {
        const x0 = a[r0 + pa]!, x1 = a[r1 + pa]!;
        const y0 = b[pb]!, y1 = b[pb + bj]!, y2 = b[pb + 2 * bj]!, y3 = b[pb + 3 * bj]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      if (acc) {
        c[o0 + j]! += c00; c[o0 + j + 1]! += c01; c[o0 + j + 2]! += c02; c[o0 + j + 3]! += c03;
        c[o1 + j]! += c10; c[o1 + j + 1]! += c11; c[o1 + j + 2]! += c12; c[o1 + j + 3]! += c13;
      } else {
        c[o0 + j] = c00; c[o0 + j + 1] = c01; c[o0 + j + 2] = c02; c[o0 + j + 3] = c03;
        c[o1 + j] = c10; c[o1 + j + 1] = c11; c[o1 + j + 2] = c12; c[o1 + j + 3] = c13;
      }
    }
    if (n4 < n) edge(a, ai, ap, b, bp, bj, c, i, i + 2, n4, n, k, n, acc);
  }
  if (m2 < m) edge(a, ai, ap, b, bp, bj, c, m2, m, 0, n, k, n, acc);
}

/** The ragged edges the 2×4 tile does not cover: one dot product per element. */
function edge(
  a: FloatArray, ai: number, ap: number, b: FloatArray, bp: number, bj: number, c: FloatArray,
  i0: number, i1: number, j0: number, j1: number, k: number, n: number, acc: boolean,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * ai + p * ap]! * b[p * bp + j * bj]!;
      c[i * n + j] = acc ? c[i * n + j]! + s : s;
    }
  }
}

/** C[m×n] (+)= A[m×k] · B[k×n]: the dense forward pass x·W. */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  gemm(a, k, 1, b, n, 1, c, m, k, n, acc);
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ: the input gradient dz·Wᵀ. */
export function matmulBT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  gemm(a, k, 1, b, 1, k, c, m, k, n, acc);
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n]: the weight gradient xᵀ·dz. */
export function matmulAT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  gemm(a, 1, m, b, n, 1, c, m, k, n, acc);
}
