// AssemblyScript source of the WebAssembly backend's kernels (float32, SIMD128 or relaxed SIMD).
// Built by asm/build.mjs into src/backend/wasm/kernels.wasm.ts; the TypeScript side
// (src/backend/wasm/wasmBackend.ts) hands in byte pointers into the shared memory and sizes.
// Matrices are row-major; `acc` adds into the output instead of overwriting it.

// ── helpers ────────────────────────────────────────────────────────────────────────────────

/** a·b + c: one fused instruction in the relaxed build, a multiply and an add otherwise. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Results below float32's smallest normal (2⁻¹²⁶ ≈ 1.18e−38) are stored as 0 while this is 2⁻¹²⁶
 * (see setFlushSubnormals); 0 keeps them. WebAssembly has no flush-to-zero mode, and x86 cores take a
 * microcode assist for every multiply that produces a subnormal.
 */
let flushBelow: f32 = 0;

/** Flush subnormal kernel outputs to zero (on) or keep them (off, IEEE, like the js backend). */
export function setFlushSubnormals(on: bool): void {
  flushBelow = on ? reinterpret<f32>(0x00800000) : 0;
}

/** v with lanes below the flush threshold set to 0 (NaN lanes kept: NaN < t is false). */
// @ts-ignore: decorator
@inline function flush4(v: v128, t: v128): v128 {
  return v128.andnot(v, f32x4.lt(f32x4.abs(v), t));
}

/** Where the JavaScript side may start allocating: past this module's static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

// ── matrix products ────────────────────────────────────────────────────────────────────────

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

// ── elementwise and reductions ─────────────────────────────────────────────────────────────

/** z[r, c] += bias[c]. */
export function addBias(z: usize, bias: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = z + (<usize>(r * cols) << 2);
    for (let c = 0; c < c4; c += 4) {
      const at = row + (<usize>c << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(bias + (<usize>c << 2))));
    }
    for (let c = c4; c < cols; c++) {
      const at = row + (<usize>c << 2);
      store<f32>(at, load<f32>(at) + load<f32>(bias + (<usize>c << 2)));
    }
  }
}

/** out[c] (+)= Σ_r x[r, c]. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32, acc: bool): void {
  if (!acc) memory.fill(out, 0, <usize>cols << 2);
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>(r * cols) << 2);
    for (let c = 0; c < c4; c += 4) {
      const at = out + (<usize>c << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(row + (<usize>c << 2))));
    }
    for (let c = c4; c < cols; c++) {
      const at = out + (<usize>c << 2);
      store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>c << 2)));
    }
  }
}

const ADD = 0, SCALE = 1, MUL = 2;

/** out (+)= a + b | s·a | a ⊙ b. */
export function binary(op: i32, a: usize, b: usize, s: f32, out: usize, n: i32, acc: bool): void {
  const keep = acc ? i32x4.splat(-1) : i32x4.splat(0), sv = f32x4.splat(s);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    const x = v128.load(a + o);
    const y = op == ADD ? f32x4.add(x, v128.load(b + o)) : op == SCALE ? f32x4.mul(x, sv) : f32x4.mul(x, v128.load(b + o));
    v128.store(out + o, f32x4.add(y, v128.and(v128.load(out + o), keep)));
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o);
    const y: f32 = op == ADD ? x + load<f32>(b + o) : op == SCALE ? x * s : x * load<f32>(b + o);
    store<f32>(out + o, acc ? load<f32>(out + o) + y : y);
  }
}

