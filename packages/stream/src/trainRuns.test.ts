import { lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { compareConfigs, isRow, mergeRuns, train, trainRuns } from "@gradscope/stream";

describe("trainRuns", () => {
  it("merges runs told apart by run, each identical to training it alone", async () => {
    const configs = compareConfigs({ steps: 20, depth: 2, width: 8, seed: 4 }, ["relu", "tanh"]);
    const rows = await lastValueFrom(trainRuns(configs).pipe(toArray()));
    expect(new Set(rows.map((r) => r.run))).toEqual(new Set(["relu", "tanh"]));
    const alone = await lastValueFrom(train(configs[1]!).pipe(toArray()));
    const losses = (rs: typeof rows, run: string) => rs.filter(isRow("step")).filter((r) => r.run === run).map((r) => r.loss);
    expect(losses(rows, "tanh")).toEqual(losses(alone, "tanh"));
    expect(rows.filter(isRow("status")).map((r) => r.status)).toEqual(["completed", "completed"]);
  });
  it("interleaves the runs instead of running one after the other", async () => {
    const rows = await lastValueFrom(trainRuns(compareConfigs({ steps: 3000, depth: 2, width: 8 }, ["relu", "elu"]), { sliceMs: 2 }).pipe(toArray()));
    const firstElu = rows.findIndex((r) => r.run === "elu" && r.type === "step");
    const lastRelu = rows.findLastIndex((r) => r.run === "relu" && r.type === "step");
    expect(firstElu).toBeLessThan(lastRelu);
  });
  it("mergeRuns merges made runs and completes when all have", async () => {
    const rows = await lastValueFrom(mergeRuns([train({ run: "a", steps: 3 }), train({ run: "b", steps: 5 })]).pipe(toArray()));
    expect(rows.filter(isRow("status")).map((r) => [r.run, r.step])).toEqual(expect.arrayContaining([["a", 3], ["b", 5]]));
    expect(() => mergeRuns([])).toThrow("mergeRuns needs at least one run");
  });
  it("rejects duplicate run names", () => {
    expect(() => trainRuns([{ activation: "relu" }, { activation: "relu" }])).toThrow('run name "relu" is used twice');
  });
});
