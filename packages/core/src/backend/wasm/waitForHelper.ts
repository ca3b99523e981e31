import type { Backend } from "../backend.js";
import type { WasmBackend } from "./wasmBackend.js";

/**
 * Whether `backend` is a wasm backend whose helper thread is still starting (see WasmBackend.starting);
 * false for any other backend.
 * @example
 * if (helperStarting(backend)) status.textContent = "starting the second thread…";
 */
export function helperStarting(backend: Backend): boolean {
  return (backend as Partial<WasmBackend>).starting === true;
}

/**
 * Resolves once the helper thread of a wasm backend with `threads: 2` takes products: true, or false
 * when there is none or it failed to start (or `timeoutMs` passed, if given: by default it waits for
 * one of those events however long a busy machine takes to start a thread). Polls from the event loop,
 * so it works wherever the helper can start (Node, browsers' workers and pages).
 * @example
 * const backend = createWasmBackend({ threads: 2 });
 * await waitForHelper(backend); // products are split from the first step on
 */
export async function waitForHelper(backend: Backend, timeoutMs = Infinity): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (helperStarting(backend) && performance.now() < end) await new Promise((r) => setTimeout(r, 5));
  return (backend as Partial<WasmBackend>).threads === 2;
}

/**
 * waitForHelper for synchronous code (a command-line loop): blocks with Atomics.wait, so only where
 * a thread may block – Node, and workers, not a browser page's main thread (it throws there).
 * Node starts worker threads without the caller's event loop, and a helper that cannot instantiate
 * the kernels says so in the shared memory; a thread that cannot be created at all is reported
 * through the event loop only, so that case takes `timeoutMs` (default 60 s: a guard against waiting
 * forever for news that cannot arrive, not an estimate of how long a start takes; a busy machine has
 * taken over 3 s).
 * @example
 * const backend = createWasmBackend({ threads: 2 });
 * waitForHelperSync(backend); // then a synchronous training loop
 */
export function waitForHelperSync(backend: Backend, timeoutMs = 60_000): boolean {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const end = performance.now() + timeoutMs;
  while (helperStarting(backend) && performance.now() < end) Atomics.wait(nap, 0, 0, 5);
  return (backend as Partial<WasmBackend>).threads === 2;
}
