import type { Activation } from "../activation.js";
import type { DType, FloatArray } from "../tensor.js";
import type { Rng } from "../random.js";
import type { NormKernels } from "./normKernels.js";

/**
 * Per-node state an activation kernel needs besides its input and output: the mutable parameter
 * object, the learnable parameters' arrays (length 1 when shared, `cols` when per unit) and their
 * gradients, and the noise buffer of stochastic activations (RReLU's slopes in training).
 */
export interface ActivationState {
  readonly act: Activation;
  /** A mutable copy of `act.params`; kernels write learnable values into it element by element. */
  readonly params: Record<string, number>;
  /** Learnable parameter values, in `act.learnable` order. */
  readonly learned: readonly FloatArray[];
  /** Gradients of the learnable parameters, in `act.learnable` order (accumulated into). */
  readonly learnedGrad: readonly FloatArray[];
  /** Per-element noise drawn in a training forward pass; empty when the activation has none. */
  readonly noise: FloatArray;
  /** Generator for the noise. */
  readonly rng: Rng;
}

/**
 * The kernels a graph runs. Every kernel works on typed arrays with explicit sizes, writes into
 * buffers it is given and allocates nothing, so a WebAssembly backend can offer the same signatures
 * over its own memory (which is why buffers come from `allocate`).
 * Matrices are row-major. `accumulate` adds into the output instead of overwriting it.
 * Optimiser and normalisation kernels are optional: a backend without them gets the TypeScript ones.
 */
export interface Backend extends Partial<OptimizerKernels>, Partial<NormKernels> {
  readonly name: string;
  /** A zero-filled buffer the kernels can work on. */
  allocate(dtype: DType, length: number): FloatArray;
  /** C[m×n] (+)= A[m×k] · B[k×n]: the dense forward pass x·W. */
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, accumulate: boolean): void;
  /** C[m×n] (+)= A[m×k] · B[n×k]ᵀ: the input gradient dz·Wᵀ. */
  matmulBT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, accumulate: boolean): void;
  /** C[m×n] (+)= A[k×m]ᵀ · B[k×n]: the weight gradient xᵀ·dz. */
  matmulAT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, accumulate: boolean): void;
  /** z[r, c] += bias[c]. */
  addBias(z: FloatArray, bias: FloatArray, rows: number, cols: number): void;
  /** out[c] (+)= Σ_r x[r, c]: the bias gradient. */
  sumRows(x: FloatArray, out: FloatArray, rows: number, cols: number, accumulate: boolean): void;
  /** out (+)= a + b (elementwise, same length). */
  add(a: FloatArray, b: FloatArray, out: FloatArray, n: number, accumulate: boolean): void;
  /** out (+)= s·a. */
  scale(a: FloatArray, s: number, out: FloatArray, n: number, accumulate: boolean): void;
  /** out (+)= a ⊙ b. */
  mul(a: FloatArray, b: FloatArray, out: FloatArray, n: number, accumulate: boolean): void;
  /** a = f(z); in training mode stochastic activations draw and keep their noise. */
  activationForward(s: ActivationState, z: FloatArray, a: FloatArray, rows: number, cols: number, training: boolean): void;
  /** dz (+)= da ⊙ f′(z), and the learnable parameters' gradients += Σ da ⊙ ∂f/∂param. */
  activationBackward(
    s: ActivationState, z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray,
    rows: number, cols: number, training: boolean, accumulate: boolean,
  ): void;
  /**
   * A dense layer's bias and activation fused (optional; a graph without it runs addBias then
   * activationForward): z[r, c] += bias[c], then a = f(z), in one pass over z.
   */
  biasActivationForward?(s: ActivationState, z: FloatArray, bias: FloatArray, a: FloatArray, rows: number, cols: number, training: boolean): void;
  /**
   * The backward of {@link biasActivationForward} (optional): dz (+)= da ⊙ f′(z) (and the learnable
   * parameters' gradients, as activationBackward), then dbias (+)= Σ_r dz[r, ·] over the final dz.
   */
  activationBackwardBias?(
    s: ActivationState, z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray, dbias: FloatArray,
    rows: number, cols: number, training: boolean, accumulate: boolean, accumulateBias: boolean,
  ): void;
  /**
   * Softmax cross-entropy averaged over rows: writes the probabilities and dlogits = (p − onehot)/rows,
   * returns the mean loss. Labels outside [0, cols) throw.
   */
  softmaxCrossEntropy(logits: FloatArray, labels: Int32Array, probs: FloatArray, dlogits: FloatArray, rows: number, cols: number): number;

  // Probe reductions: optional, read-only summaries of a step's buffers (a backend without them
  // gets jsBackend's through {@link probeKernels}). Sums are accumulated in float64, or in float32
  // over short blocks that are then added in float64; counts are exact.

  /** dst = src (first n values): the weight snapshot probes take before an update. */
  copy?(src: FloatArray, dst: FloatArray, n: number): void;
  /** Σ x[i]² over the first n values. */
  sumSquares?(x: FloatArray, n: number): number;
  /**
   * One pass over a weight matrix W [fanIn×fanOut], its snapshot W0 before the update and its
   * gradient G. Writes into `out`: [0] ‖W − W0‖², [1] ‖W0‖², [2] ‖W‖², [3] ‖G‖², [4] the sum over
   * units (columns) j whose weights moved of max(up_j, down_j)/(up_j + down_j), where up_j and
   * down_j count the incoming weights that moved up and down, and [5] the number of such units.
   */
  probeUpdate?(W: FloatArray, W0: FloatArray, G: FloatArray, fanIn: number, fanOut: number, out: Float64Array): void;
  /**
   * One pass over pre-activations z and activations a = f(z) [rows×cols] with f′ from `s`. Writes
   * into `out`: [0..4] the shift z₀ = z[0], Σ(z − z₀), Σ(z − z₀)², min z, max z; [5..9] the same of
   * a; [10] the count of |f′(z)| < `limit` (saturated); [11] the count of units (columns) with
   * f′ = 0 in every row (dead). The shift keeps E[x²] − E[x]² from cancelling when values sit far
   * from 0 or are all equal.
   */
  probeActivation?(s: ActivationState, z: FloatArray, a: FloatArray, rows: number, cols: number, limit: number, out: Float64Array): void;
}

