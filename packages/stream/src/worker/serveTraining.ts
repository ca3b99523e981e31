import type { Subscription } from "rxjs";
import { createControl, type ControlCommand, type TrainingControl } from "../control.js";
import type { Row } from "../rows.js";
import { scheduleMacrotask } from "../schedule.js";
import { train } from "../train.js";
import { resolveRunConfig, type RunConfig, type TrainOverrides } from "../runConfig.js";
import { kernelCost } from "../race/kernelCost.js";
import { fetchDigits } from "./fetchDigits.js";
import { MAX_BATCH, MAX_IN_FLIGHT, type FromWorker, type ToWorker } from "./protocol.js";

/** The worker's end of the channel, whatever the platform (Web Worker `self` or Node `parentPort`). */
export interface WorkerPort {
  post(message: FromWorker): void;
  listen(onMessage: (message: ToWorker) => void): void;
}

/**
 * Serves training runs over `port`: the worker side of `trainInWorker`. Runs `train` with a control
 * that mirrors the main side's, and posts its rows in batches, one message per slice of training.
 * After a run's "complete" the worker may be sent another "start" (a pool reuses its workers: starting a
 * worker costs far more than a short run); each start begins with fresh run state.
 */
export function serveTraining(port: WorkerPort, overrides: TrainOverrides = {}): void {
  let control: TrainingControl | undefined;
  let run: Subscription | undefined;
  let batch: Row[] = [];
  let cancelFlush: (() => void) | undefined;
  // flow control: batches posted and not yet acknowledged; training waits while there are too many
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  const gate = {
    ready: () => inFlight < MAX_IN_FLIGHT,
    whenReady: (resume: () => void) => void (waiting = resume),
  };

  // Phase: batching. Rows come synchronously within a slice; the flush is a macrotask, so it runs
  // right after the slice that filled the batch, before the next slice.
  const flush = () => {
    cancelFlush?.();
    cancelFlush = undefined;
    if (batch.length === 0) return;
    port.post({ type: "rows", rows: batch });
    inFlight++;
    batch = [];
  };
  const push = (row: Row) => {
    batch.push(row);
    if (batch.length >= MAX_BATCH) flush();
    else cancelFlush ??= scheduleMacrotask(flush);
  };
  const fail = (err: unknown) => {
    flush();
    const e = err instanceof Error ? err : new Error(String(err));
    port.post({ type: "error", name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  };

  let stopped = false;
  let generation = 0; // which start a digits load that finishes late belongs to
  const start = (config: RunConfig, runOverrides: TrainOverrides, of: number) => {
    if (stopped || of !== generation) return; // stopped (or replaced) while the digits were loading
    try {
      run = train(config, { ...runOverrides, gate, ...(control ? { control } : {}) }).subscribe({
        next: push,
        error: fail,
        complete: () => {
          flush();
          port.post({ type: "complete" });
        },
      });
    } catch (err) {
      fail(err); // a bad config throws at the call
    }
  };

  port.listen((message) => {
    if (message.type === "kernelCost") {
      // a page's main thread would freeze for the ~100 ms this takes: the worker times the kernels instead
      const { names, elements, rounds, params } = message;
      try {
        port.post({ type: "kernelCost", costs: kernelCost(names, { ...(elements ? { elements } : {}), ...(rounds ? { rounds } : {}), ...(params ? { params } : {}) }) });
      } catch (err) {
        fail(err);
      }
    } else if (message.type === "start") {
      // a new run: whatever the last one left (it completed, failed or was stopped) is dropped; the acks
      // of its batches all came before this message
      run?.unsubscribe();
      cancelFlush?.();
      cancelFlush = undefined;
      batch = [];
      inFlight = 0;
      waiting = undefined;
      stopped = false;
      const of = ++generation;
      control = message.control ? mirrorControl(message.control.state, message.control.lr, message.control.speed) : undefined;
      const { config } = message;
      // A run that names a digits binary loads it first (asynchronously), whatever loader the platform has.
      if (config.digitsUrl !== undefined) {
        try {
          resolveRunConfig(config); // a bad config fails now, not after the download
        } catch (err) {
          return fail(err);
        }
        fetchDigits(config.digitsUrl).then(
          (loadDigits) => start(config, { ...overrides, loadDigits }, of),
          (err: unknown) => void (stopped || of !== generation || fail(err)),
        );
      } else start(config, overrides, of);
    } else if (message.type === "control") {
      if (control) apply(control, message.command);
    } else if (message.type === "ack") {
      inFlight--;
      const resume = waiting;
      waiting = undefined;
      if (resume && gate.ready()) resume();
      else if (resume) waiting = resume;
    } else {
      stopped = true;
      run?.unsubscribe();
      cancelFlush?.();
      batch = [];
    }
  });
}

/** A local control starting in the main control's state, to which forwarded commands are applied. */
function mirrorControl(state: TrainingControl["state"], lr: number | undefined, speed: number | undefined): TrainingControl {
  const control = createControl({ paused: state === "paused" });
  if (lr !== undefined) control.setLearningRate(lr);
  if (speed !== undefined && speed !== Infinity) control.setSpeed(speed);
  if (state === "stopped") control.stop();
  return control;
}

function apply(control: TrainingControl, c: ControlCommand): void {
  if (c.kind === "pause") control.pause();
  else if (c.kind === "resume") control.resume();
  else if (c.kind === "step") control.step(c.steps);
  else if (c.kind === "stepToProbe") control.stepToProbe();
  else if (c.kind === "stop") control.stop();
  else if (c.kind === "speed") control.setSpeed(c.stepsPerSecond);
  else control.setLearningRate(c.lr);
}
