import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnGradscope, type GradscopeProcess } from "../../internal/testing/gradscopeProcess.js";
import { startRedis, type TestRedis } from "../../internal/testing/redis.js";
import { testCertificates } from "../../internal/testing/testCertificates.js";
import { expandSweep } from "../expandSweep.js";
import { runLocalSweep } from "../runLocalSweep.js";
import { loadSweepFile } from "../sweepFile.js";

// Real `gradscope` processes: Node reads NODE_EXTRA_CA_CERTS (how a user trusts a private CA) when a
// process starts, so neither the worker nor the submitter can run inside this test's process.
const PASSWORD = "tls-pw-9b1d44e0-never-printed";

type Proc = GradscopeProcess;
/** A gradscope process that trusts no CA of the test's environment unless `env` says so. */
const gradscope = (args: string[], env: Record<string, string> = {}): Proc => spawnGradscope(args, { env: { NODE_EXTRA_CA_CERTS: "", ...env } });

let redis: TestRedis | undefined;
let ca: string;
const started: Proc[] = [];
beforeAll(async () => {
  const tls = testCertificates(mkdtempSync(join(tmpdir(), "gradscope-tls-")));
  ca = tls.ca;
  redis = await startRedis({ password: PASSWORD, tls });
}, 60_000);
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  await Promise.all(started.map((p) => p.exited));
  await redis?.stop();
});

describe("a sweep over rediss:// (TLS) with a private CA", () => {
  it("without the CA: one line naming the certificate problem and how to trust a CA; no password", async () => {
    const p = gradscope(["sweep", "status", "anything", "--queue", redis!.url]);
    started.push(p);
    expect(await p.exited).toBe(2);
    const lines = p.text().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot reach the queue at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: .*certificate.*NODE_EXTRA_CA_CERTS/);
    expect(p.text()).not.toContain(PASSWORD);
  }, 120_000);

  it("with NODE_EXTRA_CA_CERTS: a worker trains a submitted sweep, recordings equal the local pool's, the password appears nowhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-tls-sweep-"));
    const file = join(dir, "tls4.yaml");
    writeFileSync(file, "name: tls4\nbase: {dataset: moons, width: 8, depth: 2, probes: {every: 10}, evalEvery: 20}\ngrid: {activation: [relu, tanh]}\nseeds: [1, 2]\nsteps: 60\n");
    const env = { NODE_EXTRA_CA_CERTS: ca };
    const worker = gradscope(["worker", "--queue", redis!.url, "--concurrency", "1", "--exit-when-idle", "60"], env);
    started.push(worker);
    await worker.line(/^worker \d+ on rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: 1 at once/);

    const outDir = join(dir, "queued");
    const submit = gradscope(["sweep", file, "--queue", redis!.url, "--out", outDir], env);
    started.push(submit);
    expect(await submit.exited, submit.text()).toBe(0);
    expect(submit.text()).toContain("tls4 on rediss://:***@127.0.0.1:");
    expect(submit.text()).toContain("4 jobs added, 0 runs skipped (recorded before), 4 recordings written, 0 failed, 0 still queued or running");

    const runs = expandSweep(loadSweepFile(file));
    const spec = loadSweepFile(file);
    const localDir = join(dir, "local");
    expect((await runLocalSweep(runs, { outDir: localDir, concurrency: 1, stop: spec.stop, keep: spec.keep })).failed).toEqual([]);
    const untimed = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n").map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r.type === "header" ? { ...r, createdAt: "" } : r;
    });
    expect(readdirSync(outDir).filter((f) => f.endsWith(".ndjson")).sort()).toEqual(runs.map((r) => `${r.id}.ndjson`).sort());
    for (const run of runs) {
      const rows = untimed(join(outDir, `${run.id}.ndjson`));
      expect(rows.at(-1), run.id).toMatchObject({ type: "status", status: "completed", step: 60 });
      expect(rows, run.id).toEqual(untimed(join(localDir, `${run.id}.ndjson`)));
    }
    for (const run of runs) await worker.line(new RegExp(`^done ${run.id.replace(/\./g, "\\.")} `));

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    const recordings = readdirSync(outDir).map((f) => readFileSync(join(outDir, f), "utf8")).join("\n");
    for (const text of [worker.text(), submit.text(), recordings]) expect(text).not.toContain(PASSWORD);
  }, 300_000);
});
