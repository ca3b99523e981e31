/**
 * Sweep throughput (issue 15's goal: on 2 cores a local sweep of 32 short runs takes ≤ 0.6× the time of
 * the same runs one after another). Both legs record every run the same way (temporary file, renamed
 * when the run ends) and train in worker threads of a pool; they differ only in concurrency:
 *   one after another  – `--jobs 1`: one process, one run at a time;
 *   local pool         – the default concurrency (the machine's cores).
 * Measured three ways, each leg alternated with the other (pool first, then one-after-another first, …)
 * so that a change in the machine's load hits both; the load average is printed with every figure:
 *   warm pool   – `runLocalSweep` in this process on one pool whose workers were started (and their JIT
 *                 warmed) before timing: the throughput of a long sweep, where start-up is amortised;
 *   in-process  – `runLocalSweep` in this process, a fresh pool per leg (each leg pays for starting its
 *                 worker threads: the pool starts its 2 at once, one-after-another 1);
 *   unpooled    – (with --unpooled; slow) as in-process, but a new worker thread for every run (how sweeps ran before workers
 *                 were pooled): the difference is the per-run start-up cost;
 *   command     – the real `gradscope sweep` command, a process per leg (adds starting Node + tsx and
 *                 loading the CLI, the same in both legs).
 *   pnpm --filter @gradscope/bench bench:sweep [--runs 32] [--steps 200] [--reps 3] [--unpooled]
 *   pnpm --filter @gradscope/bench bench:sweep:built   (after `pnpm build`: workspace packages from dist/,
 *                 so worker threads load plain JavaScript, as an installed gradscope does, not TS via tsx)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { trainWorkerPool, type TrainWorkerPool } from "@gradscope/stream";
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
const runs = arg("runs", 32), steps = arg("steps", 200), reps = arg("reps", 3);
if (runs % 4 !== 0) throw new RangeError("--runs must be a multiple of 4 (4 activations × seeds)");
const cores = availableParallelism();
const bin = fileURLToPath(new URL("../../packages/cli/src/bin.ts", import.meta.url));
const built = process.argv.includes("--built");
const streamAt = import.meta.resolve("@gradscope/stream/node");
if (built === streamAt.endsWith(".ts")) throw new Error(`--built ${built ? "needs node without" : "is missing, or node ran without"} --conditions=@gradscope/source (@gradscope/stream/node is ${streamAt})`);
const flags = ["--import", "tsx", ...(built ? [] : ["--conditions=@gradscope/source"]), ...(Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [])];
const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-bench-"));
const file = join(dir, "bench.yaml");
const yaml = `name: bench
base: {dataset: moons, width: 16, depth: 2, probes: {every: 10}, evalEvery: 50}
grid: {activation: [relu, tanh, elu, gelu]}
seeds: ${runs / 4}
steps: ${steps}
`;
writeFileSync(file, yaml);
const spec = parseSweepFile(yaml, "yaml");
const sweepRuns = expandSweep(spec);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
let outs = 0;
const fresh = () => join(dir, `out${outs++}`);

/** Seconds of one leg through the command; jobs undefined = its default concurrency. */
function command(jobs: number | undefined): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...flags, bin, "sweep", file, "--out", fresh(), ...(jobs ? ["--jobs", String(jobs)] : [])], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gradscope sweep ${jobs ? `--jobs ${jobs}` : ""} failed (${r.status}): ${r.stderr}`);
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
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
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

console.log(`sweep of ${runs} runs × ${steps} steps on ${cores} cores, pool concurrency ${cores} (default), ${new Date().toISOString()}, load average ${load()}`);
report(`machine check (${cores} jobs of plain arithmetic, no gradscope: one thread vs ${cores} at once; our floor):`, await machineCheck(), `ideal ${(1 / cores).toFixed(2)}×`);
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
