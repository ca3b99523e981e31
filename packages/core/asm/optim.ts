// Optimiser updates over float32 parameters, in place: the same formulas as src/optim/ (see there
// for the forms), four lanes at a time. Every element goes through the same f32x4 instructions –
// the last n % 4 too, through a 16-byte staging area – so an element's new value does not depend
// on where it sits, and the self-measuring updates below (row by row) give bit for bit what the
// plain ones (one flat array) give: a probed step trains exactly as an unprobed one. A weight can
// differ from the TypeScript kernels' (float64, rounded when stored) by an ulp or so per step.
// Hyper-parameters arrive as f64 and are combined before rounding (1 − β₂ from f32(0.999) would be
// off by 1.3e-5 relative).
import { hsum, madd } from "./common";
import { storeUpdateSummary } from "./probes";

const SGD = 0, MOMENTUM = 1, NESTEROV = 2, ADAM = 3;
/** Floats per block of f32 accumulation, as in ./probes. */
const BLOCK = 1024;
/**
 * 256 bytes of the calling thread's scratch (setOptimScratch): the hyper-parameter lanes, then the
 * staging for the last n % 4 values (w, g, v, m, and w before the update, 16 bytes each). Not static
 * data: a helper thread instantiating this module on the same memory rewrites static data.
 */
let scratch: usize = 0;

/** Where the optimiser kernels keep their lanes and staging: 256 bytes, 16-byte aligned. */
export function setOptimScratch(at: usize): void {
  scratch = at;
}

/** An update kind as a compile-time constant of a type parameter: u8 sgd, i8 momentum, u16 nesterov, i16 adam. */
// @ts-ignore: decorator
@inline function kindOf<K>(): i32 {
  return (<i32>alignof<K>() << 1) | <i32>isSigned<K>();
}

/**
 * SGD, PyTorch form: g′ = g + λw; μ = 0: w ← w − lr·g′; else v ← μv + g′ and
 * w ← w − lr·(nesterov ? g′ + μv : v). `v` is not touched when μ = 0.
 */
export function sgdUpdate(w: usize, g: usize, v: usize, n: i32, lr: f64, momentum: f64, nesterov: bool, decay: f64): void {
  // one loop per form, so nothing is decided per element
  if (momentum == 0) update<u8>(w, g, v, 0, n, lr, 0, 0, 0, 1, 1, 0, decay);
  else if (nesterov) update<u16>(w, g, v, 0, n, lr, momentum, 0, 0, 1, 1, 0, decay);
  else update<i8>(w, g, v, 0, n, lr, momentum, 0, 0, 1, 1, 0, decay);
}

/**
 * Adam with bias correction: g′ = g + λw; m ← β₁m + (1 − β₁)g′; v ← β₂v + (1 − β₂)g′²;
 * w ← w − lr·c₁·m / (√(c₂·v) + ε), with c₁ = 1/(1 − β₁ᵗ) and c₂ = 1/(1 − β₂ᵗ) from the caller.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64): void {
  update<i16>(w, g, v, m, n, lr, 0, beta1, beta2, c1, c2, epsilon, decay);
}

/**
 * New weights for four lanes of kind `kind` (a constant at every call site): x the weights, g their
 * gradient; v (velocity or Adam's second moment) and m (Adam's first) are read and written at their
 * pointers. The hyper-parameter lanes come from {@link lanes}.
 */
// @ts-ignore: decorator
@inline function apply4(kind: i32, x: v128, g: v128, v: usize, m: usize, h: usize): v128 {
  const gi = madd(v128.load(h, WD), x, g);
  if (kind == SGD) return madd(v128.load(h, RATE), gi, x);
  if (kind == ADAM) {
    const mi = madd(v128.load(h, B1), v128.load(m), f32x4.mul(v128.load(h, D1), gi));
    const vi = madd(v128.load(h, B2), v128.load(v), f32x4.mul(v128.load(h, D2), f32x4.mul(gi, gi)));
    v128.store(m, mi);
    v128.store(v, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, v128.load(h, K2))), v128.load(h, EPS));
    return f32x4.sub(x, f32x4.div(f32x4.mul(v128.load(h, ARATE), mi), denom));
  }
  const vi = madd(v128.load(h, MU), v128.load(v), gi);
  v128.store(v, vi);
  return madd(v128.load(h, RATE), kind == NESTEROV ? madd(v128.load(h, MU), vi, gi) : vi, x);
}

// byte offsets of the hyper-parameter lanes in the scratch, and of the staging area
const RATE = 0, WD = 16, MU = 32, B1 = 48, B2 = 64, D1 = 80, D2 = 96, ARATE = 112, K2 = 128, EPS = 144, STAGE = 160;