/**
 * Softmax cross-entropy averaged over rows (labels already checked): probabilities, dlogits =
 * (p − onehot)/rows, and the mean loss in the log-sum-exp form. Scalar, in float64 like the js
 * backend: with ≤ a few dozen classes it is a sliver of a step.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, probs: usize, dlogits: usize, rows: i32, cols: i32): f64 {
  let loss: f64 = 0;
  const inv: f64 = 1.0 / rows;
  for (let r = 0; r < rows; r++) {
    const o = <usize>(r * cols) << 2;
    const label = load<i32>(labels + (<usize>r << 2));
    let max: f64 = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, <f64>load<f32>(logits + o + (<usize>c << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(<f64>load<f32>(logits + o + (<usize>c << 2)) - max);
      store<f32>(probs + o + (<usize>c << 2), <f32>e);
      sum += e;
    }
    const invSum = 1.0 / sum;
    for (let c = 0; c < cols; c++) {
      const at = o + (<usize>c << 2);
      const p = <f64>load<f32>(probs + at) * invSum;
      store<f32>(probs + at, <f32>p);
      store<f32>(dlogits + at, <f32>((p - (c == label ? 1.0 : 0.0)) * inv));
    }
    loss += Math.log(sum) + max - <f64>load<f32>(logits + o + (<usize>label << 2));
  }
  return loss * inv;
}

// ── activations ────────────────────────────────────────────────────────────────────────────

const IDENTITY = 0, RELU = 1, LEAKY_RELU = 2, ELU = 3, SELU = 4, SIGMOID = 5, TANH = 6, SILU = 7;
const SELU_LAMBDA: f32 = 1.0507009873554804934193349852946;
const SELU_LA: f32 = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;

/**
 * eˣ for four lanes (Cephes expf: x = n·ln2 + r, a degree-5 polynomial in r, 2ⁿ built in the
 * exponent bits); relative error ≈ 2 ulp. Inputs are clamped to [−87.3, 88.7].
 */
// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.33654)), f32x4.splat(88.72283));
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  x = madd(fx, f32x4.splat(-0.693359375), x);
  x = madd(fx, f32x4.splat(2.12194440e-4), x);
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = madd(y, x, f32x4.splat(1.3981999507e-3));
  y = madd(y, x, f32x4.splat(8.3334519073e-3));
  y = madd(y, x, f32x4.splat(4.1665795894e-2));
  y = madd(y, x, f32x4.splat(1.6666665459e-1));
  y = madd(y, x, f32x4.splat(5.0000001201e-1));
  y = f32x4.add(madd(y, z, x), f32x4.splat(1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/** eˣ − 1, accurate near 0 (Taylor to x⁷ for |x| < 0.5, where eˣ − 1 would cancel). */
// @ts-ignore: decorator
@inline function expm14(x: v128): v128 {
  let t = f32x4.splat(1.0 / 5040);
  t = madd(t, x, f32x4.splat(1.0 / 720));
  t = madd(t, x, f32x4.splat(1.0 / 120));
  t = madd(t, x, f32x4.splat(1.0 / 24));
  t = madd(t, x, f32x4.splat(1.0 / 6));
  t = madd(t, x, f32x4.splat(0.5));
  t = madd(t, x, f32x4.splat(1));
  const small = f32x4.mul(t, x);
  return v128.bitselect(small, f32x4.sub(exp4(x), f32x4.splat(1)), f32x4.lt(f32x4.abs(x), f32x4.splat(0.5)));
}

// @ts-ignore: decorator
@inline function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(x))));
}

/** tanh: an odd polynomial for |x| < 0.625 (Cephes tanhf), 1 − 2/(e^{2|x|} + 1) with x's sign beyond. */
// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd(p, z, f32x4.splat(2.06390887954e-2));
  p = madd(p, z, f32x4.splat(-5.37397155531e-2));
  p = madd(p, z, f32x4.splat(1.33314422036e-1));
  p = madd(p, z, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, z), x, x);
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(ax, ax)), f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(-2147483648)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** f(x) for one activation (p: its parameter, α for leakyRelu and elu). */
// @ts-ignore: decorator
@inline function forward4(id: i32, x: v128, p: v128): v128 {
  const zero = f32x4.splat(0);
  switch (id) {
    case RELU: return f32x4.pmax(x, zero);
    case LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, p), f32x4.gt(x, zero));
    case ELU: return v128.bitselect(x, f32x4.mul(p, expm14(f32x4.pmin(x, zero))), f32x4.gt(x, zero));
    case SELU: return v128.bitselect(f32x4.mul(x, f32x4.splat(SELU_LAMBDA)), f32x4.mul(f32x4.splat(SELU_LA), expm14(f32x4.pmin(x, zero))), f32x4.gt(x, zero));
    case SIGMOID: return sigmoid4(x);
    case TANH: return tanh4(x);
    case SILU: return f32x4.mul(x, sigmoid4(x));
    default: return x;
  }
}

