// The ceiling: what this machine gives WebAssembly at best, timed in the same rounds as the
// workloads. A shared or throttled machine can run at half speed for a while; a workload's share
// of the ceiling measured beside it says more than its absolute rate (see bench/README.md).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

async function compile(relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const source = fileURLToPath(new URL("../asm/ceiling.ts", import.meta.url));
  // loaded on first use: a bench run without the ceiling does not pay for the compiler
  const { default: asc } = await import("assemblyscript/asc");
  let binary: Uint8Array<ArrayBuffer> | undefined;
  const { error, stderr } = await asc.main([
    "ceiling.ts", "--outFile", "ceiling.wasm", "-O3", "--noAssert", "--runtime", "stub", "--importMemory",
    "--enable", "simd", ...(relaxed ? ["--enable", "relaxed-simd"] : []),
  ], {
    readFile: (name) => (name === "ceiling.ts" ? readFileSync(source, "utf8") : null),
    writeFile: (name, contents) => {
      if (name.endsWith(".wasm") && typeof contents !== "string") binary = new Uint8Array(contents);
    },
  });
  if (error || !binary) throw new Error(`bench/asm/ceiling.ts did not compile: ${error?.message ?? "no output"}\n${stderr.toString()}`);
  return binary;
}

/**
 * The ceiling kernels, compiled from source: the relaxed-SIMD build (fused multiply-add, as the
 * matrix products of wasm-relaxed) where the runtime validates it, SIMD128 otherwise.
 * `bytes` sizes the memory.
 */
export async function ceilingKernels(bytes = 0): Promise<CeilingKernels> {
  for (const variant of ["relaxed", "simd128"] as const) {
    const binary = await compile(variant === "relaxed");
    if (!WebAssembly.validate(binary)) continue;
    const memory = new WebAssembly.Memory({ initial: 1 + Math.ceil(bytes / PAGE) });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } }).exports;
    return { variant, memory, ...(exports as unknown as Pick<CeilingKernels, "fmaChains" | "activationBytes">) };
  }
  throw new Error("this runtime validates no SIMD build of bench/asm/ceiling.ts");
}

/**
 * The ceiling as a system: for W3-n, 2n³ flops of register-only multiply-adds; for W4, the bytes
 * of an activation's forward and backward pass with no arithmetic. Nothing for W1/W2.
 */
export async function ceilingSystem(): Promise<System> {
  // W4's four buffers of 2²⁰ floats per activation, side by side: 48 MiB
  const k = await ceilingKernels(64 << 20);
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
