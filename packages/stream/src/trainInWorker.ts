import { Observable, type Subscription } from "rxjs";
import type { TrainingControl } from "./control.js";
import type { Row } from "./rows.js";
import type { RunConfig } from "./runConfig.js";
import type { FromWorker, ToWorker } from "./worker/protocol.js";

/**
 * A started training worker, whatever the platform: what {@link trainInWorker} needs of it.
 * `browserTrainWorker` makes one from a Web Worker, `nodeTrainWorker` (`@gradscope/stream/node`) from
 * a `worker_threads` Worker.
 */
export interface WorkerLike {
  postMessage(message: unknown): void;
  /** Called once, right after the worker is made: where its messages and its failure go. */
  listen(handlers: { message(data: unknown): void; error(error: Error): void }): void;
  /** Ends the worker now. */
  terminate(): void;
  /**
   * Optional: hands the worker back for another run (a pool's worker, see `trainWorkerPool` in
   * `@gradscope/stream/node`). Called instead of `terminate()` after a run completed, when the worker is
   * idle and sound; a failed, crashed or unsubscribed run's worker is terminated.
   */
  release?(): void;
}

/** Options of {@link trainInWorker}. */
export interface TrainInWorkerOptions {
  /** Pause / step / resume / stop / learning rate: its commands are forwarded to the worker. */
  control?: TrainingControl;
  /**
   * Starts the worker. Default: `browserTrainWorker` where `Worker` exists (browsers); in Node use
   * `trainInWorker` from `@gradscope/stream/node`, whose default is `nodeTrainWorker`.
   */
  worker?: () => WorkerLike;
}

/**
 * {@link train} in a worker – a Web Worker in browsers, a `worker_threads` Worker in Node – behind the
 * same cold Observable: subscribing starts a worker running `train(config)`, the control's commands are
 * forwarded to it, its rows come back in batches (one message per slice of training) and are emitted
 * one by one, in order; the Observable completes after the status row. An error in the worker (a bad
 * config, an exception) is an error of the Observable with the original message. Unsubscribing stops the
 * run and terminates the worker. `config` must be serialisable: custom activations, data sets and
 * backends (`TrainOverrides`) cannot cross to a worker.
 * @example
 * const control = createControl();
 * const sub = trainInWorker({ activation: "sigmoid", depth: 20, steps: 2000 }, { control })
 *   .pipe(throttleRender())
 *   .subscribe(render); // the page stays smooth: training runs off the main thread
 * control.pause(); control.step(5); control.resume();
 * sub.unsubscribe(); // the worker is gone
 */
export function trainInWorker(config: RunConfig = {}, options: TrainInWorkerOptions = {}): Observable<Row> {
  return new Observable<Row>((subscriber) => {
    const worker = (options.worker ?? defaultWorker)();
    const control = options.control;
    const unfollow = control?.follow(); // counted from now, before the worker has said anything
    let commands: Subscription | undefined;
    let ended = false;
    const end = (reusable = false) => {
      ended = true;
      unfollow?.();
      commands?.unsubscribe();
      if (reusable && worker.release) worker.release();
      else worker.terminate();
    };
    const send = (message: ToWorker) => worker.postMessage(message);

    worker.listen({
      message(data) {
        const m = data as FromWorker;
        if (m.type === "rows") {
          for (const row of m.rows) {
            if (ended) return; // unsubscribed from inside next (e.g. take(n))
            if (row.type === "status") unfollow?.(); // the run's last row: it no longer follows, as its rows say
            subscriber.next(row);
          }
          send({ type: "ack" }); // flow control: the worker trains on only while few batches are unacknowledged
        } else if (!ended && (m.type === "complete" || m.type === "error")) {
          end(m.type === "complete");
          if (m.type === "complete") subscriber.complete();
          else subscriber.error(workerError(m));
        }
      },
      error(error) {
        if (ended) return;
        end();
        subscriber.error(error);
      },
    });

    try {
      send({ type: "start", config, ...(control ? { control: { state: control.state, lr: control.lr, speed: control.speed } } : {}) });
    } catch (err) {
      end(); // e.g. a config holding a function: not cloneable
      subscriber.error(err);
      return;
    }
    commands = control?.commands$.subscribe((command) => send({ type: "control", command }));

    return () => {
      if (ended) return;
      send({ type: "stop" });
      end();
    };
  });
}

/**
 * Starts `worker/trainWorker` as a module Web Worker, the default of {@link trainInWorker} in browsers.
 * Bundlers find the worker by this literal `new Worker(new URL("…", import.meta.url), { type: "module" })`
 * (Vite rewrites it to the worker chunk); the `.js` name is the built file next to `dist/trainInWorker.js`,
 * and Vite maps it to `trainWorker.ts` when it bundles the TypeScript source (the `source` condition).
 * @example
 * trainInWorker(config, { worker: browserTrainWorker }).subscribe(render);
 */
export function browserTrainWorker(): WorkerLike {
  const worker = new Worker(new URL("./worker/trainWorker.js", import.meta.url), { type: "module" });
  return {
    postMessage: (message) => worker.postMessage(message),
    listen(handlers) {
      worker.onmessage = (event) => handlers.message(event.data);
      worker.onerror = (event) => {
        event.preventDefault(); // reported through the Observable, not as an uncaught error
        handlers.error(new Error(event.message || "the training worker failed to load"));
      };
      worker.onmessageerror = () => handlers.error(new Error("a message from the training worker could not be read"));
    },
    terminate: () => worker.terminate(),
  };
}

/** The platform's training worker: a Web Worker in browsers; elsewhere an error naming the Node entry. */
export function defaultWorker(): WorkerLike {
  if (typeof Worker !== "function") {
    throw new Error('trainInWorker: no Web Worker here; in Node import trainInWorker from "@gradscope/stream/node"');
  }
  return browserTrainWorker();
}

const errorTypes: Record<string, ErrorConstructor> = { RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError };

/** The worker's error as an Error of the same built-in type, message and (worker-side) stack. */
export function workerError(m: Extract<FromWorker, { type: "error" }>): Error {
  const error = new (errorTypes[m.name] ?? Error)(m.message);
  if (error.name !== m.name) error.name = m.name;
  if (m.stack) error.stack = m.stack;
  return error;
}
