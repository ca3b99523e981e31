import { combineLatest, map, of, type Subscription } from "rxjs";
import { alertLine, type ControlState, type Row, type TrainingControl } from "@gradscope/stream";
import type { LiveProgress, LiveRun } from "./liveRun.js";

/** Options of {@link controlPanel}. */
export interface ControlPanelOptions {
  /**
   * The run the control drives: the panel shows its step, status and what just happened, offers Start
   * (and starts it when the panel scrolls into view), Restart and a log step axis.
   */
  run?: LiveRun;
  /** Steps per click of "Step". Default: to the next probed step (`control.stepToProbe()`), so the plots change. */
  stepSize?: number;
  /** Stops following the control when it resolves (a notebook cell's `invalidation`). */
  invalidation?: Promise<unknown>;
  /** The document to make the panel in (default: the global one). */
  document?: Document;
}

type ButtonName = "start" | "pause" | "step" | "resume" | "stop" | "restart";

/** Which buttons make sense in which state ("waiting": the run has not started; "ended": it has). */
const enabled: Record<ControlState | "waiting" | "ended", ButtonName[]> = {
  waiting: ["start"],
  running: ["pause", "stop", "restart"],
  paused: ["step", "resume", "stop", "restart"],
  stopped: ["restart"],
  ended: ["restart"],
};

/** The speeds offered, slow motion to full speed, in steps per second. */
export const SPEEDS: readonly { label: string; stepsPerSecond: number }[] = [
  { label: "slow motion (2 steps/s)", stepsPerSecond: 2 },
  { label: "10 steps/s", stepsPerSecond: 10 },
  { label: "100 steps/s", stepsPerSecond: 100 },
  { label: "1,000 steps/s", stepsPerSecond: 1000 },
  { label: "full speed", stepsPerSecond: Infinity },
];

/**
 * Start / Pause / Step / Resume / Stop / Restart buttons and a speed choice bound to a
 * {@link TrainingControl}, a line saying what the run is doing ("paused · step 120"), a "log step
 * axis" switch for the run's views and, per run, what just happened in plain words (its latest alert, as
 * `gradscope run` prints it). Buttons that make no sense in the current state are disabled. The panel
 * carries `data-state` (waiting, running, paused, stopped, or how the run ended), `data-step` (the slowest run
 * going: it falls when a race starts its next run), `data-steps-taken` (the steps of every run so far, summed:
 * it only grows) and `data-held` ("true" once every run has confirmed a pause or ended: see
 * `LiveProgress.held`), for tests.
 *
 * @example
 * const control = createControl();
 * const run = liveRun(trainInWorker(config, { control }), { invalidation });
 * display(controlPanel(control, { run, invalidation }));
 */