/** f′(x) given y = f(x). At kinks the left slope, as the js definitions. */
// @ts-ignore: decorator
@inline function slope4(id: i32, x: v128, y: v128, p: v128): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  switch (id) {
    case RELU: return v128.and(f32x4.gt(x, zero), one);
    case LEAKY_RELU: return v128.bitselect(one, p, f32x4.gt(x, zero));
    case ELU: return v128.bitselect(one, f32x4.add(y, p), f32x4.gt(x, zero));
    case SELU: return v128.bitselect(f32x4.splat(SELU_LAMBDA), f32x4.add(y, f32x4.splat(SELU_LA)), f32x4.gt(x, zero));
    case SIGMOID: return f32x4.mul(y, f32x4.sub(one, y));
    case TANH: return f32x4.sub(one, f32x4.mul(y, y));
    case SILU: {
      const s = sigmoid4(x);
      return f32x4.mul(s, madd(x, f32x4.sub(one, s), one));
    }
    default: return one;
  }
}

/** a = f(z) over n floats. One loop per activation, so no dispatch inside the hot loop. */
export function activationForward(id: i32, z: usize, a: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param), n4 = <usize>(n & ~3) << 2;
  switch (id) {
    case RELU: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(RELU, v128.load(z + o), p)); break;
    case LEAKY_RELU: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(LEAKY_RELU, v128.load(z + o), p)); break;
    case ELU: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(ELU, v128.load(z + o), p)); break;
    case SELU: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(SELU, v128.load(z + o), p)); break;
    case SIGMOID: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(SIGMOID, v128.load(z + o), p)); break;
    case TANH: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(TANH, v128.load(z + o), p)); break;
    case SILU: for (let o: usize = 0; o < n4; o += 16) v128.store(a + o, forward4(SILU, v128.load(z + o), p)); break;
    default: memory.copy(a, z, n4);
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    store<f32>(a + o, f32x4.extract_lane(forward4(id, f32x4.splat(load<f32>(z + o)), p), 0));
  }
}

// @ts-ignore: decorator
@inline function backward4(id: i32, z: usize, a: usize, da: usize, dz: usize, o: usize, p: v128, acc: bool, t: v128): void {
  const x = v128.load(z + o);
  // read y = f(x) only where f′ uses it (id is a constant here, so this folds away)
  const y = id == ELU || id == SELU || id == SIGMOID || id == TANH ? v128.load(a + o) : x;
  let g = f32x4.mul(v128.load(da + o), slope4(id, x, y, p));
  if (acc) g = f32x4.add(g, v128.load(dz + o)); // acc is a constant at every call site: no branch
  v128.store(dz + o, flush4(g, t));
}

/** dz (+)= da ⊙ f′(z) over n floats. */
export function activationBackward(id: i32, z: usize, a: usize, da: usize, dz: usize, n: i32, param: f32, acc: bool): void {
  const p = f32x4.splat(param), n4 = <usize>(n & ~3) << 2, t = f32x4.splat(flushBelow);
  // one loop per activation and accumulate mode, so neither is decided inside the hot loop
  if (acc) {
    switch (id) {
      case RELU: for (let o: usize = 0; o < n4; o += 16) backward4(RELU, z, a, da, dz, o, p, true, t); break;
      case LEAKY_RELU: for (let o: usize = 0; o < n4; o += 16) backward4(LEAKY_RELU, z, a, da, dz, o, p, true, t); break;
      case ELU: for (let o: usize = 0; o < n4; o += 16) backward4(ELU, z, a, da, dz, o, p, true, t); break;
      case SELU: for (let o: usize = 0; o < n4; o += 16) backward4(SELU, z, a, da, dz, o, p, true, t); break;
      case SIGMOID: for (let o: usize = 0; o < n4; o += 16) backward4(SIGMOID, z, a, da, dz, o, p, true, t); break;
      case TANH: for (let o: usize = 0; o < n4; o += 16) backward4(TANH, z, a, da, dz, o, p, true, t); break;
      case SILU: for (let o: usize = 0; o < n4; o += 16) backward4(SILU, z, a, da, dz, o, p, true, t); break;
      default: for (let o: usize = 0; o < n4; o += 16) backward4(IDENTITY, z, a, da, dz, o, p, true, t);
    }
  } else {
    switch (id) {
      case RELU: for (let o: usize = 0; o < n4; o += 16) backward4(RELU, z, a, da, dz, o, p, false, t); break;
      case LEAKY_RELU: for (let o: usize = 0; o < n4; o += 16) backward4(LEAKY_RELU, z, a, da, dz, o, p, false, t); break;
      case ELU: for (let o: usize = 0; o < n4; o += 16) backward4(ELU, z, a, da, dz, o, p, false, t); break;
      case SELU: for (let o: usize = 0; o < n4; o += 16) backward4(SELU, z, a, da, dz, o, p, false, t); break;
      case SIGMOID: for (let o: usize = 0; o < n4; o += 16) backward4(SIGMOID, z, a, da, dz, o, p, false, t); break;
      case TANH: for (let o: usize = 0; o < n4; o += 16) backward4(TANH, z, a, da, dz, o, p, false, t); break;
      case SILU: for (let o: usize = 0; o < n4; o += 16) backward4(SILU, z, a, da, dz, o, p, false, t); break;
      default: for (let o: usize = 0; o < n4; o += 16) backward4(IDENTITY, z, a, da, dz, o, p, false, t);
    }
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    const x = f32x4.splat(load<f32>(z + o)), y = f32x4.splat(load<f32>(a + o));
    const g = load<f32>(da + o) * f32x4.extract_lane(slope4(id, x, y, p), 0);
    const v = acc ? load<f32>(dz + o) + g : g;
    store<f32>(dz + o, abs(v) < flushBelow ? 0 : v);
  }
}

