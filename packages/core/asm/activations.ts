// Activation kernels: vectorised f and f′ of the built-in activations.
import { flush4, flushBelow, madd } from "./common";

export const IDENTITY = 0, RELU = 1, LEAKY_RELU = 2, ELU = 3, SELU = 4, SIGMOID = 5, TANH = 6, SILU = 7;
const SELU_LAMBDA: f32 = 1.0507009873554804934193349852946;
const SELU_LA: f32 = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;

// eˣ and eˣ − 1 share one range reduction: x = n·ln2 + r with |r| ≤ ln2/2 (Cephes expf), then
// eʳ − 1 = r + r²·P(r) with P of degree 4 (a minimax fit for relative error, ≤ 0.15 ulp on that
// interval) and 2ⁿ built in the exponent bits. n comes from the round-to-nearest trick: adding
// 1.5·2²³ to x·log₂e leaves n in the low mantissa bits, which saves V8's long expansions of
// f32x4.nearest and i32x4.trunc_sat_f32x4_s. The kernels are bound by the latency of this chain
// (the out-of-order window fills with its waiting operations), so P is evaluated in two halves.
const EXP_LO: f32 = -87.33654, EXP_HI: f32 = 88.72283; // 2ⁿ stays normal (n ≥ −126); e^88.72 ≈ float32 max
const ROUND: f32 = 12582912.0; // 1.5·2²³

/** x·log₂e + 1.5·2²³: a float whose low mantissa bits hold n = round(x·log₂e). */
// @ts-ignore: decorator
@inline function expRound(x: v128): v128 {
  return madd(x, f32x4.splat(1.44269504088896341), f32x4.splat(ROUND));
}

/** eʳ − 1 for r = x − n·ln2 (ln2 split in two, so n·ln2₁ is exact), t from expRound. */
// @ts-ignore: decorator
@inline function expm1Reduced(x: v128, t: v128): v128 {
  const fn = f32x4.sub(t, f32x4.splat(ROUND));
  let r = madd(fn, f32x4.splat(-0.693359375), x);
  r = madd(fn, f32x4.splat(2.12194440e-4), r);
  const r2 = f32x4.mul(r, r);
  // P(r) = (c₀ + c₁r) + r²·((c₂ + c₃r) + r²·c₄)
  const lo = madd(r, f32x4.splat(0.16666543483734130859375), f32x4.splat(0.4999999701976776123046875));
  const hi = madd(r, f32x4.splat(0.00836652424186468124389648438), f32x4.splat(0.0416672006249427795410156));
  const p = madd(r2, madd(r2, f32x4.splat(0.0013882522471249103546142578125), hi), lo);
  return madd(r2, p, r);
}

/** 2ⁿ from t = expRound(x), for −126 ≤ n ≤ 128 (the bits of 1.5·2²³ shift out). */
// @ts-ignore: decorator
@inline function pow2(t: v128): v128 {
  return i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
}

/** eˣ for four lanes, relative error ≈ 2 ulp. Inputs are clamped to [−87.3, 88.7] (e^88.7 → +∞). */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const t = expRound(x);
  const s = pow2(t);
  // (1 + q)·2ⁿ, not the fused q·2ⁿ + 2ⁿ: at the upper clamp 2ⁿ = +∞ and q may be −0 or slightly negative
  return f32x4.mul(f32x4.add(expm1Reduced(x, t), f32x4.splat(1)), s);
}

/**
 * eˣ − 1 for x ≤ 0 (ELU, SELU), from the same reduction: 2ⁿ·q + (2ⁿ − 1). For |x| < ln2/2, n = 0
 * and this is q itself, so there is no cancellation near 0; 2ⁿ − 1 is exact for n ≥ −24.
 */
// @ts-ignore: decorator
@inline export function expm14(x: v128): v128 {
  x = f32x4.pmax(x, f32x4.splat(EXP_LO));
  const t = expRound(x);
  const s = pow2(t);
  return madd(s, expm1Reduced(x, t), f32x4.sub(s, f32x4.splat(1)));
}

