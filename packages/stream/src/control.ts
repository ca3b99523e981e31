import { BehaviorSubject, Subject, type Observable } from "rxjs";

/** A command sent to running trainings. */
export type ControlCommand =
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "step"; steps: number }
  | { kind: "stop" }
  | { kind: "lr"; lr: number };

/** The state a control is in. */
export type ControlState = "running" | "paused" | "stopped";

/**
 * Pause, resume, single-step, stop and change the learning rate of running trainings, from a
 * notebook button or a terminal key. One control can drive several runs (they all obey).
 * @example
 * const control = createControl();
 * train({ activation: "sigmoid", depth: 20 }, { control }).subscribe(render);
 * control.pause(); control.step(5); control.resume(); control.setLearningRate(0.001);
 */
export interface TrainingControl {
  pause(): void;
  resume(): void;
  /** While paused: run `n` more steps (default 1), then stay paused. */
  step(n?: number): void;
  /** Ends the runs with status "stopped". */
  stop(): void;
  /** Changes the learning rate from the next step on. */
  setLearningRate(lr: number): void;
  /** The current state, for buttons to reflect. */
  readonly state$: Observable<ControlState>;
  readonly state: ControlState;
  /** The learning rate last set, if any (runs started later take it too). */
  readonly lr: number | undefined;
  /** Every command, for runs (and workers) to follow. */
  readonly commands$: Observable<ControlCommand>;
}

/**
 * Creates a control. `{ paused: true }` starts runs paused, to step from the first step.
 */
export function createControl(options: { paused?: boolean } = {}): TrainingControl {
  const state = new BehaviorSubject<ControlState>(options.paused ? "paused" : "running");
  const commands = new Subject<ControlCommand>();
  let lr: number | undefined;
  const send = (c: ControlCommand) => {
    if (state.value === "stopped") return;
    if (c.kind === "pause") state.next("paused");
    if (c.kind === "resume") state.next("running");
    if (c.kind === "stop") state.next("stopped");
    commands.next(c);
  };
  return {
    pause: () => send({ kind: "pause" }),
    resume: () => send({ kind: "resume" }),
    step(n = 1) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`step(n): n must be a positive integer, got ${n}`);
      send({ kind: "step", steps: n });
    },
    stop: () => send({ kind: "stop" }),
    setLearningRate(value) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`learning rate must be a positive number, got ${value}`);
      lr = value;
      send({ kind: "lr", lr: value });
    },
    state$: state.asObservable(),
    get state() { return state.value; },
    get lr() { return lr; },
    commands$: commands.asObservable(),
  };
}

/**
 * What one run makes of a control's commands: whether it may take a step now. Each run keeps its
 * own step budget, so `step(3)` advances every run by three.
 */
export class ControlFollower {
  paused: boolean;
  stopped: boolean;
  budget = 0;
  lr: number | undefined;
  private wake: (() => void) | undefined;

  constructor(initial: { state: ControlState; lr: number | undefined }) {
    this.paused = initial.state === "paused";
    this.stopped = initial.state === "stopped";
    this.lr = initial.lr;
  }

  apply(c: ControlCommand): void {
    if (c.kind === "pause") this.paused = true;
    else if (c.kind === "resume") this.paused = false;
    else if (c.kind === "step") this.budget += c.steps;
    else if (c.kind === "stop") this.stopped = true;
    else this.lr = c.lr;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** True when a step may run now (consuming one step of the budget while paused). */
  take(): boolean {
    if (this.stopped) return false;
    if (!this.paused) return true;
    if (this.budget > 0) {
      this.budget--;
      return true;
    }
    return false;
  }

  /** Calls `fn` at the next command (used while paused, instead of polling). */
  onCommand(fn: () => void): void {
    this.wake = fn;
  }
}
