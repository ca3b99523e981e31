import { helperStarting } from "@gradscope/core";
import { defer, Observable } from "rxjs";
import { ControlFollower, type TrainingControl } from "./control.js";
import { detectAlerts } from "./operators/detectAlerts.js";
import { createBoundaryProbe } from "./boundary.js";
import { createProbes } from "./probes.js";
import { buildRun, resolveRunConfig, type ResolvedRunConfig, type RunConfig, type TrainOverrides } from "./runConfig.js";
import type { Row, RunStatus } from "./rows.js";
import { scheduleMacrotask } from "./schedule.js";
import { kernelsUsed } from "./kernelsUsed.js";
import { explainDivergence } from "./explainDivergence.js";
import { probeDue } from "./probeSchedule.js";

/** Options of {@link train} that are not part of the (serialisable) run config. */
export interface TrainOptions extends TrainOverrides {
  /** Pause / step / resume / stop / learning rate. */
  control?: TrainingControl;
  /** Milliseconds of training between yields to the event loop. Default 12 (a frame leaves room to render). */
  sliceMs?: number;
  /**
   * Backpressure: training waits (between steps) while `ready()` is false, and goes on when the gate
   * calls the function given to `whenReady`. The worker runner uses it so rows never pile up unconsumed.
   */
  gate?: { ready(): boolean; whenReady(resume: () => void): void };
}

/**
 * Training as a cold Observable of rows: subscribing builds the model and trains it in slices that
 * yield to the event loop; unsubscribing stops it before the next step and leaves nothing scheduled.
 *
 * Per step it emits a `step` row; every `probes.every` steps (and at step 1) one `layer` row per dense
 * layer; every `probes.distributionsEvery` steps `bands` or `histogram` rows; every `evalEvery` steps
 * (and at 0 and at the end) an `eval` row on held-out data; `alert` rows from {@link detectAlerts};
 * and last a `status` row: "completed", "stopped" (by the control) or "diverged" (NaN/Inf loss, after
 * a `diverged` alert).
 * @example
 * train({ activation: "sigmoid", depth: 20, init: "standard", steps: 200 })
 *   .pipe(filter(isRow("layer")))
 *   .subscribe((r) => console.log(r.step, r.layer, r.gradNormZ));
 */
export function train(config: RunConfig = {}, options: TrainOptions = {}): Observable<Row> {
  const cfg = resolveRunConfig(config); // bad config throws here, at the call
  const rows$ = defer(() => trainRows(cfg, options));
  return cfg.alerts === false ? rows$ : rows$.pipe(detectAlerts(cfg.alerts));
}