/** Writes the hyper-parameter lanes, combining in f64 before rounding; returns where they are. */
function lanes(lr: f64, momentum: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64): usize {
  const h = scratch;
  v128.store(h, f32x4.splat(<f32>-lr), RATE);
  v128.store(h, f32x4.splat(<f32>decay), WD);
  v128.store(h, f32x4.splat(<f32>momentum), MU);
  v128.store(h, f32x4.splat(<f32>beta1), B1);
  v128.store(h, f32x4.splat(<f32>beta2), B2);
  v128.store(h, f32x4.splat(<f32>(1 - beta1)), D1);
  v128.store(h, f32x4.splat(<f32>(1 - beta2)), D2);
  v128.store(h, f32x4.splat(<f32>(lr * c1)), ARATE);
  v128.store(h, f32x4.splat(<f32>c2), K2);
  v128.store(h, f32x4.splat(<f32>epsilon), EPS);
  return h;
}

/**
 * Updates the `count` (< 4) values at byte offset o through the vector code, staged at h + STAGE
 * (lanes past `count` are zeros and are dropped). Leaves w after the update there, g 16 bytes on and
 * w before the update 64 bytes on, for the caller's summaries.
 */
// @ts-ignore: decorator
@inline function applyTail(kind: i32, w: usize, g: usize, v: usize, m: usize, o: usize, count: i32, h: usize): void {
  const TAIL = h + STAGE;
  memory.fill(TAIL, 0, 64);
  const bytes = <usize>count << 2;
  memory.copy(TAIL, w + o, bytes);
  memory.copy(TAIL + 16, g + o, bytes);
  if (kind != SGD) memory.copy(TAIL + 32, v + o, bytes);
  if (kind == ADAM) memory.copy(TAIL + 48, m + o, bytes);
  const x = v128.load(TAIL);
  v128.store(TAIL, x, 64);
  v128.store(TAIL, apply4(kind, x, v128.load(TAIL, 16), TAIL + 32, TAIL + 48, h));
  memory.copy(w + o, TAIL, bytes);
  if (kind != SGD) memory.copy(v + o, TAIL + 32, bytes);
  if (kind == ADAM) memory.copy(m + o, TAIL + 48, bytes);
}

/** The update of kind K over n values. */
function update<K>(w: usize, g: usize, v: usize, m: usize, n: i32, lr: f64, momentum: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, decay: f64): void {
  const kind = kindOf<K>();
  const h = lanes(lr, momentum, beta1, beta2, c1, c2, epsilon, decay);
  const n4 = <usize>(n & ~3) << 2;
  for (let o: usize = 0; o < n4; o += 16) {
    v128.store(w + o, apply4(kind, v128.load(w + o), v128.load(g + o), v + o, m + o, h));
  }
  if ((n & 3) != 0) applyTail(kind, w, g, v, m, n4, n & 3, h);
}

// ── updates that also measure themselves (for the probes) ─────────────────────────────────
// One pass that updates a weight matrix [rows × cols] and summarises the change as probeUpdate
// would from a snapshot taken before (see ./probes): without this the probes copy W before the
// update and read W, W₀ and G again after it, ~6 MB of memory traffic per W1 step.

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
  const h = lanes(lr, momentum, beta1, beta2, c1, c2, epsilon, decay);
  const up = counts, down = counts + (<usize>cols << 2);
  memory.fill(counts, 0, <usize>cols << 3);
  const zero = f32x4.splat(0), c4 = cols & ~3;
  let dw2: f64 = 0, w02: f64 = 0, w2: f64 = 0, g2: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    for (let j0 = 0; j0 < c4; j0 += BLOCK) {
      const end = min(j0 + BLOCK, c4);
      let sd = zero, s0 = zero, sw = zero, sg = zero;
      for (let j = j0; j < end; j += 4) {
        const o = row + (<usize>j << 2), cj = <usize>j << 2;
        const x = v128.load(w + o), gg = v128.load(g + o);
        const nx = apply4(kind, x, gg, v + o, m + o, h);
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
    if (c4 == cols) continue;
    applyTail(kind, w, g, v, m, row + (<usize>c4 << 2), cols - c4, h);
    const TAIL = h + STAGE;
    for (let j = c4; j < cols; j++) {
      const q = <usize>(j - c4) << 2, cj = <usize>j << 2;
      const x = <f64>load<f32>(TAIL + 64 + q), nx = <f64>load<f32>(TAIL + q), gg = <f64>load<f32>(TAIL + 16 + q);
      const d = nx - x;
      dw2 += d * d; w02 += x * x; w2 += nx * nx; g2 += gg * gg;
      store<i32>(up + cj, load<i32>(up + cj) + <i32>(d > 0));
      store<i32>(down + cj, load<i32>(down + cj) + <i32>(d < 0));
    }
  }
  storeUpdateSummary(up, down, cols, dw2, w02, w2, g2, out);
}
