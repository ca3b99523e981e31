import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { lastValueFrom, tap, toArray, type Observable } from "rxjs";
import { describe, expect, it } from "vitest";
import { createControl, isRow, train, type Row, type RunConfig, type TrainingControl } from "@gradscope/stream";
import { nodeTrainWorker, trainInWorker } from "@gradscope/stream/node";
import { trainInWorker as trainInWebWorker } from "./trainInWorker.js";

const rowsOf = (rows$: Observable<Row>) => lastValueFrom(rows$.pipe(toArray()));
/** Rows without their timings, which differ from run to run. */
const untimed = (rows: Row[]) => rows.map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(5);
  }
}

describe("trainInWorker: the same rows as train", () => {
  it("emits train's rows, in order, for the same config and seed (timings aside), in batches", async () => {
    const config: RunConfig = { steps: 300, depth: 3, width: 16, seed: 3, evalEvery: 100, probes: { distributionsEvery: 50 } };
    const batches: number[] = [];
    const counting = () => {
      const worker = nodeTrainWorker();
      return {
        ...worker,
        listen: (h: Parameters<typeof worker.listen>[0]) =>
          worker.listen({
            ...h,
            message(data) {
              const m = data as { type: string; rows?: Row[] };
              if (m.type === "rows") batches.push(m.rows!.length);
              h.message(data);
            },
          }),
      };
    };
    const inWorker = await rowsOf(trainInWorker(config, { worker: counting }));
    const inThread = await rowsOf(train(config));
    expect(untimed(inWorker)).toEqual(untimed(inThread));
    expect(inWorker.at(-1)).toMatchObject({ type: "status", status: "completed", step: 300 });
    // ≈ 1,600 rows (300 step + 1,200 layer + bands + eval + status) in a few messages of at most 256 rows
    expect(inWorker.length).toBeGreaterThan(1500);
    expect(Math.max(...batches)).toBeLessThanOrEqual(256);
    expect(batches.length).toBeLessThan(inWorker.length / 50);
  });

  it("ends with the diverged alert and status for a huge learning rate", async () => {
    const rows = await rowsOf(trainInWorker({ activation: "relu", optimizer: "sgd", lr: 1e6, steps: 100 }));
    expect(rows.filter(isRow("alert")).filter((a) => a.kind === "diverged")).toHaveLength(1);
    expect(rows.at(-1)).toMatchObject({ type: "status", status: "diverged" });
  });

  it("can train on the digits in Node (the worker has the file loader)", async () => {
    const rows = await rowsOf(trainInWorker({ dataset: "digits", n: 100, depth: 1, width: 8, steps: 2 }));
    expect(rows.at(-1)).toMatchObject({ type: "status", status: "completed", step: 2 });
  });
});

