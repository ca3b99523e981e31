import { Observable, Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { createControl, type Row } from "@gradscope/stream";
import { controlPanel, happenings, liveRun } from "@gradscope/views";
import { testDocument } from "./internal/testing/dom.js";

const step = (s: number) => ({ type: "step", run: "a", step: s, loss: 1, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const button = (panel: HTMLElement, name: string) => panel.querySelector<HTMLButtonElement>(`button[name=${name}]`)!;
const enabledButtons = (panel: HTMLElement) =>
  [...panel.querySelectorAll("button")].filter((b) => !b.disabled).map((b) => b.name);

describe("controlPanel", () => {
  const document = testDocument();

  it("pauses, steps, resumes and stops the control, enabling only the buttons that make sense", () => {
    const control = createControl();
    const commands: string[] = [];
    control.commands$.subscribe((c) => commands.push(c.kind === "step" ? `step ${c.steps}` : c.kind));
    const panel = controlPanel(control, { document, stepSize: 5 });
    expect(enabledButtons(panel)).toEqual(["pause", "stop"]);
    expect(panel.dataset.state).toBe("running");

    button(panel, "pause").click();
    expect(panel.dataset.state).toBe("paused");
    expect(enabledButtons(panel)).toEqual(["step", "resume", "stop"]);
    expect(button(panel, "step").textContent).toBe("Step 5");
    button(panel, "step").click();
    button(panel, "resume").click();
    expect(enabledButtons(panel)).toEqual(["pause", "stop"]);
    button(panel, "stop").click();
    expect(panel.dataset.state).toBe("stopped");
    expect(enabledButtons(panel)).toEqual([]);
    expect(commands).toEqual(["pause", "step 5", "resume", "stop"]);
  });

  it("reflects a control paused elsewhere (another panel, a key)", () => {
    const control = createControl({ paused: true });
    const panel = controlPanel(control, { document });
    expect(panel.dataset.state).toBe("paused");
    control.resume();
    expect(panel.dataset.state).toBe("running");
  });

  it("shows the run's step per frame and disables itself when the run ends", () => {
    const scheduler = new TestScheduler(() => {});
    const rows$ = new Subject<Row>();
    const control = createControl();
    const run = liveRun(rows$, { scheduler });
    const panel = controlPanel(control, { document, run });
    expect(panel.querySelector("output")!.textContent).toBe("running · step 0");
    rows$.next(step(1));
    rows$.next(step(2));
    scheduler.flush();
    expect(panel.dataset.step).toBe("2");
    expect(panel.querySelector("output")!.textContent).toBe("running · step 2");
    rows$.next({ type: "status", run: "a", step: 2, status: "completed" } as Row);
    rows$.complete();
    scheduler.flush();
    expect(panel.dataset.state).toBe("completed");
    expect(enabledButtons(panel)).toEqual(["restart"]);
  });

  it("counts the steps every run has taken: data-step falls when a race starts its next run, data-steps-taken never does", () => {
    const scheduler = new TestScheduler(() => {});
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const panel = controlPanel(createControl(), { document, run });
    const at = (r: string, s: number) => ({ ...step(s), run: r }) as Row;
    rows$.next(at("a", 3990)); rows$.next(at("b", 3700));
    scheduler.flush();
    expect([panel.dataset.step, panel.dataset.stepsTaken]).toEqual(["3700", "7690"]);
    rows$.next(at("a", 4000)); rows$.next({ type: "status", run: "a", step: 4000, status: "completed" } as Row);
    rows$.next(at("c", 1)); // the race's next run
    scheduler.flush();
    expect([panel.dataset.step, panel.dataset.stepsTaken]).toEqual(["1", "7701"]);
  });

  it("Step goes to the next probe by default; speed and Restart reach the control and the run", () => {
    const scheduler = new TestScheduler(() => {});
    let subscriptions = 0;
    const rows$ = new Subject<Row>();
    const control = createControl();
    const run = liveRun(new Observable<Row>((s) => (subscriptions++, rows$.subscribe(s))), { scheduler, ghostKey: false });
    const commands: string[] = [];
    control.commands$.subscribe((c) => commands.push(c.kind === "speed" ? `speed ${c.stepsPerSecond}` : c.kind));
    const panel = controlPanel(control, { document, run });
    expect(enabledButtons(panel)).toEqual(["pause", "stop", "restart"]);
    const speed = panel.querySelector<HTMLSelectElement>("select[name=speed]")!;
    expect([...speed.options].map((o) => o.textContent)).toEqual(["slow motion (2 steps/s)", "10 steps/s", "100 steps/s", "1,000 steps/s", "full speed"]);
    expect(speed.value).toBe("Infinity");
    speed.value = "2";
    speed.dispatchEvent(new document.defaultView!.Event("change"));
    button(panel, "pause").click();
    button(panel, "step").click();
    button(panel, "stop").click();
    expect(enabledButtons(panel)).toEqual(["restart"]);
    button(panel, "restart").click();
    expect(commands).toEqual(["speed 2", "pause", "stepToProbe", "stop"]);
    expect(subscriptions).toBe(2);
    expect(panel.dataset.state).toBe("running");
    expect(enabledButtons(panel)).toEqual(["pause", "stop", "restart"]);
    const box = panel.querySelector<HTMLInputElement>("input[name=stepScale]")!;
    box.checked = true;
    box.dispatchEvent(new document.defaultView!.Event("change"));
    expect(run.context.stepScale).toBe("log");
  });

  it("says what just happened per run, in the CLI's words, and which run is slowest", () => {
    const scheduler = new TestScheduler(() => {});
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const panel = controlPanel(createControl(), { document, run });
    const row = (r: string, s: number) => ({ ...step(s), run: r }) as Row;
    rows$.next(row("relu", 40));
    rows$.next(row("tanh", 25));
    rows$.next({ type: "alert", run: "tanh", step: 20, kind: "saturated", layer: 2, message: "saturated units: 93 % of layer 2" } as Row);
    scheduler.flush();
    const lines = [...panel.querySelectorAll(".gradscope-happened p")].map((p) => p.textContent);
    expect(lines).toEqual(["relu: no alerts so far", "tanh: alert (saturated) at step 20: saturated units: 93 % of layer 2"]);
    expect(panel.querySelector("output")!.textContent).toBe("running · step 25 (the slowest of 2 runs; the fastest is at step 40)");
  });

  it("happenings: how each run ended", () => {
    expect(happenings([step(3), { type: "status", run: "a", step: 3, status: "diverged", message: "loss became NaN at step 3" } as Row]))
      .toEqual(["no alerts so far; diverged at step 3 (loss became NaN at step 3)"]);
  });

  it("stops following the control when its cell is invalidated", async () => {
    const control = createControl();
    let invalidate!: () => void;
    const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
    const panel = controlPanel(control, { document, invalidation });
    invalidate();
    await invalidation;
    control.pause();
    expect(panel.dataset.state).toBe("running");
  });
});
