import { filter, firstValueFrom, map, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { ControlFollower, createControl, isRow, stepsToProbe, train, type Row } from "@gradscope/stream";

describe("createControl", () => {
  it("sends speed and step-to-probe commands, and reset brings a stopped control back", () => {
    const control = createControl();
    const kinds: string[] = [];
    control.commands$.subscribe((c) => kinds.push(c.kind === "speed" ? `speed ${c.stepsPerSecond}` : c.kind));
    expect(control.speed).toBe(Infinity);
    control.setSpeed(10);
    expect(control.speed).toBe(10);
    control.pause();
    control.stepToProbe();
    control.stop();
    control.pause(); // ignored: stopped
    control.reset();
    expect(control.state).toBe("running");
    control.pause();
    expect(kinds).toEqual(["speed 10", "pause", "stepToProbe", "stop", "pause"]);
    expect(() => control.setSpeed(0)).toThrow("speed must be a positive number of steps per second (or Infinity), got 0");
  });
});

describe("stepsToProbe", () => {
  it("counts the steps to the next probed step (step 1 and every multiple of every)", () => {
    expect(stepsToProbe(0, 5)).toBe(1); // step 1 is probed
    expect(stepsToProbe(1, 5)).toBe(4); // to step 5
    expect(stepsToProbe(5, 5)).toBe(5); // to step 10
    expect(stepsToProbe(7, 5)).toBe(3);
    expect(stepsToProbe(7, 0)).toBe(1); // no probes: one step
  });
});

describe("ControlFollower", () => {
  it("paces steps at the control's speed and lets a paused run's Step through at once", () => {
    const f = new ControlFollower({ state: "running", lr: undefined, speed: 4 }); // 250 ms a step
    expect(f.waitMs(1000)).toBe(0);
    f.stepped(1000);
    expect(f.waitMs(1100)).toBe(150);
    expect(f.waitMs(1250)).toBe(0);
    f.stepped(1250);
    expect(f.waitMs(1250)).toBe(250);
    f.stepped(9000); // long behind: the next step is due one interval later, no burst to catch up
    expect(f.waitMs(9000)).toBe(250);
    f.apply({ kind: "speed", stepsPerSecond: Infinity });
    expect(f.waitMs(9000)).toBe(0);
    f.apply({ kind: "speed", stepsPerSecond: 1 });
    f.apply({ kind: "pause" });
    f.stepped(9000);
    expect(f.waitMs(9000)).toBe(0); // paused: budget steps are not slowed
  });

  it("adds the steps to the next probe to a paused run's budget", () => {
    let taken = 7;
    const f = new ControlFollower({ state: "paused", lr: undefined }, { steps: () => taken, probeEvery: 5 });
    f.apply({ kind: "stepToProbe" });
    expect(f.budget).toBe(3);
    f.apply({ kind: "stepToProbe" }); // counted from where the budget already takes it (step 10)
    expect(f.budget).toBe(8);
    taken = 0;
    expect(new ControlFollower({ state: "paused", lr: undefined }, { steps: () => taken, probeEvery: 5 }).budget).toBe(0);
  });
});

describe("train under a control's speed and step-to-probe", () => {
  it("Step-to-probe while paused runs to the next probed step, whose layer rows arrive", async () => {
    const control = createControl({ paused: true });
    const rows$ = train({ depth: 3, width: 8, steps: 100, evalEvery: 0, probes: { every: 5 } }, { control });
    const seen: Row[] = [];
    const layersAt = (s: number) =>
      new Promise<void>((done) => {
        const check = () => (seen.some((r) => r.type === "layer" && r.step === s) ? done() : setTimeout(check, 5));
        check();
      });
    const sub = rows$.subscribe((r) => seen.push(r));
    control.stepToProbe();
    await layersAt(1);
    control.stepToProbe();
    await layersAt(5);
    // a command is applied at once, so the budget ends exactly at step 5: no step 6 follows
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter(isRow("step")).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    sub.unsubscribe();
  });

  it("slow motion: at 40 steps per second, five steps take at least 100 ms", async () => {
    const control = createControl();
    control.setSpeed(40);
    const arrivals = await firstValueFrom(
      train({ depth: 2, width: 8, steps: 1000, evalEvery: 0 }, { control }).pipe(
        filter(isRow("step")),
        map(() => performance.now()),
        take(5),
        toArray(),
      ),
    );
    // a lower bound only: a busy machine makes it slower, never faster
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(4 * 25 - 2);
  });
});
