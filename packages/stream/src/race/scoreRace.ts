import type { Row } from "../rows.js";
import { estimate, type Estimate } from "./estimate.js";
import { pairedComparison, type PairedComparison } from "./pairedComparison.js";
import { scoreRun, type RunScore, type ScoreRunOptions } from "./scoreRun.js";

/** One finished run of a race: which contender, which seed, and its rows. */
export interface RaceRun {
  contender: string;
  seed: number;
  rows: readonly Row[];
  /**
   * The run already scored over all of its rows, with the race's patience and targets (a `RunScorer` fed
   * while a recording streams by, when `rows` keeps only a decimated subset): used instead of scoring `rows`.
   */
  score?: RunScore;
}

/**
 * One run of a race already scored (a sweep's runs are scored as they stream by, see `RunScorer`).
 * `pair` says which runs of two contenders are compared with each other: by default the seed; a sweep
 * pairs runs that share the seed and every other axis' value.
 */
export interface ScoredRaceRun {
  contender: string;
  seed: number;
  score: RunScore;
  pair?: string | number;
}

/** Options of {@link scoreRace}. */
export interface ScoreRaceOptions extends ScoreRunOptions {
  /**
   * What ranks contenders, pairs them and decides ties: held-out loss (lower is better, the default) or
   * held-out accuracy (higher is better), both at each run's best step (early stopping on the loss).
   */
  metric?: "loss" | "accuracy";
  /** Confidence level of every interval and paired comparison. Default 0.95. */
  level?: number;
  /**
   * The smallest difference in held-out loss at the best step that counts, relative to the better
   * contender's mean: 0.02 = a 2 % difference or less is a tie even when every seed agrees. Default 0.02.
   */
  relativeMargin?: number;
}

/** One contender over its seeds: every measurement as an {@link Estimate} (mean, spread, 95 % interval). */
export interface ContenderScore {
  contender: string;
  seeds: number[];
  /** Held-out loss and accuracy at each seed's best step (early stopping), and that step. */
  bestLoss: Estimate | null;
  bestAccuracy: Estimate | null;
  bestStep: Estimate | null;
  /** Held-out loss and accuracy at the end of the step budget. */
  endLoss: Estimate | null;
  endAccuracy: Estimate | null;
  /** Mean mini-batch loss and accuracy over the last 10 % of steps. */
  trainLoss: Estimate | null;
  trainAccuracy: Estimate | null;
  /** Held-out loss at the end minus at the best step: how far it rose (overfitting); ≥ 0. */
  heldOutRise: Estimate | null;
  /** Over the seeds that reached the target; `reachedLoss` / `reachedAccuracy` say how many did. */
  stepsToTargetLoss: Estimate | null;
  reachedLoss: number;
  stepsToTargetAccuracy: Estimate | null;
  reachedAccuracy: number;
  /** Median wall-clock ms per step of each seed. */
  msPerStep: Estimate | null;
  deadFrac: Estimate | null;
  saturatedFrac: Estimate | null;
  /** Mean over seeds of each hidden layer's final dead and saturated fraction (input side first). */
  deadPerLayer: number[];
  saturatedPerLayer: number[];
  /** log10 of ‖∂L/∂z‖ first ÷ last hidden layer: negative = smaller at the input side (vanishing). */
  log10GradientRatio: Estimate | null;
  runs: (RunScore & { seed: number; pair: string | number })[];
}

/** A scored race. */
export interface RaceScore {
  /** In the order the contenders were given. */
  contenders: ContenderScore[];
  /**
   * Contenders by the metric's mean (held-out loss at the best step by default), best first, grouped: each group holds a leader and
   * every contender the paired comparison cannot separate from it (a tie).
   */
  tieGroups: string[][];
  /** Every pair, compared on the metric (held-out loss at the best step by default), pair by pair of runs. */
  comparisons: PairedComparison[];
  options: Required<Omit<ScoreRaceOptions, "targetAccuracy">> & { targetAccuracy: number | null };
}

/**
 * The race protocol's scoring: each run read by {@link scoreRun} (held-out numbers at the best step and
 * at the end, steps to target), each contender summarised over its seeds with t-intervals, every pair
 * compared seed by seed on held-out loss at the best step, and contenders grouped into ties.
 * @example
 * const race = scoreRace(runs, { patience: 5 });
 * race.tieGroups; // [["relu", "elu"], ["sigmoid"]]: relu and elu tie, both beat sigmoid
 */
export function scoreRace(runs: readonly RaceRun[], options: ScoreRaceOptions = {}): RaceScore {
  const opts = raceOptions(options);
  return scoreScoredRace(runs.map((r) => ({ contender: r.contender, seed: r.seed, score: r.score ?? scoreRun(r.rows, opts) })), opts);
}

function raceOptions(options: ScoreRaceOptions): RaceScore["options"] {
  return { patience: 5, targetLoss: 0.5, targetAccuracy: null, level: 0.95, relativeMargin: 0.02, metric: "loss", ...options };
}

/**
 * {@link scoreRace} for runs already scored (by `scoreRun` or a `RunScorer`): the same summaries,
 * comparisons and tie groups. Runs are paired by `pair` (default: the seed). The scoring options
 * (patience, targets) are the ones the runs were scored with; here they are only reported back.
 * @example
 * scoreScoredRace([{ contender: "relu", seed: 1, score: scoreRun(rows) }, …], { metric: "accuracy" }).tieGroups;
 */