describe("trainInWorker: errors", () => {
  it("errors with the worker's message, naming the field, on a bad config", async () => {
    const error = await rowsOf(trainInWorker({ depth: 0 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: "depth must be a positive integer, got 0" });
    await expect(rowsOf(trainInWorker({ activation: "relu9" }))).rejects.toThrow('unknown activation "relu9"');
  });

  it("points Node users to @gradscope/stream/node from the browser default (no Web Worker in Node)", async () => {
    await expect(rowsOf(trainInWebWorker({ steps: 1 }))).rejects.toThrow('import trainInWorker from "@gradscope/stream/node"');
  });

  it("errors when the config cannot be sent to a worker", async () => {
    const config = { params: { alpha: () => 0.1 } } as unknown as RunConfig;
    await expect(rowsOf(trainInWorker(config))).rejects.toThrow(/could not be cloned/);
  });
});

describe("trainInWorker: flow control", () => {
  it("does not run ahead of a slow consumer: a pause takes effect within a few batches", async () => {
    const control = createControl();
    let steps = 0, stepsAtPause = 0, last = performance.now();
    const sub = trainInWorker({ steps: 1_000_000, depth: 1, width: 4, batchSize: 4, evalEvery: 0 }, { control }).subscribe((row) => {
      last = performance.now();
      if (row.type !== "step") return;
      steps++;
      const until = performance.now() + 1; // a consumer 50× slower than training: 1 ms per step
      while (performance.now() < until);
      if (steps === 200) { control.pause(); stepsAtPause = steps; }
    });
    while (stepsAtPause === 0 || performance.now() - last < 500) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    // in flight at the pause: at most MAX_IN_FLIGHT (4) posted batches + the one being filled, 256 rows each,
    // 3 rows a step (step row + 2 layer rows): ≤ 5·256/3 ≈ 427 steps. Without flow control the worker
    // would be thousands of steps ahead of a consumer this slow.
    expect(steps - stepsAtPause).toBeLessThan(430);
  }, 60_000);
});

describe("trainInWorker: control and teardown", () => {
  /** Drives a run with a control: steps 3 while paused, changes the learning rate, steps 1, resumes, stops. */
  async function drive(start: (control: TrainingControl) => Observable<Row>) {
    const control = createControl({ paused: true });
    const seen: Row[] = [];
    const done = rowsOf(start(control).pipe(tap((r) => seen.push(r))));
    const steps = () => seen.filter(isRow("step"));
    await until(() => seen.length > 0); // the eval row at step 0: the run is up
    await sleep(100);
    const whilePaused = steps().length;
    control.step(3);
    await until(() => steps().length >= 3);
    await sleep(100);
    const afterStep3 = steps().map((r) => r.step);
    control.setLearningRate(0.001);
    control.step();
    await until(() => steps().length >= 4);
    control.resume();
    await until(() => steps().length > 20);
    control.stop();
    const rows = await done;
    return { whilePaused, afterStep3, first4: untimed(steps().slice(0, 4)), last: rows.at(-1), steps: steps().length };
  }

  it("pauses, steps exactly n, changes the learning rate, resumes and stops as in-thread", async () => {
    const config = { steps: 100_000, evalEvery: 1000, depth: 2, width: 8 };
    const w = await drive((control) => trainInWorker(config, { control }));
    const t = await drive((control) => train(config, { control }));
    expect(w.whilePaused).toBe(0);
    expect(w.afterStep3).toEqual([1, 2, 3]);
    expect(w.first4[3]).toMatchObject({ step: 4, lr: 0.001 });
    expect(w.first4).toEqual(t.first4);
    expect(w.last).toMatchObject({ type: "status", status: "stopped" });
    expect(w.last).toMatchObject({ type: t.last!.type, status: "stopped" });
    expect(w.steps).toBeGreaterThan(20);
  });

  it("follows its control from subscription – before the worker's first row – until its last row or teardown", async () => {
    for (const start of [(c: TrainingControl) => trainInWorker({ steps: 30, depth: 2, width: 8 }, { control: c }), (c: TrainingControl) => train({ steps: 30, depth: 2, width: 8 }, { control: c })]) {
      const control = createControl();
      const atRows: number[] = [];
      const done = rowsOf(start(control).pipe(tap(() => atRows.push(control.followers))));
      expect(control.followers).toBe(1); // counted at once, though no row has come
      const rows = await done;
      expect(rows.at(-1)).toMatchObject({ type: "status", status: "completed" });
      expect(atRows.at(-2)).toBe(1); // still following at its last step's rows
      expect(atRows.at(-1)).toBe(0); // not at its status row
      expect(control.followers).toBe(0);
    }
    const control = createControl({ paused: true });
    const sub = trainInWorker({ steps: 30, depth: 2, width: 8 }, { control }).subscribe();
    expect(control.followers).toBe(1);
    sub.unsubscribe(); // torn down before it said anything
    expect(control.followers).toBe(0);
  });

  it("terminates the worker when unsubscribed: no open handle left", async () => {
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    await sleep(100); // workers of earlier tests finish exiting
    const before = ports();
    let steps = 0;
    const sub = trainInWorker({ steps: Infinity, depth: 2, width: 8 }).subscribe((r) => { if (r.type === "step") steps++; });
    await until(() => steps > 10);
    expect(ports()).toBe(before + 1); // the worker's
    sub.unsubscribe();
    const at = steps;
    await until(() => ports() === before, 5000);
    expect(steps).toBe(at); // no row after unsubscribing
  });

  it("lets the process exit once the consumer has what it wants", async () => {
    // a separate Node process (source TypeScript through tsx, as `pnpm gradscope` runs): take(3) unsubscribes
    const script = `
      import { filter, take } from "rxjs";
      import { trainInWorker } from "@gradscope/stream/node";
      trainInWorker({ steps: Infinity, depth: 2, width: 8 })
        .pipe(filter((r) => r.type === "step"), take(3))
        .subscribe({ next: (r) => console.log(r.step), complete: () => console.log("done") });`;
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const child = spawn(process.execPath, ["--conditions=@gradscope/source", "--import", tsx, "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)), // the package: "@gradscope/stream" resolves to itself
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill(), 30_000); // a leaked handle would keep it alive
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(timer);
    expect(out.trim().split("\n")).toEqual(["1", "2", "3", "done"]);
    expect(code).toBe(0);
  });
});

describe("trainInWorker: two threads", () => {
  it("runs threads: 2 inside the worker (a helper thread of its own) with the same rows as one thread", async () => {
    const config: RunConfig = { steps: 150, width: 64, batchSize: 64, depth: 3, n: 600, seed: 3 };
    const two = await rowsOf(trainInWorker({ ...config, threads: 2 }));
    const one = await rowsOf(trainInWorker(config));
    expect(two.find(isRow("status"))!.backend).toMatch(/^wasm-(relaxed|simd128)-2threads$/);
    // the worker's own backend, with its helper thread; whether the helper won any product's race depends
    // on the machine's load (a busy one may give it no core): only the count's form is checked
    const shared = two.find(isRow("status"))!.parallelProducts;
    expect(Number.isInteger(shared) && shared! >= 0).toBe(true);
    const numbers = (rows: Row[]) => untimed(rows).filter((r) => r.type !== "status");
    expect(numbers(two)).toEqual(numbers(one));
  }, 60_000);
});

describe("trainInWorker: speed and step-to-probe reach the worker", () => {
  it("a paused worker run steps to the next probe, and a speed set before it starts is kept", async () => {
    const control = createControl({ paused: true });
    control.setSpeed(5);
    const seen: Row[] = [];
    const arrivals: number[] = []; // when each step row arrived
    const sub = trainInWorker({ depth: 2, width: 8, steps: 100, evalEvery: 0, probes: { every: 10 } }, { control }).subscribe((r) => {
      seen.push(r);
      if (r.type === "step") arrivals.push(performance.now());
    });
    control.stepToProbe();
    await until(() => seen.some((r) => r.type === "layer" && r.step === 1));
    control.stepToProbe();
    await until(() => seen.some((r) => r.type === "layer" && r.step === 10));
    expect(seen.filter(isRow("step")).map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // resumed at 5 steps/s: step 12 is taken at least 200 ms after step 11, which is taken after the resume,
    // so it arrives ≥ 200 ms after the resume however late rows are delivered (a lower bound: slower is fine)
    const resumedAt = performance.now();
    control.resume();
    await until(() => arrivals.length >= 12);
    sub.unsubscribe();
    expect(arrivals[11]! - resumedAt).toBeGreaterThanOrEqual(195);
  });
});
