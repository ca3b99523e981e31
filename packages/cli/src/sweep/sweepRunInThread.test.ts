import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { train, trainWorkerPool, type Row, type WorkerLike } from "@gradscope/stream";
import { expandSweep } from "./expandSweep.js";
import { openRecording } from "./recordings.js";
import { parseSweepFile } from "./sweepFile.js";
import { sweepRunInThread, sweepThread } from "./sweepRunInThread.js";
import type { SweepRunSummary } from "./sweepRunSummary.js";
import { trainSweepRun, type SweepRunRules } from "./trainSweepRun.js";

const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = expandSweep(parseSweepFile("name: t\nbase: {dataset: moons, width: 16, depth: 2, probes: {every: 5}}\nsteps: 300", "yaml"))[0]!;
const rules: SweepRunRules = { stop: { targetLoss: 0.3 }, keep: ["step", "layer", "eval", "alert"] };
const untimed = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l) as Row)
  .map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r.type === "header" ? { ...r, createdAt: "" } : r));
const timeless = <T extends { msPerStep: number; trainMs: number; startedAt: string }>(s: T) => ({ ...s, msPerStep: 0, trainMs: 0, startedAt: "" });

describe("sweepRunInThread", () => {
  it("records in the thread what trainSweepRun records on the main thread: to a file, or gzipped back; the same summary", async () => {
    const lines: string[] = [];
    const reference = await trainSweepRun(run, rules, { write: (l) => lines.push(l), source: (config, control) => train(config, { control }) });
    expect(reference.status).toBe("stopped"); // the stop rule fired: the thread must stop at the same step

    const pool = trainWorkerPool(sweepThread);
    try {
      const rec = openRecording(dir, run.id);
      const steps: number[] = [];
      const toFile = await sweepRunInThread(run, rules, { path: rec.path, target: rec.target, worker: pool.worker, onStep: (s) => steps.push(s) });
      await rec.commitAsync();
      expect(untimed(readFileSync(join(dir, `${run.id}.ndjson`), "utf8"))).toEqual(untimed(lines.join("")));
      expect(timeless(toFile.summary)).toEqual(timeless(reference));
      expect(toFile.gzip).toBeUndefined();
      expect(steps.length, "progress from the first step on").toBeGreaterThan(0);
      expect(steps.every((s, i) => s > 0 && s <= reference.steps && (i === 0 || s > steps[i - 1]!))).toBe(true);

      const back = await sweepRunInThread(run, rules, { worker: pool.worker });
      expect(untimed(gunzipSync(back.gzip!).toString("utf8"))).toEqual(untimed(lines.join("")));
      expect(timeless(back.summary)).toEqual(timeless(reference));
      expect(pool.started, "one thread, reused").toBe(1);
    } finally {
      pool.close();
    }
  });

  it("a failed write names the recording (ENOSPC on /dev/full) and is the run's error", async () => {
    if (!existsSync("/dev/full")) throw new Error("this test needs /dev/full (Linux)");
    await expect(sweepRunInThread(run, rules, { path: "/dev/full", target: "out/t.ndjson" })).rejects.toThrow(/^out\/t\.ndjson: ENOSPC/);
  });

  it("a bad config fails the run with the config's error", async () => {
    const bad = { ...run, config: { ...run.config, width: -1 } };
    await expect(sweepRunInThread(bad, rules, {})).rejects.toThrow(/width/);
  });

  it("a 'stopped' it did not ask for – the answer to an abort as the thread's previous run ended – does not end a run", async () => {
    let handlers: Parameters<WorkerLike["listen"]>[0] | undefined;
    const posted: unknown[] = [];
    const thread: WorkerLike = { postMessage: (m) => posted.push(m), listen: (h) => void (handlers = h), terminate() {}, release() {} };
    const summary = { id: run.id, status: "completed" } as SweepRunSummary;
    const running = sweepRunInThread(run, rules, { worker: () => thread });
    expect(posted).toEqual([{ type: "run", run, rules }]);
    handlers!.message({ type: "stopped" });
    handlers!.message({ type: "done", summary });
    await expect(running).resolves.toEqual({ summary });
  });

  it("aborting stops the thread's writes before the promise rejects", async () => {
    const long = expandSweep(parseSweepFile("name: l\nbase: {dataset: spiral, width: 16, depth: 4}\nsteps: 1000000", "yaml"))[0]!;
    const rec = openRecording(dir, long.id);
    const abort = new AbortController();
    const started = sweepRunInThread(long, { stop: {}, keep: ["step"] }, {
      path: rec.path, target: rec.target, signal: abort.signal,
      // abort once the thread has written (its first ~64 kB): then the file's size is what it wrote before stopping
      onStep: () => void (statSync(rec.path).size > 0 && abort.abort()),
    });
    await expect(started).rejects.toMatchObject({ name: "AbortError" });
    const size = statSync(rec.path).size;
    expect(size).toBeGreaterThan(0);
    // the thread said it stopped: whatever it wrote is all it writes (a second look after another run's round trip)
    await sweepRunInThread(run, rules, {});
    expect(statSync(rec.path).size).toBe(size);
    rec.discard();
    expect(existsSync(rec.path)).toBe(false);
  });
});
