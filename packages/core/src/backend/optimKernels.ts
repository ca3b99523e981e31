import type { FloatArray } from "../tensor.js";

// The optimisers' update loops as backend kernels (the TypeScript ones; the wasm backend has its
// own). Plain positional numbers, so a step allocates nothing.

/**
 * In-place SGD over the first n parameters, PyTorch form: g′ = g + λw; with μ = 0, w ← w − lr·g′;
 * otherwise v ← μv + g′ and w ← w − lr·(nesterov ? g′ + μv : v). `v` is unused when μ = 0.
 */
export function sgdUpdate(
  w: FloatArray, g: FloatArray, v: FloatArray, n: number,
  lr: number, momentum: number, nesterov: boolean, weightDecay: number,
): void {
  if (momentum === 0) {
    for (let i = 0; i < n; i++) w[i]! -= lr * (g[i]! + weightDecay * w[i]!);
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i]! + weightDecay * w[i]!;
    const vi = momentum * v[i]! + gi;
    v[i] = vi;
    w[i]! -= lr * (nesterov ? gi + momentum * vi : vi);
  }
}

/**
 * In-place Adam over the first n parameters: g′ = g + λw; m ← β₁m + (1 − β₁)g′;
 * v ← β₂v + (1 − β₂)g′²; w ← w − lr·c₁·m / (√(c₂·v) + ε), where c₁ = 1/(1 − β₁ᵗ) and
 * c₂ = 1/(1 − β₂ᵗ) are the bias corrections of step t.
 */
export function adamUpdate(
  w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, n: number,
  lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, weightDecay: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]! + weightDecay * w[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i]! -= (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
  }
}
