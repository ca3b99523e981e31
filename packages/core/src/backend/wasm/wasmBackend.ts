import type { Activation } from "../../activation.js";
import { elu } from "../../activations/elu.js";
import { identity } from "../../activations/identity.js";
import { leakyRelu } from "../../activations/leakyRelu.js";
import { relu } from "../../activations/relu.js";
import { selu } from "../../activations/selu.js";
import { sigmoid } from "../../activations/sigmoid.js";
import { silu } from "../../activations/silu.js";
import { tanh } from "../../activations/tanh.js";
import type { DType, FloatArray } from "../../tensor.js";
import type { ActivationState, Backend } from "../backend.js";
import { jsBackend } from "../js.js";
import { jsNormKernels } from "../normKernels.js";
import * as binaries from "./kernels.wasm.js";
import { CONTROL_BYTES, startGemmHelper, type GemmHelper } from "./gemmHelper.js";
import { WasmMemory } from "./wasmMemory.js";

/** Which instruction set a build uses: relaxed SIMD (fused multiply-add) or plain SIMD128. */
export type WasmVariant = "relaxed" | "simd128";

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Instruction set; default the best this runtime validates ("relaxed", else "simd128"). */
  variant?: WasmVariant | "auto";
  /** Shared memory (grows, and workers can share it) or a fixed unshared one; default shared when available. */
  sharedMemory?: boolean | "auto";
  /**
   * Store results below float32's smallest normal (≈ 1.18e−38) as 0 in the backward kernels (matrix
   * products, activation gradients). Default false: subnormals are kept, as IEEE and the js backend
   * do. WebAssembly has no flush-to-zero mode, and a SIMD128 matrix product whose products land in
   * the subnormal range ran 3.5× slower here (1.2× with relaxed-SIMD FMA); in whole training steps
   * of deep sigmoid nets only the few layers where gradients cross that range pay, and the effect
   * was within noise (bench/README.md). Turn it on where it measurably helps. Either way float32
   * cannot show gradients below ~1e−45: train in float64 (js backend) to see them.
   */
  flushSubnormals?: boolean;
  /**
   * 2: a helper thread (a worker on the shared memory) computes half of every large matrix product
   * (≥ 2¹⁸ multiply-adds, e.g. 64×64×64). It needs shared memory and workers (Node ≥ 20.16, whose
   * `process.getBuiltinModule` loads worker_threads from any module; workers of a
   * cross-origin-isolated page); elsewhere the backend runs on one thread, and `threads` says so.
   * The helper spins for 2 ms after each product waiting for the next one, so a training loop keeps
   * two cores busy; a half the helper has not started when the caller is done with its own is the
   * caller's, so a helper without a core (a busy machine) costs little. Default 1.
   */
  threads?: 1 | 2;
}

/** A WebAssembly backend: the Backend kernels plus what it was built with. */
export interface WasmBackend extends Backend {
  readonly variant: WasmVariant;
  readonly sharedMemory: boolean;
  readonly flushSubnormals: boolean;
  readonly memory: WebAssembly.Memory;
  /** Threads its matrix products run on: 2 once a helper thread runs (see {@link WasmBackendOptions.threads}). */
  readonly threads: 1 | 2;
  /** How many matrix products so far the helper thread shared (it had started its half in time). */
  readonly parallelProducts: number;
  /**
   * A helper thread was started and is not taking products yet (it takes ~30 ms to start, longer on
   * a busy machine). Products run on one thread meanwhile; see {@link waitForHelper}.
   */
  readonly starting: boolean;
  /** Ends the helper thread, if any (products then run on one thread). Idempotent. */
  dispose(): void;
  /** Whether `x` lives in this backend's memory, i.e. whether kernels on it run in WebAssembly. */
  owns(x: FloatArray): boolean;
}

