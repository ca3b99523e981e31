import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import { isRow, parseNdjson, stepKernelMicros } from "@gradscope/stream";
import { pm, sig } from "../compare/formatCompare.js";
import type { CompareResult } from "./compare.js";


describe("gradscope compare", () => {
  // deep sigmoid against the ReLU family on the spiral; small enough for CI, run once and read twice
  const flags = ["--activations", "sigmoid,relu,elu", "--dataset", "spiral", "--depth", "8", "--width", "16", "--steps", "120",
    "--seeds", "2", "--jobs", "2", "--target-loss", "0.8"];
  let json: CompareResult, table: string;
  const dir = mkdtempSync(join(tmpdir(), "gradscope-compare-"));

  it("ranks by measured held-out loss and flags what the evidence shows", async () => {
    const r = await cli("compare", ...flags, "--json", "--out", dir);
    expect(r.code).toBe(0);
    json = JSON.parse(r.out) as CompareResult;
    const loss = (a: string) => json.activations.find((s) => s.activation === a)!.testLoss!.mean;
    expect(json.recommendation.ranking).toEqual([...json.recommendation.ranking].sort((a, b) => loss(a) - loss(b)));
    expect(json.recommendation.ranking.at(-1)).toBe("sigmoid"); // 8 sigmoid layers learn far slower than the ReLU family
    expect(json.recommendation.activation).not.toBe("sigmoid");
    const sigmoid = json.activations.find((s) => s.activation === "sigmoid")!;
    const relu = json.activations.find((s) => s.activation === "relu")!;
    expect(sigmoid.log10GradientRatio!.mean).toBeLessThan(relu.log10GradientRatio!.mean);
    expect(json.activations.every((s) => s.runs.length === 2)).toBe(true);
    // --out: every run's NDJSON, complete
    expect(readdirSync(dir).sort()).toEqual(["elu-seed1.ndjson", "elu-seed2.ndjson", "relu-seed1.ndjson", "relu-seed2.ndjson", "sigmoid-seed1.ndjson", "sigmoid-seed2.ndjson"]);
    const recorded = parseNdjson(readFileSync(join(dir, "relu-seed2.ndjson"), "utf8"));
    expect(recorded.header!.config).toMatchObject({ activation: "relu", seed: 2, depth: 8 });
    expect(recorded.rows.filter(isRow("status"))[0]!.status).toBe("completed");
  });

  it("adds the race's fields: best-step numbers with intervals, tie groups, kernel cost", () => {
    for (const s of json.activations) {
      for (const e of [s.bestTestLoss, s.bestTestAccuracy, s.testLoss, s.msPerStep]) {
        expect(e!.n).toBe(2);
        expect(e!.hi - e!.mean).toBeCloseTo(e!.mean - e!.lo, 9);
        // 2 seeds: t(0.975, 1) = 12.706, so the interval is mean ± 12.706·sd/√2
        expect(e!.hi - e!.mean).toBeCloseTo((12.7062047 * e!.spread) / Math.SQRT2, 6);
      }
      // unless early stopping's patience ran out first, the best step is never worse than the end
      for (const r of s.runs) if (r.stoppedAt === null) expect(r.bestTestLoss!).toBeLessThanOrEqual(r.testLoss);
      expect(s.runs.every((r) => r.bestStep !== null && r.bestStep <= 120)).toBe(true);
      expect(json.recommendation.tieGroups[s.tieGroup]).toContain(s.activation);
      expect(s.kernelNs).toBeGreaterThan(0);
    }
    expect(json.recommendation.tieGroups.flat().sort()).toEqual(["elu", "relu", "sigmoid"]);
    expect(json.kernelCost.map((k) => k.activation)).toEqual(["sigmoid", "relu", "elu"]);
    // each activation's kernel figures are kernelCost's (its ordering is a timing: see kernelCost.test.ts, the bench)
    const net = { batchSize: 32, width: 16, depth: 8 };
    for (const s of json.activations) {
      const cost = json.kernelCost.find((k) => k.activation === s.activation)!;
      expect(s.kernelNs).toBe(cost.ns);
      expect(s.kernelMicrosPerStep).toBeCloseTo(stepKernelMicros(cost.ns, net), 9);
    }
    expect(json.protocol).toEqual({ patience: 5, level: 0.95, relativeMargin: 0.02, evalEvery: 3 });
  });

  it("prints a table at most 100 columns wide whose numbers are the JSON's, with a legend for the gradient ratio", async () => {
    const r = await cli("compare", ...flags);
    expect(r.code).toBe(0);
    table = r.out;
    const widths = table.split("\n").map((l) => [...l].length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
    for (const s of json.activations) {
      const line = table.split("\n").find((l) => l.includes(` ${s.activation} `))!;
      expect(line).toContain(pm(s.bestTestLoss));
      expect(line).toContain(pm(s.bestTestAccuracy, 100));
      expect(line).toContain(s.log10GradientRatio!.mean.toFixed(1));
      expect(line).toContain(sig(s.kernelMicrosPerStep!, 2));
    }
    expect(table).toMatch(/grad log10: log10\(‖∂L\/∂z‖ first hidden layer ÷ last\); negative = smaller at the input \(vanishing\)/);
    expect(table).toContain(`recommendation: ${json.recommendation.activation}`);
  });

  it("rejects a bad list before starting any run", async () => {
    const r = await cli("compare", "--activations", "relu,nope", "--steps", "5");
    expect(r.code).toBe(2);
    expect(r.err).toContain("nope");
  });

  it("exits 2 when --activations names none", async () => {
    const r = await cli("compare", "--activations", ",", "--steps", "5");
    expect(r.code).toBe(2);
    expect(r.err).toBe('gradscope compare: --activations named no activation (got ","), e.g. --activations relu,leakyRelu,elu\n');
  });

  it("exits 1 when every run failed, naming the first failure; an existing --out file stays as it was", async () => {
    const out = mkdtempSync(join(tmpdir(), "gradscope-compare-failed-"));
    writeFileSync(join(out, "relu-seed1.ndjson"), "kept\n");
    const r = await cli("compare", "--activations", "relu,tanh", "--seeds", "1", "--jobs", "2", "--steps", "5", "--batch-size", "5000", "--json", "--out", out);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as CompareResult).failed.map((f) => f.activation)).toEqual(["relu", "tanh"]);
    expect(r.err).toContain("gradscope compare: every run failed (2 of 2); the first: batch size 5000 is larger than the data set (300 examples)\n");
    expect(readFileSync(join(out, "relu-seed1.ndjson"), "utf8")).toBe("kept\n");
    expect(readdirSync(out)).toEqual(["relu-seed1.ndjson"]);
  });
});
