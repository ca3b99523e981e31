import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import { expandSweep } from "./expandSweep.js";
import { runLocalSweep } from "./runLocalSweep.js";
import { parseSweepFile } from "./sweepFile.js";
import { writeManifest } from "./sweepManifest.js";

type Rec = Record<string, unknown>;
const rowsOf = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Rec);
const num = (v: unknown) => (typeof v === "string" ? Number(v) : (v as number)); // NDJSON writes NaN as "NaN"
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("gradscope sweep collect", () => {
  it("writes one Parquet row per run that a Parquet reader reads back equal to the recordings; NaN stays a double", async () => {
    // lr 30 with sgd diverges (NaN loss): its metrics must be NaN doubles, not strings
    const spec = parseSweepFile(`name: pq
base: {dataset: spiral, optimizer: sgd, probes: {every: 10}, evalEvery: 20}
grid: {lr: [0.1, 1000000], activation: [relu, tanh]}
seeds: [1, 2]
steps: 60
stop: {targetLoss: 0.4}
`, "yaml");
    const dir = mkdtempSync(join(tmpdir(), "gradscope-collect-"));
    writeManifest(dir, spec);
    const runs = expandSweep(spec);
    const result = await runLocalSweep(runs, { outDir: dir, concurrency: 2, stop: spec.stop, keep: spec.keep });
    expect(result.failed).toEqual([]);
    const out = join(dir, "runs.parquet");
    const { code, out: printed } = await cli("sweep", "collect", dir, "--out", out);
    expect(code).toBe(0);
    expect(printed).toMatch(/^wrote .*runs\.parquet: 8 runs, \d+ columns\n$/);

    const bytes = readFileSync(out);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const table = (await parquetReadObjects({ file: buffer })) as Rec[];
    expect(table.map((r) => r.id)).toEqual(runs.map((r) => r.id).sort());
    const schema = parquetMetadata(buffer).schema;
    const typeOf = (name: string) => schema.find((s) => s.name === name)?.type;
    for (const name of ["finalLoss", "testLoss", "bestLoss", "stepsToTarget", "lr", "depth"]) expect(typeOf(name), name).toBe("DOUBLE");
    expect(typeOf("activation")).toBe("BYTE_ARRAY");

    let diverged = 0;
    for (const row of table) {
      const recording = rowsOf(join(dir, `${row.id as string}.ndjson`));
      const header = recording[0]!;
      const config = header.config as Rec;
      expect(row).toMatchObject({ activation: config.activation, lr: config.lr, depth: 4, seed: config.seed, dataset: "spiral" });
      const status = recording.at(-1)!;
      expect(row.status).toBe(status.status);
      const steps = recording.filter((r) => r.type === "step");
      const losses = steps.map((r) => num(r.loss));
      expect(row.steps).toBe(steps.at(-1)!.step);
      // final loss: the mean over the last 10 % of the steps, recomputed here from the recording
      const tail = Math.max(1, Math.ceil(losses.length / 10));
      const expectedFinal = mean(losses.slice(-tail));
      if (Number.isNaN(expectedFinal)) {
        diverged++;
        expect(typeof row.finalLoss).toBe("number");
        expect(Number.isNaN(row.finalLoss)).toBe(true);
        expect(row.status).toBe("diverged");
      } else expect(row.finalLoss as number).toBeCloseTo(expectedFinal, 12);
      const evals = recording.filter((r) => r.type === "eval");
      const lastEval = evals.at(-1)!;
      expect(Object.is(row.testLoss, num(lastEval.loss)) || Math.abs((row.testLoss as number) - num(lastEval.loss)) < 1e-12).toBe(true);
      // steps to target: the first step whose 20-step mean reaches 0.4 (NaN when never)
      const reach = losses.findIndex((_, i) => i >= 19 && mean(losses.slice(i - 19, i + 1)) <= 0.4);
      if (reach < 0) expect(row.stepsToTarget, JSON.stringify([row.id, row.status, String(row.stepsToTarget), losses.length])).toBeNaN();
      else expect(row.stepsToTarget).toBe(reach + 1);
      // lowest 20-step mean of the mini-batch loss, and the held-out numbers where early stopping (patience 5) keeps the run
      const means = losses.slice(19).map((_, i) => mean(losses.slice(i, i + 20))).filter(Number.isFinite);
      if (means.length) expect(row.bestLoss as number).toBeCloseTo(Math.min(...means), 12);
      else expect(row.bestLoss).toBeNaN();
      let best: Rec | undefined, waited = 0;
      for (const e of evals) {
        if (!Number.isFinite(num(e.loss))) continue;
        if (!best || num(e.loss) < num(best.loss)) [best, waited] = [e, 0];
        else if (++waited >= 5) break;
      }
      if (best) expect(row).toMatchObject({ bestTestLoss: num(best.loss), bestTestAccuracy: num(best.accuracy), bestTestStep: best.step });
      else expect(row.bestTestLoss).toBeNaN();
      expect(row.msPerStep as number).toBeCloseTo(mean(steps.map((r) => num(r.ms))), 9);
      expect(row.startedAt).toBe(header.createdAt);
    }
    expect(diverged).toBeGreaterThan(0);
  }, 120_000);
});
