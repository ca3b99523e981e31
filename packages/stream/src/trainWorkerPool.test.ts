import { lastValueFrom, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { train, trainWorkerPool, type Row, type RunConfig, type WorkerLike } from "@gradscope/stream";
import { nodeTrainWorker, trainInWorker } from "@gradscope/stream/node";

/** Rows without their timings, which differ from run to run. */
const untimed = (rows: Row[]) => rows.map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r));

/** A fake worker: records what the pool does with it, and lets the test play its side. */
function fakeWorker(log: string[], n: number) {
  let handlers: Parameters<WorkerLike["listen"]>[0] | undefined;
  const worker: WorkerLike & { crash(): void } = {
    postMessage: (m) => log.push(`${n} got ${(m as { type: string }).type}`),
    listen: (h) => void (handlers = h),
    terminate: () => log.push(`${n} terminated`),
    crash: () => handlers!.error(new Error("worker died")),
  };
  return worker;
}

/** A pool over fake workers: the log of what it did with them, and the workers in the order it made them. */
function fakePool() {
  const log: string[] = [];
  const made: ReturnType<typeof fakeWorker>[] = [];
  const pool = trainWorkerPool(() => {
    const w = fakeWorker(log, made.length);
    made.push(w);
    return w;
  });
  return { log, made, pool };
}

describe("trainWorkerPool", () => {
  it("hands a released worker to the next run, terminates a failed one, and close() ends the idle ones", () => {
    const { log, made, pool } = fakePool();
    const a = pool.worker();
    a.postMessage({ type: "start" });
    a.release!();
    const b = pool.worker(); // the same worker again
    b.postMessage({ type: "start" });
    b.terminate(); // a failed run: its worker goes
    const c = pool.worker(); // so a new one starts
    const d = pool.worker(); // and one more for a second run at once
    c.release!();
    d.release!();
    expect(pool.started).toBe(3);
    pool.close();
    expect(log).toEqual(["0 got start", "0 got start", "0 terminated", "1 terminated", "2 terminated"]);
    expect(() => pool.worker()).toThrow(/closed/);
  });

  it("never hands out a worker that died while idle, and a run's handlers hear only their own worker", () => {
    const { log, made, pool } = fakePool();
    const errors: string[] = [];
    const a = pool.worker();
    a.listen({ message: () => {}, error: (e) => errors.push(`a: ${e.message}`) });
    a.release!();
    made[0]!.crash(); // idle: nobody's run hears it
    const b = pool.worker();
    b.listen({ message: () => {}, error: (e) => errors.push(`b: ${e.message}`) });
    expect(pool.started).toBe(2);
    made[1]!.crash();
    expect(errors).toEqual(["b: worker died"]);
    b.terminate();
    pool.close();
  });

  it("trains runs one after another on one Node worker, each with train's rows (timings aside)", async () => {
    const pool = trainWorkerPool(nodeTrainWorker);
    try {
      const configs: RunConfig[] = [
        { steps: 60, depth: 2, width: 8, seed: 1, activation: "tanh", evalEvery: 20, probes: { every: 10 } },
        { steps: 40, depth: 3, width: 8, seed: 2, activation: "relu", dataset: "circles" },
        { steps: 60, depth: 2, width: 8, seed: 1, activation: "tanh", evalEvery: 20, probes: { every: 10 } },
      ];
      const got: Row[][] = [];
      for (const config of configs) got.push(await lastValueFrom(trainInWorker(config, { worker: pool.worker }).pipe(toArray())));
      expect(pool.started).toBe(1);
      for (const [i, config] of configs.entries()) {
        expect(untimed(got[i]!)).toEqual(untimed(await lastValueFrom(train(config).pipe(toArray()))));
      }
      // a run stopped part-way (unsubscribed) costs its worker; the next run gets a new one and is whole
      await lastValueFrom(trainInWorker(configs[0], { worker: pool.worker }).pipe(take(5), toArray()));
      const after = await lastValueFrom(trainInWorker(configs[1], { worker: pool.worker }).pipe(toArray()));
      expect(pool.started).toBe(2);
      expect(untimed(after)).toEqual(untimed(got[1]!));
    } finally {
      pool.close();
    }
  });
});