// ── probe reductions ───────────────────────────────────────────────────────────────────────
// Read-only summaries of a step's buffers. Sums run in f32x4 lanes over blocks of at most BLOCK
// floats (one row, or part of a long one), and each block's lanes are added in f64, so the
// relative error stays near a block's (≈ 1e-6) however long the buffer. Counts are i32x4 lanes
// decremented by comparison masks (−1 where true): no branches.

/** Floats per block of f32 accumulation. */
const BLOCK = 1024;

/** The four lanes of v added in f64. */
// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return (<f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1)) + (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3));
}

/** dst = src, n floats. */
export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}

/** Σ x² over n floats. */
export function sumSquares(x: usize, n: i32): f64 {
  let total: f64 = 0;
  const n4 = n & ~3;
  for (let b = 0; b < n4; b += BLOCK) {
    const end = min(b + BLOCK, n4);
    // four accumulators, so the multiply-add chains overlap
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let i = b;
    for (; i + 16 <= end; i += 16) {
      const at = x + (<usize>i << 2);
      const v0 = v128.load(at), v1 = v128.load(at, 16), v2 = v128.load(at, 32), v3 = v128.load(at, 48);
      s0 = madd(v0, v0, s0); s1 = madd(v1, v1, s1);
      s2 = madd(v2, v2, s2); s3 = madd(v3, v3, s3);
    }
    for (; i < end; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      s0 = madd(v, v, s0);
    }
    total += hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  }
  for (let i = n4; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    total += v * v;
  }
  return total;
}

/**
 * Over W, W0, G [fanIn×fanOut]: out[0..5] = ‖W − W0‖², ‖W0‖², ‖W‖², ‖G‖², Σ over moved units of
 * max(up, down)/(up + down), moved units. `counts` is scratch for 2·fanOut i32 (up, then down).
 */
