import { BehaviorSubject, Subject, type Observable } from "rxjs";
import { probeDue, type ProbeSchedule } from "./probeSchedule.js";

/** A command sent to running trainings. */
export type ControlCommand =
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "step"; steps: number }
  /** While paused: run up to and including the next probed step, so the probe's plots change. */
  | { kind: "stepToProbe" }
  | { kind: "stop" }
  | { kind: "lr"; lr: number }
  /** At most this many training steps per second (Infinity: as fast as the machine goes). */
  | { kind: "speed"; stepsPerSecond: number };

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
  /**
   * While paused: run to the next step that is probed (on the run's `probes.every` / `probes.schedule`,
   * see `probeDue`), then stay paused, so the per-layer plots show a new picture after one click.
   */
  stepToProbe(): void;
  /** Ends the runs with status "stopped". */
  stop(): void;
  /** Changes the learning rate from the next step on. */
  setLearningRate(lr: number): void;
  /**
   * Slow motion to full speed: at most `stepsPerSecond` training steps per second (Infinity, the
   * default, is as fast as the machine goes). Runs started later take it too.
   */
  setSpeed(stepsPerSecond: number): void;
  /**
   * Brings a stopped (or any) control back to `state` ("running" by default) for a fresh run, keeping
   * the learning rate and speed. Runs that were following it should be torn down first (a Restart).
   */
  reset(state?: "running" | "paused"): void;
  /** The current state, for buttons to reflect. */
  readonly state$: Observable<ControlState>;
  readonly state: ControlState;
  /** The learning rate last set, if any (runs started later take it too). */
  readonly lr: number | undefined;
  /** The speed last set, in steps per second (Infinity: full speed). */
  readonly speed: number;
  /** Every command, for runs (and workers) to follow. */
  readonly commands$: Observable<ControlCommand>;
  /**
   * How many runs follow this control now. `train` and `trainInWorker` count themselves in when subscribed
   * – before their first row, while a worker is still starting – and out with their last row or when torn
   * down. So "every run has paused" can be told from "every run that has spoken has paused": a live view
   * whose control drives runs it has not heard from yet is not held (see `liveRun`).
   */
  readonly followers: number;
  /**
   * Counts a run in as a follower; call the function it returns when the run ends (calling it again does
   * nothing). `train` and `trainInWorker` do this; call it only for a run of your own that obeys the control.
   */
  follow(): () => void;
}

/**
 * Creates a control. `{ paused: true }` starts runs paused, to step from the first step.
 */
export function createControl(options: { paused?: boolean } = {}): TrainingControl {
  const state = new BehaviorSubject<ControlState>(options.paused ? "paused" : "running");
  const commands = new Subject<ControlCommand>();
  let lr: number | undefined;
  let speed = Infinity;
  let followers = 0;
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
    stepToProbe: () => send({ kind: "stepToProbe" }),
    stop: () => send({ kind: "stop" }),
    setLearningRate(value) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`learning rate must be a positive number, got ${value}`);
      lr = value;
      send({ kind: "lr", lr: value });
    },
    setSpeed(value) {
      if (!(value > 0)) throw new RangeError(`speed must be a positive number of steps per second (or Infinity), got ${value}`);
      speed = value;
      send({ kind: "speed", stepsPerSecond: value });
    },
    reset(to = "running") {
      state.next(to);
    },
    state$: state.asObservable(),
    get state() { return state.value; },
    get lr() { return lr; },
    get speed() { return speed; },
    commands$: commands.asObservable(),
    get followers() { return followers; },
    follow() {
      followers++;
      let counted = true;
      return () => {
        if (counted) followers--;
        counted = false;
      };
    },
  };
}

/** Where a run is, for {@link ControlFollower}: how many steps it has taken and when it probes. */
export interface FollowerRun {
  /** Steps taken so far. */
  steps(): number;
  /** When the run takes layer rows: the same times `train` gives {@link probeDue}. */
  probeTimes: { every: number; schedule: ProbeSchedule; steps: number };
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
  /** Steps per second at most (Infinity: no limit). */
  speed: number;
  private nextAt = -Infinity;
  private wake: (() => void) | undefined;

  constructor(
    initial: { state: ControlState; lr: number | undefined; speed?: number },
    private readonly run: FollowerRun = { steps: () => 0, probeTimes: { every: 0, schedule: "every", steps: Infinity } },
  ) {
    this.paused = initial.state === "paused";
    this.stopped = initial.state === "stopped";
    this.lr = initial.lr;
    this.speed = initial.speed ?? Infinity;
  }

  apply(c: ControlCommand): void {
    if (c.kind === "pause") this.paused = true;
    else if (c.kind === "resume") this.paused = false;
    else if (c.kind === "step") this.budget += c.steps;
    else if (c.kind === "stepToProbe") this.budget += this.stepsToNextProbe();
    else if (c.kind === "stop") this.stopped = true;
    else if (c.kind === "speed") {
      this.speed = c.stepsPerSecond;
      this.nextAt = -Infinity; // a new speed applies from now, not after the old interval
    } else this.lr = c.lr;
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

  /**
   * Milliseconds to wait before the next step at the current speed (0: go now). Steps taken from a
   * paused run's budget are not slowed: a Step click shows its result at once.
   */
  waitMs(now: number): number {
    if (this.paused || this.stopped || this.speed === Infinity) return 0;
    return Math.max(0, this.nextAt - now);
  }

  /** Records that a step was taken at `now` (for the speed limit). */
  stepped(now: number): void {
    if (this.speed === Infinity) return;
    const interval = 1000 / this.speed;
    // steady pacing (timer lateness is made up), but a run far behind (the first step, a busy page)
    // starts afresh rather than bursting to catch up
    this.nextAt = this.nextAt < now - interval ? now + interval : this.nextAt + interval;
  }

  /**
   * Steps from where the budget already takes the run to its next probed step, inclusive, asking
   * {@link probeDue} (the schedule `train` probes on, "every" or "log"). One step when nothing is probed;
   * at most up to the run's last step.
   */
  private stepsToNextProbe(): number {
    const times = this.run.probeTimes;
    if (times.every <= 0) return 1;
    const from = this.run.steps() + this.budget;
    let step = from + 1;
    while (step < times.steps && !probeDue(step, times)) step++;
    return step - from;
  }

  /** Calls `fn` at the next command (used while paused, instead of polling). */
  onCommand(fn: () => void): void {
    this.wake = fn;
  }
}