/**
 * Optimiser updates: optional (a backend without them gets the TypeScript loops of
 * backend/optimKernels.ts). In place over the first n values; state buffers come from `allocate`.
 */
export interface OptimizerKernels {
  /** SGD, PyTorch form (see optimKernels.ts); `v` is unused when momentum is 0. */
  sgdUpdate(w: FloatArray, g: FloatArray, v: FloatArray, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  /** Adam with the bias corrections c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ) of the step (see optimKernels.ts). */
  adamUpdate(
    w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, n: number,
    lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, weightDecay: number,
  ): void;
  /**
   * sgdUpdate over a weight matrix [rows × cols] that also writes into `out` what
   * {@link Backend.probeUpdate} would from a snapshot taken before the update (‖ΔW‖², ‖W₀‖², ‖W‖²,
   * ‖G‖², sign agreement sum, moved units): the probes then need neither a snapshot nor a second pass.
   */
  sgdUpdateMeasured(
    w: FloatArray, g: FloatArray, v: FloatArray, rows: number, cols: number,
    lr: number, momentum: number, nesterov: boolean, weightDecay: number, out: Float64Array,
  ): void;
  /** adamUpdate that also measures itself, as {@link OptimizerKernels.sgdUpdateMeasured}. */
  adamUpdateMeasured(
    w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, rows: number, cols: number,
    lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, weightDecay: number, out: Float64Array,
  ): void;
}

/** The probe reductions of a backend: its own, or jsBackend's where it has none. */
export type ProbeKernels = Required<Pick<Backend, "copy" | "sumSquares" | "probeUpdate" | "probeActivation">>;
