/**
 * Sweep throughput (issue 15's goal: on 2 cores a local sweep of 32 short runs takes ≤ 0.6× the time of
 * the same runs one after another). The runs are the issue's own example sweep (spiral, width 16, 300 steps,
 * activation relu/elu/tanh/gelu × depth 2/4, seeds 1–4: 32 runs, ~50 ms of training each). Both legs record
 * every run the same way (in a sweep thread, to a temporary file renamed when the run ends); they differ
 * only in concurrency:
 *   one after another  – `--jobs 1`: one sweep thread, one run at a time;
 *   local pool         – the default concurrency (the machine's cores).
 * Measured four ways, each leg alternated with the other (pool first, then one-after-another first, …)
 * so that a change in the machine's load hits both; the load average is printed with every figure:
 *   warm pool   – `runLocalSweep` in this process on one pool whose threads were started (and their JIT
 *                 warmed) before timing: the throughput of a long sweep, where start-up is amortised;
 *   in-process  – `runLocalSweep` in this process, a fresh pool per leg (each leg pays for starting its
 *                 threads and for their JIT warming up: the pool's 2 at once, one-after-another 1);
 *   unpooled    – (with --unpooled; slow) as in-process, but a new thread for every run (how sweeps ran
 *                 before threads were pooled): the difference is the per-run start-up cost;
 *   command     – the real `gradscope sweep` command, a process per leg.
 * And two floors, what the machine itself allows:
 *   arithmetic  – 2 jobs of plain arithmetic, no gradscope: one thread after the other vs both at once;
 *   processes   – (on 2 cores) the command's one-after-another leg against two such processes at once,
 *                 each on half the seeds: what splitting the sweep by hand gives, nothing shared but the
 *                 machine (its caches, memory bandwidth; each process's JIT compiler threads).
 *   pnpm --filter @gradscope/bench bench:sweep [--seeds 4 (even)] [--steps 300] [--reps 3] [--unpooled]
 *   pnpm --filter @gradscope/bench bench:sweep:built   (after `pnpm build`: packages and the CLI from dist/,
 *                 so threads load plain JavaScript, as an installed gradscope does, not TS via tsx)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { median, trainWorkerPool, type TrainWorkerPool } from "@gradscope/stream";
import { expandSweep } from "../../packages/cli/src/sweep/expandSweep.js";
import { runLocalSweep } from "../../packages/cli/src/sweep/runLocalSweep.js";
import { sweepThread } from "../../packages/cli/src/sweep/sweepRunInThread.js";
import { parseSweepFile } from "../../packages/cli/src/sweep/sweepFile.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
};
const seeds = arg("seeds", 4), steps = arg("steps", 300), reps = arg("reps", 3);
const runs = 8 * seeds; // 4 activations × 2 depths × seeds
const cores = availableParallelism();
const built = process.argv.includes("--built");
const bin = fileURLToPath(new URL(built ? "../../packages/cli/dist/bin.js" : "../../packages/cli/src/bin.ts", import.meta.url));
const streamAt = import.meta.resolve("@gradscope/stream/node");
if (built === streamAt.endsWith(".ts")) throw new Error(`--built ${built ? "needs node without" : "is missing, or node ran without"} --conditions=@gradscope/source (@gradscope/stream/node is ${streamAt})`);
// built: the installed CLI's way (its bin re-executes node with the flag it needs); source: tsx
const flags = built ? [] : ["--import", "tsx", "--conditions=@gradscope/source", ...(Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [])];
const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-bench-"));
const file = join(dir, "bench.yaml");
const yaml = `name: bench
base: {dataset: spiral, width: 16}
grid: {activation: [relu, elu, tanh, gelu], depth: [2, 4]}
seeds: ${seeds}
steps: ${steps}
`;
writeFileSync(file, yaml);
// the same runs in two halves (by seed), for the processes floor
if (seeds % 2 !== 0) throw new RangeError("--seeds must be even (the processes floor splits the seeds in two)");
const halves = [0, 1].map((h) => {
  const half = join(dir, `half${h}.yaml`);
  writeFileSync(half, yaml.replace(`seeds: ${seeds}`, `seeds: [${Array.from({ length: seeds / 2 }, (_, i) => h * (seeds / 2) + i + 1).join(", ")}]`));
  return half;
});
const spec = parseSweepFile(yaml, "yaml");
const sweepRuns = expandSweep(spec);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
let outs = 0;
const fresh = () => join(dir, `out${outs++}`);

const sweepArgs = (jobs: number | undefined, sweep = file) => [...flags, bin, "sweep", sweep, "--out", fresh(), ...(jobs ? ["--jobs", String(jobs)] : [])];

/** Seconds of one leg through the command; jobs undefined = its default concurrency. */
function command(jobs: number | undefined): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, sweepArgs(jobs), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gradscope sweep ${jobs ? `--jobs ${jobs}` : ""} failed (${r.status}): ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** Seconds for two processes of `gradscope sweep --jobs 1`, each on half the runs, both at once. */
async function halvesAtOnce(): Promise<number> {
  const t0 = performance.now();
  await Promise.all(halves.map((half) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, sweepArgs(1, half), { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`gradscope sweep --jobs 1 failed (${code}): ${err}`))));
  })));
  return (performance.now() - t0) / 1000;
}