interface Exports {
  heapBase(): number;
  setFlushSubnormals(on: boolean): void;
  gemm(a: number, ai: number, ap: number, b: number, bp: number, bj: number, c: number, m: number, k: number, n: number, acc: boolean, scratch: number): void;
  gemmScratch(n: number): number;
  addBias(z: number, bias: number, rows: number, cols: number): void;
  sumRows(x: number, out: number, rows: number, cols: number, acc: boolean): void;
  binary(op: number, a: number, b: number, s: number, out: number, n: number, acc: boolean): void;
  softmaxCrossEntropy(logits: number, labels: number, probs: number, dlogits: number, rows: number, cols: number): number;
  activationForward(id: number, z: number, a: number, n: number, param: number): void;
  activationBackward(id: number, z: number, a: number, da: number, dz: number, n: number, param: number, acc: boolean): void;
  biasActivationForward(id: number, z: number, bias: number, a: number, rows: number, cols: number, param: number): void;
  activationBackwardBias(id: number, z: number, a: number, da: number, dz: number, dbias: number, rows: number, cols: number, param: number, acc: boolean, accBias: boolean): void;
  copy(dst: number, src: number, n: number): void;
  sumSquares(x: number, n: number): number;
  probeUpdate(w: number, w0: number, g: number, fanIn: number, fanOut: number, counts: number, out: number): void;
  probeActivation(id: number, z: number, a: number, rows: number, cols: number, param: number, limit: number, alive: number, out: number): void;
  setOptimScratch(at: number): void;
  batchNormForward(x: number, gamma: number, beta: number, y: number, mean: number, invStd: number, runMean: number, runVar: number, rows: number, cols: number, momentum: number, epsilon: number, training: boolean): void;
  batchNormBackward(dy: number, x: number, mean: number, gamma: number, invStd: number, sums: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number, training: boolean, accX: boolean, accGamma: boolean, accBeta: boolean): void;
  layerNormForward(x: number, gamma: number, beta: number, y: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number): void;
  layerNormBackward(dy: number, x: number, mean: number, gamma: number, invStd: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number, accX: boolean, accGamma: boolean, accBeta: boolean): void;
  sgdUpdate(w: number, g: number, v: number, n: number, lr: number, momentum: number, nesterov: boolean, decay: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, decay: number): void;
  sgdUpdateMeasured(w: number, g: number, v: number, rows: number, cols: number, lr: number, momentum: number, nesterov: boolean, decay: number, counts: number, out: number): void;
  adamUpdateMeasured(w: number, g: number, m: number, v: number, rows: number, cols: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, decay: number, counts: number, out: number): void;
}

/** Kernel ids of asm/kernels.ts, keyed by the built-in definitions' f (so `.with({...})` copies match too). */
const activationIds = new Map<Activation["f"], KernelEntry>([
  [identity.f, { id: 0 }],
  [relu.f, { id: 1 }],
  [leakyRelu.f, { id: 2, param: "alpha" }],
  [elu.f, { id: 3, param: "alpha" }],
  [selu.f, { id: 4 }],
  [sigmoid.f, { id: 5 }],
  [tanh.f, { id: 6 }],
  [silu.f, { id: 7 }],
]);

const ADD = 0, SCALE = 1, MUL = 2;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

