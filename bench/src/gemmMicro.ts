// The wasm matrix product alone: GFLOP/s of the three forms (x·W, dz·Wᵀ, xᵀ·dz) per WebAssembly build,
// for iterating on asm/gemm.ts. Rebuild the kernels first (node packages/core/asm/build.mjs), then
//   node --experimental-wasm-relaxed-simd --import tsx --conditions=@gradscope/source bench/src/gemmMicro.ts [--rounds 15] [--shapes 128x128x128,512x512x512]
// Shapes are m×k×n. Rounds are interleaved (round r times every build once, and the ceiling: register-only
// multiply-adds of the same flops, see ceiling.ts); the table shows medians and the first build's share of
// the ceiling. Compare builds within one run: rates and shares both move with a shared machine's load.
import { createRng, createWasmBackend, wasmSupport, type WasmBackend } from "@gradscope/core";
import { ceilingKernels, FLOPS_PER_ROUND } from "./ceiling.js";
import { stats } from "./measure.js";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(value("--rounds") ?? 15);
const shapes = (value("--shapes") ?? "128x128x128,128x64x64,512x512x512").split(",").map((s) => s.split("x").map(Number) as [number, number, number]);
const forms = ["matmul", "matmulBT", "matmulAT"] as const;

interface Case {
  backend: WasmBackend;
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
}

function setUp(backend: WasmBackend, m: number, k: number, n: number): Case {
  const rng = createRng(1);
  const filled = (length: number) => {
    const x = backend.allocate("float32", length) as Float32Array;
    for (let i = 0; i < length; i++) x[i] = rng.uniform(-1, 1);
    return x;
  };
  return { backend, a: filled(m * k), b: filled(k * n), c: filled(m * n) };
}

const backends = wasmSupport().variants.map((variant) => createWasmBackend({ variant }));
const names = [...backends.map((b) => b.name), "ceiling", `${backends[0]!.name} %`];
const ceiling = ceilingKernels();
console.log(`${"shape form".padEnd(24)}${names.map((n) => n.padStart(20)).join("")}   (GFLOP/s, median of ${rounds})`);
for (const [m, k, n] of shapes) {
  const cases = backends.map((b) => setUp(b, m, k, n));
  const flops = 2 * m * k * n;
  const reps = Math.max(1, Math.round(2e7 / flops)); // ~1 ms per sample at 20 GFLOP/s
  for (const form of forms) {
    const runs = [
      ...cases.map(({ backend, a, b, c }) => () => backend[form](a, b, c, m, k, n, false)),
      () => ceiling.fmaChains(Math.ceil(flops / FLOPS_PER_ROUND), 2, 0.999, 0.001),
    ];
    const samples = runs.map(() => [] as number[]);
    const time = (run: () => void, times: number) => {
      const t0 = performance.now();
      for (let r = 0; r < times; r++) run();
      return (performance.now() - t0) / times;
    };
    for (const run of runs) time(run, Math.max(3 * reps, Math.ceil(3e9 / flops))); // warm-up: tier-up and caches
    for (let r = 0; r < rounds; r++) runs.forEach((run, i) => samples[i]!.push(time(run, reps)));
    const rates = samples.map((s) => flops / stats(s).medianMs / 1e6);
    const cells = [...rates.map((r) => r.toFixed(1)), `${Math.round((100 * rates[0]!) / rates.at(-1)!)} %`];
    console.log(`${`${m}×${k}×${n} ${form}`.padEnd(24)}${cells.map((r) => r.padStart(20)).join("")}`);
  }
}
