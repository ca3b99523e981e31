import { describe, expect, it } from "vitest";
import { formatBytes, resolveRunConfig, RUN_MEMORY_BUDGET, runMemoryBytes, train } from "@gradscope/stream";

describe("the run size check", () => {
  it("counts parameters (value, gradient, two optimiser moments), batch buffers and data", () => {
    // depth 2 × width 10 on a 2-D set: 2·10+10 + 10·10+10 + 10·10+10 parameters = 250
    const c = resolveRunConfig({ depth: 2, width: 10, batchSize: 8, n: 100 });
    const params = 250, buffers = (4 * 8 + 2 * 256) * (2 * 10 + 2 + 10), data = 2 * 100 * 3 * 8;
    expect(runMemoryBytes(c)).toBe(4 * params * 4 + buffers * 4 + data);
  });
  it("refuses a model over the budget before building anything, naming depth and width", () => {
    // 1e9 layers × (32² + 32) parameters × 4 copies × 4 bytes ≈ 68 TB, + buffers
    expect(() => train({ depth: 1_000_000_000 })).toThrow(
      "the model is too large: depth 1000000000 × width 32 (batch size 32) needs about 99 TB for parameters, buffers and data, over the budget of 2.1 GB; use a smaller depth or width",
    );
    expect(() => resolveRunConfig({ width: 1e16 })).toThrow("the model is too large: depth 4 × width 10000000000000000 (batch size 32) needs about 4.8e+15 EB");
    // the default run is far inside it
    expect(runMemoryBytes(resolveRunConfig())).toBeLessThan(RUN_MEMORY_BUDGET / 100);
  });
  it("formats sizes in decimal units", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(2 ** 31)).toBe("2.1 GB");
    expect(formatBytes(1.5e12)).toBe("1.5 TB");
    expect(formatBytes(4.8e33)).toBe("4.8e+15 EB");
  });
});
