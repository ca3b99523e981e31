import { describe, expect, it } from "vitest";
import { RunScorer, scoreRun } from "@gradscope/stream";
import { syntheticRun } from "../internal/testing/syntheticRun.js";

describe("scoreRun", () => {
  // held-out loss falls to 0.2 at step 30, then rises: overfitting, as in the choosing notebook's 30,000-step runs
  const evals: [number, number, number][] = [[0, 1.1, 0.3], [10, 0.6, 0.7], [20, 0.3, 0.85], [30, 0.2, 0.9], [40, 0.25, 0.91], [50, 0.3, 0.9], [60, 0.35, 0.9], [70, 0.5, 0.89], [80, 0.7, 0.88]];
  const rows = syntheticRun("relu", evals, (s) => 1 / (1 + s));

  it("reads held-out numbers at the best step early stopping keeps, and at the end", () => {
    const s = scoreRun(rows, { patience: 3 });
    expect(s.best).toMatchObject({ step: 30, loss: 0.2, accuracy: 0.9 });
    // training loss at the best step: the mean mini-batch loss of steps 20…29
    const expected = Array.from({ length: 10 }, (_, i) => 1 / (21 + i)).reduce((a, b) => a + b) / 10;
    expect(s.best!.trainLoss).toBeCloseTo(expected, 12);
    expect(s.stoppedAt).toBe(60); // 40, 50, 60 brought no improvement: patience 3 runs out at 60
    expect(s.end).toMatchObject({ step: 80, loss: 0.7, accuracy: 0.88 });
    expect(s.status).toBe("completed");
    expect(s.steps).toBe(79);
  });

  it("a later, better evaluation after patience ran out is not the best: early stopping had stopped", () => {
    const late = syntheticRun("x", [[0, 1, 0], [10, 0.5, 0], [20, 0.6, 0], [30, 0.7, 0], [40, 0.1, 0]], () => 1);
    expect(scoreRun(late, { patience: 2 }).best!.step).toBe(10);
    expect(scoreRun(late, { patience: 3 }).best!.step).toBe(40);
  });

  it("measures steps to target loss (20-step moving average) and accuracy (first evaluation)", () => {
    // 1/(1+s): the 20-step mean of steps k−19…k is ≤ 0.1 first at k = 19 + … computed here by brute force
    let k = 19;
    while (Array.from({ length: 20 }, (_, i) => 1 / (1 + k - i)).reduce((a, b) => a + b) / 20 > 0.1) k++;
    const s = scoreRun(rows, { targetLoss: 0.1, targetAccuracy: 0.85 });
    expect(s.stepsToTargetLoss).toBe(k);
    expect(s.stepsToTargetAccuracy).toBe(20);
    expect(scoreRun(rows, { targetLoss: 1e-9 }).stepsToTargetLoss).toBeNull();
  });

  it("a RunScorer fed the rows one at a time scores exactly as scoreRun, and finds the lowest 20-step mean", () => {
    const scorer = new RunScorer({ patience: 3, targetLoss: 0.1 });
    for (const row of rows) scorer.add(row);
    expect(scorer.score()).toEqual(scoreRun(rows, { patience: 3, targetLoss: 0.1 }));
    // 1/(1+s) falls throughout: the lowest 20-step mean is the last window's, steps 60…79
    const last20 = Array.from({ length: 20 }, (_, i) => 1 / (61 + i)).reduce((a, b) => a + b) / 20;
    expect(scorer.score().lowestTrainLoss).toBeCloseTo(last20, 14);
  });

  it("one infinite loss does not hide a target reached 20 steps later (the moving average is summed afresh)", () => {
    const spike = syntheticRun("x", [[0, 1, 0], [60, 1, 0]], (s) => (s === 5 ? Infinity : 0.05));
    const s = scoreRun(spike, { targetLoss: 0.1 });
    expect(s.stepsToTargetLoss).toBe(25); // the first window without step 5: steps 6…25
    expect(s.lowestTrainLoss).toBeCloseTo(0.05, 14);
  });
});
