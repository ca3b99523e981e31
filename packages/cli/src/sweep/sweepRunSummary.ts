import { RunScorer, type HeaderRow, type Row, type RunScore } from "@gradscope/stream";

/**
 * One run of a sweep in a line: what `sweep collect` writes per run (its Parquet columns) and a queue
 * worker returns. Its metrics are the race protocol's (`RunScorer`, as `compare` and `report` read a
 * run), so a recording reads the same in all of them.
 */
export interface SweepRunSummary {
  id: string;
  /** completed, diverged, stopped (a stop rule or the control), or "unfinished" (no status row). */
  status: string;
  /** The status row's message (e.g. "target loss 0.1 reached at step 212"). */
  message: string;
  /** Steps trained (the last step row's). */
  steps: number;
  /** Mean mini-batch loss and accuracy over the last 10 % of the steps (at least one). */
  finalLoss: number;
  finalAccuracy: number;
  /** Lowest 20-step moving average of the mini-batch loss. */
  bestLoss: number;
  /** The last held-out evaluation. */
  testLoss: number;
  testAccuracy: number;
  /** Held-out loss, accuracy and step at the best step early stopping keeps (patience 5 evaluations). */
  bestTestLoss: number;
  bestTestAccuracy: number;
  bestTestStep: number;
  /** First step whose 20-step moving-average loss is ≤ the target; NaN when never or without a target. */
  stepsToTarget: number;
  /** Mean training ms per step (probes excluded) and the run's training + probe time in ms. */
  msPerStep: number;
  trainMs: number;
  /** The header's createdAt: when the run started. */
  startedAt: string;
  /** The kernels the run used (its status row's `backend`). */
  backend: string;
}

/** Options of {@link sweepRunSummarizer}. */
export interface SweepRunSummarizerOptions {
  /** The sweep's stop.targetLoss: steps to target (NaN without one). */
  targetLoss?: number;
  /** Early stopping's patience in evaluations (default 5). */
  patience?: number;
}

/**
 * Folds a run's rows, one at a time, into its {@link SweepRunSummary} and its race score (a
 * `RunScorer`: a few numbers per step, never the rows), so a recording of any length is summarised
 * while it streams by.
 * @example
 * const s = sweepRunSummarizer("a.seed-1", { targetLoss: 0.1 });
 * for await (const row of readNdjson(file, { onHeader: s.header })) s.add(row);
 * s.result(); s.score().best?.loss;
 */
export function sweepRunSummarizer(id: string, { targetLoss, patience = 5 }: SweepRunSummarizerOptions = {}) {
  // without a target the score still needs one: the race protocol's default; the summary says NaN
  const scorer = new RunScorer({ patience, targetLoss: targetLoss ?? 0.5 });
  let ms = 0, probeMs = 0, stepCount = 0;
  let status = "unfinished", message = "", backend = "", startedAt = "";
  return {
    header(h: HeaderRow) {
      startedAt = h.createdAt;
    },
    add(row: Row) {
      scorer.add(row);
      if (row.type === "step") {
        ms += row.ms;
        probeMs += row.probeMs;
        stepCount++;
      } else if (row.type === "status") {
        status = row.status;
        message = row.message ?? "";
        backend = row.backend ?? "";
      }
    },
    /** The race protocol's reading of the run (held-out numbers at the best step and at the end, …). */
    score(): RunScore {
      return scorer.score();
    },
    result(): SweepRunSummary {
      const s = scorer.score();
      return {
        id, status, message, steps: s.steps, finalLoss: s.trainLoss, finalAccuracy: s.trainAccuracy, bestLoss: s.lowestTrainLoss,
        testLoss: s.end?.loss ?? NaN, testAccuracy: s.end?.accuracy ?? NaN,
        bestTestLoss: s.best?.loss ?? NaN, bestTestAccuracy: s.best?.accuracy ?? NaN, bestTestStep: s.best?.step ?? NaN,
        stepsToTarget: targetLoss === undefined ? NaN : (s.stepsToTargetLoss ?? NaN),
        msPerStep: stepCount ? ms / stepCount : NaN, trainMs: ms + probeMs, startedAt, backend,
      };
    },
  };
}
