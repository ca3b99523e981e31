import { dataset } from "@gradscope/core";
import {
  adviceThresholds, kernelCost, recommendActivation, resolveRunConfig, scoreRace,
  type ActivationAdvice, type ContenderScore, type Estimate, type KernelCost, type PairedComparison, type RaceRun, type RunConfig,
} from "@gradscope/stream";

/**
 * A quantity over seeds: mean, spread (sample standard deviation; 0 with one seed) and n, plus the 95 %
 * Student-t interval [lo, hi] of the mean and its halfWidth (infinite from one seed).
 */
export type Spread = Estimate;

/** One seed's measurements (the numbers behind a table cell). */
export interface RunMetrics {
  seed: number;
  status: string;
  /** Mean mini-batch loss and accuracy over the last 10 % of steps (at least 1). */
  trainLoss: number;
  trainAccuracy: number;
  /** The last held-out evaluation (end of the step budget). */
  testLoss: number;
  testAccuracy: number;
  /** The best held-out evaluation early stopping (patience) keeps, and its step. */
  bestTestLoss: number | null;
  bestTestAccuracy: number | null;
  bestStep: number | null;
  /** Where early stopping's patience ran out; null if it never did. */
  stoppedAt: number | null;
  /** First step at which the 20-step moving average of the mini-batch loss is ≤ the target; null if never. */
  stepsToTarget: number | null;
  /** First evaluation step with held-out accuracy ≥ --target-accuracy; null if never or not asked. */
  stepsToTargetAccuracy: number | null;
  /** Median training ms per step (probes excluded; includes whatever else the machine ran). */
  msPerStep: number;
  /** Mean over hidden layers, at the last probed step. */
  deadFrac: number;
  saturatedFrac: number;
  /** ‖∂L/∂z‖ first hidden layer / last hidden layer at the last probed step. */
  gradientRatio: number | null;
}

/** One activation's row of the table: every metric over seeds. */
export interface ActivationSummary {
  activation: string;
  seeds: number[];
  trainLoss: Spread | null;
  trainAccuracy: Spread | null;
  /** At the end of the step budget. */
  testLoss: Spread | null;
  testAccuracy: Spread | null;
  /** At each seed's best held-out step (early stopping with patience): what the race ranks by. */
  bestTestLoss: Spread | null;
  bestTestAccuracy: Spread | null;
  bestStep: Spread | null;
  /** Held-out loss at the end minus at the best step (overfitting shows as a rise). */
  heldOutRise: Spread | null;
  /** Over the seeds that reached the target; `reached` says how many did. */
  stepsToTarget: Spread | null;
  reached: number;
  stepsToTargetAccuracy: Spread | null;
  reachedAccuracy: number;
  msPerStep: Spread | null;
  deadFrac: Spread | null;
  saturatedFrac: Spread | null;
  /** Per hidden layer (input side first), mean over seeds of the final fraction. */
  deadPerLayer: number[];
  saturatedPerLayer: number[];
  /** Over log10 of the ratio: negative = smaller at the input side (vanishing); −3 = 1000× smaller. */
  log10GradientRatio: Spread | null;
  /** Forward + backward ns per element of the activation's kernels, measured in isolation (kernelCost). */
  kernelNs: number | null;
  /** µs of activation kernels per training step: kernelNs × batch × width × depth. */
  kernelMicrosPerStep: number | null;
  /** Index into recommendation.tieGroups (0 = the leaders). */
  tieGroup: number;
  runs: RunMetrics[];
}

/** The verdict of `compare`. */
export interface Recommendation {
  /** Activations by mean held-out loss at the end of the budget, best first (the original field). */
  ranking: string[];
  /** Problems found per activation: "vanishing", "dead", "overfitting", "failed". */
  flags: Record<string, string[]>;
  /** The activation to use, and why, one reason per line. */
  activation: string | null;
  reasons: string[];
  /** Ties: by mean held-out loss at the best step, each group the seeds cannot separate, best first. */
  tieGroups: string[][];
  /** Contenders tied with the recommended one. */
  tiedWith: string[];
  /** Every pair compared seed by seed on held-out loss at the best step. */
  comparisons: PairedComparison[];
}

/** Options of {@link summarizeRace}. */
export interface SummarizeOptions {
  config: RunConfig;
  targetLoss: number;
  targetAccuracy: number | null;
  patience: number;
  /** Measure kernel cost (default true; the number is cached per process). */
  costs?: boolean;
}

