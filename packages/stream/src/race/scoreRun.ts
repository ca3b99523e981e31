import { gradientRatio } from "../finalLayers.js";
import type { LayerRow, Row } from "../rows.js";
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
  /** Lowest 20-step moving average of the mini-batch loss (NaN before 20 finite steps). */
  lowestTrainLoss: number;
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

/** The 20-step moving average's window: "steps to target" and the lowest training loss read it. */
const WINDOW = 20;

/**
 * {@link scoreRun} one row at a time, for recordings read as a stream (a sweep's hundreds of runs): it
 * keeps four numbers per step (step, loss, accuracy, ms), the evaluations, and the layer rows of the
 * latest probed step – never the rows themselves – and scores exactly as `scoreRun` does.
 * @example
 * const scorer = new RunScorer({ targetLoss: 0.1 });
 * for await (const row of readNdjson(file)) scorer.add(row);
 * scorer.score().best?.loss;
 */
export class RunScorer {
  private readonly options: Required<ScoreRunOptions>;
  private readonly stepAt: number[] = [];
  private readonly losses: number[] = [];
  private readonly accuracies: number[] = [];
  private readonly ms: number[] = [];
  private readonly points: ScoredPoint[] = [];
  /** Steps before this index are counted in an earlier evaluation's training loss. */
  private counted = 0;
  private layers: LayerRow[] = [];
  private run: string | undefined;
  private status = "incomplete";

  constructor(options: ScoreRunOptions = {}) {
    this.options = { patience: 5, targetLoss: 0.5, targetAccuracy: null, ...options };
  }

  add(row: Row): void {
    this.run ??= row.run;
    switch (row.type) {
      case "step":
        this.stepAt.push(row.step);
        this.losses.push(row.loss);
        this.accuracies.push(row.accuracy);
        this.ms.push(row.ms);
        break;
      case "eval": {
        // training loss per evaluation interval, so "at best" carries its own training loss (overfitting gap)
        const from = this.counted;
        while (this.counted < this.stepAt.length && this.stepAt[this.counted]! < row.step) this.counted++;
        this.points.push({ step: row.step, loss: row.loss, accuracy: row.accuracy, trainLoss: mean(this.losses.slice(from, this.counted)) });
        break;
      }
      case "layer":
        if (this.layers.length && this.layers[0]!.step !== row.step) this.layers = [];
        this.layers.push(row);
        break;
      case "status":
        this.status = row.status;
        break;
    }
  }

  score(): RunScore {
    const { patience, targetLoss, targetAccuracy } = this.options;
    const points = this.points, losses = this.losses;

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

    // the 20-step moving average, summed afresh at each step: a running sum never recovers from one
    // infinite loss (∞ − ∞) and loses small losses after huge ones (1e17 + 0.3 − 1e17)
    let stepsToTargetLoss: number | null = null, lowestTrainLoss = NaN;
    for (let k = WINDOW - 1; k < losses.length; k++) {
      let sum = 0;
      for (let i = k - WINDOW + 1; i <= k; i++) sum += losses[i]!;
      const avg = sum / WINDOW;
      if (stepsToTargetLoss === null && avg <= targetLoss) stepsToTargetLoss = this.stepAt[k]!;
      if (Number.isFinite(avg) && !(avg >= lowestTrainLoss)) lowestTrainLoss = avg;
    }
    const stepsToTargetAccuracy = targetAccuracy === null ? null : (points.find((p) => p.accuracy >= targetAccuracy)?.step ?? null);

    const tail = losses.length - Math.max(1, Math.ceil(losses.length / 10));
    const hidden = this.layers.filter((l) => l.activation !== "none");
    return {
      run: this.run ?? "",
      status: this.status,
      steps: this.stepAt.at(-1) ?? 0,
      best,
      stoppedAt,
      end: points.at(-1) ?? null,
      trainLoss: mean(losses.slice(Math.max(0, tail))),
      trainAccuracy: mean(this.accuracies.slice(Math.max(0, tail))),
      lowestTrainLoss,
      stepsToTargetLoss,
      stepsToTargetAccuracy,
      msPerStep: median(this.ms),
      meanMsPerStep: mean(this.ms),
      deadPerLayer: hidden.map((l) => l.deadFrac),
      saturatedPerLayer: hidden.map((l) => l.saturatedFrac),
      deadFrac: mean(hidden.map((l) => l.deadFrac)),
      saturatedFrac: mean(hidden.map((l) => l.saturatedFrac)),
      gradientRatio: gradientRatio(hidden),
    };
  }
}

/**
 * Reads one finished run's rows the way the race protocol does: held-out numbers at the best step early
 * stopping would keep and at the end, steps to the loss (and accuracy) target, step time, and the final
 * dead / saturated fractions and gradient ratio of the hidden layers. (A stream of rows: {@link RunScorer}.)
 * @example
 * const score = scoreRun(rows, { patience: 5, targetLoss: 0.5 });
 * score.best?.loss; // held-out loss where early stopping would have kept the weights
 */
export function scoreRun(rows: readonly Row[], options: ScoreRunOptions = {}): RunScore {
  const scorer = new RunScorer(options);
  for (const row of rows) scorer.add(row);
  return scorer.score();
}
