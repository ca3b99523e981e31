import { describe, expect, it } from "vitest";
import { ceilingKernels, ceilingSystem } from "./ceiling.js";
import { workloads } from "./workloads.js";

describe("the WebAssembly ceiling", () => {
  it("fmaChains iterates a ← a·m + c on 40 lanes: 40·(c/(1−m) + mⁿ(a₀ − c/(1−m)))", () => {
    const k = ceilingKernels();
    // fixed point c/(1−m) = 1, so a_n = 1 + 0.999ⁿ from a₀ = 2; float32 rounding drifts ~n ulp
    for (const n of [0, 1, 1000]) expect(k.fmaChains(n, 2, 0.999, 0.001)).toBeCloseTo(40 * (1 + 0.999 ** n), 2);
    expect(k.fmaChains(10, 1, 0.5, 0)).toBe(40 * 0.5 ** 10); // exact in float32
  });

  it("activationBytes moves an activation's bytes: a = z, dz = da + z", () => {
    const n = 40, k = ceilingKernels(16 * n);
    const f32 = new Float32Array(k.memory.buffer);
    const [z, a, da, dz] = [0, 1, 2, 3].map((i) => 1024 + i * 4 * n) as [number, number, number, number];
    for (let i = 0; i < n; i++) {
      f32[z / 4 + i] = i - 7.5;
      f32[da / 4 + i] = 0.25 * i;
    }
    k.activationBytes(z, a, da, dz, n);
    for (let i = 0; i < n; i++) {
      expect(f32[a / 4 + i]).toBe(i - 7.5);
      expect(f32[dz / 4 + i]).toBe(i - 7.5 + 0.25 * i);
    }
  });

  it("runs W3 and W4 as a system, and nothing else", async () => {
    const system = ceilingSystem();
    expect(system.name).toMatch(/^ceiling-wasm-(relaxed|simd128)$/);
    for (const w of workloads) {
      const runner = await system.setup(w);
      if (w.kind === "mlp") expect(runner).toBeNull();
      else expect(await runner!.sample(1)).toBeGreaterThan(0);
    }
  });
});
