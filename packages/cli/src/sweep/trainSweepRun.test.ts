import { describe, expect, it } from "vitest";
import { train, type Row } from "@gradscope/stream";
import { expandSweep } from "./expandSweep.js";
import { parseSweepFile } from "./sweepFile.js";
import { trainSweepRun, type SweepRunRules } from "./trainSweepRun.js";

const one = (yaml: string) => expandSweep(parseSweepFile(yaml, "yaml"))[0]!;
async function record(yaml: string, rules: SweepRunRules) {
  const lines: string[] = [];
  const summary = await trainSweepRun(one(yaml), rules, { write: (l) => lines.push(l), source: (config, control) => train(config, { control }) });
  const rows = lines.map((l) => JSON.parse(l) as Row);
  return { summary, rows };
}
const all = ["step", "layer", "eval", "alert", "bands", "histogram", "boundary"] as SweepRunRules["keep"];
const untimed = (rows: Row[]) => rows.map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r.type === "header" ? { ...r, createdAt: "" } : r));

describe("trainSweepRun", () => {
  it("stops at the first step whose 20-step mean loss reaches the target, the same step every time", async () => {
    const yaml = "name: t\nbase: {dataset: moons, width: 16, depth: 2, probes: {every: 5}}\nsteps: 400";
    const full = await record(yaml, { stop: {}, keep: all });
    const losses = full.rows.filter((r) => r.type === "step").map((r) => r.loss);
    const target = 0.3;
    // the step the rule must stop at, from the full run's own losses
    const expected = losses.findIndex((_, i) => i >= 19 && losses.slice(i - 19, i + 1).reduce((a, b) => a + b, 0) / 20 <= target) + 1;
    expect(expected).toBeGreaterThan(20);
    expect(expected).toBeLessThan(400);
    const stopped = await record(yaml, { stop: { targetLoss: target }, keep: all });
    expect(stopped.rows.at(-1)).toMatchObject({ type: "status", status: "stopped", step: expected, message: `target loss 0.3 reached at step ${expected}` });
    expect(Math.max(...stopped.rows.map((r) => r.step))).toBe(expected);
    // every row up to that step is the full run's (timings aside)
    const upTo = untimed(full.rows.filter((r) => r.step <= expected && r.type !== "status"));
    expect(untimed(stopped.rows.slice(0, -1))).toEqual(upTo);
    expect(stopped.summary).toMatchObject({ status: "stopped", steps: expected, stepsToTarget: expected });
    const again = await record(yaml, { stop: { targetLoss: target }, keep: all });
    expect(untimed(again.rows)).toEqual(untimed(stopped.rows));
  });

  it("divergeAbove ends a run as diverged at the step the loss exceeds it; keep drops the other row types", async () => {
    const yaml = "name: d\nbase: {dataset: spiral, optimizer: sgd, lr: 20, width: 16, depth: 2}\nsteps: 200";
    const { rows, summary } = await record(yaml, { stop: { divergeAbove: 5 }, keep: ["step"] });
    const steps = rows.filter((r) => r.type === "step");
    const first = steps.findIndex((r) => r.loss > 5);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(steps).toHaveLength(first + 1);
    expect(rows.at(-1)).toMatchObject({ type: "status", status: "diverged", step: first + 1 });
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(["header", "step", "status"]));
    expect(summary.status).toBe("diverged");
  });
});
