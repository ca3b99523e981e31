import { combineLatest, of, type Subscription } from "rxjs";
import type { ControlState, TrainingControl } from "@gradscope/stream";
import type { LiveProgress, LiveRun } from "./liveRun.js";

/** Options of {@link controlPanel}. */
export interface ControlPanelOptions {
  /** The run the control drives: the panel shows its step and status and disables itself when it ends. */
  run?: LiveRun;
  /** Steps per click of "Step". Default 1. */
  stepSize?: number;
  /** Stops following the control when it resolves (a notebook cell's `invalidation`). */
  invalidation?: Promise<unknown>;
  /** The document to make the panel in (default: the global one). */
  document?: Document;
}

type ButtonName = "pause" | "step" | "resume" | "stop";

/** Which buttons make sense in which state. */
const enabled: Record<ControlState, ButtonName[]> = {
  running: ["pause", "stop"],
  paused: ["step", "resume", "stop"],
  stopped: [],
};

/**
 * Pause / Step / Resume / Stop buttons bound to a {@link TrainingControl}, and a line saying what the run
 * is doing ("paused · step 120"). Buttons that make no sense in the current state are disabled. The panel
 * carries `data-state` (running, paused, stopped, or how the run ended) and `data-step`, for tests.
 *
 * @example
 * const control = createControl();
 * const run = liveRun(trainInWorker(config, { control }), { invalidation });
 * display(controlPanel(control, { run, invalidation }));
 */
export function controlPanel(control: TrainingControl, options: ControlPanelOptions = {}): HTMLElement {
  const doc = options.document ?? globalThis.document;
  const stepSize = options.stepSize ?? 1;
  const panel = doc.createElement("div");
  panel.className = "gradscope-controls";
  panel.style.cssText = "display:flex;gap:0.5em;align-items:center;margin:0.5em 0;font:13px var(--sans-serif, system-ui)";

  const actions: Record<ButtonName, [string, () => void]> = {
    pause: ["Pause", () => control.pause()],
    step: [stepSize === 1 ? "Step" : `Step ${stepSize}`, () => control.step(stepSize)],
    resume: ["Resume", () => control.resume()],
    stop: ["Stop", () => control.stop()],
  };
  const buttons = new Map<ButtonName, HTMLButtonElement>();
  for (const [name, [label, act]] of Object.entries(actions) as [ButtonName, [string, () => void]][]) {
    const button = doc.createElement("button");
    button.type = "button";
    button.name = name;
    button.textContent = label;
    button.addEventListener("click", act);
    buttons.set(name, button);
    panel.append(button);
  }
  const status = doc.createElement("output");
  status.style.marginLeft = "0.5em";
  panel.append(status);

  const update = ([state, progress]: [ControlState, LiveProgress | undefined]) => {
    const ended = progress !== undefined && progress.status !== "running";
    const shown = ended ? progress.status : state;
    const on = ended ? [] : enabled[state];
    for (const [name, button] of buttons) button.disabled = !on.includes(name);
    panel.dataset.state = shown;
    panel.dataset.step = String(progress?.step ?? 0);
    status.textContent =
      progress === undefined ? shown : `${shown} · step ${progress.step}${ended && progress.message ? ` – ${progress.message}` : ""}`;
  };
  const progress$ = options.run ? options.run.progress$ : of(undefined);
  let subscription: Subscription | undefined;
  // combineLatest completes only when both do; the control never does, so end on the run's completion too
  subscription = combineLatest([control.state$, progress$]).subscribe((v) => {
    update(v);
    if (v[1] !== undefined && v[1].status !== "running") queueMicrotask(() => subscription?.unsubscribe());
  });
  void options.invalidation?.then(() => subscription?.unsubscribe());
  return panel;
}