export function scoreScoredRace(runs: readonly ScoredRaceRun[], options: ScoreRaceOptions = {}): RaceScore {
  const opts = raceOptions(options);
  const names = [...new Set(runs.map((r) => r.contender))];
  const contenders = names.map((contender) => summarise(contender, runs.filter((r) => r.contender === contender), opts.level));
  const accuracy = opts.metric === "accuracy";
  const byPair = (c: ContenderScore) => new Map(c.runs.map((r) => [r.pair, (accuracy ? r.best?.accuracy : r.best?.loss) ?? null]));
  const comparisons: PairedComparison[] = [];
  const compare = (a: ContenderScore, b: ContenderScore) => {
    const better = accuracy
      ? Math.max(a.bestAccuracy?.mean ?? -Infinity, b.bestAccuracy?.mean ?? -Infinity)
      : Math.min(a.bestLoss?.mean ?? Infinity, b.bestLoss?.mean ?? Infinity);
    return pairedComparison(a.contender, byPair(a), b.contender, byPair(b), {
      level: opts.level, lowerIsBetter: !accuracy, margin: Number.isFinite(better) ? opts.relativeMargin * Math.abs(better) : 0,
    });
  };
  for (let i = 0; i < contenders.length; i++) {
    for (let j = i + 1; j < contenders.length; j++) comparisons.push(compare(contenders[i]!, contenders[j]!));
  }
  return { contenders, tieGroups: tieGroups(contenders, comparisons, opts.metric), comparisons, options: opts };
}

/**
 * Best first by the metric's mean (held-out loss or accuracy at the best step); the first unplaced contender leads a group, which
 * takes every unplaced contender that ties with the leader. Contenders with no held-out loss come last,
 * alone.
 */
function tieGroups(contenders: ContenderScore[], comparisons: PairedComparison[], metric: "loss" | "accuracy"): string[][] {
  const key = (c: ContenderScore) => (metric === "accuracy" ? -(c.bestAccuracy?.mean ?? -Infinity) : (c.bestLoss?.mean ?? Infinity));
  const order = [...contenders].sort((a, b) => key(a) - key(b));
  const verdict = (a: string, b: string) => comparisons.find((c) => (c.a === a && c.b === b) || (c.a === b && c.b === a))?.verdict;
  const placed = new Set<string>();
  const groups: string[][] = [];
  for (const leader of order) {
    if (placed.has(leader.contender)) continue;
    placed.add(leader.contender);
    const group = [leader.contender];
    const measured = (c: ContenderScore) => (metric === "accuracy" ? c.bestAccuracy : c.bestLoss) !== null;
    if (measured(leader)) {
      for (const other of order) {
        if (placed.has(other.contender) || !measured(other)) continue;
        if (verdict(leader.contender, other.contender) === "tie") {
          group.push(other.contender);
          placed.add(other.contender);
        }
      }
    }
    groups.push(group);
  }
  return groups;
}

function summarise(contender: string, runs: readonly ScoredRaceRun[], level: number): ContenderScore {
  const scored = runs.map((r) => ({ ...r.score, seed: r.seed, pair: r.pair ?? r.seed }));
  const est = (f: (s: RunScore) => number | null | undefined) => estimate(scored.map(f), level);
  const layerMeans = (f: (s: RunScore) => number[]) => {
    const depth = Math.max(0, ...scored.map((s) => f(s).length));
    return Array.from({ length: depth }, (_, l) => {
      const xs = scored.map((s) => f(s)[l]).filter((v): v is number => v !== undefined && Number.isFinite(v));
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
    });
  };
  return {
    contender,
    seeds: scored.map((s) => s.seed),
    bestLoss: est((s) => s.best?.loss),
    bestAccuracy: est((s) => s.best?.accuracy),
    bestStep: est((s) => s.best?.step),
    endLoss: est((s) => s.end?.loss),
    endAccuracy: est((s) => s.end?.accuracy),
    trainLoss: est((s) => s.trainLoss),
    trainAccuracy: est((s) => s.trainAccuracy),
    heldOutRise: est((s) => (s.best && s.end ? s.end.loss - s.best.loss : null)),
    stepsToTargetLoss: est((s) => s.stepsToTargetLoss),
    reachedLoss: scored.filter((s) => s.stepsToTargetLoss !== null).length,
    stepsToTargetAccuracy: est((s) => s.stepsToTargetAccuracy),
    reachedAccuracy: scored.filter((s) => s.stepsToTargetAccuracy !== null).length,
    msPerStep: est((s) => s.msPerStep),
    deadFrac: est((s) => s.deadFrac),
    saturatedFrac: est((s) => s.saturatedFrac),
    deadPerLayer: layerMeans((s) => s.deadPerLayer),
    saturatedPerLayer: layerMeans((s) => s.saturatedPerLayer),
    log10GradientRatio: est((s) => (s.gradientRatio !== null && s.gradientRatio > 0 ? Math.log10(s.gradientRatio) : null)),
    runs: scored,
  };
}
