import { filter, firstValueFrom, map, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { ControlFollower, createControl, isRow, probeDue, train, type ProbeSchedule, type Row } from "@gradscope/stream";

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

  const follower = (taken: () => number, every: number, schedule: ProbeSchedule, steps = 100_000) =>
    new ControlFollower({ state: "paused", lr: undefined }, { steps: taken, probeTimes: { every, schedule, steps } });

  it("adds the steps to the next probe to a paused run's budget (fixed cadence)", () => {
    let taken = 7;
    const f = follower(() => taken, 5, "every");
    f.apply({ kind: "stepToProbe" });
    expect(f.budget).toBe(3); // to step 10
    f.apply({ kind: "stepToProbe" }); // counted from where the budget already takes it (step 10)
    expect(f.budget).toBe(8);
    taken = 0;
    const g = follower(() => taken, 5, "every");
    expect(g.budget).toBe(0);
    g.apply({ kind: "stepToProbe" });
    expect(g.budget).toBe(1); // step 1 is probed
    const never = follower(() => 7, 0, "every");
    never.apply({ kind: "stepToProbe" });
    expect(never.budget).toBe(1); // nothing is probed: one step
  });

  it('counts to the next probe on the "log" schedule, where the stride grows tenfold per decade', () => {
    const f = follower(() => 990, 5, "log", 1120);
    const targets: number[] = [];
    for (let i = 0; i < 6; i++) {
      f.apply({ kind: "stepToProbe" });
      targets.push(990 + f.budget);
    }
    // every 5th step below 1,000, every 50th above, then the last step (1120) – and no further
    expect(targets).toEqual([995, 1000, 1050, 1100, 1120, 1121]);
    for (const t of targets.slice(0, 5)) expect(probeDue(t, { every: 5, schedule: "log", steps: 1120 })).toBe(true);
  });
});

describe("train under a control's speed and step-to-probe", () => {
  /**
   * A paused run, stepped with `stepToProbe`: where each Step left it (its "paused" rows, sent when it
   * holds) and the steps whose layer rows arrived.
   */
  const stepThroughProbes = async (probes: { every: number; schedule: ProbeSchedule }, steps: number, first: number, clicks: number) => {
    const control = createControl({ paused: true });
    const rows: Row[] = [];
    let onPaused: ((step: number) => void) | undefined;
    const paused = () => new Promise<number>((done) => (onPaused = done));
    let held = paused();
    const sub = train({ depth: 2, width: 8, steps, evalEvery: 0, probes }, { control }).subscribe((r) => {
      rows.push(r);
      if (r.type === "paused") onPaused?.(r.step);
    });
    expect(await held).toBe(0);
    const heldAt: number[] = [];
    if (first > 0) {
      held = paused();
      control.step(first);
      heldAt.push(await held);
    }
    const layerSteps: number[][] = [];
    for (let i = 0; i < clicks; i++) {
      const before = rows.length;
      held = paused();
      control.stepToProbe();
      heldAt.push(await held);
      layerSteps.push([...new Set(rows.slice(before).filter(isRow("layer")).map((r) => r.step))]);
    }
    sub.unsubscribe();
    return { heldAt, layerSteps, stepRows: rows.filter(isRow("step")).map((r) => r.step) };
  };

  it('Step while paused on the "log" schedule advances exactly to the next probed step and brings its layer rows', async () => {
    const probes = { every: 5, schedule: "log" as const };
    const { heldAt, layerSteps, stepRows } = await stepThroughProbes(probes, 1120, 990, 4);
    // below step 1,000 every 5th step is probed, from 1,000 on every 50th (a fixed cadence would stop at 1,005)
    expect(heldAt).toEqual([990, 995, 1000, 1050, 1100]);
    expect(layerSteps).toEqual([[995], [1000], [1050], [1100]]);
    for (const s of heldAt.slice(1)) expect(probeDue(s, { ...probes, steps: 1120 })).toBe(true);
    expect(stepRows).toEqual(Array.from({ length: 1100 }, (_, i) => i + 1)); // no step past the probe
  });

  it("Step while paused on the fixed cadence advances exactly to the next multiple of probes.every", async () => {
    const { heldAt, layerSteps, stepRows } = await stepThroughProbes({ every: 5, schedule: "every" }, 1120, 990, 4);
    expect(heldAt).toEqual([990, 995, 1000, 1005, 1010]);
    expect(layerSteps).toEqual([[995], [1000], [1005], [1010]]);
    expect(stepRows).toEqual(Array.from({ length: 1010 }, (_, i) => i + 1));
  });

  it("the first Step of a paused run is step 1, which is probed", async () => {
    const { heldAt, layerSteps } = await stepThroughProbes({ every: 5, schedule: "log" }, 100, 0, 2);
    expect(heldAt).toEqual([1, 5]);
    expect(layerSteps).toEqual([[1], [5]]);
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

describe("createControl: followers", () => {
  it("counts runs in and out; each release counts once", () => {
    const control = createControl();
    expect(control.followers).toBe(0);
    const a = control.follow(), b = control.follow();
    expect(control.followers).toBe(2);
    a();
    a();
    expect(control.followers).toBe(1);
    b();
    expect(control.followers).toBe(0);
  });
});
