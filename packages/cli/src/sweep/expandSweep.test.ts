import { describe, expect, it } from "vitest";
import { expandSweep } from "./expandSweep.js";
import { checkSafeId, isSafeId, runIdOf } from "./runId.js";
import { parseSweepFile } from "./sweepFile.js";

describe("expandSweep", () => {
  it("crosses grid × seeds in the file's order, each run with a stable id and its whole config", () => {
    const spec = parseSweepFile("name: act-depth\nbase: {steps: 300, width: 16}\ngrid: {activation: [relu, elu], depth: [2, 4]}\nseeds: [1, 2, 3]", "yaml");
    const runs = expandSweep(spec);
    expect(runs).toHaveLength(12);
    expect(runs.slice(0, 4).map((r) => r.id)).toEqual([
      "act-depth.activation-relu.depth-2.seed-1", "act-depth.activation-relu.depth-2.seed-2",
      "act-depth.activation-relu.depth-2.seed-3", "act-depth.activation-relu.depth-4.seed-1",
    ]);
    expect(runs[11]).toEqual({
      id: "act-depth.activation-elu.depth-4.seed-3", point: { activation: "elu", depth: 4 }, seed: 3,
      config: { steps: 300, width: 16, activation: "elu", depth: 4, seed: 3, run: "act-depth.activation-elu.depth-4.seed-3" },
    });
    expect(expandSweep(spec)).toEqual(runs); // stable
  });

  it("draws random axes from their seed: the same draws every time, rounded to 4 digits, within bounds", () => {
    const spec = parseSweepFile("name: r\nrandom: {count: 5, seed: 3, axes: {lr: {logUniform: [0.001, 0.1]}, width: {choice: [8, 16]}}}\nsteps: 10", "yaml");
    const runs = expandSweep(spec);
    expect(runs).toHaveLength(5);
    expect(expandSweep(spec)).toEqual(runs);
    for (const r of runs) {
      const lr = r.config.lr!;
      expect(lr).toBeGreaterThanOrEqual(0.001);
      expect(lr).toBeLessThanOrEqual(0.1);
      expect(Number(lr.toPrecision(4))).toBe(lr);
      expect([8, 16]).toContain(r.config.width);
      expect(r.id).toBe(`r.lr-${lr}.width-${r.config.width}.seed-1`);
      expect(r.config.steps).toBe(10);
    }
    const other = expandSweep({ ...spec, random: { ...spec.random!, seed: 4 } });
    expect(other.map((r) => r.config.lr)).not.toEqual(runs.map((r) => r.config.lr));
  });
});

describe("run ids", () => {
  it("keep to a safe set: nothing that leaves a directory, no ':' (BullMQ), never all digits", () => {
    for (const id of ["act-depth.activation-relu.depth-2.seed-1", "lr-0.001", "biasInit--3", "a=b"]) expect(isSafeId(id), id).toBe(true);
    for (const id of ["../x", "..", "a/b", "a\\b", "/etc/passwd", ".hidden", "a..b", "a:b", "123", "", "x".repeat(201), "a b", "é"]) expect(isSafeId(id), id).toBe(false);
    expect(() => checkSafeId("../x", "run id")).toThrow('run id "../x" is not a safe name');
    expect(runIdOf("s", { init: "he normal/2" }, 1)).toBe("s.init-he_normal_2.seed-1");
  });
});
