import { finalHiddenLayers, gradientRatio } from "../finalLayers.js";
import { isRow, type Row } from "../rows.js";
import { mean, median } from "../stats.js";

/** Options of {@link scoreRun}. */
export interface ScoreRunOptions {
  /**
   * Early stopping's patience, in held-out evaluations: the run "stops" once this many evaluations in a
   * row have not improved on the best held-out loss; its best step is the best one before that. Default 5.
   */
  patience?: number;
  /** Steps to target: the first step where the 20-step moving average of the mini-batch loss is ≤ this. Default 0.5. */
  targetLoss?: number;
  /** Steps to target: the first evaluation whose held-out accuracy is ≥ this; null = not measured. Default null. */
  targetAccuracy?: number | null;
}

/** Held-out (and training) numbers at one step. */
export interface ScoredPoint {
  step: number;
  /** Held-out loss and accuracy of the evaluation at `step`. */
  loss: number;
  accuracy: number;
  /** Mean mini-batch loss over the steps since the previous evaluation (NaN at step 0). */
  trainLoss: number;
}

/** One run's measurements, as a race reads them. */
export interface RunScore {
  run: string;
  status: string;
  /** Last step trained. */
  steps: number;
  /** At the best held-out step found by early stopping with patience (see ScoreRunOptions.patience). */
  best: ScoredPoint | null;
  /** The step where patience ran out (early stopping would have stopped here); null if it never did. */
  stoppedAt: number | null;
  /** At the last evaluation. */
  end: ScoredPoint | null;
  /** Mean mini-batch loss and accuracy over the last 10 % of steps (at least 1). */
  trainLoss: number;
  trainAccuracy: number;
  stepsToTargetLoss: number | null;
  stepsToTargetAccuracy: number | null;
  /** Median wall-clock ms of a training step (probes excluded): includes whatever else the machine ran. */
  msPerStep: number;
  /** Mean ms of a training step (the older measure `compare` reported). */
  meanMsPerStep: number;
  /** Per hidden layer (input side first) at the last probed step. */
  deadPerLayer: number[];
  saturatedPerLayer: number[];
  /** Means over hidden layers at the last probed step. */
  deadFrac: number;
  saturatedFrac: number;
  /** ‖∂L/∂z‖ first hidden layer ÷ last hidden layer at the last probed step. */
  gradientRatio: number | null;
}

/**
 * Reads one finished run's rows the way the race protocol does: held-out numbers at the best step early
 * stopping would keep and at the end, steps to the loss (and accuracy) target, step time, and the final
 * dead / saturated fractions and gradient ratio of the hidden layers.
 * @example
 * const score = scoreRun(rows, { patience: 5, targetLoss: 0.5 });
 * score.best?.loss; // held-out loss where early stopping would have kept the weights
 */
export function scoreRun(rows: readonly Row[], options: ScoreRunOptions = {}): RunScore {
  const { patience = 5, targetLoss = 0.5, targetAccuracy = null } = options;
  const steps = rows.filter(isRow("step"));
  const evals = rows.filter(isRow("eval"));
  const tail = steps.slice(-Math.max(1, Math.ceil(steps.length / 10)));

  // training loss per evaluation interval, so "at best" carries its own training loss (overfitting gap)
  const points: ScoredPoint[] = [];
  let i = 0;
  for (const e of evals) {
    const since: number[] = [];
    while (i < steps.length && steps[i]!.step < e.step) since.push(steps[i++]!.loss);
    points.push({ step: e.step, loss: e.loss, accuracy: e.accuracy, trainLoss: mean(since) });
  }

  // early stopping: the best held-out loss so far, until `patience` evaluations bring no improvement
  let best: ScoredPoint | null = null, stoppedAt: number | null = null, waited = 0;
  for (const p of points) {
    if (!Number.isFinite(p.loss)) continue;
    if (!best || p.loss < best.loss) {
      best = p;
      waited = 0;
    } else if (++waited >= patience) {
      stoppedAt = p.step;
      break;
    }
  }

  let stepsToTargetLoss: number | null = null, window = 0;
  for (let k = 0; k < steps.length; k++) {
    window += steps[k]!.loss - (k >= 20 ? steps[k - 20]!.loss : 0);
    if (k >= 19 && window / 20 <= targetLoss) {
      stepsToTargetLoss = steps[k]!.step;
      break;
    }
  }
  const stepsToTargetAccuracy = targetAccuracy === null ? null : (evals.find((e) => e.accuracy >= targetAccuracy)?.step ?? null);

  const hidden = finalHiddenLayers(rows);
  return {
    run: rows[0]?.run ?? "",
    status: rows.filter(isRow("status")).at(-1)?.status ?? "incomplete",
    steps: steps.at(-1)?.step ?? 0,
    best,
    stoppedAt,
    end: points.at(-1) ?? null,
    trainLoss: mean(tail.map((s) => s.loss)),
    trainAccuracy: mean(tail.map((s) => s.accuracy)),
    stepsToTargetLoss,
    stepsToTargetAccuracy,
    msPerStep: median(steps.map((s) => s.ms)),
    meanMsPerStep: mean(steps.map((s) => s.ms)),
    deadPerLayer: hidden.map((l) => l.deadFrac),
    saturatedPerLayer: hidden.map((l) => l.saturatedFrac),
    deadFrac: mean(hidden.map((l) => l.deadFrac)),
    saturatedFrac: mean(hidden.map((l) => l.saturatedFrac)),
    gradientRatio: gradientRatio(hidden),
  };
}
