// Probe reductions: read-only summaries of a step's buffers.
import { hsum, madd } from "./common";
import { ELU, LEAKY_RELU, RELU, SELU, SIGMOID, SILU, TANH, slope4 } from "./activations";

// Read-only summaries of a step's buffers. Sums run in f32x4 lanes over blocks of at most BLOCK
// floats (one row, or part of a long one), and each block's lanes are added in f64, so the
// relative error stays near a block's (≈ 1e-6) however long the buffer. Counts are i32x4 lanes
// decremented by comparison masks (−1 where true): no branches.

/** Floats per block of f32 accumulation. */
const BLOCK = 1024;

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
  storeUpdateSummary(up, down, fanOut, dw2, w02, w2, g2, out);
}

/**
 * out[0..5] of probeUpdate from its sums and the per-unit counts of weights that moved up and down:
 * the four sums, Σ over moved units of max(up, down)/(up + down), and the moved units.
 */
export function storeUpdateSummary(up: usize, down: usize, cols: i32, dw2: f64, w02: f64, w2: f64, g2: f64, out: usize): void {
  let sum: f64 = 0, moved = 0;
  for (let j = 0; j < cols; j++) {
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
