/**
 * Sweep throughput: a local sweep of 32 short runs with `--jobs 2` against the same 32 runs one after
 * another (`--jobs 1`), each through the real `gradscope sweep` command in its own process. Issue 15's
 * goal: the pool takes ≤ 0.6× the sequential time on 2 cores. Prints both wall times and the ratio.
 *   pnpm --filter @gradscope/bench bench:sweep [--runs 32] [--steps 200]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
};
const runs = arg("runs", 32), steps = arg("steps", 200);
const bin = fileURLToPath(new URL("../../packages/cli/src/bin.ts", import.meta.url));
const flags = ["--import", "tsx", "--conditions=@gradscope/source", ...(Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [])];
const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-bench-"));
const file = join(dir, "bench.yaml");
writeFileSync(file, `name: bench
base: {dataset: moons, width: 16, depth: 2, probes: {every: 10}, evalEvery: 50}
grid: {activation: [relu, tanh, elu, gelu]}
seeds: ${runs / 4}
steps: ${steps}
`);
if (runs % 4 !== 0) throw new RangeError("--runs must be a multiple of 4 (4 activations × seeds)");

function time(jobs: number): number {
  const out = join(dir, `jobs${jobs}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...flags, bin, "sweep", file, "--out", out, "--jobs", String(jobs)], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`gradscope sweep --jobs ${jobs} failed (${r.status}): ${r.stderr}`);
  return ms;
}

// sequential first, then the pool, then both again: the machine's load moves, so take each one's best
const seq = [time(1)], pool = [time(2)];
rmSync(join(dir, "jobs1"), { recursive: true }); rmSync(join(dir, "jobs2"), { recursive: true });
pool.push(time(2)); seq.push(time(1));
const s = Math.min(...seq), p = Math.min(...pool);
console.log(`sweep of ${runs} runs × ${steps} steps on ${availableParallelism()} cores (${new Date().toISOString()})`);
console.log(`  one after another (--jobs 1): ${(s / 1000).toFixed(1)} s  [${seq.map((m) => (m / 1000).toFixed(1)).join(", ")}]`);
console.log(`  local pool (--jobs 2):        ${(p / 1000).toFixed(1)} s  [${pool.map((m) => (m / 1000).toFixed(1)).join(", ")}]`);
console.log(`  ratio: ${(p / s).toFixed(2)}× (goal ≤ 0.6×)`);
rmSync(dir, { recursive: true, force: true });
