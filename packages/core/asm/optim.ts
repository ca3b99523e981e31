// Optimiser updates over float32 parameters, in place: the same formulas as src/optim/ (see
// there for the forms), four lanes at a time. Arithmetic is float32 throughout, so a weight can
// differ from the TypeScript kernels' (float64 then rounded) by an ulp per step.
import { hsum, madd } from "./common";
import { storeUpdateSummary } from "./probes";

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

// ── updates that also measure themselves (for the probes) ─────────────────────────────────
// One pass that updates a weight matrix [rows × cols] and summarises the change as probeUpdate
// would from a snapshot taken before (see ./probes): without this the probes copy W before the
// update and read W, W₀ and G again after it, ~6 MB of memory traffic per W1 step.

const SGD = 0, MOMENTUM = 1, NESTEROV = 2, ADAM = 3;
/** Floats per block of f32 accumulation, as in ./probes. */
const BLOCK = 1024;

/** An update kind as a compile-time constant of a type parameter: u8 sgd, i8 momentum, u16 nesterov, i16 adam. */
// @ts-ignore: decorator
@inline function kindOf<K>(): i32 {
  return (<i32>alignof<K>() << 1) | <i32>isSigned<K>();
}

/** sgdUpdate (momentum 0, plain or Nesterov) that also writes probeUpdate's six summaries to `out`. */
export function sgdUpdateMeasured(w: usize, g: usize, v: usize, rows: i32, cols: i32, lr: f64, momentum: f64, nesterov: bool, decay: f64, counts: usize, out: usize): void {
  if (momentum == 0) measured<u8>(w, g, v, 0, rows, cols, lr, 0, 0, 0, 1, 1, 0, decay, counts, out);
  else if (nesterov) measured<u16>(w, g, v, 0, rows, cols, lr, momentum, 0, 0, 1, 1, 0, decay, counts, out);
  else measured<i8>(w, g, v, 0, rows, cols, lr, momentum, 0, 0, 1, 1, 0, decay, counts, out);
}

/** adamUpdate that also writes probeUpdate's six summaries to `out`. */
export function adamUpdateMeasured(w: usize, g: usize, m: usize, v: usize, rows: i32, cols: i32, lr: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64, counts: usize, out: usize): void {
  measured<i16>(w, g, v, m, rows, cols, lr, 0, beta1, beta2, c1, c2, epsilon, decay, counts, out);
}

/**
 * The update of kind K over W [rows × cols] (v: velocity or Adam's second moment, m: Adam's first),
 * and out[0..5] = ‖W − W₀‖², ‖W₀‖², ‖W‖², ‖G‖², Σ over moved units of max(up, down)/(up + down),
 * moved units, exactly as probeUpdate defines them. `counts`: scratch for 2·cols i32.
 */
function measured<K>(w: usize, g: usize, v: usize, m: usize, rows: i32, cols: i32, lr: f64, momentum: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64, counts: usize, out: usize): void {
  const kind = kindOf<K>();
  const up = counts, down = counts + (<usize>cols << 2);
  memory.fill(counts, 0, <usize>cols << 3);
  const zero = f32x4.splat(0), rate = f32x4.splat(<f32>-lr), wd = f32x4.splat(<f32>decay), mu = f32x4.splat(<f32>momentum);
  const b1 = f32x4.splat(<f32>beta1), b2 = f32x4.splat(<f32>beta2), d1 = f32x4.splat(<f32>(1 - beta1)), d2 = f32x4.splat(<f32>(1 - beta2));
  const arate = f32x4.splat(<f32>(lr * c1)), k2 = f32x4.splat(<f32>c2), eps = f32x4.splat(<f32>epsilon);
  const c4 = cols & ~3;
  let dw2: f64 = 0, w02: f64 = 0, w2: f64 = 0, g2: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    for (let j0 = 0; j0 < c4; j0 += BLOCK) {
      const end = min(j0 + BLOCK, c4);
      let sd = zero, s0 = zero, sw = zero, sg = zero;
      for (let j = j0; j < end; j += 4) {
        const o = row + (<usize>j << 2), cj = <usize>j << 2;
        const x = v128.load(w + o), gg = v128.load(g + o);
        const gi = madd(wd, x, gg);
        let nx: v128;
        if (kind == SGD) {
          nx = madd(rate, gi, x);
        } else if (kind == ADAM) {
          const mi = madd(b1, v128.load(m + o), f32x4.mul(d1, gi));
          const vi = madd(b2, v128.load(v + o), f32x4.mul(d2, f32x4.mul(gi, gi)));
          v128.store(m + o, mi);
          v128.store(v + o, vi);
          nx = f32x4.sub(x, f32x4.div(f32x4.mul(arate, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, k2)), eps)));
        } else {
          const vi = madd(mu, v128.load(v + o), gi);
          v128.store(v + o, vi);
          nx = madd(rate, kind == NESTEROV ? madd(mu, vi, gi) : vi, x);
        }
        v128.store(w + o, nx);
        const d = f32x4.sub(nx, x);
        sd = madd(d, d, sd);
        s0 = madd(x, x, s0);
        sw = madd(nx, nx, sw);
        sg = madd(gg, gg, sg);
        v128.store(up + cj, i32x4.sub(v128.load(up + cj), f32x4.gt(d, zero)));
        v128.store(down + cj, i32x4.sub(v128.load(down + cj), f32x4.lt(d, zero)));
      }
      dw2 += hsum(sd); w02 += hsum(s0); w2 += hsum(sw); g2 += hsum(sg);
    }
    for (let j = c4; j < cols; j++) {
      const o = row + (<usize>j << 2), cj = <usize>j << 2;
      const x = <f64>load<f32>(w + o), gg = <f64>load<f32>(g + o);
      const gi = gg + decay * x;
      let nx: f64;
      if (kind == SGD) {
        nx = x - lr * gi;
      } else if (kind == ADAM) {
        const mi = <f32>(beta1 * <f64>load<f32>(m + o) + (1 - beta1) * gi);
        const vi = <f32>(beta2 * <f64>load<f32>(v + o) + (1 - beta2) * gi * gi);
        store<f32>(m + o, mi);
        store<f32>(v + o, vi);
        nx = x - (lr * c1 * mi) / (Math.sqrt(vi * c2) + epsilon);
      } else {
        const vi = <f64><f32>(momentum * <f64>load<f32>(v + o) + gi);
        store<f32>(v + o, <f32>vi);
        nx = x - lr * (kind == NESTEROV ? gi + momentum * vi : vi);
      }
      const stored = <f64><f32>nx;
      store<f32>(w + o, <f32>stored);
      const d = stored - x;
      dw2 += d * d; w02 += x * x; w2 += stored * stored; g2 += gg * gg;
      store<i32>(up + cj, load<i32>(up + cj) + <i32>(d > 0));
      store<i32>(down + cj, load<i32>(down + cj) + <i32>(d < 0));
    }
  }
  storeUpdateSummary(up, down, cols, dw2, w02, w2, g2, out);
}
