import { describe, expect, it } from "vitest";
import { createWasmBackend, jsBackend, probeKernels } from "@gradscope/core";

describe("probeKernels", () => {
  it("keeps the sum of squares of tiny float32 values that a float32 kernel squares to 0", () => {
    const wasm = createWasmBackend();
    const n = 64;
    const x = wasm.allocate("float32", n) as Float32Array;
    // 1e-25 is a normal float32 (smallest normal 1.2e-38), but its square, 1e-50, is not even a subnormal
    for (let i = 0; i < n; i++) x[i] = (i % 2 ? 1 : -1) * 1e-25;
    const exact = n * Math.fround(1e-25) ** 2;
    expect(probeKernels(wasm).sumSquares(x, n)).toBeCloseTo(exact, 60);
    expect(probeKernels(wasm).sumSquares(x, n) / exact).toBeCloseTo(1, 12);
    expect(probeKernels(jsBackend).sumSquares(Float32Array.from(x), n) / exact).toBeCloseTo(1, 12);
    // ordinary sizes still come from the backend's kernel, to float32 accuracy
    for (let i = 0; i < n; i++) x[i] = (i + 1) / n;
    const sum = Array.from(x, (v) => v * v).reduce((a, b) => a + b, 0);
    expect(Math.abs(probeKernels(wasm).sumSquares(x, n) - sum)).toBeLessThan(1e-5 * sum);
  });
});