/** What `summarizeRace` returns: the activations' rows, the recommendation and the kernel costs. */
export interface RaceSummary {
  activations: ActivationSummary[];
  recommendation: Recommendation;
  kernelCost: KernelCost[];
}

/** Scores finished runs with the race protocol (in the order of `names`) and recommends an activation. */
export function summarizeRace(runs: readonly RaceRun[], names: readonly string[], options: SummarizeOptions): RaceSummary {
  const ordered = names.flatMap((n) => runs.filter((r) => r.contender === n));
  const race = scoreRace(ordered, { patience: options.patience, targetLoss: options.targetLoss, targetAccuracy: options.targetAccuracy });
  const resolved = resolveRunConfig({ ...options.config, activation: names[0] ?? "relu" });
  const net = { batchSize: resolved.batchSize, width: resolved.width, depth: resolved.depth };
  const costs = options.costs === false ? [] : kernelCost(race.contenders.map((c) => c.contender), { params: Object.fromEntries(race.contenders.map((c) => [c.contender, resolved.params])) });
  const advice: ActivationAdvice = recommendActivation(race, { costs, net, trainSize: trainSize(options.config) });
  const activations = race.contenders.map((c) => summary(c, costs, race.tieGroups, advice));
  const ranked = activations.filter((s) => s.testLoss).sort((a, b) => a.testLoss!.mean - b.testLoss!.mean);
  return {
    activations,
    kernelCost: costs,
    recommendation: {
      ranking: ranked.map((s) => s.activation),
      flags: advice.flags, activation: advice.activation, reasons: advice.reasons,
      tieGroups: race.tieGroups, tiedWith: advice.tiedWith, comparisons: race.comparisons,
    },
  };
}

/** The thresholds behind the flags and the advice (all in the JSON, so a reader can check the verdict). */
export const thresholds = adviceThresholds;

function summary(c: ContenderScore, costs: KernelCost[], groups: string[][], advice: ActivationAdvice): ActivationSummary {
  const ns = costs.find((k) => k.activation === c.contender)?.ns ?? null;
  return {
    activation: c.contender,
    seeds: c.seeds,
    trainLoss: c.trainLoss, trainAccuracy: c.trainAccuracy,
    testLoss: c.endLoss, testAccuracy: c.endAccuracy,
    bestTestLoss: c.bestLoss, bestTestAccuracy: c.bestAccuracy, bestStep: c.bestStep, heldOutRise: c.heldOutRise,
    stepsToTarget: c.stepsToTargetLoss, reached: c.reachedLoss,
    stepsToTargetAccuracy: c.stepsToTargetAccuracy, reachedAccuracy: c.reachedAccuracy,
    msPerStep: c.msPerStep, deadFrac: c.deadFrac, saturatedFrac: c.saturatedFrac,
    deadPerLayer: c.deadPerLayer, saturatedPerLayer: c.saturatedPerLayer,
    log10GradientRatio: c.log10GradientRatio,
    kernelNs: ns, kernelMicrosPerStep: advice.stepMicros[c.contender] ?? null,
    tieGroup: groups.findIndex((g) => g.includes(c.contender)),
    runs: c.runs.map((r) => ({
      seed: r.seed, status: r.status, trainLoss: r.trainLoss, trainAccuracy: r.trainAccuracy,
      testLoss: r.end?.loss ?? NaN, testAccuracy: r.end?.accuracy ?? NaN,
      bestTestLoss: r.best?.loss ?? null, bestTestAccuracy: r.best?.accuracy ?? null, bestStep: r.best?.step ?? null, stoppedAt: r.stoppedAt,
      stepsToTarget: r.stepsToTargetLoss, stepsToTargetAccuracy: r.stepsToTargetAccuracy,
      msPerStep: r.msPerStep, deadFrac: r.deadFrac, saturatedFrac: r.saturatedFrac, gradientRatio: r.gradientRatio,
    })),
  };
}

/** Training examples of a config's data set (the 2-D sets are drawn whole; digits keep 80 % for training). */
function trainSize(config: RunConfig): number {
  const r = resolveRunConfig(config);
  if (r.dataset === "digits") return Math.round(Math.ceil((r.n ?? 2000) / 10) * 10 * 0.8);
  const opts: Record<string, number> = { seed: r.seed };
  if (r.n !== undefined) opts.n = r.n;
  return dataset(r.dataset, opts).n;
}
