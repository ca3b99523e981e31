import { Observable, Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { createControl, type Row } from "@gradscope/stream";
import { liveRun, type LiveProgress } from "@gradscope/views";
import { testDocument } from "./internal/testing/dom.js";

const step = (s: number, run = "a") => ({ type: "step", run, step: s, loss: 1 / s, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number, l: number, run = "a") => ({ type: "layer", run, step: s, layer: l, gradNormZ: s }) as unknown as Row;
const status = (s: number, st: string, run = "a") => ({ type: "status", run, step: s, status: st }) as Row;
const alert = (s: number) => ({ type: "alert", run: "a", step: s, kind: "dead", message: "dead" }) as Row;
const steps = (rows: readonly Row[]) => rows.filter((r) => r.type === "step").map((r) => r.step);

/** A scheduler whose frames the test advances by hand (virtual time, 16 ms a frame). */
function virtualFrames() {
  const scheduler = new TestScheduler(() => {});
  return { scheduler, frame: () => scheduler.flush() };
}

describe("liveRun", () => {
  it("renders once per frame, with every row that arrived, not once per row", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const document = testDocument();
    let renders = 0;
    const view = run.view((rows) => {
      renders++;
      const p = document.createElement("p");
      p.textContent = steps(rows).join(",");
      return p;
    }, { document });
    expect(renders).toBe(1); // an empty picture right away: the layout does not jump
    for (let s = 1; s <= 5; s++) rows$.next(step(s));
    expect(renders).toBe(1);
    frame();
    expect(renders).toBe(2);
    expect(view.textContent).toBe("1,2,3,4,5");
    frame(); // nothing arrived: no redraw
    expect(renders).toBe(2);
    expect(run.progress).toEqual({ status: "running", step: 5 });
  });

  it("holds once every run has sent its paused row after its last step, and draws that picture at once", () => {
    const { scheduler, frame } = virtualFrames();
    const a$ = new Subject<Row>(), b$ = new Subject<Row>();
    const run = liveRun([a$, b$], { scheduler, renderShare: 0.01 }); // a tiny render budget: redraws wait long
    const document = testDocument();
    const drawn: string[] = [];
    run.view((rows) => {
      const until = performance.now() + 5;
      while (performance.now() < until);
      drawn.push(steps(rows).join(","));
      return document.createElement("p");
    }, { document });
    const paused = (s: number, r: string) => ({ type: "paused", run: r, step: s }) as Row;
    a$.next(step(1, "a")); b$.next(step(1, "b"));
    frame();
    a$.next(step(2, "a")); a$.next(paused(2, "a")); b$.next(step(2, "b"));
    frame();
    expect(run.progress.held).toBeUndefined(); // b has not confirmed: its rows may still come
    b$.next(step(3, "b")); b$.next(paused(3, "b"));
    frame();
    expect(run.progress).toMatchObject({ status: "running", step: 2, held: true });
    expect(drawn.at(-1)).toBe("1,2,1,2,3"); // drawn now, not when the render budget allows
    a$.next(step(3, "a")); // a Step: a runs again
    frame();
    expect(run.progress.held).toBeUndefined();
  });

  it("is not held while its control has a run it has not heard from (a worker still starting when Pause was pressed)", () => {
    const { scheduler, frame } = virtualFrames();
    const control = createControl();
    const a$ = new Subject<Row>(), b$ = new Subject<Row>();
    const run = liveRun([a$, b$], { scheduler, control });
    const unfollowA = control.follow(), unfollowB = control.follow(); // both runs subscribed; b says nothing yet
    const paused = (s: number, r: string) => ({ type: "paused", run: r, step: s }) as Row;
    control.pause();
    a$.next(step(1, "a")); a$.next(paused(1, "a"));
    frame();
    expect(run.progress.held).toBeUndefined(); // every run heard from has paused, but b's first rows may still come
    b$.next({ type: "eval", run: "b", step: 0, loss: 1, accuracy: 0 } as Row); b$.next(paused(0, "b"));
    frame();
    expect(run.progress.held).toBe(true);
    // a run that ends no longer follows: its last row says so, and the other one's pause holds the page
    a$.next(step(2, "a"));
    unfollowA();
    a$.next(status(2, "completed", "a"));
    frame();
    expect(run.progress.held).toBe(true);
    unfollowB();
  });

  it("redraws a slow view less often, but always ends on the latest rows", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler, renderShare: 0.5 });
    const document = testDocument();
    const drawn: string[] = [];
    run.view((rows) => {
      const until = performance.now() + 30; // a 30 ms figure: the next redraw waits ≥ 30 ms
      while (performance.now() < until);
      drawn.push(steps(rows).join(","));
      return document.createElement("p");
    }, { document });
    rows$.next(step(1));
    frame(); // the budget since the first (empty) picture is not spent yet: the redraw is delayed, not dropped
    rows$.next(step(2));
    frame();
    expect(drawn.at(-1)).toBe("1,2");
    expect(drawn.length).toBeLessThanOrEqual(3);
  });

  it("keeps a bounded, evenly decimated window per series, always with the latest row", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler, maxPoints: 8, maxAlerts: 2 });
    for (let s = 1; s <= 10_000; s++) {
      rows$.next(step(s));
      for (let l = 0; l < 3; l++) rows$.next(layer(s, l));
      if (s % 1000 === 0) rows$.next(alert(s));
    }
    frame();
    const kept = steps(run.rows);
    expect(kept.length).toBeLessThanOrEqual(9); // ≤ maxPoints kept, plus the latest
    expect(kept.at(0)).toBe(1);
    expect(kept.at(-1)).toBe(10_000);
    for (let l = 0; l < 3; l++) {
      const ls = run.rows.filter((r) => r.type === "layer" && (r as { layer: number }).layer === l);
      expect(ls.length).toBeLessThanOrEqual(9);
      expect(ls.at(-1)!.step).toBe(10_000);
    }
    expect(run.rows.filter((r) => r.type === "alert").map((r) => r.step)).toEqual([9000, 10_000]);
  });

  it("merges several runs and keeps their series apart", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const elu$ = new Subject<Row>();
    const run = liveRun([rows$, elu$], { scheduler, maxPoints: 4 });
    for (let s = 1; s <= 100; s++) {
      rows$.next(step(s, "relu"));
      if (s <= 10) elu$.next(step(s, "elu"));
    }
    frame();
    const of = (name: string) => run.rows.filter((r) => r.run === name && r.type === "step").map((r) => r.step);
    expect(of("relu").at(-1)).toBe(100);
    expect(of("elu").at(-1)).toBe(10);
    // the status line reports the slowest run still going, never more than every run has done
    expect(run.progress).toEqual({ status: "running", step: 10, steps: { relu: 100, elu: 10 } });
    elu$.next(status(10, "diverged", "elu"));
    frame();
    expect(run.progress.step).toBe(100); // an ended run no longer holds the line back
  });

  it("reports how the run ended, and completes its streams when torn down (not before: it may restart)", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const seen: LiveProgress[] = [];
    let completed = false;
    run.progress$.subscribe({ next: (p) => seen.push(p), complete: () => (completed = true) });
    rows$.next(step(1));
    rows$.next(status(1, "diverged"));
    rows$.complete();
    frame();
    expect(completed).toBe(false);
    expect(seen.at(-1)).toEqual({ status: "diverged", step: 1 });
    expect(run.rows.at(-1)).toEqual(status(1, "diverged"));
    run.unsubscribe();
    expect(completed).toBe(true);
    expect(seen.at(-1)).toEqual({ status: "diverged", step: 1 }); // how it ended, not "stopped"
  });

  it("shows a failed run's error in its views instead of throwing", () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const document = testDocument();
    const view = run.view(() => document.createElement("svg"), { document });
    rows$.error(new RangeError("depth must be a positive integer, got 0"));
    frame();
    expect(run.progress).toEqual({ status: "error", step: 0, message: "depth must be a positive integer, got 0" });
    expect(view.querySelector(".gradscope-error")?.textContent).toBe("The run failed: depth must be a positive integer, got 0");
  });

  it("unsubscribes the rows (terminating a worker) when the cell is invalidated", async () => {
    const { scheduler, frame } = virtualFrames();
    let subscribed = 0;
    let tornDown = 0;
    const rows$ = new Subject<Row>();
    const tracked = new Observable<Row>((subscriber) => {
      subscribed++;
      const sub = rows$.subscribe((r) => subscriber.next(r));
      return () => (tornDown++, sub.unsubscribe());
    });
    let invalidate!: () => void;
    const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
    const run = liveRun(tracked, { scheduler, invalidation });
    rows$.next(step(1));
    frame();
    expect([subscribed, tornDown]).toEqual([1, 0]);
    invalidate();
    await invalidation;
    expect(tornDown).toBe(1);
    expect(run.progress.status).toBe("stopped");
    rows$.next(step(2)); // nothing listens any more
    frame();
    expect(steps(run.rows)).toEqual([1]);
  });

  it("stops re-rendering a view whose own cell was invalidated", async () => {
    const { scheduler, frame } = virtualFrames();
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const document = testDocument();
    let renders = 0;
    let invalidate!: () => void;
    const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
    run.view(() => (renders++, document.createElement("p")), { document, invalidation });
    invalidate();
    await invalidation;
    rows$.next(step(1));
    frame();
    expect(renders).toBe(1);
  });

  it("with start: \"visible\" waits for start() (a Start button), then subscribes", () => {
    const { scheduler, frame } = virtualFrames();
    let subscribed = 0;
    const rows$ = new Subject<Row>();
    const tracked = new Observable<Row>((subscriber) => (subscribed++, rows$.subscribe(subscriber)));
    const run = liveRun(tracked, { scheduler, start: "visible" });
    expect(run.progress).toEqual({ status: "waiting", step: 0 });
    expect(subscribed).toBe(0);
    run.start();
    run.start(); // once
    expect(subscribed).toBe(1);
    rows$.next(step(3));
    frame();
    expect(run.progress).toEqual({ status: "running", step: 3 });
  });

  it("restart subscribes afresh from step 0 and keeps the run so far as the ghost, also for the next liveRun", () => {
    const { scheduler, frame } = virtualFrames();
    let subscribed = 0;
    let tornDown = 0;
    let rows$ = new Subject<Row>();
    const tracked = new Observable<Row>((subscriber) => {
      subscribed++;
      rows$ = new Subject<Row>();
      const sub = rows$.subscribe(subscriber);
      return () => (tornDown++, sub.unsubscribe());
    });
    const control = createControl();
    const run = liveRun(tracked, { scheduler, control, ghostKey: "restart-test" });
    const document = testDocument();
    const drawn: string[] = [];
    run.view((rows, { ghost }) => {
      const p = document.createElement("p");
      drawn.push(`${steps(rows).join(",")} | ghost ${steps(ghost).join(",")}`);
      return p;
    }, { document });
    rows$.next(step(1));
    rows$.next(step(2));
    rows$.next(status(2, "completed"));
    rows$.complete();
    frame();
    control.stop(); // e.g. the reader pressed Stop before Restart
    run.restart();
    expect([subscribed, tornDown]).toEqual([2, 1]);
    expect(control.state).toBe("running");
    expect(run.progress).toEqual({ status: "running", step: 0 });
    rows$.next(step(1));
    frame();
    expect(drawn.at(-1)).toBe("1 | ghost 1,2");
    run.unsubscribe();
    // an input change: the new cell's run starts with this one as its ghost
    const next = liveRun(new Subject<Row>(), { scheduler, ghostKey: "restart-test" });
    expect(steps(next.context.ghost)).toEqual([1]);
    expect(liveRun(new Subject<Row>(), { scheduler, ghostKey: false }).context.ghost).toEqual([]);
  });

  it("redraws its views with the step axis the reader chose", () => {
    const { scheduler } = virtualFrames();
    const run = liveRun(new Subject<Row>(), { scheduler });
    const document = testDocument();
    const scales: string[] = [];
    run.view((_, { stepScale }) => (scales.push(stepScale), document.createElement("p")), { document });
    run.setStepScale("log");
    run.setStepScale("log"); // no change, no redraw
    expect(scales).toEqual(["linear", "log"]);
  });
});