/** Seconds of one leg in this process; without `pool` the sweep starts (and closes) its own. */
async function inProcess(concurrency: number, pool?: TrainWorkerPool): Promise<number> {
  const t0 = performance.now();
  const result = await runLocalSweep(sweepRuns, { outDir: fresh(), concurrency, stop: spec.stop, keep: spec.keep, ...(pool ? { pool } : {}) });
  if (result.ran.length !== runs) throw new Error(`the sweep ran ${result.ran.length} of ${runs} runs: ${JSON.stringify(result.failed)}`);
  return (performance.now() - t0) / 1000;
}

interface Pair { seq: number; pool: number; load: string }
async function alternate(leg: (pool: boolean) => Promise<number> | number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < reps; i++) {
    const before = load();
    const order = i % 2 === 0 ? [true, false] : [false, true];
    const t: Record<string, number> = {};
    for (const pool of order) t[String(pool)] = await leg(pool);
    pairs.push({ seq: t.false!, pool: t.true!, load: `${before} → ${load()}` });
  }
  return pairs;
}
function report(title: string, pairs: Pair[], goal = "goal ≤ 0.6×") {
  console.log(`${title}`);
  for (const p of pairs) console.log(`  one after another ${p.seq.toFixed(2)} s · pool ${p.pool.toFixed(2)} s · ratio ${(p.pool / p.seq).toFixed(2)}×  (load average ${p.load})`);
  const ratios = pairs.map((p) => p.pool / p.seq);
  console.log(`  median: one after another ${median(pairs.map((p) => p.seq)).toFixed(2)} s, pool ${median(pairs.map((p) => p.pool)).toFixed(2)} s, ratio ${median(ratios).toFixed(2)}× (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; ${goal})`);
}

/**
 * The machine's own ratio, the floor for ours: `cores` jobs of pure arithmetic (no gradscope code, no
 * I/O), one after another on one thread against one thread each at once, threads started beforehand.
 * On an idle machine ≈ 1/cores; on a machine whose cores other work holds, near 1.
 */
async function machineCheck(): Promise<Pair[]> {
  const code = `const { parentPort } = require("node:worker_threads");
parentPort.on("message", (n) => { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i + x % 7); parentPort.postMessage(x); });`;
  const threads = Array.from({ length: cores }, () => new Worker(code, { eval: true }));
  const job = (w: Worker, n: number) => new Promise<void>((resolve) => { w.once("message", () => resolve()); w.postMessage(n); });
  try {
    await Promise.all(threads.map((w) => job(w, 1e6))); // started and warm
    const n = 3e7; // 3·10⁷ square roots per job
    return await alternate(async (pool) => {
      const t0 = performance.now();
      if (pool) await Promise.all(threads.map((w) => job(w, n)));
      else for (let i = 0; i < cores; i++) await job(threads[0]!, n);
      return (performance.now() - t0) / 1000;
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}

console.log(`sweep of ${runs} runs × ${steps} steps (the issue's example: spiral, width 16, relu/elu/tanh/gelu × depth 2/4, seeds 1–${seeds}) on ${cores} cores, pool concurrency ${cores} (default), ${new Date().toISOString()}, load average ${load()}`);
report(`floor 1, arithmetic (${cores} jobs of plain arithmetic, no gradscope: one thread vs ${cores} at once):`, await machineCheck(), `ideal ${(1 / cores).toFixed(2)}×`);
if (cores === 2) {
  report("floor 2, processes (the one-after-another command vs two of its processes at once, each on half the seeds: nothing shared but the machine):",
    await alternate(async (pool) => (pool ? halvesAtOnce() : command(1))), "what splitting the sweep by hand gives");
}
console.log(`workspace packages from ${built ? "dist/ (built JavaScript)" : "TypeScript source (tsx, also in every worker thread)"}`);
const warm = trainWorkerPool(sweepThread);
try {
  await inProcess(cores, warm); // starts the pool's workers and warms their JIT (and this process's): not measured
  report(`warm pool (runLocalSweep, ${warm.started} workers started before timing):`, await alternate((pool) => inProcess(pool ? cores : 1, warm)));
  if (warm.started !== cores) throw new Error(`the warm pool started ${warm.started} workers, expected ${cores}`);
} finally {
  warm.close();
}
if (process.argv.includes("--unpooled")) {
  // what a worker's start-up costs per run: the same legs with a worker started for every run, as
  // before workers were pooled (a "pool" that never hands a worker back)
  let started = 0;
  const unpooled = (): TrainWorkerPool => ({ worker: () => { started++; const w = sweepThread(); return { ...w, release: undefined }; }, get started() { return started; }, close() {} });
  const fresh = await alternate((pool) => inProcess(pool ? cores : 1, unpooled()));
  report(`in-process with a new worker per run (${started} started; unpooled, as before trainWorkerPool):`, fresh);
}
report("in-process (runLocalSweep, a fresh worker pool per leg):", await alternate((pool) => inProcess(pool ? cores : 1)));
report("command (gradscope sweep, a process per leg):", await alternate((pool) => command(pool ? undefined : 1)));
rmSync(dir, { recursive: true, force: true });
