// The ceiling: what this machine gives WebAssembly at best, timed in the same rounds as the
// workloads. A shared machine can run at half speed for a while: the ceiling beside a workload says
// what the machine gave at that time, and which part of it the workload used (see bench/README.md).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { wasmSupport } from "@gradscope/core";
import { syncRunner, type System } from "./system.js";
import type { Workload } from "./workloads.js";

/** The ceiling kernels (bench/asm/ceiling.ts) on their own memory. */
export interface CeilingKernels {
  readonly variant: "relaxed" | "simd128";
  readonly memory: WebAssembly.Memory;
  fmaChains(iters: number, a0: number, m: number, c: number): number;
  activationBytes(z: number, a: number, da: number, dz: number, n: number): void;
}

/** Flops a round of fmaChains: 10 chains × 4 lanes × 2 (40 multiply-adds). */
export const FLOPS_PER_ROUND = 80;
const PAGE = 65536;

/**
 * Compiles bench/asm/ceiling.ts in a child process. Not in this one: the compiler is itself a large
 * WebAssembly module (binaryen), and V8 would spend the next seconds optimising its functions in the
 * background, on the second core and ahead of the kernels being measured (they would run in V8's
 * baseline tier meanwhile, up to 20× slower: measured).
 */
function compile(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const source = fileURLToPath(new URL("../asm/ceiling.ts", import.meta.url));
  const script = `
    import asc from "assemblyscript/asc";
    import { readFileSync } from "node:fs";
    const [source, relaxed] = process.argv.slice(1);
    let binary;
    const { error, stderr } = await asc.main([
      "ceiling.ts", "--outFile", "ceiling.wasm", "-O3", "--noAssert", "--runtime", "stub", "--importMemory",
      "--enable", "simd", ...(relaxed === "1" ? ["--enable", "relaxed-simd"] : []),
    ], {
      readFile: (name) => (name === "ceiling.ts" ? readFileSync(source, "utf8") : null),
      writeFile: (name, contents) => { if (name.endsWith(".wasm")) binary = contents; },
    });
    if (error || !binary) { process.stderr.write(String(error?.message ?? "no output") + "\\n" + stderr.toString()); process.exit(1); }
    process.stdout.write(Buffer.from(binary).toString("base64"));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, source, relaxed ? "1" : "0"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)), // where assemblyscript resolves
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench/asm/ceiling.ts did not compile: ${r.stderr || r.error?.message}`);
  return new Uint8Array(Buffer.from(r.stdout, "base64"));
}

/** Compiled builds, one compile per variant and process. */
const builds = new Map<"relaxed" | "simd128", WebAssembly.Module>();

/**
 * The ceiling kernels, compiled from source (once per process): the relaxed-SIMD build (fused
 * multiply-add, as the matrix products of wasm-relaxed) where the runtime runs relaxed SIMD, SIMD128
 * otherwise. `bytes` sizes the memory.
 */
export function ceilingKernels(bytes = 0): CeilingKernels {
  const variant = wasmSupport().variants.includes("relaxed") ? "relaxed" : "simd128";
  let module = builds.get(variant);
  if (!module) {
    const binary = compile(variant === "relaxed");
    if (!WebAssembly.validate(binary)) throw new Error(`this runtime does not run the ${variant} build of bench/asm/ceiling.ts`);
    module = new WebAssembly.Module(binary);
    builds.set(variant, module);
  }
  const memory = new WebAssembly.Memory({ initial: 1 + Math.ceil(bytes / PAGE) });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  return { variant, memory, ...(exports as unknown as Pick<CeilingKernels, "fmaChains" | "activationBytes">) };
}

/**
 * The ceiling as a system: for W3-n, 2n³ flops of register-only multiply-adds; for W4, the bytes
 * of an activation's forward and backward pass with no arithmetic. Nothing for W1/W2.
 */
export function ceilingSystem(): System {
  // W4's four buffers of 2²⁰ floats per activation, side by side: 48 MiB
  const k = ceilingKernels(64 << 20);
  let top = PAGE;
  const reserve = (bytes: number) => {
    const at = top;
    top += (bytes + 63) & ~63;
    const have = k.memory.buffer.byteLength;
    if (top > have) k.memory.grow(Math.ceil((top - have) / PAGE));
    return at;
  };
  return {
    name: `ceiling-wasm-${k.variant}`,
    async setup(w: Workload) {
      switch (w.kind) {
        case "matmul": {
          const rounds = Math.ceil((2 * w.n ** 3) / FLOPS_PER_ROUND);
          return syncRunner(() => k.fmaChains(rounds, 2, 0.999, 0.001));
        }
        case "activation": {
          const bytes = 4 * w.length;
          const [z, a, da, dz] = [reserve(bytes), reserve(bytes), reserve(bytes), reserve(bytes)];
          const f32 = new Float32Array(k.memory.buffer);
          for (let i = 0; i < w.length; i++) {
            f32[z / 4 + i] = Math.sin(i);
            f32[da / 4 + i] = Math.cos(i);
          }
          return syncRunner(() => k.activationBytes(z, a, da, dz, w.length));
        }
        default:
          return null;
      }
    },
  };
}
