// Matrix products: one strided kernel for x·W, dz·Wᵀ and xᵀ·dz.
import { flush4, flushBelow, madd } from "./common";

/** Rows of B per block: a packed 16-column panel of B (KC × 16) stays in L1 while the rows of A pass. */
const KC = 128;
/** Rows of A per block: the packed block (MC × KC) stays in L2 while every column panel passes over it. */
const MC = 128;
/** Rows per register tile of C, and per packed micro-panel of A. */
const MR = 2;
/** Columns per register tile of C, and per packed panel of B. */
const NR = 16;

/** Bytes of scratch {@link gemm} needs for an n-column product: packed B (KC × n), packed A (MC × KC), a spilled tile row. */
export function gemmScratch(n: i32): usize {
  return <usize>(KC * (((n + NR - 1) & ~(NR - 1)) + MC) + NR) << 2;
}

/**
 * C[m×n] (+)= A·B with A(i, p) = a[i·ai + p·ap] and B(p, j) = b[p·bp + j·bj], so one kernel serves
 * x·W, dz·Wᵀ and xᵀ·dz. Per block of KC rows of B, B is packed into panels of 16 columns; per block
 * of MC rows of A, A into micro-panels of 2 rows. Both then stream contiguously in the order the
 * kernel reads them, whatever the form (the transposed operand of dz·Wᵀ or xᵀ·dz is reordered while
 * packing; a strided panel of B would map onto a handful of L1 sets at power-of-two widths). Then
 * 2×16 tiles of C sweep down the rows with their 8 accumulators in registers. Of the tile shapes
 * measured (4×8, 6×8, 4×12, 3×16, 2×16, 2×20, 2×24, 1×32, 8×4) 2×16 was fastest by 1.3–2×: two
 * broadcasts per eight multiply-adds, no register spills (with A packed too, on data in L1: 4×8
 * ran at 0.75×, 6×8 at 0.5×). Unrolling the p loop by 2 or 4 made it 1.5–2× slower: V8 hoists the
 * unrolled loads and spills accumulators. KC 256 and MC 16–64 measured the same as 128 (KC 256 and
 * 512 again within ±4 % at 512³ and 1024³ in same-run A/Bs, 2026-11-29). 3×12 tiles (nine
 * accumulators, six loads per nine FMAs) ran 3–5 % faster at 528³ and 144×128×144, but a full 3×12
 * version of this file ran 3 % slower at 128³ and 1–5 % faster at 512³ (same-run A/Bs): at the
 * power-of-two widths networks use, the last 12-column panel is two-thirds full and the last 3-row
 * micro-panel too. With A as one vector per k and lanes splatted by shuffles, 4×8 ran at 0.86×.
 */
export function gemm(a: usize, ai: i32, ap: i32, b: usize, bp: i32, bj: i32, c: usize, m: i32, k: i32, n: i32, acc: bool, scratch: usize): void {
  if (k == 0) {
    if (!acc) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * n) << 2), 0, <usize>n << 2);
    return;
  }
  const packedA = scratch + (<usize>(KC * ((n + NR - 1) & ~(NR - 1))) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(b + (<usize>(p0 * bp) << 2), bp, bj, scratch, kc, n);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      packA(a + (<usize>(i0 * ai + p0 * ap) << 2), ai, ap, packedA, mc, kc);
      tiles(packedA, scratch, c + (<usize>(i0 * n) << 2), mc, kc, n, acc || p0 > 0, packedA + (<usize>(MC * KC) << 2));
    }
  }
}

/** packed[panel][p][0..15] = B(p, 16·panel + q), zero past column n. */
function packB(b: usize, bp: i32, bj: i32, out: usize, k: i32, n: i32): void {
  for (let j = 0; j < n; j += NR) {
    const cols = min(NR, n - j);
    let o = out + (<usize>(j * k) << 2);
    let p = 0;
    if (cols == NR && bj == 1) {
      for (; p < k; p++, o += NR << 2) {
        const src = b + (<usize>(p * bp + j) << 2);
        v128.store(o, v128.load(src));
        v128.store(o, v128.load(src, 16), 16);
        v128.store(o, v128.load(src, 32), 32);
        v128.store(o, v128.load(src, 48), 48);
      }
    } else if (cols == NR && bp == 1) {
      // Bᵀ stored row-major: columns of B are contiguous, transpose 4×4 blocks
      const sj = <usize>bj << 2;
      for (; p + 4 <= k; p += 4, o += NR << 4) {
        let src = b + (<usize>(p + j * bj) << 2);
        for (let q = 0; q < NR; q += 4, src += sj << 2) {
          transpose4(src, sj, o + (<usize>q << 2));
        }
      }
    }
    for (; p < k; p++, o += NR << 2) {
      for (let q = 0; q < NR; q++) {
        store<f32>(o + (<usize>q << 2), q < cols ? load<f32>(b + (<usize>(p * bp + (j + q) * bj) << 2)) : 0);
      }
    }
  }
}