function trainRows(cfg: ResolvedRunConfig, options: TrainOptions): Observable<Row> {
  return new Observable<Row>((subscriber) => {
    const { trainer, train: data, test, dispose } = buildRun(cfg, options);
    const probes = createProbes(trainer, { run: cfg.run, epsilon: cfg.probes.epsilon, bins: cfg.probes.bins });
    const { run } = cfg;
    const sliceMs = options.sliceMs ?? 12;
    const probeTimes = { every: cfg.probes.every, schedule: cfg.probes.schedule, steps: cfg.steps };
    const control = options.control;
    const follower = new ControlFollower(control ?? { state: "running", lr: undefined }, {
      steps: () => trainer.steps,
      probeTimes,
    });
    const commands = control?.commands$.subscribe((c) => follower.apply(c));
    const unfollow = control?.follow();
    if (follower.lr !== undefined) trainer.optimizer.lr = follower.lr;
    let cancel: (() => void) | undefined;
    let closed = false;
    let pauseAnnounced = false; // a "paused" row has been sent since the last step taken

    const boundaryEvery = data.features === 2 ? cfg.probes.boundaryEvery : 0; // only 2-D data has a plane to draw
    const boundary = boundaryEvery > 0 ? createBoundaryProbe(trainer, data, run, cfg.probes.boundaryResolution) : null;
    const evaluate = (step: number) => {
      const e = trainer.evaluate(test);
      subscriber.next({ type: "eval", run, step, loss: e.loss, accuracy: e.accuracy });
    };
    // a backend given in the options may have run products before this run: count this run's only
    const productsBefore = kernelsUsed(trainer.network.graph.backend).parallelProducts ?? 0;
    const finish = (status: RunStatus, message?: string) => {
      closed = true;
      const kernels = kernelsUsed(trainer.network.graph.backend);
      if (kernels.parallelProducts !== undefined) kernels.parallelProducts -= productsBefore;
      unfollow?.(); // before its last row: whoever reads that row sees the run no longer following
      subscriber.next({ type: "status", run, step: trainer.steps, status, ...(message ? { message } : {}), ...kernels });
      subscriber.complete();
    };

    // the clock after the last step's passes and probes (a typed array: a double in a closure
    // variable would be boxed, an allocation per step); performance.now() itself allocates in Node,
    // so each step reads the clock only for its row's timings and reuses the last reading
    const clock = new Float64Array(1);
    /** Whether a speed limit paces the run: only then does pacing read the clock. */
    const paced = () => follower.speed !== Infinity;

    /** One training step and its rows; false when the run diverged. */
    const oneStep = (): boolean => {
      if (follower.lr !== undefined) trainer.optimizer.lr = follower.lr;
      const lr = trainer.optimizer.lr;
      const step = trainer.steps + 1;
      const probing = probeDue(step, probeTimes);
      if (probing) probes.arm(); // z, a and ∂L/∂z are read during the passes, while in cache
      const t0 = performance.now();
      const loss = trainer.computeGradients();
      const t1 = performance.now();
      if (probing && !trainer.diverged) probes.beforeUpdate();
      const t2 = performance.now();
      trainer.applyUpdate();
      const t3 = performance.now();
      const tapMs = probes.takeTapMs(); // probe reads made inside the passes count as probe time
      const ms = t1 - t0 + (t3 - t2) - tapMs;
      if (trainer.diverged) {
        // the alert goes first, so detectAlerts sees it as fired and does not add its own
        subscriber.next({
          type: "alert", run, step, kind: "diverged", value: loss,
          message: `training diverged at step ${step}: loss is ${loss}. Source: ${explainDivergence(trainer)}`,
        });
        subscriber.next({ type: "step", run, step, loss, accuracy: trainer.accuracy, lr, ms, probeMs: 0, epoch: trainer.batcher.epoch });
        finish("diverged", `loss became ${loss} at step ${step}`);
        return false;
      }
      const rows: Row[] = [];
      if (probing) rows.push(...probes.layerRows(step));
      const d = cfg.probes.distributionsEvery;
      if (d > 0 && (step % d === 0 || step === 1)) rows.push(...probes.distributionRows(step, cfg.probes.distributions));
      const t4 = (clock[0] = performance.now());
      const probeMs = t2 - t1 + (t4 - t3) + tapMs;
      subscriber.next({ type: "step", run, step, loss, accuracy: trainer.accuracy, lr, ms, probeMs, epoch: trainer.batcher.epoch });
      for (const r of rows) subscriber.next(r);
      if (cfg.evalEvery > 0 && step % cfg.evalEvery === 0 && step !== cfg.steps) evaluate(step);
      if (boundary && (step % boundaryEvery === 0 || step === cfg.steps)) subscriber.next(boundary(step));
      return true;
    };

    // A helper thread (threads: 2) starts in ~30 ms, seconds on a busy machine: the first step waits
    // until it is up or has failed (an event either way, no deadline: a run must not depend on how
    // busy the machine is; the numbers are the same either way).
    const waitingForHelper = () => trainer.steps === 0 && helperStarting(trainer.network.graph.backend);

    // a slice runs from the event loop, not from subscribe(): an error thrown in it (a kernel, the
    // helper thread, a data loader) must end the Observable with that error, not the process
    const slice = () => {
      try {
        runSlice();
      } catch (error) {
        closed = true;
        subscriber.error(error); // runs the teardown below: the probes' taps and the helper thread end
      }
    };
    const runSlice = () => {
      cancel = undefined;
      const end = performance.now() + sliceMs;
      while (!closed) {
        if (follower.stopped) return finish("stopped", "stopped by the control");
        if (trainer.steps >= cfg.steps) {
          if (trainer.steps > 0 || cfg.evalEvery === 0) evaluate(trainer.steps); // step 0 was evaluated at the start
          return finish("completed");
        }
        if (options.gate && !options.gate.ready()) {
          options.gate.whenReady(() => { if (!closed && !cancel) cancel = scheduleMacrotask(slice); });
          return;
        }
        if (waitingForHelper()) {
          // threads: 2 splits products from the first step on, not from whenever the thread is up;
          // before take(), which would spend a paused run's step budget on a step not taken yet
          const timer = setTimeout(slice, 5);
          cancel = () => clearTimeout(timer);
          return;
        }
        const wait = paced() ? follower.waitMs(performance.now()) : 0;
        if (wait > 0) {
          // slow motion: sleep until the next step is due, or until a command (a new speed, a pause) comes
          const timer = setTimeout(slice, wait);
          cancel = () => clearTimeout(timer);
          follower.onCommand(() => { if (!closed) { cancel?.(); cancel = scheduleMacrotask(slice); } });
          return;
        }
        if (!follower.take()) {
          if (follower.paused && !pauseAnnounced) {
            pauseAnnounced = true;
            subscriber.next({ type: "paused", run, step: trainer.steps });
          }
          follower.onCommand(() => { if (!closed && !cancel) cancel = scheduleMacrotask(slice); });
          return;
        }
        pauseAnnounced = false;
        if (!oneStep()) return;
        follower.stepped(clock[0]!); // a no-op at full speed; the clock was read for the row anyway
        if (clock[0]! >= end) break;
      }
      if (!closed) cancel = scheduleMacrotask(slice);
    };

    if (cfg.evalEvery > 0) evaluate(0);
    if (boundary) subscriber.next(boundary(0));
    cancel = scheduleMacrotask(slice);
    return () => {
      closed = true;
      unfollow?.();
      cancel?.();
      commands?.unsubscribe();
      probes.dispose();
      dispose();
    };
  });
}
