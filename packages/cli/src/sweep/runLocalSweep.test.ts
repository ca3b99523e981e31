import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandSweep } from "./expandSweep.js";
import { runLocalSweep } from "./runLocalSweep.js";
import { parseSweepFile } from "./sweepFile.js";

const spec = parseSweepFile(`name: resume
base: {dataset: moons, width: 8, probes: {every: 10}, evalEvery: 20}
grid: {activation: [relu, tanh], depth: [1, 2]}
seeds: [1, 2, 3]
steps: 80
`, "yaml");
const runs = expandSweep(spec);
const lines = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; step: number });

describe("runLocalSweep", () => {
  it("an interrupted sweep, run again, runs only its unfinished runs and appends nothing twice", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "gradscope-resume-"));
    const abort = new AbortController();
    let done = 0;
    const first = await runLocalSweep(runs, {
      outDir, concurrency: 2, stop: spec.stop, keep: spec.keep, signal: abort.signal,
      onEvent: (e) => { if (e.kind === "done" && ++done === 5) abort.abort(); },
    });
    expect(first.interrupted).toBe(true);
    expect(first.ran.length).toBeGreaterThanOrEqual(5);
    expect(first.ran.length).toBeLessThan(12);
    // the runs cut short left nothing: no recording, no temporary file
    const afterFirst = readdirSync(outDir).sort();
    expect(afterFirst).toEqual(first.ran.map((id) => `${id}.ndjson`).sort());
    const before = new Map(first.ran.map((id) => [id, statSync(join(outDir, `${id}.ndjson`)).mtimeMs]));

    const started: string[] = [];
    const second = await runLocalSweep(runs, {
      outDir, concurrency: 2, stop: spec.stop, keep: spec.keep, onEvent: (e) => { if (e.kind === "start") started.push(e.id); },
    });
    expect(second.skipped.sort()).toEqual([...first.ran].sort());
    expect(started.sort()).toEqual(runs.map((r) => r.id).filter((id) => !first.ran.includes(id)).sort());
    expect(second.failed).toEqual([]);
    for (const [id, mtime] of before) expect(statSync(join(outDir, `${id}.ndjson`)).mtimeMs, id).toBe(mtime); // untouched
    for (const run of runs) {
      const rows = lines(join(outDir, `${run.id}.ndjson`));
      expect(rows.filter((r) => r.type === "header"), run.id).toHaveLength(1);
      expect(rows.filter((r) => r.type === "status"), run.id).toHaveLength(1);
      expect(rows.filter((r) => r.type === "step").map((r) => r.step)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      expect(rows.at(-1)).toMatchObject({ type: "status", status: "completed", step: 80 });
    }
    // a third time: nothing to do
    const third = await runLocalSweep(runs, { outDir, concurrency: 2, stop: spec.stop, keep: spec.keep });
    expect(third.ran).toEqual([]);
    expect(third.skipped).toHaveLength(12);
  });

  it("a failed run is noted and skipped on resume; --retry-failed runs it again", async () => {
    const failing = expandSweep(parseSweepFile("name: fails\nbase: {dataset: moons, n: 50, width: 4, depth: 1}\ngrid: {batchSize: [8, 500]}\nsteps: 5", "yaml"));
    const outDir = mkdtempSync(join(tmpdir(), "gradscope-failed-"));
    const opts = { outDir, concurrency: 2, stop: {}, keep: spec.keep };
    const first = await runLocalSweep(failing, opts);
    expect(first.ran).toEqual(["fails.batchSize-8.seed-1"]);
    expect(first.failed).toEqual([{ id: "fails.batchSize-500.seed-1", error: expect.stringContaining("batch size 500 is larger than the data set") }]);
    expect(JSON.parse(readFileSync(join(outDir, "fails.batchSize-500.seed-1.failed.json"), "utf8"))).toMatchObject({ id: "fails.batchSize-500.seed-1" });
    const again = await runLocalSweep(failing, opts);
    expect(again.ran).toEqual([]);
    expect(again.skipped.sort()).toEqual(failing.map((r) => r.id).sort());
    const retried = await runLocalSweep(failing, { ...opts, retryFailed: true });
    expect(retried.skipped).toEqual(["fails.batchSize-8.seed-1"]);
    expect(retried.failed.map((f) => f.id)).toEqual(["fails.batchSize-500.seed-1"]);
  });
});
