import type { FloatArray } from "../tensor.js";

// Plain-TypeScript matrix products, register-tiled: each inner loop keeps a small block of C in
// locals so every load of A and B feeds several multiply-adds. Row-major throughout.

/** C[m×n] (+)= A[m×k] · B[k×n]. 2×4 tile of C; k innermost. */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  if (!acc) c.fill(0, 0, m * n);
  // i-k-j order with 4 rows of A at a time: B's row is streamed once for four rows of C
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]!, x1 = a[a1 + p]!, x2 = a[a2 + p]!, x3 = a[a3 + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bp + j]!;
        c[c0 + j]! += x0 * y;
        c[c1 + j]! += x1 * y;
        c[c2 + j]! += x2 * y;
        c[c3 + j]! += x3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n, ai = i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ai + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += x * b[bp + j]!;
    }
  }
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ: dot products of rows, 2×2 at a time. */
export function matmulBT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k, a1 = a0 + k;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!, x1 = a[a1 + p]!, y0 = b[b0 + p]!, y1 = b[b1 + p]!;
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      store(c, i * n + j, s00, acc); store(c, i * n + j + 1, s01, acc);
      store(c, (i + 1) * n + j, s10, acc); store(c, (i + 1) * n + j + 1, s11, acc);
    }
    for (; j < n; j++) {
      const bj = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) { const y = b[bj + p]!; s0 += a[a0 + p]! * y; s1 += a[a1 + p]! * y; }
      store(c, i * n + j, s0, acc); store(c, (i + 1) * n + j, s1, acc);
    }
  }
  for (; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      store(c, i * n + j, s, acc);
    }
  }
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n]: rank-1 updates, 4 rows of C per pass over B's row. */
export function matmulAT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, acc: boolean): void {
  if (!acc) c.fill(0, 0, m * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const ap = p * m + i;
      const x0 = a[ap]!, x1 = a[ap + 1]!, x2 = a[ap + 2]!, x3 = a[ap + 3]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bp + j]!;
        c[c0 + j]! += x0 * y;
        c[c1 + j]! += x1 * y;
        c[c2 + j]! += x2 * y;
        c[c3 + j]! += x3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const x = a[p * m + i]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += x * b[bp + j]!;
    }
  }
}

function store(c: FloatArray, idx: number, v: number, acc: boolean): void {
  c[idx] = acc ? c[idx]! + v : v;
}
