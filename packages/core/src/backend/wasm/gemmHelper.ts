// A second thread for large matrix products: a worker (worker_threads in Node, a Web Worker in
// browsers) instantiates the same kernels on the same shared memory and computes the lower rows of
// C while the calling thread computes the upper ones. Jobs and completions pass through a few
// integers in that memory (Atomics), not messages: a product of W1's size takes ~0.1 ms, and a
// message round trip or waking a sleeping thread (~60 µs here) would eat the gain, so the helper
// spins for a while after each job before it sleeps.
//
// The lower half is claimed, not assigned: whichever thread first swaps CLAIM from FREE computes
// it. The caller, done with its own half, tries to claim it too, so when the helper is asleep or
// has no core (a busy machine) the caller computes the product alone instead of waiting for it. It
// waits only for a half the helper has already started (and wasmBackend backs off when even that
// keeps costing more than it saves).

/** Int32 slots of the control block. */
const JOB = 0, DONE = 1, READY = 2, CLAIM = 3, ARGS = 4, ID = 16, IDLE = 20;
/** CLAIM values: the posted half is free, or taken by the helper, or by the caller. */
const FREE = 0, HELPER = 1, CALLER = 2;
/** Bytes of the control block (its own cache lines). */
export const CONTROL_BYTES = 128;
/** Sentinel job number that ends the helper. */
const STOP = -1;
/** Completion value a helper writes when its kernel threw. */
const FAILED = -2;
/** READY value a helper writes when it could not instantiate the kernels. */
const START_FAILED = -1;

/** What the worker is started with. */
interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  flushSubnormals: boolean;
  spinMs: number;
}

/**
 * The worker's whole program, as source so it needs no file of its own (bundlers, tsx and plain
 * Node load it alike). It blocks its thread for good: it never needs its event loop again.
 */
const workerSource = `
"use strict";
const run = ({ module, memory, control, flushSubnormals, spinMs }) => {
  const s = new Int32Array(memory.buffer, control, ${CONTROL_BYTES / 4});
  let k;
  try {
    k = new WebAssembly.Instance(module, { env: { memory } }).exports;
    k.setFlushSubnormals(flushSubnormals);
  } catch (e) {
    // said in the memory too: the error event reaches a caller blocked in waitForHelperSync only later
    Atomics.store(s, ${READY}, ${START_FAILED});
    Atomics.notify(s, ${READY});
    throw e;
  }
  let seen = 0;
  Atomics.store(s, ${READY}, 1);
  Atomics.notify(s, ${READY});
  for (;;) {
    let job = Atomics.load(s, ${JOB});
    if (job === seen) {
      // spin first: the products of a training step come microseconds apart
      const until = performance.now() + spinMs;
      for (let i = 0; (job = Atomics.load(s, ${JOB})) === seen; i++) {
        // sleep once the spin is over, or at once when told no job is coming soon
        if ((i & 255) === 0 && (performance.now() > until || Atomics.load(s, ${IDLE}) === 1)) {
          Atomics.wait(s, ${JOB}, seen);
        }
      }
    }
    if (job === ${STOP}) return;
    seen = job;
    // The caller may have taken the half already (then there is nothing to do), or even posted a
    // newer job since we read JOB: after a successful claim, the job we hold is the one whose
    // arguments and id were written before CLAIM was freed, so read the id from there, not JOB.
    if (Atomics.compareExchange(s, ${CLAIM}, ${FREE}, ${HELPER}) !== ${FREE}) continue;
    job = seen = s[${ID}];
    let done = job;
    try {
      k.gemm(s[${ARGS}], s[${ARGS + 1}], s[${ARGS + 2}], s[${ARGS + 3}], s[${ARGS + 4}], s[${ARGS + 5}], s[${ARGS + 6}],
        s[${ARGS + 7}], s[${ARGS + 8}], s[${ARGS + 9}], s[${ARGS + 10}] === 1, s[${ARGS + 11}]);
    } catch (e) {
      done = ${FAILED};
    }
    Atomics.store(s, ${DONE}, done);
    Atomics.notify(s, ${DONE});
  }
};
if (typeof require === "function") run(require("node:worker_threads").workerData);
else self.onmessage = (e) => run(e.data);
`;

/** A running helper thread. */
export interface GemmHelper {
  /** Whether the helper has started and takes jobs (products run on one thread until then). */
  readonly ready: boolean;
  /** Whether the helper is still starting: not ready, and neither failed nor terminated. */
  readonly starting: boolean;
  /**
   * Starts C[m×n] (+)= A·B on the helper (gemm's arguments; pointers are byte offsets, `scratch`
   * the helper's own), and returns at once.
   */
  post(a: number, ai: number, ap: number, b: number, bp: number, bj: number, c: number, m: number, k: number, n: number, acc: boolean, scratch: number): void;
  /**
   * Returns whether the helper took the posted job. False: the job is the caller's now (the helper
   * had not started it) and the caller must compute it. True: blocks until the helper is done;
   * throws (and the helper is dropped) if it failed or hung.
   */
  finish(): boolean;
  /** Tells the helper no job is coming for a while: it sleeps now instead of spinning (until the next post). */
  idle(): void;
  /** Ends the helper thread. */
  terminate(): void;
}

