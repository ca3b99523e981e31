/**
 * Browser Web Worker entry of `trainInWorker`, started by `browserTrainWorker` as a module worker.
 * Messages arrive on `self.onmessage`; the run's rows go back with `self.postMessage`.
 */
import { serveTraining } from "./serveTraining.js";

// The worker global scope (DedicatedWorkerGlobalScope), typed by what we use: tsconfig's lib is DOM.
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
};

serveTraining({
  post: (message) => scope.postMessage(message),
  listen: (onMessage) => {
    scope.onmessage = (event) => onMessage(event.data as Parameters<typeof onMessage>[0]);
  },
});
