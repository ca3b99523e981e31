import type { Backend } from "@gradscope/core";

/** Which kernels a run used, as its status row reports them. */
export interface KernelsUsed {
  /** The backend's name: "js", "wasm-relaxed", "wasm-simd128-2threads", … */
  backend: string;
  /** With a helper thread: how many matrix products it shared so far (the rest ran on one thread). */
  parallelProducts?: number;
}

/**
 * What a backend says about the kernels it ran. `parallelProducts` tells whether `threads: 2` paid
 * off: products smaller than 2¹⁸ multiply-adds, and products while the helper thread is backing off
 * (it lost its core), run on one thread.
 * @example
 * const { backend, parallelProducts } = kernelsUsed(trainer.network.graph.backend);
 * // "wasm-relaxed-2threads", 381: the second thread computed half of 381 products
 */
export function kernelsUsed(backend: Backend): KernelsUsed {
  const { parallelProducts } = backend as Backend & { parallelProducts?: number };
  // a wasm backend's name ends in -2threads when it started a helper thread (whether or not it is up)
  return backend.name.endsWith("-2threads") && parallelProducts !== undefined
    ? { backend: backend.name, parallelProducts }
    : { backend: backend.name };
}