/** Four rows of 4 floats at src, src + stride, … stored as four columns at out, out + 64, …. */
// @ts-ignore: decorator
@inline function transpose4(src: usize, stride: usize, out: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + stride);
  const r2 = v128.load(src + stride * 2), r3 = v128.load(src + stride * 3);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(out, i32x4.shuffle(t0, t2, 2, 3, 6, 7), NR << 2);
  v128.store(out, i32x4.shuffle(t1, t3, 0, 1, 4, 5), NR << 3);
  v128.store(out, i32x4.shuffle(t1, t3, 2, 3, 6, 7), (NR << 3) + (NR << 2));
}

/** packed[panel][p][0..1] = A(2·panel + r, p), zero past row m. */
function packA(a: usize, ai: i32, ap: i32, out: usize, m: i32, k: i32): void {
  let i = 0;
  if (ap == 1) {
    // rows of A contiguous: interleave two rows, four columns at a time
    const si = <usize>ai << 2;
    for (; i + MR <= m; i += MR) {
      const r0 = a + (<usize>(i * ai) << 2), end = r0 + (<usize>(k & ~3) << 2);
      let o = out + (<usize>(i * k) << 2), src = r0;
      for (; src < end; src += 16, o += 32) {
        const x = v128.load(src), y = v128.load(src + si);
        v128.store(o, i32x4.shuffle(x, y, 0, 4, 1, 5));
        v128.store(o, i32x4.shuffle(x, y, 2, 6, 3, 7), 16);
      }
      for (let p = k & ~3; p < k; p++, o += 8) {
        store<f32>(o, load<f32>(r0 + (<usize>p << 2)));
        store<f32>(o, load<f32>(r0 + si + (<usize>p << 2)), 4);
      }
    }
  } else if (ai == 1) {
    // columns of A contiguous (xᵀ·dz): two neighbouring values per column
    const sp = <usize>ap << 2;
    for (; i + MR <= m; i += MR) {
      let o = out + (<usize>(i * k) << 2), src = a + (<usize>i << 2);
      const end = o + (<usize>k << 3);
      for (; o < end; o += 8, src += sp) store<u64>(o, load<u64>(src));
    }
  }
  for (; i < m; i += MR) {
    let o = out + (<usize>(i * k) << 2);
    for (let p = 0; p < k; p++, o += MR << 2) {
      for (let r = 0; r < MR; r++) {
        store<f32>(o + (<usize>r << 2), i + r < m ? load<f32>(a + (<usize>((i + r) * ai + p * ap) << 2)) : 0);
      }
    }
  }
}

function tiles(packedA: usize, packedB: usize, c: usize, m: i32, k: i32, n: i32, acc: bool, tmp: usize): void {
  const rs = <usize>n << 2, step = <usize>(k * MR) << 2; // bytes per row of C; per micro-panel of A
  for (let j = 0; j < n; j += NR) {
    const cols = min(NR, n - j);
    const panel = packedB + (<usize>(j * k) << 2), pend = panel + (<usize>k << 6);
    let pa0 = packedA;
    for (let i = 0; i < m; i += MR, pa0 += step) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let pb = panel, pa = pa0;
      while (pb < pend) {
        const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa, 4);
        const b0 = v128.load(pb);
        c00 = madd(x0, b0, c00); c10 = madd(x1, b0, c10);
        const b1 = v128.load(pb, 16);
        c01 = madd(x0, b1, c01); c11 = madd(x1, b1, c11);
        const b2 = v128.load(pb, 32);
        c02 = madd(x0, b2, c02); c12 = madd(x1, b2, c12);
        const b3 = v128.load(pb, 48);
        c03 = madd(x0, b3, c03); c13 = madd(x1, b3, c13);
        pb += NR << 2; pa += MR << 2;
      }
      const pc = c + (<usize>(i * n + j) << 2);
      if (cols == NR) {
        storeRow(pc, c00, c01, c02, c03, acc);
        if (i + 1 < m) storeRow(pc + rs, c10, c11, c12, c13, acc);
      } else {
        storePartial(pc, c00, c01, c02, c03, cols, acc, tmp);
        if (i + 1 < m) storePartial(pc + rs, c10, c11, c12, c13, cols, acc, tmp);
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

/**
 * The first `cols` (< 16) values of a tile row: spilled to `tmp` (16 floats of the caller's
 * scratch, not static data: a helper thread runs this kernel on the same memory), then copied.
 */
function storePartial(pc: usize, v0: v128, v1: v128, v2: v128, v3: v128, cols: i32, acc: bool, tmp: usize): void {
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
