import type { Row } from "../rows.js";
import { estimate, type Estimate } from "./estimate.js";
import { pairedComparison, type PairedComparison } from "./pairedComparison.js";
import { scoreRun, type RunScore, type ScoreRunOptions } from "./scoreRun.js";

/** One finished run of a race: which contender, which seed, and its rows. */
export interface RaceRun {
  contender: string;
  seed: number;
  rows: readonly Row[];
}

/** Options of {@link scoreRace}. */
export interface ScoreRaceOptions extends ScoreRunOptions {
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
  runs: (RunScore & { seed: number })[];
}

/** A scored race. */
export interface RaceScore {
  /** In the order the contenders were given. */
  contenders: ContenderScore[];
  /**
   * Contenders by mean held-out loss at the best step, best first, grouped: each group holds a leader and
   * every contender the paired comparison cannot separate from it (a tie).
   */
  tieGroups: string[][];
  /** Every pair, compared on held-out loss at the best step, seed by seed. */
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
  const opts = { patience: 5, targetLoss: 0.5, targetAccuracy: null, level: 0.95, relativeMargin: 0.02, ...options };
  const names = [...new Set(runs.map((r) => r.contender))];
  const contenders = names.map((contender) => summarise(contender, runs.filter((r) => r.contender === contender), opts));
  const bySeed = (c: ContenderScore) => new Map(c.runs.map((r) => [r.seed, r.best?.loss ?? null]));
  const comparisons: PairedComparison[] = [];
  const compare = (a: ContenderScore, b: ContenderScore) => {
    const better = Math.min(a.bestLoss?.mean ?? Infinity, b.bestLoss?.mean ?? Infinity);
    return pairedComparison(a.contender, bySeed(a), b.contender, bySeed(b), {
      level: opts.level, margin: Number.isFinite(better) ? opts.relativeMargin * Math.abs(better) : 0,
    });
  };
  for (let i = 0; i < contenders.length; i++) {
    for (let j = i + 1; j < contenders.length; j++) comparisons.push(compare(contenders[i]!, contenders[j]!));
  }
  return { contenders, tieGroups: tieGroups(contenders, comparisons), comparisons, options: opts };
}

/**
 * Best first by mean held-out loss at the best step; the first unplaced contender leads a group, which
 * takes every unplaced contender that ties with the leader. Contenders with no held-out loss come last,
 * alone.
 */
function tieGroups(contenders: ContenderScore[], comparisons: PairedComparison[]): string[][] {
  const order = [...contenders].sort((a, b) => (a.bestLoss?.mean ?? Infinity) - (b.bestLoss?.mean ?? Infinity));
  const verdict = (a: string, b: string) => comparisons.find((c) => (c.a === a && c.b === b) || (c.a === b && c.b === a))?.verdict;
  const placed = new Set<string>();
  const groups: string[][] = [];
  for (const leader of order) {
    if (placed.has(leader.contender)) continue;
    placed.add(leader.contender);
    const group = [leader.contender];
    if (leader.bestLoss) {
      for (const other of order) {
        if (placed.has(other.contender) || !other.bestLoss) continue;
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

function summarise(contender: string, runs: readonly RaceRun[], opts: Required<ScoreRunOptions> & { level: number }): ContenderScore {
  const scored = runs.map((r) => ({ ...scoreRun(r.rows, opts), seed: r.seed }));
  const est = (f: (s: RunScore) => number | null | undefined) => estimate(scored.map(f), opts.level);
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