/** 1/(1 + e⁻ˣ); −x by flipping the sign bit (one instruction; V8 expands f32x4.neg to three). */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(v128.xor(x, i32x4.splat(-2147483648)))));
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
@inline export function forward4(id: i32, x: v128, p: v128): v128 {
  const zero = f32x4.splat(0);
  switch (id) {
    case RELU: return f32x4.pmax(x, zero);
    case LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, p), f32x4.gt(x, zero));
    // α·(eˣ − 1) + x where the other is 0: one multiply-add instead of a select
    case ELU: return madd(p, expm14(f32x4.pmin(x, zero)), f32x4.pmax(x, zero));
    case SELU: return madd(f32x4.splat(SELU_LA), expm14(f32x4.pmin(x, zero)), f32x4.mul(f32x4.splat(SELU_LAMBDA), f32x4.pmax(x, zero)));
    case SIGMOID: return sigmoid4(x);
    case TANH: return tanh4(x);
    case SILU: return f32x4.mul(x, sigmoid4(x));
    default: return x;
  }
}

/** f′(x) given y = f(x). At kinks the left slope, as the js definitions. */
// @ts-ignore: decorator
@inline export function slope4(id: i32, x: v128, y: v128, p: v128): v128 {
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

/**
 * a = f(z) over the first n4 bytes, two vectors per iteration so two exp chains overlap; with
 * `four`, four first. Four measured 6–9 % faster for sigmoid (its division ends the chain) and
 * 3–7 % slower for ELU and tanh (same-run A/B on this VM), so only sigmoid takes it.
 */
// @ts-ignore: decorator
@inline function forwardLoop(id: i32, z: usize, a: usize, n4: usize, p: v128, four: bool = false): void {
  let o: usize = 0;
  if (four) {
    for (; o + 64 <= n4; o += 64) {
      const x0 = v128.load(z + o), x1 = v128.load(z + o, 16), x2 = v128.load(z + o, 32), x3 = v128.load(z + o, 48);
      const y0 = forward4(id, x0, p), y1 = forward4(id, x1, p), y2 = forward4(id, x2, p), y3 = forward4(id, x3, p);
      v128.store(a + o, y0);
      v128.store(a + o, y1, 16);
      v128.store(a + o, y2, 32);
      v128.store(a + o, y3, 48);
    }
  }
  for (; o + 32 <= n4; o += 32) {
    const x0 = v128.load(z + o), x1 = v128.load(z + o, 16);
    const y0 = forward4(id, x0, p), y1 = forward4(id, x1, p);
    v128.store(a + o, y0);
    v128.store(a + o, y1, 16);
  }
  if (o < n4) v128.store(a + o, forward4(id, v128.load(z + o), p));
}

/** a = f(z) over n floats. One loop per activation, so no dispatch inside the hot loop. */
export function activationForward(id: i32, z: usize, a: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param), n4 = <usize>(n & ~3) << 2;
  switch (id) {
    case RELU: forwardLoop(RELU, z, a, n4, p); break;
    case LEAKY_RELU: forwardLoop(LEAKY_RELU, z, a, n4, p); break;
    case ELU: forwardLoop(ELU, z, a, n4, p); break;
    case SELU: forwardLoop(SELU, z, a, n4, p); break;
    case SIGMOID: forwardLoop(SIGMOID, z, a, n4, p, true); break;
    case TANH: forwardLoop(TANH, z, a, n4, p); break;
    case SILU: forwardLoop(SILU, z, a, n4, p); break;
    default: memory.copy(a, z, n4);
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    store<f32>(a + o, f32x4.extract_lane(forward4(id, f32x4.splat(load<f32>(z + o)), p), 0));
  }
}

/**
 * dz (+)= da ⊙ f′ for one vector at byte offset o. Each buffer is read only where f′ needs it: y for
 * ELU, SELU, sigmoid and tanh, x for the rest; with `yOnly` (ELU with α > 0, SELU) the sign of y
 * stands in for x's, which saves reading z.
 */
