import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../internal/testing/cli.js";
import { spawnGradscope, type GradscopeProcess } from "../../internal/testing/gradscopeProcess.js";
import { startRedis, type TestRedis } from "../../internal/testing/redis.js";
import { packageVersions } from "../../versions.js";
import { expandSweep } from "../expandSweep.js";
import { runLocalSweep } from "../runLocalSweep.js";
import { loadSweepFile } from "../sweepFile.js";
import { sweepJob } from "./jobPayload.js";
import { parseRedisUrl } from "./redisUrl.js";
import { QUEUE_NAME } from "./queueConnection.js";

// The real `gradscope worker`, one node process each (killed, it must be the worker that dies).
const PASSWORD = "pw-4f9c2e71-never-printed";

type WorkerProcess = GradscopeProcess;
const startWorker = (url: string, ...flags: string[]): WorkerProcess => spawnGradscope(["worker", "--queue", url, "--concurrency", "1", ...flags]);

let redis: TestRedis;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await redis?.stop();
});

const untimed = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").map((l) => {
  const r = JSON.parse(l) as Record<string, unknown>;
  if (r.type === "step") return { ...r, ms: 0, probeMs: 0 };
  if (r.type === "header") return { ...r, createdAt: "" };
  return r;
});
const allText = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");

describe("gradscope sweep --queue with gradscope worker processes", () => {
  it("a 12-run sweep survives a kill -9 of a worker: every run finished once, one recording each, identical to the local pool's; re-submitting adds no job; the password is never printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-queue-"));
    const file = join(dir, "kill12.yaml");
    writeFileSync(file, `name: kill12
base: {dataset: moons, width: 16, probes: {every: 10}, evalEvery: 100}
grid: {activation: [relu, tanh], depth: [1, 2]}
seeds: [1, 2, 3]
steps: 1500
`);
    const url = redis.url;
    expect(url).toContain(PASSWORD);
    const a = startWorker(url, "--exit-when-idle", "60");
    const b = startWorker(url, "--exit-when-idle", "60");
    workers.push(a, b);
    // the printed pid is the spawned process itself: the one we kill is the worker
    expect(Number((await a.line(/^worker (\d+) on /))[1])).toBe(a.child.pid);
    await b.line(/^worker (\d+) on /);

    const outDir = join(dir, "queued");
    const submitting = cli("sweep", file, "--queue", url, "--out", outDir);
    // kill A while it trains: after it took a job and the job reported progress
    const killedId = (await a.line(/^start (\S+) /))[1]!;
    const conn = new Redis(parseRedisUrl(url).options);
    const queue = new Queue(QUEUE_NAME, { connection: conn });
    for (;;) {
      const job = await Job.fromId(queue, killedId);
      if (typeof (job?.progress as { step?: number })?.step === "number") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.text()).not.toContain(`done ${killedId}`);
    a.child.kill("SIGKILL");
    await a.exited;
    expect(a.child.signalCode).toBe("SIGKILL");

    const submitted = await submitting;
    expect(submitted.err).not.toMatch(/^failed /m);
    expect(submitted.code).toBe(0);
    expect(submitted.out).toContain("kill12 on redis://:***@127.0.0.1:");
    expect(submitted.out).toContain("12 jobs added, 0 runs skipped (recorded before), 12 recordings written, 0 failed, 0 still queued or running");

    // B took over the killed run, and every run finished exactly once across both workers
    const runs = expandSweep(loadSweepFile(file));
    await b.line(new RegExp(`^done ${killedId.replace(/\./g, "\\.")} `));
    const doneLines = [...a.text().split("\n"), ...b.text().split("\n")].filter((l) => l.startsWith("done ")).map((l) => l.split(" ")[1]);
    expect(doneLines.sort()).toEqual(runs.map((r) => r.id).sort());
    for (const run of runs) expect((await Job.fromId(queue, run.id))!.finishedOn, run.id).toBeGreaterThan(0);

    // one recording per run, identical (timings aside) to the same run done by the local pool
    const localDir = join(dir, "local");
    const spec = loadSweepFile(file);
    const local = await runLocalSweep(runs, { outDir: localDir, concurrency: 2, stop: spec.stop, keep: spec.keep });
    expect(local.failed).toEqual([]);
    expect(readdirSync(outDir).filter((f) => f.endsWith(".ndjson")).sort()).toEqual(runs.map((r) => `${r.id}.ndjson`).sort());
    for (const run of runs) {
      const rows = untimed(join(outDir, `${run.id}.ndjson`));
      expect(rows.filter((r) => r.type === "header"), run.id).toHaveLength(1);
      expect(rows.at(-1), run.id).toMatchObject({ type: "status", status: "completed", step: 1500 });
      expect(rows, run.id).toEqual(untimed(join(localDir, `${run.id}.ndjson`)));
    }

    // re-submitting adds no job: into the same DIR (nothing to do) and into a fresh one (from the kept jobs)
    const counts = await queue.getJobCounts();
    const again = await cli("sweep", file, "--queue", url, "--out", outDir);
    expect(again.out).toContain("0 jobs added, 12 runs skipped (recorded before), 0 recordings written");
    const fresh = await cli("sweep", file, "--queue", url, "--out", join(dir, "fresh"));
    expect(fresh.out).toContain("0 jobs added, 0 runs skipped (recorded before), 12 recordings written");
    expect(await queue.getJobCounts()).toEqual(counts);
    for (const run of runs) expect(untimed(join(dir, "fresh", `${run.id}.ndjson`))).toEqual(untimed(join(outDir, `${run.id}.ndjson`)));

    const status = await cli("sweep", "status", "kill12", "--queue", url);
    expect(status.out).toBe("kill12: 12 jobs · 12 done · 0 running · 0 failed · 0 queued\n");

    // the password: in no output, no recording, no progress line
    for (const text of [a.text(), b.text(), submitted.out, submitted.err, again.out, again.err, fresh.out, status.out, allText(outDir)]) {
      expect(text).not.toContain(PASSWORD);
    }
    await queue.close();
    conn.disconnect();
    b.child.kill("SIGTERM"); // the next test's worker must get the next jobs
    await b.exited;
    expect(b.text()).toMatch(/stopping \(running runs finish first\)\n$/);
  }, 420_000);

  it("refuses a job whose run id leaves --out, one with an unknown config key and one of another version, reports them and goes on", async () => {
    const url = redis.url;
    const w = startWorker(url, "--exit-when-idle", "60");
    workers.push(w);
    await w.line(/^worker \d+ on /);
    const conn = new Redis(parseRedisUrl(url).options);
    const queue = new Queue(QUEUE_NAME, { connection: conn });
    const [run] = expandSweep({ name: "refuse", base: { dataset: "moons", width: 8, depth: 1 }, grid: {}, seeds: [1], steps: 30, stop: {}, keep: ["step"] });
    const version = packageVersions()["@gradscope/cli"]!;
    const good = sweepJob(run!, "refuse", { stop: {}, keep: ["step"] }, version);
    const opts = { attempts: 3, removeOnComplete: false, removeOnFail: false };
    await queue.add("run", { ...good, id: "../x", config: { ...good.config, run: "../x" } }, { ...opts, jobId: "refuse.escape" });
    await queue.add("run", { ...good, config: { ...good.config, onStep: "process.exit(1)" } }, { ...opts, jobId: "refuse.unknown-key" });
    await queue.add("run", { ...good, version: "0.0.0-other" }, { ...opts, jobId: "refuse.version" });
    await queue.add("run", good, { ...opts, jobId: good.id });

    await w.line(new RegExp(`^done ${good.id.replace(/\./g, "\\.")} `)); // it went on
    expect(w.text()).toContain('refused job "refuse.escape": run id "../x" is not a safe name');
    expect(w.text()).toContain('refused job "refuse.unknown-key": job config: unknown run-config key "onStep"');
    expect(w.text()).toContain('refused job "refuse.version": submitted by gradscope "0.0.0-other", this worker runs');
    for (const id of ["refuse.escape", "refuse.unknown-key", "refuse.version"]) {
      const job = (await Job.fromId(queue, id))!;
      expect(await job.getState(), id).toBe("failed");
      expect(job.attemptsMade, id).toBe(1); // refused, not retried
      expect(job.failedReason, id).toMatch(/^refused: /);
    }
    // the worker logs "done" just before BullMQ moves the job to completed: wait for that move
    let state = await queue.getJobState(good.id);
    while (state === "active") {
      await new Promise((r) => setTimeout(r, 50));
      state = await queue.getJobState(good.id);
    }
    expect(state).toBe("completed");
    const done = (await Job.fromId(queue, good.id))!;
    expect((done.returnvalue as { summary: { steps: number } }).summary.steps).toBe(30);
    expect(w.text()).not.toContain(PASSWORD);

    // status names the failures; cancel and retry act on the sweep's jobs only
    const status = await cli("sweep", "status", "refuse", "--queue", url);
    expect(status.out).toContain("refuse: 4 jobs · 1 done · 0 running · 3 failed · 0 queued");
    expect(status.out).toContain("  failed refuse.escape: refused: run id");
    expect(status.out).not.toContain(PASSWORD);
    const retried = await cli("sweep", "retry", "refuse", "--queue", url);
    expect(retried.out).toBe("refuse: 3 failed jobs back in the queue\n");
    await w.line(/^refused job "refuse\.escape"/, 2); // taken again, refused again
    await w.line(/^refused job "refuse\.version"/, 2);
    w.child.kill("SIGTERM");
    await w.exited;
    await queue.close();
    conn.disconnect();
  }, 240_000);

  it("a wrong password or an unreachable queue is one line, without the password", async () => {
    const wrong = redis.url.replace(PASSWORD, "wrong-secret-77");
    const r = await cli("sweep", "status", "x", "--queue", wrong);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gradscope sweep: cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: .+\n$/);
    expect(r.err).not.toContain("wrong-secret-77");
    const w = await cli("worker", "--queue", wrong);
    expect(w.code).toBe(2);
    expect(w.err).not.toContain("wrong-secret-77");
  }, 60_000);
});
