// Optimiser updates over float32 parameters, in place: the same formulas as src/optim/ (see
// there for the forms), four lanes at a time. Arithmetic is float32 throughout, so a weight can
// differ from the TypeScript kernels' (float64 then rounded) by an ulp per step.
import { madd } from "./common";

/**
 * SGD, PyTorch form: g′ = g + λw; μ = 0: w ← w − lr·g′; else v ← μv + g′ and
 * w ← w − lr·(nesterov ? g′ + μv : v). `v` is not touched when μ = 0.
 */
export function sgdUpdate(w: usize, g: usize, v: usize, n: i32, lr: f64, momentum: f64, nesterov: bool, decay: f64): void {
  // one loop per form, so nothing is decided per element
  if (momentum == 0) sgdPlain(w, g, n, lr, decay);
  else if (nesterov) sgdMomentum<i8>(w, g, v, n, lr, momentum, decay);
  else sgdMomentum<u8>(w, g, v, n, lr, momentum, decay);
}

function sgdPlain(w: usize, g: usize, n: i32, lr: f64, decay: f64): void {
  const n4 = <usize>(n & ~3) << 2, rate = f32x4.splat(<f32>-lr), wd = f32x4.splat(<f32>decay);
  for (let o: usize = 0; o < n4; o += 16) {
    const x = v128.load(w + o);
    v128.store(w + o, madd(rate, madd(wd, x, v128.load(g + o)), x));
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    const x = <f64>load<f32>(w + o);
    store<f32>(w + o, <f32>(x - lr * (<f64>load<f32>(g + o) + decay * x)));
  }
}

/**
 * Momentum SGD; Nesterov when T is signed. A type parameter, not a bool argument, so each form
 * is compiled into its own loop with the choice a constant (see activationId in ./probes).
 */
function sgdMomentum<T>(w: usize, g: usize, v: usize, n: i32, lr: f64, momentum: f64, decay: f64): void {
  const NESTEROV = isSigned<T>();
  const n4 = <usize>(n & ~3) << 2, rate = f32x4.splat(<f32>-lr), wd = f32x4.splat(<f32>decay), mu = f32x4.splat(<f32>momentum);
  for (let o: usize = 0; o < n4; o += 16) {
    const x = v128.load(w + o);
    const gi = madd(wd, x, v128.load(g + o));
    const vi = madd(mu, v128.load(v + o), gi);
    v128.store(v + o, vi);
    const step = NESTEROV ? madd(mu, vi, gi) : vi;
    v128.store(w + o, madd(rate, step, x));
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    const x = <f64>load<f32>(w + o);
    const gi = <f64>load<f32>(g + o) + decay * x;
    const vi = <f64><f32>(momentum * <f64>load<f32>(v + o) + gi);
    store<f32>(v + o, <f32>vi);
    store<f32>(w + o, <f32>(x - lr * (NESTEROV ? gi + momentum * vi : vi)));
  }
}

/**
 * Adam with bias correction: g′ = g + λw; m ← β₁m + (1 − β₁)g′; v ← β₂v + (1 − β₂)g′²;
 * w ← w − lr·c₁·m / (√(c₂·v) + ε), with c₁ = 1/(1 − β₁ᵗ) and c₂ = 1/(1 − β₂ᵗ) from the caller.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64): void {
  // scalars arrive in f64: 1 − β₂ rounded from f32(0.999) would be off by 1.3e-5 relative
  const n4 = <usize>(n & ~3) << 2;
  const wd = f32x4.splat(<f32>decay), b1 = f32x4.splat(<f32>beta1), b2 = f32x4.splat(<f32>beta2);
  const d1 = f32x4.splat(<f32>(1 - beta1)), d2 = f32x4.splat(<f32>(1 - beta2)), rate = f32x4.splat(<f32>(lr * c1));
  const k2 = f32x4.splat(<f32>c2), eps = f32x4.splat(<f32>epsilon);
  for (let o: usize = 0; o < n4; o += 16) {
    const x = v128.load(w + o);
    const gi = madd(wd, x, v128.load(g + o));
    const mi = madd(b1, v128.load(m + o), f32x4.mul(d1, gi));
    const vi = madd(b2, v128.load(v + o), f32x4.mul(d2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, k2)), eps);
    v128.store(w + o, f32x4.sub(x, f32x4.div(f32x4.mul(rate, mi), denom)));
  }
  for (let o = n4; o < (<usize>n << 2); o += 4) {
    const x = <f64>load<f32>(w + o);
    const gi = <f64>load<f32>(g + o) + decay * x;
    const mi = <f32>(beta1 * <f64>load<f32>(m + o) + (1 - beta1) * gi);
    const vi = <f32>(beta2 * <f64>load<f32>(v + o) + (1 - beta2) * gi * gi);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, <f32>(x - (lr * c1 * mi) / (Math.sqrt(vi * c2) + epsilon)));
  }
}
