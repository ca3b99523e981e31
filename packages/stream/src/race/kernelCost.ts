import { activationNamed, createRng, createWasmBackend, jsBackend, type Activation, type ActivationState, type Backend } from "@gradscope/core";

/** One activation's measured kernel cost. */
export interface KernelCost {
  activation: string;
  /** Median ns per element of the forward kernel (training mode) and of the backward kernel. */
  forwardNs: number;
  backwardNs: number;
  /** forwardNs + backwardNs: what one element costs in a training step. */
  ns: number;
  /** ns ÷ relu's ns, when relu was measured with it (same backend, same rounds). */
  relativeToRelu: number | null;
  /** The kernels timed: a backend name ("wasm-relaxed", "js"). */
  backend: string;
}

/** Options of {@link kernelCost}. */
export interface KernelCostOptions {
  /** The kernels to time. Default: a WebAssembly backend where it loads (what runs use), else the JS one. */
  backend?: Backend;
  /** Elements per kernel call. Default 16,384 (in cache, like a layer's batch). */
  elements?: number;
  /** Timed rounds; each round times every activation once, so a busy moment hits all alike. Default 31. */
  rounds?: number;
  /** Parameters per activation name, e.g. { leakyRelu: { alpha: 0.1 } }. */
  params?: Record<string, Record<string, number>>;
  /**
   * What measures the kernels. Default {@link timeKernels}: real timings on this machine. Give numbers
   * instead to test what is done with them (sums, ratios to ReLU, caching) without timing anything.
   */
  timer?: KernelTimer;
}

/** ns per element of one activation's forward and backward kernel. */
export interface KernelTiming {
  forwardNs: number;
  backwardNs: number;
}

/**
 * Measures the kernels of some activations on a backend: one {@link KernelTiming} per activation, in order.
 * `elements` per kernel call, `rounds` timed rounds (for a timer that samples).
 */
export type KernelTimer = (acts: readonly Activation[], setup: { backend: Backend; elements: number; rounds: number }) => KernelTiming[];

// measured once per process per timer (and backend, activation, parameters): a race asks for the same ones often
const caches = new WeakMap<KernelTimer, Map<string, KernelTiming>>();
let defaultBackend: Backend | undefined;

/**
 * ns per element of each activation's forward and backward kernel, measured in isolation on this
 * machine – the method of `gradscope reproduce activation-cost` (N(0, 2) inputs, warm-up, the fastest of
 * repeated timings: other work only ever adds time) with the activations interleaved round by round, so
 * machine load cannot reorder them – and cached for the process. This, times the elements a network pushes through its
 * activations ({@link stepKernelMicros}), is a race's cost: wall time per step on a shared machine
 * measures the scheduler as much as the activation.
 * @example
 * kernelCost(["relu", "leakyRelu", "elu"]).map((c) => c.ns); // e.g. [0.3, 0.36, 0.94] on wasm
 */
export function kernelCost(names: readonly (string | Activation)[], options: KernelCostOptions = {}): KernelCost[] {
  const backend = options.backend ?? (defaultBackend ??= loadBackend());
  const { elements = 16_384, rounds = 31, timer = timeKernels } = options;
  let cache = caches.get(timer);
  if (cache === undefined) caches.set(timer, (cache = new Map()));
  const acts = names.map((n) => (typeof n === "string" ? activationNamed(n, options.params?.[n] ?? {}) : n));
  const key = (a: Activation) => `${backend.name}|${elements}|${a.name}|${JSON.stringify(a.params)}`;
  const todo = acts.filter((a, i) => !cache.has(key(a)) && acts.findIndex((b) => key(b) === key(a)) === i);
  if (todo.length) {
    const timings = timer(todo, { backend, elements, rounds });
    if (timings.length !== todo.length) throw new RangeError(`kernelCost: the timer gave ${timings.length} timings for ${todo.length} activations`);
    timings.forEach((m, i) => cache.set(key(todo[i]!), m));
  }
  const relu = cache.get(key(activationNamed("relu")));
  return acts.map((a) => {
    const m = cache.get(key(a))!;
    const ns = m.forwardNs + m.backwardNs;
    return { activation: a.name, ...m, ns, relativeToRelu: relu ? ns / (relu.forwardNs + relu.backwardNs) : null, backend: backend.name };
  });
}

