import { jsBackend } from "@gradscope/core";
import { describe, expect, it } from "vitest";
import { gradscopeBackends } from "./backends.js";
import { mlpLosses } from "./gradscope.js";
import { runBench } from "./run.js";
import { workloads, type MlpWorkload } from "./workloads.js";

describe("pnpm bench --quick", () => {
  it("gives one row per workload and system, in the --json shape", async () => {
    const rows = await runBench({ quick: true, systems: ["gradscope", "tfjs-wasm"], workloads: ["W1", "W3-128", "W4-relu"] });
    const backends = await gradscopeBackends();
    expect(rows).toHaveLength(3 * (backends.length + 1));
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["maxMs", "medianMs", "minMs", "ratioVsTfjsWasm", "ratioVsTorch", "system", "workload"]);
      expect(row.minMs).toBeGreaterThan(0);
      expect(row.minMs).toBeLessThanOrEqual(row.medianMs);
      expect(row.medianMs).toBeLessThanOrEqual(row.maxMs);
      expect(row.ratioVsTorch).toBeNull(); // no torch system in this run
      expect(row.ratioVsTfjsWasm).toBeGreaterThan(0);
    }
    expect(rows.filter((r) => r.system === "tfjs-wasm").every((r) => r.ratioVsTfjsWasm === 1)).toBe(true);
  }, 300_000);

  it("refuses a number of rounds that is not a positive integer, naming it", async () => {
    await expect(runBench({ rounds: 0, workloads: ["W3-128"] })).rejects.toThrow("rounds must be a positive integer, got 0");
    await expect(runBench({ rounds: 2.5, workloads: ["W3-128"] })).rejects.toThrow("got 2.5");
  });

  it("every gradscope backend trains W1 and W2 to the js backend's losses (float32 tolerance)", async () => {
    const mlps = workloads.filter((w): w is MlpWorkload => w.kind === "mlp");
    for (const w of mlps) {
      // W1+batchnorm: 20 ReLU layers with batch normalisation amplify the gradient going back (~1e4
      // at initialisation, see `reproduce residual-depth`), so one SGD step turns float32 rounding
      // into 1e-3 loss differences (after one step: js float32 2.6852, float64 2.6886, wasm 2.6887):
      // its first loss is compared, not the ones after updates
      const steps = w.norm === "batch" ? 1 : 3;
      const reference = mlpLosses(w, jsBackend, steps);
      for (const backend of await gradscopeBackends()) {
        const losses = mlpLosses(w, backend, steps);
        losses.forEach((loss, i) => expect(loss, `${w.id} ${backend.name} step ${i}`).toBeCloseTo(reference[i]!, 4));
      }
    }
  }, 300_000);
});