export function controlPanel(control: TrainingControl, options: ControlPanelOptions = {}): HTMLElement {
  const doc = options.document ?? globalThis.document;
  const { run, stepSize } = options;
  const panel = doc.createElement("div");
  panel.className = "gradscope-controls";
  panel.style.cssText = "margin:0.5em 0;font:13px var(--sans-serif, system-ui)";
  const bar = doc.createElement("div");
  bar.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5em;align-items:center";
  panel.append(bar);

  // Phase: buttons.
  const actions: [ButtonName, string, () => void][] = [
    ["start", "Start", () => run?.start()],
    ["pause", "Pause", () => control.pause()],
    ["step", stepSize === undefined || stepSize === 1 ? "Step" : `Step ${stepSize}`, () => (stepSize === undefined ? control.stepToProbe() : control.step(stepSize))],
    ["resume", "Resume", () => control.resume()],
    ["stop", "Stop", () => control.stop()],
    ["restart", "Restart", () => { control.reset(); run?.restart(); }],
  ];
  const buttons = new Map<ButtonName, HTMLButtonElement>();
  for (const [name, label, act] of actions) {
    if (!run && (name === "start" || name === "restart")) continue; // nothing to start or restart
    const button = doc.createElement("button");
    button.type = "button";
    button.name = name;
    button.textContent = label;
    if (name === "step" && stepSize === undefined) button.title = "Run to the next step whose layers are measured";
    button.addEventListener("click", act);
    buttons.set(name, button);
    bar.append(button);
  }

  // Phase: speed and step axis.
  const speed = doc.createElement("select");
  speed.name = "speed";
  speed.setAttribute("aria-label", "speed");
  for (const s of SPEEDS) {
    const option = doc.createElement("option");
    option.value = String(s.stepsPerSecond);
    option.textContent = s.label;
    option.selected = s.stepsPerSecond === control.speed;
    speed.append(option);
  }
  speed.addEventListener("change", () => control.setSpeed(Number(speed.value)));
  bar.append(speed);
  if (run) {
    const label = doc.createElement("label");
    const box = doc.createElement("input");
    box.type = "checkbox";
    box.name = "stepScale";
    box.checked = run.context.stepScale === "log";
    box.addEventListener("change", () => run.setStepScale(box.checked ? "log" : "linear"));
    label.append(box, " log step axis");
    bar.append(label);
  }
  const status = doc.createElement("output");
  status.style.marginLeft = "0.5em";
  bar.append(status);

  // Phase: what just happened, one line per run.
  const happened = doc.createElement("div");
  happened.className = "gradscope-happened";
  happened.setAttribute("aria-live", "polite");
  happened.style.cssText = "margin-top:0.3em";
  if (run) panel.append(happened);

  const update = ([state, progress]: [ControlState, LiveProgress | undefined]) => {
    const ended = progress !== undefined && progress.status !== "running" && progress.status !== "waiting";
    const waiting = progress?.status === "waiting";
    const shown = ended || waiting ? progress.status : state;
    const on = enabled[ended ? "ended" : waiting ? "waiting" : state];
    for (const [name, button] of buttons) button.disabled = !on.includes(name);
    speed.disabled = ended || state === "stopped";
    panel.dataset.state = shown;
    panel.dataset.step = String(progress?.step ?? 0);
    panel.dataset.stepsTaken = String(stepsTaken(progress));
    panel.dataset.held = String(progress?.held ?? false); // every run confirmed its pause: tests wait for this
    status.textContent = progress === undefined ? shown : statusLine(shown, progress, ended);
  };
  const progress$ = run ? run.progress$ : of(undefined);
  const subscriptions: Subscription[] = [combineLatest([control.state$, progress$]).subscribe(update)];
  if (run) {
    subscriptions.push(run.rows$.pipe(map(happenings)).subscribe((lines) => {
      const text = lines.join("\n");
      if (happened.dataset.text === text) return; // most frames bring no new alert: leave the DOM alone
      happened.dataset.text = text;
      happened.replaceChildren(...lines.map((line) => {
        const p = doc.createElement("p");
        p.style.cssText = "margin:0.1em 0";
        p.textContent = line;
        return p;
      }));
    }));
    run.startWhenVisible(panel);
  }
  void options.invalidation?.then(() => subscriptions.forEach((s) => s.unsubscribe()));
  return panel;
}

function statusLine(shown: string, progress: LiveProgress, ended: boolean): string {
  if (progress.status === "waiting") return "waiting · starts when you scroll here, or press Start";
  const steps = Object.values(progress.steps ?? {});
  const spread = steps.length > 1 && Math.max(...steps) > progress.step
    ? ` (the slowest of ${steps.length} runs; the fastest is at step ${Math.max(...steps)})`
    : "";
  return `${shown} · step ${progress.step}${spread}${ended && progress.message ? ` – ${progress.message}` : ""}`;
}

/**
 * What just happened, per run in order of appearance: its latest alert in plain words, or "no alerts so
 * far"; and how it ended, once it has.
 */
export function happenings(rows: readonly Row[]): string[] {
  const runs: string[] = [];
  const latest = new Map<string, Extract<Row, { type: "alert" }>>();
  const ends = new Map<string, Extract<Row, { type: "status" }>>();
  for (const r of rows) {
    if (r.type !== "step" && r.type !== "alert" && r.type !== "status") continue;
    if (!runs.includes(r.run)) runs.push(r.run);
    if (r.type === "alert" && r.step >= (latest.get(r.run)?.step ?? -1)) latest.set(r.run, r);
    if (r.type === "status") ends.set(r.run, r);
  }
  return runs.map((run) => {
    const alert = latest.get(run);
    const end = ends.get(run);
    const what = alert ? alertLine(alert) : "no alerts so far";
    const how = end ? `; ${end.status} at step ${end.step}${end.message ? ` (${end.message})` : ""}` : "";
    return `${runs.length > 1 ? `${run}: ` : ""}${what}${how}`;
  });
}

/** Every run's steps so far, summed (one run: its step): a count that grows with any step any run takes. */
function stepsTaken(progress: LiveProgress | undefined): number {
  if (!progress) return 0;
  if (!progress.steps) return progress.step;
  let sum = 0;
  for (const s of Object.values(progress.steps)) sum += s;
  return sum;
}