/** Options of {@link startGemmHelper}. */
export interface GemmHelperOptions {
  /** How long the helper spins for the next job before it sleeps. Default 2 ms. */
  spinMs?: number;
  /** How long {@link GemmHelper.finish} waits before it gives up. Default 10 s. */
  timeoutMs?: number;
}

interface ThreadLike {
  terminate(): unknown;
}

/**
 * Starts a worker thread, or returns null where the platform has none. `onError`: the worker failed
 * (it could not start, or threw outside a product).
 */
function startThread(init: HelperInit, onError: () => void): ThreadLike | null {
  const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = nodeProcess?.getBuiltinModule?.("node:worker_threads") as
    | { Worker: new (src: string, opts: object) => ThreadLike & { unref(): void; on(event: "error", f: () => void): void } }
    | undefined;
  if (threads) {
    const w = new threads.Worker(workerSource, { eval: true, workerData: init });
    w.unref(); // the helper never keeps a process alive
    w.on("error", onError);
    return w;
  }
  const WebWorker = (globalThis as { Worker?: new (url: string) => Worker }).Worker;
  if (WebWorker && typeof Blob !== "undefined" && typeof URL.createObjectURL === "function") {
    const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
    const w = new WebWorker(url);
    URL.revokeObjectURL(url);
    w.onerror = () => onError();
    w.postMessage(init);
    return w;
  }
  return null;
}

/**
 * Starts a helper thread on `memory` (shared), with its control block at byte offset `control`
 * ({@link CONTROL_BYTES} bytes, zeroed). Null where there are no workers or no shared memory.
 */
export function startGemmHelper(
  module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, flushSubnormals: boolean,
  options: GemmHelperOptions = {},
): GemmHelper | null {
  if (!(memory.buffer instanceof SharedArrayBuffer)) return null;
  const { spinMs = 2, timeoutMs = 10_000 } = options;
  const s = new Int32Array(memory.buffer, control, CONTROL_BYTES / 4);
  let thread: ThreadLike | null;
  let alive = true;
  try {
    // a worker that fails outside a product (e.g. at start) is simply not used: products stay here
    thread = startThread({ module, memory, control, flushSubnormals, spinMs }, () => (alive = false));
  } catch {
    return null; // e.g. a page whose content security policy forbids blob workers
  }
  if (!thread) return null;
  // Atomics.wait is refused on a browser's main thread: there the caller spins
  const canBlock = typeof (globalThis as { document?: unknown }).document === "undefined";
  let job = 0;
  const helper: GemmHelper = {
    get ready() {
      return alive && Atomics.load(s, READY) === 1;
    },
    get starting() {
      return alive && Atomics.load(s, READY) === 0;
    },
    post(a, ai, ap, b, bp, bj, c, m, k, n, acc, scratch) {
      s[ARGS] = a; s[ARGS + 1] = ai; s[ARGS + 2] = ap; s[ARGS + 3] = b; s[ARGS + 4] = bp; s[ARGS + 5] = bj;
      s[ARGS + 6] = c; s[ARGS + 7] = m; s[ARGS + 8] = k; s[ARGS + 9] = n; s[ARGS + 10] = acc ? 1 : 0; s[ARGS + 11] = scratch;
      job = job === 0x7fffffff ? 1 : job + 1;
      s[ID] = job; // with the arguments: what a helper that claims this half reports as done
      Atomics.store(s, IDLE, 0);
      Atomics.store(s, CLAIM, FREE);
      Atomics.store(s, JOB, job); // a release: the arguments above are visible to the helper first
      Atomics.notify(s, JOB);
    },
    finish() {
      if (Atomics.compareExchange(s, CLAIM, FREE, CALLER) === FREE) return false;
      let done = Atomics.load(s, DONE);
      if (done === job) return true;
      const start = performance.now();
      for (let i = 0; (done = Atomics.load(s, DONE)) !== job && done !== FAILED; i++) {
        if ((i & 1023) !== 0) continue;
        const waited = performance.now() - start;
        if (waited > timeoutMs) break;
        // past 0.1 ms the helper has likely lost its core: sleep, leaving ours to it
        if (canBlock && waited > 0.1) Atomics.wait(s, DONE, done, 5);
      }
      if (done === job) return true;
      helper.terminate();
      throw new Error(done === FAILED
        ? "wasm backend: the helper thread's matrix product failed"
        : `wasm backend: the helper thread did not finish a matrix product in ${timeoutMs} ms`);
    },
    idle() {
      Atomics.store(s, IDLE, 1);
    },
    terminate() {
      if (!alive) return;
      alive = false;
      Atomics.store(s, JOB, STOP);
      Atomics.notify(s, JOB);
      thread!.terminate();
    },
  };
  return helper;
}
