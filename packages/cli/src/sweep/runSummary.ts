import type { HeaderRow, Row } from "@gradscope/stream";

/** One run of a sweep in a line: what `sweep collect` writes per run and a queue worker returns. */
export interface RunSummary {
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
  /** The best held-out evaluation (lowest loss), its accuracy and step. */
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

/**
 * Folds a run's rows, one at a time, into its {@link RunSummary} (constant memory but one float per
 * step), so a recording of any length is summarised while it streams by.
 * @example
 * const s = runSummarizer("a.seed-1", { targetLoss: 0.1, steps: 300 });
 * for await (const row of readNdjson(file, { onHeader: s.header })) s.add(row);
 * s.result();
 */
export function runSummarizer(id: string, { targetLoss, steps }: { targetLoss?: number; steps: number }) {
  const losses: number[] = [], accuracies: number[] = [];
  const window = new Float64Array(20);
  let windowN = 0, bestLoss = NaN, stepsToTarget = NaN;
  let ms = 0, probeMs = 0, stepCount = 0, lastStep = 0;
  let testLoss = NaN, testAccuracy = NaN, bestTestLoss = NaN, bestTestAccuracy = NaN, bestTestStep = NaN;
  let status = "unfinished", message = "", backend = "", startedAt = "";
  return {
    header(h: HeaderRow) {
      startedAt = h.createdAt;
    },
    add(row: Row) {
      if (row.type === "step") {
        losses.push(row.loss);
        accuracies.push(row.accuracy);
        ms += row.ms;
        probeMs += row.probeMs;
        stepCount++;
        lastStep = row.step;
        window[windowN % 20] = row.loss;
        windowN++;
        if (windowN >= Math.min(20, steps)) {
          // summed afresh each step: a running sum loses small losses after huge ones (1e17 + 0.3 − 1e17)
          const n = Math.min(windowN, 20);
          let sum = 0;
          for (let i = 0; i < n; i++) sum += window[i]!;
          const mean = sum / n;
          if (Number.isFinite(mean) && !(mean >= bestLoss)) bestLoss = mean; // NaN best so far: any finite mean beats it
          if (targetLoss !== undefined && Number.isNaN(stepsToTarget) && mean <= targetLoss) stepsToTarget = row.step;
        }
      } else if (row.type === "eval") {
        testLoss = row.loss;
        testAccuracy = row.accuracy;
        if (Number.isFinite(row.loss) && !(row.loss >= bestTestLoss)) {
          bestTestLoss = row.loss;
          bestTestAccuracy = row.accuracy;
          bestTestStep = row.step;
        }
      } else if (row.type === "status") {
        status = row.status;
        message = row.message ?? "";
        backend = row.backend ?? "";
      }
    },
    result(): RunSummary {
      const tail = Math.max(1, Math.ceil(losses.length / 10));
      const mean = (xs: number[]) => (xs.length ? xs.slice(-tail).reduce((a, b) => a + b, 0) / Math.min(tail, xs.length) : NaN);
      return {
        id, status, message, steps: lastStep, finalLoss: mean(losses), finalAccuracy: mean(accuracies), bestLoss,
        testLoss, testAccuracy, bestTestLoss, bestTestAccuracy, bestTestStep, stepsToTarget,
        msPerStep: stepCount ? ms / stepCount : NaN, trainMs: ms + probeMs, startedAt, backend,
      };
    },
  };
}