export function probeUpdate(w: usize, w0: usize, g: usize, fanIn: i32, fanOut: i32, counts: usize, out: usize): void {
  const up = counts, down = counts + (<usize>fanOut << 2);
  memory.fill(counts, 0, <usize>fanOut << 3);
  const zero = f32x4.splat(0), c4 = fanOut & ~3;
  let dw2: f64 = 0, w02: f64 = 0, w2: f64 = 0, g2: f64 = 0;
  for (let i = 0; i < fanIn; i++) {
    const row = <usize>(i * fanOut) << 2;
    for (let j0 = 0; j0 < c4; j0 += BLOCK) {
      const end = min(j0 + BLOCK, c4);
      let sd = zero, s0 = zero, sw = zero, sg = zero;
      for (let j = j0; j < end; j += 4) {
        const o = row + (<usize>j << 2), cj = <usize>j << 2;
        const x = v128.load(w + o), x0 = v128.load(w0 + o), gg = v128.load(g + o);
        const d = f32x4.sub(x, x0);
        sd = madd(d, d, sd);
        s0 = madd(x0, x0, s0);
        sw = madd(x, x, sw);
        sg = madd(gg, gg, sg);
        v128.store(up + cj, i32x4.sub(v128.load(up + cj), f32x4.gt(d, zero)));
        v128.store(down + cj, i32x4.sub(v128.load(down + cj), f32x4.lt(d, zero)));
      }
      dw2 += hsum(sd); w02 += hsum(s0); w2 += hsum(sw); g2 += hsum(sg);
    }
    for (let j = c4; j < fanOut; j++) {
      const o = row + (<usize>j << 2), cj = <usize>j << 2;
      const x = <f64>load<f32>(w + o), x0 = <f64>load<f32>(w0 + o), gg = <f64>load<f32>(g + o);
      const d = x - x0;
      dw2 += d * d; w02 += x0 * x0; w2 += x * x; g2 += gg * gg;
      store<i32>(up + cj, load<i32>(up + cj) + <i32>(d > 0));
      store<i32>(down + cj, load<i32>(down + cj) + <i32>(d < 0));
    }
  }
  let sum: f64 = 0, moved = 0;
  for (let j = 0; j < fanOut; j++) {
    const u = load<i32>(up + (<usize>j << 2)), v = load<i32>(down + (<usize>j << 2));
    if (u + v > 0) {
      sum += <f64>max(u, v) / <f64>(u + v);
      moved++;
    }
  }
  store<f64>(out, dw2); store<f64>(out, w02, 8); store<f64>(out, w2, 16); store<f64>(out, g2, 24);
  store<f64>(out, sum, 32); store<f64>(out, <f64>moved, 40);
}

/**
 * Over z and a = f(z) [rows×cols] with f′ inlined: out[0..11] = z₀ = z[0], Σ(z − z₀), Σ(z − z₀)²,
 * min z, max z, the same five of a, the count of |f′| < limit, and the count of columns where
 * f′ = 0 in every row. `alive` is scratch for cols i32 (per column: some f′ ≠ 0). One loop per
 * activation, as in activationBackward.
 */
export function probeActivation(id: i32, z: usize, a: usize, rows: i32, cols: i32, param: f32, limit: f32, alive: usize, out: usize): void {
  // one instance of probePass per activation (see activationId)
  switch (id) {
    case RELU: probePass<i8>(z, a, rows, cols, param, limit, alive, out); break;
    case LEAKY_RELU: probePass<u16>(z, a, rows, cols, param, limit, alive, out); break;
    case ELU: probePass<i16>(z, a, rows, cols, param, limit, alive, out); break;
    case SELU: probePass<u32>(z, a, rows, cols, param, limit, alive, out); break;
    case SIGMOID: probePass<i32>(z, a, rows, cols, param, limit, alive, out); break;
    case TANH: probePass<u64>(z, a, rows, cols, param, limit, alive, out); break;
    case SILU: probePass<i64>(z, a, rows, cols, param, limit, alive, out); break;
    default: probePass<u8>(z, a, rows, cols, param, limit, alive, out);
  }
}

/**
 * An activation id as a compile-time constant of a type parameter (u8 0, i8 1, u16 2, … i64 7: the
 * ids above). Passing the id as an argument of an inlined function with loops is not enough:
 * binaryen folds the eight copies back into one loop that dispatches on the id per element
 * (measured 3× slower); a generic function is compiled once per type, with the id constant.
 */
// @ts-ignore: decorator
@inline function activationId<T>(): i32 {
  return (<i32>alignof<T>() << 1) | <i32>isSigned<T>();
}

