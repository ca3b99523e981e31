import type { Workload } from "./workloads.js";

/** One workload set up on one system, ready to be timed. */
export interface Runner {
  /** Runs the workload `iters` times; returns milliseconds per run. */
  sample(iters: number): Promise<number>;
  dispose(): Promise<void> | void;
}

/** A system under test: gradscope on one backend, a TensorFlow.js backend, PyTorch. */
export interface System {
  readonly name: string;
  /** The BLAS a peer's matrix products run on (PyTorch's), named beside it in the table. */
  blas?: string;
  /** A runner for the workload, or null when the system does not run it. */
  setup(w: Workload): Promise<Runner | null>;
  close?(): Promise<void> | void;
}

/** A runner over a synchronous function, timed in-process. */
export function syncRunner(run: () => void, dispose: () => void = () => {}): Runner {
  return {
    async sample(iters) {
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) run();
      return (performance.now() - t0) / iters;
    },
    dispose,
  };
}
