import { describe, expect, it } from "vitest";
import { ceilingShares, normCost, probeCost, table } from "./report.js";
import type { BenchRow } from "./run.js";

const row = (workload: string, system: string, medianMs: number): BenchRow =>
  ({ workload, system, medianMs, minMs: medianMs, maxMs: medianMs, ratioVsTorch: null, ratioVsTfjsWasm: null });

describe("the bench's report lines", () => {
  // W3-512: 2·512³ flops; the ceiling in 6 ms is 44.7 GFLOP/s, a product in 8 ms reaches 6/8 of it
  const rows = [
    row("W3-512", "gradscope-wasm-relaxed", 8), row("W3-512", "tfjs-wasm", 12), row("W3-512", "pytorch-1thread", 4),
    row("W3-512", "ceiling-wasm-relaxed", 6),
    row("W4-relu", "gradscope-wasm-relaxed", 1.2), row("W4-relu", "ceiling-wasm-relaxed", 0.8),
    row("W1", "gradscope-wasm-relaxed", 10), row("W1+probes", "gradscope-wasm-relaxed", 10.9),
    row("W1+batchnorm", "gradscope-wasm-relaxed", 11.2), row("W1", "gradscope-js", 40), row("W1+layernorm", "gradscope-js", 44),
  ];

  it("gives W3 as a share of the multiply-add ceiling and W4 as a multiple of the bytes-only floor, wasm systems only", () => {
    expect(ceilingShares(rows)).toEqual([
      "W3-512 as a share of the multiply-add ceiling (44.7 GFLOP/s in the same rounds): gradscope-wasm-relaxed 75 %, tfjs-wasm 50 %",
      // 0.8 ms over 2²⁰ floats
      "W4-relu as a multiple of the bytes-only floor (0.76 ns/elem in the same rounds): gradscope-wasm-relaxed 1.50×",
    ]);
  });

  it("leaves a workload out when the run has no ceiling row or no wasm system for it", () => {
    expect(ceilingShares(rows.filter((r) => !r.system.startsWith("ceiling")))).toEqual([]);
    expect(ceilingShares([row("W3-128", "ceiling-wasm-relaxed", 0.1), row("W3-128", "pytorch-1thread", 0.1)])).toEqual([]);
  });

  it("gives the probes' cost per system, and the table carries every line", () => {
    expect(probeCost(rows)).toEqual(["W1+probes / W1 (gradscope-wasm-relaxed): 1.090 (target ≤ 1.10)"]);
    const text = table(rows, ["a caveat"]);
    expect(text).toMatch(/^W3-512 +gradscope-wasm-relaxed +8\.000 +8\.000 +8\.000 +33\.6 GFLOP\/s/m);
    expect(text).toContain("67.1 GFLOP/s"); // pytorch's 4 ms
    expect(text).toContain("1.14 ns/elem"); // 1.2 ms over 2²⁰ floats
    expect(text).toContain(probeCost(rows)[0]);
    expect(text).toContain(ceilingShares(rows)[1]);
    expect(text.trimEnd().endsWith("note: a caveat")).toBe(true);
    expect(normCost(rows)).toEqual(["W1+batchnorm / W1 (gradscope-wasm-relaxed): 1.120 (target ≤ 1.15)", "W1+layernorm / W1 (gradscope-js): 1.100"]);
    expect(text).toContain(normCost(rows)[0]);
  });
});