/** probeActivation for one activation: one row-major pass over z and a, f′ inlined. */
function probePass<T>(z: usize, a: usize, rows: i32, cols: i32, param: f32, limit: f32, alive: usize, out: usize): void {
  const id = activationId<T>();
  memory.fill(alive, 0, <usize>cols << 2);
  const zero = f32x4.splat(0), p = f32x4.splat(param), lim = f32x4.splat(limit), c4 = cols & ~3;
  const n = rows * cols, z0: f32 = n > 0 ? load<f32>(z) : 0, a0: f32 = n > 0 ? load<f32>(a) : 0;
  const zsh = f32x4.splat(z0), ash = f32x4.splat(a0);
  let zmin4 = f32x4.splat(Infinity), zmax4 = f32x4.splat(-Infinity), amin4 = zmin4, amax4 = zmax4, sat4 = i32x4.splat(0);
  let zmin: f32 = Infinity, zmax: f32 = -Infinity, amin: f32 = Infinity, amax: f32 = -Infinity, sat = 0;
  let zs: f64 = 0, zs2: f64 = 0, as: f64 = 0, as2: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols) << 2;
    for (let j0 = 0; j0 < c4; j0 += BLOCK) {
      const end = min(j0 + BLOCK, c4);
      let sz = zero, sz2 = zero, sa = zero, sa2 = zero;
      for (let j = j0; j < end; j += 4) {
        const o = row + (<usize>j << 2), cj = alive + (<usize>j << 2);
        const x = v128.load(z + o), y = v128.load(a + o), d = slope4(id, x, y, p);
        const u = f32x4.sub(x, zsh), v = f32x4.sub(y, ash);
        sz = f32x4.add(sz, u); sz2 = madd(u, u, sz2);
        sa = f32x4.add(sa, v); sa2 = madd(v, v, sa2);
        zmin4 = f32x4.pmin(zmin4, x); zmax4 = f32x4.pmax(zmax4, x);
        amin4 = f32x4.pmin(amin4, y); amax4 = f32x4.pmax(amax4, y);
        sat4 = i32x4.sub(sat4, f32x4.lt(f32x4.abs(d), lim));
        v128.store(cj, v128.or(v128.load(cj), f32x4.ne(d, zero)));
      }
      zs += hsum(sz); zs2 += hsum(sz2); as += hsum(sa); as2 += hsum(sa2);
    }
    for (let j = c4; j < cols; j++) {
      const o = row + (<usize>j << 2), cj = alive + (<usize>j << 2);
      const x = load<f32>(z + o), y = load<f32>(a + o);
      const d = f32x4.extract_lane(slope4(id, f32x4.splat(x), f32x4.splat(y), p), 0);
      const u = <f64>x - <f64>z0, v = <f64>y - <f64>a0;
      zs += u; zs2 += u * u; as += v; as2 += v * v;
      zmin = minSkipNaN(zmin, x); zmax = maxSkipNaN(zmax, x);
      amin = minSkipNaN(amin, y); amax = maxSkipNaN(amax, y);
      sat += <i32>(abs(d) < limit);
      store<i32>(cj, load<i32>(cj) | <i32>(d != 0));
    }
  }
  let dead = 0;
  for (let j = 0; j < cols; j++) dead += <i32>(load<i32>(alive + (<usize>j << 2)) == 0);
  sat += i32x4.extract_lane(sat4, 0) + i32x4.extract_lane(sat4, 1) + i32x4.extract_lane(sat4, 2) + i32x4.extract_lane(sat4, 3);
  store<f64>(out, <f64>z0); store<f64>(out, zs, 8); store<f64>(out, zs2, 16);
  store<f64>(out, <f64>minSkipNaN(zmin, hminSkipNaN(zmin4)), 24); store<f64>(out, <f64>maxSkipNaN(zmax, hmaxSkipNaN(zmax4)), 32);
  store<f64>(out, <f64>a0, 40); store<f64>(out, as, 48); store<f64>(out, as2, 56);
  store<f64>(out, <f64>minSkipNaN(amin, hminSkipNaN(amin4)), 64); store<f64>(out, <f64>maxSkipNaN(amax, hmaxSkipNaN(amax4)), 72);
  store<f64>(out, <f64>sat, 80); store<f64>(out, <f64>dead, 88);
}

// min/max that skip NaN, as the js `if (x < min)` does
// @ts-ignore: decorator
@inline function minSkipNaN(a: f32, b: f32): f32 { return b < a ? b : a; }
// @ts-ignore: decorator
@inline function maxSkipNaN(a: f32, b: f32): f32 { return b > a ? b : a; }
// @ts-ignore: decorator
@inline function hminSkipNaN(v: v128): f32 {
  return minSkipNaN(minSkipNaN(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), minSkipNaN(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
// @ts-ignore: decorator
@inline function hmaxSkipNaN(v: v128): f32 {
  return maxSkipNaN(maxSkipNaN(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), maxSkipNaN(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
