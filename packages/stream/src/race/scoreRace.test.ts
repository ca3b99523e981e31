import { describe, expect, it } from "vitest";
import { scoreRace, scoreRun, scoreScoredRace, type RaceRun } from "@gradscope/stream";
import { syntheticRun } from "../internal/testing/syntheticRun.js";

/** A contender whose held-out loss bottoms out at `best[seed]` at step 20. */
const runs = (contender: string, best: number[]): RaceRun[] =>
  best.map((b, i) => ({ contender, seed: i + 1, rows: syntheticRun(contender, [[0, 2, 0.1], [10, 1, 0.5], [20, b, 0.9], [30, b + 0.05, 0.9]], () => 0.5) }));

describe("scoreRace", () => {
  it("summarises each contender over seeds and groups the ones the seeds cannot separate", () => {
    const race = scoreRace([
      ...runs("relu", [0.3, 0.32, 0.31]),
      ...runs("elu", [0.29, 0.33, 0.3]),
      ...runs("sigmoid", [0.6, 0.64, 0.62]),
    ]);
    const elu = race.contenders.find((c) => c.contender === "elu")!;
    expect(elu.seeds).toEqual([1, 2, 3]);
    expect(elu.bestLoss!.mean).toBeCloseTo(0.30667, 4);
    expect(elu.bestStep!.mean).toBe(20);
    expect(elu.endLoss!.mean).toBeCloseTo(0.35667, 4);
    expect(elu.heldOutRise!.mean).toBeCloseTo(0.05, 12);
    // elu leads (0.3067 < 0.31); relu − elu = [0.01, −0.01, 0.01] contains 0: a tie. sigmoid is 0.31 worse on every seed.
    expect(race.tieGroups).toEqual([["elu", "relu"], ["sigmoid"]]);
    const relu = race.comparisons.find((c) => c.a === "relu" && c.b === "elu")!;
    expect(relu.verdict).toBe("tie");
    expect(race.comparisons.find((c) => c.a === "relu" && c.b === "sigmoid")!.verdict).toBe("a");
  });

  it("a difference under the relative margin (2 % of the better loss) is a tie", () => {
    const race = scoreRace([...runs("a", [0.3, 0.4, 0.5]), ...runs("b", [0.302, 0.403, 0.5025])]);
    expect(race.tieGroups).toEqual([["a", "b"]]);
    expect(scoreRace([...runs("a", [0.3, 0.4, 0.5]), ...runs("b", [0.302, 0.403, 0.5025])], { relativeMargin: 0 }).tieGroups).toEqual([["a"], ["b"]]);
  });

  it("scores runs already scored, paired by their pair key, on loss or on accuracy", () => {
    // two "depths" × 2 seeds: b is 0.1 worse than a at each (depth, seed), though depth moves both far more
    const at = (contender: string, depth: number, seed: number, loss: number, accuracy: number) => ({
      contender, seed, pair: `${depth}/${seed}`,
      score: scoreRun(syntheticRun(contender, [[0, 2, 0.1], [10, loss, accuracy], [20, loss + 0.5, accuracy]], () => 0.5)),
    });
    const scored = [
      at("a", 2, 1, 0.2, 0.9), at("a", 2, 2, 0.25, 0.91), at("a", 8, 1, 1.2, 0.5), at("a", 8, 2, 1.3, 0.52),
      at("b", 2, 1, 0.3, 0.8), at("b", 2, 2, 0.35, 0.82), at("b", 8, 1, 1.3, 0.4), at("b", 8, 2, 1.4, 0.41),
    ];
    const race = scoreScoredRace(scored);
    expect(race.contenders[0]!.bestLoss!.mean).toBeCloseTo((0.2 + 0.25 + 1.2 + 1.3) / 4, 12);
    const ab = race.comparisons[0]!;
    expect(ab.n).toBe(4); // paired per (depth, seed), not per seed (which would give 2 pairs of mixed depths)
    expect(ab.difference!.mean).toBeCloseTo(-0.1, 12);
    expect(ab.verdict).toBe("a");
    expect(race.tieGroups).toEqual([["a"], ["b"]]);
    // on accuracy (higher is better): a − b = 0.1, 0.09, 0.1, 0.11: a still wins
    const byAccuracy = scoreScoredRace(scored, { metric: "accuracy" });
    expect(byAccuracy.comparisons[0]!.verdict).toBe("a");
    expect(byAccuracy.options.metric).toBe("accuracy");
    expect(byAccuracy.tieGroups).toEqual([["a"], ["b"]]);
    expect(scoreScoredRace(scored.map((r) => ({ ...r, contender: r.contender === "a" ? "b" : "a" })), { metric: "accuracy" }).tieGroups).toEqual([["b"], ["a"]]);
  });
});
