import { Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { createControl, type Row } from "@gradscope/stream";
import { controlPanel, liveRun } from "@gradscope/views";
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
    expect(enabledButtons(panel)).toEqual([]);
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
