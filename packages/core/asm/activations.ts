// Activation kernels: vectorised f and f′ of the built-in activations.
import { flush4, flushBelow, madd } from "./common";

export const IDENTITY = 0, RELU = 1, LEAKY_RELU = 2, ELU = 3, SELU = 4, SIGMOID = 5, TANH = 6, SILU = 7;
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