function sharedMemoryWorks(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

// Per thread, decoded once, validated until it validates, compiled once: a sweep creates a backend per
// run, and decoding (three 75 kB base64 strings) plus a synchronous compile took 17–150 ms a run on a
// busy 2-core machine, as long as a short run's training. Each run still gets a fresh instance and memory.
const decoded = new Map<string, Uint8Array<ArrayBuffer>>();
const valid = new Set<string>(); // not "invalid": relaxed SIMD may be switched on later (enableRelaxedSimd)
const compiled = new Map<string, WebAssembly.Module>();

/** The binary for a variant and memory kind, if this runtime validates it. */
function binaryFor(variant: WasmVariant, shared: boolean): Uint8Array<ArrayBuffer> | null {
  const name = `${variant}${shared ? "Shared" : "Unshared"}` as const;
  let bytes = decoded.get(name);
  if (!bytes) decoded.set(name, (bytes = decode(binaries[name])));
  if (valid.has(name)) return bytes;
  if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return null;
  valid.add(name);
  return bytes;
}

/** Which builds this runtime can run, best first. */
export function wasmSupport(): { variants: WasmVariant[]; sharedMemory: boolean } {
  const shared = typeof WebAssembly !== "undefined" && sharedMemoryWorks();
  const variants = (["relaxed", "simd128"] as const).filter((v) => binaryFor(v, shared) !== null);
  return { variants, sharedMemory: shared };
}

function resolve(options: WasmBackendOptions): { variant: WasmVariant; shared: boolean; bytes: Uint8Array<ArrayBuffer>; key: string } {
  const support = wasmSupport();
  const shared = options.sharedMemory === undefined || options.sharedMemory === "auto" ? support.sharedMemory : options.sharedMemory;
  const wanted = options.variant && options.variant !== "auto" ? [options.variant] : support.variants;
  for (const variant of wanted) {
    const bytes = binaryFor(variant, shared);
    if (bytes) return { variant, shared, bytes, key: `${variant}${shared ? "Shared" : "Unshared"}` };
  }
  throw new Error(`WebAssembly backend: no ${wanted.join("/") || "SIMD"} build runs here (WebAssembly SIMD unsupported?)`);
}

/**
 * The WebAssembly SIMD backend, compiled synchronously (Node, workers; a browser's main thread
 * refuses synchronous compiles of this size, use {@link loadWasmBackend} there) the first time a thread
 * asks for a build; later calls reuse the compiled module, each with a fresh instance and memory. Float32 only: buffers
 * from its `allocate` live in its memory; any call with another buffer (float64, a plain array, a
 * custom or learnable activation) runs the TypeScript kernels instead, so results never depend on
 * where a buffer came from.
 * @example
 * const backend = createWasmBackend(); // relaxed SIMD where the runtime has it, SIMD128 otherwise
 * const net = mlp({ inputs: 2, outputs: 3, depth: 4, width: 64, activation: relu }).build(128, { backend });
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const { variant, shared, bytes, key } = resolve(options);
  let module = compiled.get(key);
  if (!module) compiled.set(key, (module = new WebAssembly.Module(bytes)));
  return instantiate(module, variant, shared, options.flushSubnormals ?? false, options.threads ?? 1);
}

/** {@link createWasmBackend}, compiling asynchronously (a browser's main thread). */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const { variant, shared, bytes, key } = resolve(options);
  let module = compiled.get(key);
  if (!module) compiled.set(key, (module = await WebAssembly.compile(bytes)));
  return instantiate(module, variant, shared, options.flushSubnormals ?? false, options.threads ?? 1);
}

/**
 * Products with at least this many multiply-adds (m·k·n) are split across the helper thread:
 * below it the hand-over costs more than half the product saves (measured in bench/README.md).
 */
const PARALLEL_MIN = 1 << 18;

/** A helper thread on the backend's shared memory, or null (unshared memory, no workers). */
function startHelper(module: WebAssembly.Module, mem: WasmMemory, flushSubnormals: boolean): GemmHelper | null {
  if (!mem.shared) return null;
  const control = mem.reserve(CONTROL_BYTES + 64);
  if (control < 0) return null;
  return startGemmHelper(module, mem.memory, (control + 63) & ~63, flushSubnormals);
}

