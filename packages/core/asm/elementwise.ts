// Elementwise kernels, reductions and the softmax cross-entropy.

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