/**
 * µs of activation kernels in one training step of an MLP: every hidden unit of every example of the
 * batch goes forward and backward through the activation once.
 * @example stepKernelMicros(0.94, { batchSize: 32, width: 32, depth: 4 }); // 3.85 µs (4,096 elements)
 */
export function stepKernelMicros(ns: number, net: { batchSize: number; width: number; depth: number }): number {
  return (ns * net.batchSize * net.width * net.depth) / 1000;
}

function loadBackend(): Backend {
  try {
    return createWasmBackend({});
  } catch {
    return jsBackend; // no WebAssembly SIMD here: runs use the JS kernels too
  }
}

/**
 * The default {@link KernelTimer}: times each kernel on `backend` with N(0, 2) inputs after a warm-up, the
 * activations interleaved round by round so machine load hits all alike, and keeps the fastest sample.
 * @example timeKernels([activationNamed("relu")], { backend: jsBackend, elements: 16_384, rounds: 31 })
 */
export function timeKernels(acts: readonly Activation[], { backend, elements, rounds }: { backend: Backend; elements: number; rounds: number }): KernelTiming[] {
  const cols = 256, rows = Math.max(1, Math.round(elements / cols)), n = rows * cols;
  const [z, a, da, dz] = [0, 1, 2, 3].map(() => backend.allocate("float32", n)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const rng = createRng(1);
  for (let i = 0; i < n; i++) {
    z[i] = rng.normal(0, Math.SQRT2);
    da[i] = 1;
  }
  const states: ActivationState[] = acts.map((act) => ({
    act, params: { ...act.params },
    learned: act.learnable.map((k) => Float32Array.of(act.params[k] as number)),
    learnedGrad: act.learnable.map(() => new Float32Array(1)),
    noise: new Float32Array(act.train ? n : 0),
    rng: createRng(1),
  }));
  const now = () => performance.now();
  // calibrate: enough calls per sample that one sample lasts ≥ 0.25 ms, above a browser's coarse clock
  const inner = states.map((s) => {
    const t0 = now();
    for (let k = 0; k < 8; k++) {
      backend.activationForward(s, z, a, rows, cols, true);
      backend.activationBackward(s, z, a, da, dz, rows, cols, true, false);
    }
    return Math.min(1000, Math.max(1, Math.ceil(0.25 / Math.max((now() - t0) / 16, 1e-6))));
  });
  const fwd = acts.map(() => [] as number[]), bwd = acts.map(() => [] as number[]);
  for (let r = -2; r < rounds; r++) { // two warm-up rounds besides the calibration
    states.forEach((s, i) => {
      const reps = inner[i]!;
      const t0 = now();
      for (let k = 0; k < reps; k++) backend.activationForward(s, z, a, rows, cols, true);
      const t1 = now();
      for (let k = 0; k < reps; k++) backend.activationBackward(s, z, a, da, dz, rows, cols, true, false);
      const t2 = now();
      if (r >= 0) {
        fwd[i]!.push(((t1 - t0) * 1e6) / (n * reps));
        bwd[i]!.push(((t2 - t1) * 1e6) / (n * reps));
      }
    });
  }
  // the fastest sample: a busy machine's other processes only add time, and medians swapped close
  // contenders (ReLU and Leaky ReLU are ~25 % apart) on a loaded 2-core CI machine
  return acts.map((_, i) => ({ forwardNs: Math.min(...fwd[i]!), backwardNs: Math.min(...bwd[i]!) }));
}