function instantiate(module: WebAssembly.Module, variant: WasmVariant, shared: boolean, flushSubnormals: boolean, threads: 1 | 2): WasmBackend {
  const mem = new WasmMemory(shared);
  const k = new WebAssembly.Instance(module, { env: { memory: mem.memory } }).exports as unknown as Exports;
  mem.start(k.heapBase());
  k.setFlushSubnormals(flushSubnormals);
  const optimScratch = mem.reserve(256);
  if (optimScratch < 0) throw new Error("wasm backend: no room for 256 bytes of scratch in a fresh memory");
  k.setOptimScratch(optimScratch);
  // fixed arity, no rest array: these run several times per layer per step and must not allocate
  const ours = (x: FloatArray) => x instanceof Float32Array && mem.owns(x);
  const own = (a: FloatArray, b?: FloatArray, c?: FloatArray, d?: FloatArray, e?: FloatArray) =>
    ours(a) && (b === undefined || ours(b)) && (c === undefined || ours(c)) && (d === undefined || ours(d)) && (e === undefined || ours(e));
  const ptr = (x: FloatArray) => x.byteOffset;

  // scratch for packed panels, labels and probe results; the helper thread packs into its own
  const scratchFor = mem.scratch();
  const helperScratchFor = mem.scratch();
  const helper = threads === 2 ? startHelper(module, mem, flushSubnormals) : null;
  let parallelProducts = 0;
  // Backing off: when waiting for the helper's half takes longer than our own half did (plus 0.25 ms,
  // more than waking a sleeping helper costs), splitting was slower than one thread: the helper lost
  // its core mid-product (other processes want both cores). Two such products in a row and products stay on this thread for a while (the helper
  // then sleeps), twice as long each time, up to 2¹⁵ products; 1,024 good ones in a row halve it.
  let strikes = 0, good = 0, skip = 0, backoff = 256;
  const judge = (ownMs: number, waitMs: number) => {
    if (waitMs <= ownMs + 0.25) {
      strikes = 0;
      if (++good >= 1024) {
        good = 0;
        backoff = Math.max(256, backoff >> 1);
      }
    } else if (++strikes >= 2) {
      strikes = good = 0;
      skip = backoff;
      backoff = Math.min(2 * backoff, 1 << 15);
      helper!.idle(); // its spinning would take CPU from us meanwhile
    }
  };
  /**
   * C (+)= A·B in wasm, strides as gemm's; false when scratch does not fit (the caller falls back).
   * With a helper thread, a product of ≥ PARALLEL_MIN multiply-adds is split by rows of C: the
   * helper takes the lower half, this thread the upper (A's rows and C's rows move, B is shared).
   */
  const gemm = (a: number, ai: number, ap: number, b: number, bp: number, bj: number, c: number, m: number, kk: number, n: number, acc: boolean): boolean => {
    const bytes = k.gemmScratch(n);
    const t = scratchFor(bytes);
    if (t < 0) return false;
    if (helper && m >= 8 && m * kk * n >= PARALLEL_MIN && (skip === 0 || --skip === 0) && helper.ready) {
      const h = helperScratchFor(bytes);
      if (h >= 0) {
        const top = (m >> 1) & ~1; // even: both halves start on a row pair
        const a1 = a + top * ai * 4, c1 = c + top * n * 4;
        helper.post(a1, ai, ap, b, bp, bj, c1, m - top, kk, n, acc, h);
        const t0 = performance.now();
        k.gemm(a, ai, ap, b, bp, bj, c, top, kk, n, acc, t);
        const t1 = performance.now();
        // the lower half: the helper's if it has started it, else ours (it is asleep or has no core)
        if (helper.finish()) {
          parallelProducts++;
          judge(t1 - t0, performance.now() - t1);
        } else {
          k.gemm(a1, ai, ap, b, bp, bj, c1, m - top, kk, n, acc, t);
        }
        return true;
      }
    }
    k.gemm(a, ai, ap, b, bp, bj, c, m, kk, n, acc, t);
    return true;
  };
  // probe reductions write their results at the start of the scratch, probeUpdate's per-unit counts after them
  const OUT = 128;
  // views on the scratch, made again only when the scratch moves (no allocation per call)
  let resultView = new Float64Array(0), labelView = new Int32Array(0);
  const results = (at: number, out: Float64Array, count: number) => {
    if (resultView.byteOffset !== at || resultView.buffer !== mem.memory.buffer) resultView = new Float64Array(mem.memory.buffer, at, 12);
    for (let i = 0; i < count; i++) out[i] = resultView[i]!;
  };
  const labelsAt = (at: number, rows: number): Int32Array => {
    if (labelView.byteOffset !== at || labelView.length < rows || labelView.buffer !== mem.memory.buffer) {
      labelView = new Int32Array(mem.memory.buffer, at, rows);
    }
    return labelView;
  };

  const backend: WasmBackend = {
    // "-2threads": a helper thread was started for this backend (`threads` says whether it takes
    // products now; it starts within ~30 ms, and is dropped if it fails). A fixed name, so what a run
    // reports does not depend on how fast a thread started.
    name: helper ? `wasm-${variant}-2threads` : `wasm-${variant}`,
    variant,
    sharedMemory: shared,
    flushSubnormals,
    memory: mem.memory,
    get threads() {
      return helper?.ready ? 2 : 1;
    },
    get parallelProducts() {
      return parallelProducts;
    },
    get starting() {
      return helper?.starting ?? false;
    },
    dispose() {
      helper?.terminate();
    },
    owns: (x) => own(x),
    allocate: (dtype: DType, length: number) => (dtype === "float32" ? mem.allocateF32(length) : jsBackend.allocate(dtype, length)),
    // the three forms differ only in strides: A(i, p) = a[i·ai + p·ap], B(p, j) = b[p·bp + j·bj]
    matmul(a, b, c, m, kk, n, acc) {
      if (!own(a, b, c) || !gemm(ptr(a), kk, 1, ptr(b), n, 1, ptr(c), m, kk, n, acc)) jsBackend.matmul(a, b, c, m, kk, n, acc);
    },
    matmulBT(a, b, c, m, kk, n, acc) {
      if (!own(a, b, c) || !gemm(ptr(a), kk, 1, ptr(b), 1, kk, ptr(c), m, kk, n, acc)) jsBackend.matmulBT(a, b, c, m, kk, n, acc);
    },
    matmulAT(a, b, c, m, kk, n, acc) {
      if (!own(a, b, c) || !gemm(ptr(a), 1, m, ptr(b), n, 1, ptr(c), m, kk, n, acc)) jsBackend.matmulAT(a, b, c, m, kk, n, acc);
    },
    addBias(z, bias, rows, cols) {
      if (!own(z, bias)) return jsBackend.addBias(z, bias, rows, cols);
      k.addBias(ptr(z), ptr(bias), rows, cols);
    },
    sumRows(x, out, rows, cols, acc) {
      if (!own(x, out)) return jsBackend.sumRows(x, out, rows, cols, acc);
      k.sumRows(ptr(x), ptr(out), rows, cols, acc);
    },
    add(a, b, out, n, acc) {
      if (!own(a, b, out)) return jsBackend.add(a, b, out, n, acc);
      k.binary(ADD, ptr(a), ptr(b), 0, ptr(out), n, acc);
    },
    scale(a, s, out, n, acc) {
      if (!own(a, out)) return jsBackend.scale(a, s, out, n, acc);
      k.binary(SCALE, ptr(a), 0, s, ptr(out), n, acc);
    },
    mul(a, b, out, n, acc) {
      if (!own(a, b, out)) return jsBackend.mul(a, b, out, n, acc);
      k.binary(MUL, ptr(a), ptr(b), 0, ptr(out), n, acc);
    },
    activationForward(s, z, a, rows, cols, training) {
      const kernel = kernelOf(s);
      if (!kernel || !own(z, a)) return jsBackend.activationForward(s, z, a, rows, cols, training);
      k.activationForward(kernel.id, ptr(z), ptr(a), rows * cols, paramOf(kernel, s));
    },
    activationBackward(s, z, a, da, dz, rows, cols, training, acc) {
      const kernel = kernelOf(s);
      if (!kernel || !own(z, a, da, dz)) return jsBackend.activationBackward(s, z, a, da, dz, rows, cols, training, acc);
      k.activationBackward(kernel.id, ptr(z), ptr(a), ptr(da), ptr(dz), rows * cols, paramOf(kernel, s), acc);
    },
    biasActivationForward(s, z, bias, a, rows, cols, training) {
      const kernel = kernelOf(s);
      if (!kernel || !own(z, bias, a)) {
        // unfused, each half on its best path (e.g. a custom activation after a wasm bias add)
        backend.addBias(z, bias, rows, cols);
        return backend.activationForward(s, z, a, rows, cols, training);
      }
      k.biasActivationForward(kernel.id, ptr(z), ptr(bias), ptr(a), rows, cols, paramOf(kernel, s));
    },
    activationBackwardBias(s, z, a, da, dz, dbias, rows, cols, training, acc, accBias) {
      const kernel = kernelOf(s);
      if (!kernel || !own(z, a, da, dz, dbias)) {
        backend.activationBackward(s, z, a, da, dz, rows, cols, training, acc);
        return backend.sumRows(dz, dbias, rows, cols, accBias);
      }
      k.activationBackwardBias(kernel.id, ptr(z), ptr(a), ptr(da), ptr(dz), ptr(dbias), rows, cols, paramOf(kernel, s), acc, accBias);
    },
    softmaxCrossEntropy(logits, labels, probs, dlogits, rows, cols) {
      const at = own(logits, probs, dlogits) ? scratchFor(rows * 4) : -1;
      if (at < 0) return jsBackend.softmaxCrossEntropy(logits, labels, probs, dlogits, rows, cols);
      for (let r = 0; r < rows; r++) {
        const label = labels[r]!;
        if (!(label >= 0 && label < cols)) throw new RangeError(`label ${label} at row ${r} is outside [0, ${cols})`);
      }
      const view = labelsAt(at, rows);
      for (let r = 0; r < rows; r++) view[r] = labels[r]!;
      return k.softmaxCrossEntropy(ptr(logits), at, ptr(probs), ptr(dlogits), rows, cols);
    },
    copy(src, dst, n) {
      if (!own(src, dst)) return jsBackend.copy!(src, dst, n);
      k.copy(ptr(dst), ptr(src), n);
    },
    sumSquares(x, n) {
      if (!own(x)) return jsBackend.sumSquares!(x, n);
      return k.sumSquares(ptr(x), n);
    },
    probeUpdate(W, W0, G, fanIn, fanOut, out) {
      const at = own(W, W0, G) ? scratchFor(OUT + 8 * fanOut) : -1;
      if (at < 0) return jsBackend.probeUpdate!(W, W0, G, fanIn, fanOut, out);
      k.probeUpdate(ptr(W), ptr(W0), ptr(G), fanIn, fanOut, at + OUT, at);
      results(at, out, 6);
    },
    sgdUpdate(w, g, v, n, lr, momentum, nesterov, decay) {
      if (!own(w, g, v)) return jsBackend.sgdUpdate!(w, g, v, n, lr, momentum, nesterov, decay);
      k.sgdUpdate(ptr(w), ptr(g), ptr(v), n, lr, momentum, nesterov, decay);
    },
    adamUpdate(w, g, m, v, n, lr, beta1, beta2, c1, c2, epsilon, decay) {
      if (!own(w, g, m, v)) return jsBackend.adamUpdate!(w, g, m, v, n, lr, beta1, beta2, c1, c2, epsilon, decay);
      k.adamUpdate(ptr(w), ptr(g), ptr(m), ptr(v), n, lr, beta1, beta2, c1, c2, epsilon, decay);
    },
    sgdUpdateMeasured(w, g, v, rows, cols, lr, momentum, nesterov, decay, out) {
      const at = own(w, g, v) ? scratchFor(OUT + 8 * cols) : -1;
      if (at < 0) return jsBackend.sgdUpdateMeasured!(w, g, v, rows, cols, lr, momentum, nesterov, decay, out);
      k.sgdUpdateMeasured(ptr(w), ptr(g), ptr(v), rows, cols, lr, momentum, nesterov, decay, at + OUT, at);
      results(at, out, 6);
    },
    adamUpdateMeasured(w, g, m, v, rows, cols, lr, beta1, beta2, c1, c2, epsilon, decay, out) {
      const at = own(w, g, m, v) ? scratchFor(OUT + 8 * cols) : -1;
      if (at < 0) return jsBackend.adamUpdateMeasured!(w, g, m, v, rows, cols, lr, beta1, beta2, c1, c2, epsilon, decay, out);
      k.adamUpdateMeasured(ptr(w), ptr(g), ptr(m), ptr(v), rows, cols, lr, beta1, beta2, c1, c2, epsilon, decay, at + OUT, at);
      results(at, out, 6);
    },
    batchNormForward(x, gamma, beta, y, mean, invStd, runMean, runVar, rows, cols, momentum, epsilon, training) {
      if (!own(x, gamma, beta, y) || !own(mean, invStd, runMean, runVar)) {
        return jsNormKernels.batchNormForward(x, gamma, beta, y, mean, invStd, runMean, runVar, rows, cols, momentum, epsilon, training);
      }
      k.batchNormForward(ptr(x), ptr(gamma), ptr(beta), ptr(y), ptr(mean), ptr(invStd), ptr(runMean), ptr(runVar), rows, cols, momentum, epsilon, training);
    },
    batchNormBackward(dy, x, mean, gamma, invStd, sums, dx, dgamma, dbeta, rows, cols, training, accX, accGamma, accBeta) {
      if (!own(dy, x, mean, gamma, invStd) || !own(sums, dx, dgamma, dbeta)) {
        return jsNormKernels.batchNormBackward(dy, x, mean, gamma, invStd, sums, dx, dgamma, dbeta, rows, cols, training, accX, accGamma, accBeta);
      }
      k.batchNormBackward(ptr(dy), ptr(x), ptr(mean), ptr(gamma), ptr(invStd), ptr(sums), ptr(dx), ptr(dgamma), ptr(dbeta), rows, cols, training, accX, accGamma, accBeta);
    },
    layerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, epsilon) {
      if (!own(x, gamma, beta, y, mean) || !own(invStd)) return jsNormKernels.layerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, epsilon);
      k.layerNormForward(ptr(x), ptr(gamma), ptr(beta), ptr(y), ptr(mean), ptr(invStd), rows, cols, epsilon);
    },
    layerNormBackward(dy, x, mean, gamma, invStd, dx, dgamma, dbeta, rows, cols, accX, accGamma, accBeta) {
      if (!own(dy, x, mean, gamma, invStd) || !own(dx, dgamma, dbeta)) {
        return jsNormKernels.layerNormBackward(dy, x, mean, gamma, invStd, dx, dgamma, dbeta, rows, cols, accX, accGamma, accBeta);
      }
      k.layerNormBackward(ptr(dy), ptr(x), ptr(mean), ptr(gamma), ptr(invStd), ptr(dx), ptr(dgamma), ptr(dbeta), rows, cols, accX, accGamma, accBeta);
    },
    probeActivation(s, z, a, rows, cols, limit, out) {
      const kernel = kernelOf(s);
      const at = kernel && own(z, a) ? scratchFor(OUT + 4 * cols) : -1;
      if (at < 0) return jsBackend.probeActivation!(s, z, a, rows, cols, limit, out);
      k.probeActivation(kernel!.id, ptr(z), ptr(a), rows, cols, paramOf(kernel!, s), limit, at + OUT, at);
      results(at, out, 12);
    },
  };
  return backend;
}

interface KernelEntry { readonly id: number; readonly param?: string }

/** The wasm kernel of a built-in activation, or null (custom, learnable or stochastic: TypeScript path). */
function kernelOf(s: ActivationState): KernelEntry | null {
  const entry = activationIds.get(s.act.f);
  return !entry || s.act.learnable.length > 0 || s.act.train ? null : entry;
}

/** The kernel's parameter value (α of leakyRelu and elu), 0 when it has none. */
function paramOf(entry: KernelEntry, s: ActivationState): number {
  return entry.param ? s.params[entry.param]! : 0;
}