// @ts-ignore: decorator
@inline function backward4(id: i32, z: usize, a: usize, da: usize, dz: usize, o: usize, p: v128, acc: bool, t: v128, yOnly: bool): void {
  const usesY = id == ELU || id == SELU || id == SIGMOID || id == TANH;
  const usesX = !(yOnly || id == SIGMOID || id == TANH || id == IDENTITY);
  const y = usesY ? v128.load(a + o) : f32x4.splat(0);
  const x = usesX ? v128.load(z + o) : y;
  let g = f32x4.mul(v128.load(da + o), slope4(id, x, y, p));
  if (acc) g = f32x4.add(g, v128.load(dz + o)); // acc is a constant at every call site: no branch
  v128.store(dz + o, flush4(g, t));
}

/** backward4 over the first n4 bytes, two vectors per iteration. */
// @ts-ignore: decorator
@inline function backwardLoop(id: i32, z: usize, a: usize, da: usize, dz: usize, n4: usize, p: v128, acc: bool, t: v128, yOnly: bool): void {
  let o: usize = 0;
  for (; o + 32 <= n4; o += 32) {
    backward4(id, z, a, da, dz, o, p, acc, t, yOnly);
    backward4(id, z, a, da, dz, o + 16, p, acc, t, yOnly);
  }
  if (o < n4) backward4(id, z, a, da, dz, o, p, acc, t, yOnly);
}

/** dz (+)= da ⊙ f′(z) over n floats. */
export function activationBackward(id: i32, z: usize, a: usize, da: usize, dz: usize, n: i32, param: f32, acc: bool): void {
  const p = f32x4.splat(param), n4 = <usize>(n & ~3) << 2, t = f32x4.splat(flushBelow);
  // one loop per activation and accumulate mode, so neither is decided inside the hot loop
  if (acc) {
    switch (id) {
      case RELU: backwardLoop(RELU, z, a, da, dz, n4, p, true, t, false); break;
      case LEAKY_RELU: backwardLoop(LEAKY_RELU, z, a, da, dz, n4, p, true, t, false); break;
      case ELU: if (param > 0) backwardLoop(ELU, z, a, da, dz, n4, p, true, t, true); else backwardLoop(ELU, z, a, da, dz, n4, p, true, t, false); break;
      case SELU: backwardLoop(SELU, z, a, da, dz, n4, p, true, t, true); break;
      case SIGMOID: backwardLoop(SIGMOID, z, a, da, dz, n4, p, true, t, false); break;
      case TANH: backwardLoop(TANH, z, a, da, dz, n4, p, true, t, false); break;
      case SILU: backwardLoop(SILU, z, a, da, dz, n4, p, true, t, false); break;
      default: backwardLoop(IDENTITY, z, a, da, dz, n4, p, true, t, false);
    }
  } else {
    switch (id) {
      case RELU: backwardLoop(RELU, z, a, da, dz, n4, p, false, t, false); break;
      case LEAKY_RELU: backwardLoop(LEAKY_RELU, z, a, da, dz, n4, p, false, t, false); break;
      case ELU: if (param > 0) backwardLoop(ELU, z, a, da, dz, n4, p, false, t, true); else backwardLoop(ELU, z, a, da, dz, n4, p, false, t, false); break;
      case SELU: backwardLoop(SELU, z, a, da, dz, n4, p, false, t, true); break;
      case SIGMOID: backwardLoop(SIGMOID, z, a, da, dz, n4, p, false, t, false); break;
      case TANH: backwardLoop(TANH, z, a, da, dz, n4, p, false, t, false); break;
      case SILU: backwardLoop(SILU, z, a, da, dz, n4, p, false, t, false); break;
      default: backwardLoop(IDENTITY, z, a, da, dz, n4, p, false, t, false);
    }
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    const x = f32x4.splat(load<f32>(z + o)), y = f32x4.splat(load<f32>(a + o));
    const g = load<f32>(da + o) * f32x4.extract_lane(slope4(id, x, y, p), 0);
    const v = acc ? load<f32>(dz + o) + g : g;
    store<f32>(dz + o, abs(v) < flushBelow ? 0 : v);
  }
}
