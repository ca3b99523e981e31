import type { KernelCost, KernelCostOptions } from "./race/kernelCost.js";
import { defaultWorker, workerError, type WorkerLike } from "./trainInWorker.js";
import type { FromWorker, ToWorker } from "./worker/protocol.js";

/** Options of {@link kernelCostInWorker}: {@link KernelCostOptions} but the backend (the worker's) and the timer (a function cannot cross to a worker). */
export interface KernelCostInWorkerOptions extends Omit<KernelCostOptions, "backend" | "timer"> {
  /** Starts the worker; default: the training worker of this platform (see `trainInWorker`). */
  worker?: () => WorkerLike;
}

// one measurement per request for the page's life: an input change that keeps the candidates asks again
const answers = new Map<string, Promise<KernelCost[]>>();

/**
 * {@link kernelCost} timed in a training worker instead of the calling thread: the same numbers (the worker
 * runs the kernels training runs use), without freezing a page for the ~100 ms the timing takes. One worker
 * per request, ended when it answers; the answer is kept, so asking again for the same activations and
 * options costs nothing. Rejects with the worker's error (e.g. an unknown activation name).
 * @example
 * const costs = await kernelCostInWorker(["relu", "elu"], { rounds: 15 }); // [{ activation: "relu", ns: 0.3, … }, …]
 */
export function kernelCostInWorker(names: readonly string[], options: KernelCostInWorkerOptions = {}): Promise<KernelCost[]> {
  const { worker: start = defaultWorker, ...timing } = options;
  const request: ToWorker = { type: "kernelCost", names: [...names], ...timing };
  const key = JSON.stringify(request);
  let answer = answers.get(key);
  if (!answer) {
    answer = ask(start, request);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key)); // a failure is not kept: the next request tries again
  }
  return answer;
}

function ask(start: () => WorkerLike, request: ToWorker): Promise<KernelCost[]> {
  return new Promise((resolve, reject) => {
    const worker = start();
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      worker.terminate();
      f();
    };
    worker.listen({
      message(data) {
        const m = data as FromWorker;
        if (m.type === "kernelCost") finish(() => resolve(m.costs));
        else if (m.type === "error") finish(() => reject(workerError(m)));
      },
      error: (error) => finish(() => reject(error)),
    });
    worker.postMessage(request);
  });
}
