// Matrix products: one strided kernel for x·W, dz·Wᵀ and xᵀ·dz.
import { flush4, flushBelow, madd } from "./common";

/** Rows of B per block: the block of A (m × KC) stays in L2 while every column panel passes over it. */
const KC = 128;
/** Columns per packed panel of B, and per register tile of C. */
const NR = 16;

/** Bytes of scratch {@link gemm} needs for an n-column product. */
export function gemmScratch(n: i32): usize {
  return <usize>(KC * ((n + NR - 1) & ~(NR - 1))) << 2;
}

/**
 * C[m×n] (+)= A·B with A(i, p) = a[i·ai + p·ap] and B(p, j) = b[p·bp + j·bj], so one kernel serves
 * x·W, dz·Wᵀ and xᵀ·dz. Per block of KC rows of B, B is packed into panels of 16 columns, each
 * contiguous (a strided panel maps onto a handful of L1 sets at power-of-two widths and thrashes);
 * then 2×16 tiles of C sweep down the rows with their 8 accumulators in registers. Of the tile
 * shapes measured here (4×8, 6×8, 4×12, 3×16, 2×16, 2×20, 2×24, 1×32, 8×4) 2×16 was fastest by
 * 1.3–2×: two broadcasts per eight multiply-adds, and no register spills.
 */
export function gemm(a: usize, ai: i32, ap: i32, b: usize, bp: i32, bj: i32, c: usize, m: i32, k: i32, n: i32, acc: bool, scratch: usize): void {
  if (k == 0) {
    if (!acc) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * n) << 2), 0, <usize>n << 2);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    pack(b + (<usize>(p0 * bp) << 2), bp, bj, scratch, kc, n);
    tiles(a + (<usize>(p0 * ap) << 2), ai, ap, scratch, c, m, kc, n, acc || p0 > 0);
  }
}

/** packed[panel][p][0..15] = B(p, 16·panel + q), zero past column n. */
function pack(b: usize, bp: i32, bj: i32, out: usize, k: i32, n: i32): void {
  for (let j = 0; j < n; j += NR) {
    const cols = min(NR, n - j);
    let o = out + (<usize>(j * k) << 2);
    if (cols == NR && bj == 1) {
      for (let p = 0; p < k; p++, o += NR << 2) {
        const src = b + (<usize>(p * bp + j) << 2);
        v128.store(o, v128.load(src));
        v128.store(o, v128.load(src, 16), 16);
        v128.store(o, v128.load(src, 32), 32);
        v128.store(o, v128.load(src, 48), 48);
      }
      continue;
    }
    for (let p = 0; p < k; p++, o += NR << 2) {
      for (let q = 0; q < NR; q++) {
        store<f32>(o + (<usize>q << 2), q < cols ? load<f32>(b + (<usize>(p * bp + (j + q) * bj) << 2)) : 0);
      }
    }
  }
}

function tiles(a: usize, ai: i32, ap: i32, packed: usize, c: usize, m: i32, k: i32, n: i32, acc: bool): void {
  const sa = <usize>ap << 2, rs = <usize>n << 2;
  for (let j = 0; j < n; j += NR) {
    const cols = min(NR, n - j);
    const panel = packed + (<usize>(j * k) << 2);
    for (let i = 0; i < m; i += 2) {
      const pa0 = a + (<usize>(i * ai) << 2);
      const pa1 = a + (<usize>(min(i + 1, m - 1) * ai) << 2); // a clamped row: its results are dropped
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let pb = panel, oa: usize = 0;
      for (let p = 0; p < k; p++) {
        const x0 = v128.load32_splat(pa0 + oa), x1 = v128.load32_splat(pa1 + oa);
        const b0 = v128.load(pb);
        c00 = madd(x0, b0, c00); c10 = madd(x1, b0, c10);
        const b1 = v128.load(pb, 16);
        c01 = madd(x0, b1, c01); c11 = madd(x1, b1, c11);
        const b2 = v128.load(pb, 32);
        c02 = madd(x0, b2, c02); c12 = madd(x1, b2, c12);
        const b3 = v128.load(pb, 48);
        c03 = madd(x0, b3, c03); c13 = madd(x1, b3, c13);
        pb += NR << 2; oa += sa;
      }
      const pc = c + (<usize>(i * n + j) << 2);
      if (cols == NR) {
        storeRow(pc, c00, c01, c02, c03, acc);
        if (i + 1 < m) storeRow(pc + rs, c10, c11, c12, c13, acc);
      } else {
        storePartial(pc, c00, c01, c02, c03, cols, acc);
        if (i + 1 < m) storePartial(pc + rs, c10, c11, c12, c13, cols, acc);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(pc: usize, v0: v128, v1: v128, v2: v128, v3: v128, acc: bool): void {
  if (acc) {
    v0 = f32x4.add(v0, v128.load(pc));
    v1 = f32x4.add(v1, v128.load(pc, 16));
    v2 = f32x4.add(v2, v128.load(pc, 32));
    v3 = f32x4.add(v3, v128.load(pc, 48));
  }
  const t = f32x4.splat(flushBelow);
  v0 = flush4(v0, t); v1 = flush4(v1, t); v2 = flush4(v2, t); v3 = flush4(v3, t);
  v128.store(pc, v0);
  v128.store(pc, v1, 16);
  v128.store(pc, v2, 32);
  v128.store(pc, v3, 48);
}

/** The first `cols` (< 16) values of a tile row: spilled to the stack, then copied. */
function storePartial(pc: usize, v0: v128, v1: v128, v2: v128, v3: v128, cols: i32, acc: bool): void {
  const tmp = memory.data(64, 16);
  v128.store(tmp, v0);
  v128.store(tmp, v1, 16);
  v128.store(tmp, v2, 32);
  v128.store(tmp, v3, 48);
  for (let q = 0; q < cols; q++) {
    const at = pc + (<usize>q << 2);
    const x = load<f32>(tmp + (<usize>q << 2));
    const y = acc ? load<f32>(at) + x : x;
    store<f32>(at, abs(y) < flushBelow ? 0 : y);
  }
}
