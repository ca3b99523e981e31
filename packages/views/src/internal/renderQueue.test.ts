import { describe, expect, it } from "vitest";
import { RenderQueue, type QueuedRender } from "./renderQueue.js";

/** A queue whose frames the test runs by hand, and whose clock each render advances by its view's cost. */
function manual(budgetMs = 8, maxPerFrame = 2) {
  let clock = 0;
  const frames: (() => void)[] = [];
  const queue = new RenderQueue({ frame: (cb) => void frames.push(cb), task: (cb) => cb(), budgetMs, maxPerFrame, now: () => clock });
  const log: string[] = [];
  const view = (name: string, costMs: number, ready = () => true): QueuedRender => ({
    ready,
    render: () => {
      log.push(name);
      clock += costMs;
    },
  });
  /** Runs the frame requested so far (one at a time, as the browser would); false when none was. */
  const frame = () => {
    const cb = frames.shift();
    cb?.();
    return cb !== undefined;
  };
  return { queue, log, view, frame, frames };
}

describe("RenderQueue", () => {
  it("renders a view once per frame however often it is asked, with nothing before the frame", () => {
    const { queue, log, view, frame, frames } = manual();
    const a = view("a", 1);
    for (let i = 0; i < 5; i++) queue.request(a);
    expect(log).toEqual([]); // not synchronously: after the next frame
    expect(frames).toHaveLength(1); // one frame asked for, not five
    frame();
    expect(log).toEqual(["a"]);
    expect(frame()).toBe(false); // nothing left
  });

  it("spreads views over frames once a frame's budget is spent, in the order they were queued", () => {
    const { queue, log, view, frame } = manual(8);
    const [a, b, c, d] = [view("a", 5), view("b", 5), view("c", 2), view("d", 30)];
    for (const v of [a, b, c, d]) queue.request(v);
    frame();
    expect(log).toEqual(["a", "b"]); // 10 ms ≥ 8: the rest wait
    frame();
    expect(log).toEqual(["a", "b", "c", "d"]); // c took 2 ms; d runs alone past the budget (at least one)
    queue.request(a);
    frame();
    expect(log.at(-1)).toBe("a");
  });

  it("renders at most maxPerFrame views in a frame, however cheap (each is laid out again in it)", () => {
    const { queue, log, view, frame } = manual(8, 2);
    for (const name of ["a", "b", "c", "d", "e"]) queue.request(view(name, 0));
    frame();
    expect(log).toEqual(["a", "b"]);
    frame();
    expect(log).toEqual(["a", "b", "c", "d"]);
    frame();
    expect(log).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("keeps a view that is not ready queued, without asking for frames, until it is asked for again when ready", () => {
    const { queue, log, view, frame, frames } = manual();
    let onScreen = false;
    const hidden = view("hidden", 1, () => onScreen);
    queue.request(hidden);
    expect(frames).toHaveLength(0);
    expect(queue.has(hidden)).toBe(true);
    queue.request(view("shown", 1));
    frame();
    expect(log).toEqual(["shown"]); // the hidden one stays queued
    onScreen = true;
    queue.request(hidden);
    frame();
    expect(log).toEqual(["shown", "hidden"]);
    expect(queue.has(hidden)).toBe(false);
  });

  it("forgets a cancelled view", () => {
    const { queue, log, view, frame } = manual();
    const a = view("a", 1);
    queue.request(a);
    queue.cancel(a);
    frame();
    expect(log).toEqual([]);
  });
});
