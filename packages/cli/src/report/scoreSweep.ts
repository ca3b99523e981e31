import { estimate, pairedComparison, scoreScoredRace, type Estimate, type PairedComparison, type RaceScore, type RunScore } from "@gradscope/stream";
import type { SweepPoint } from "../sweep/expandSweep.js";
import type { SweepReading, SweepReportRun } from "./readSweep.js";

/** What ranks a sweep: held-out loss or accuracy at each run's best step (early stopping on the loss). */
export type SweepMetric = "loss" | "accuracy";

/** The metric of one run; null when it has none (no finite evaluation: diverged before, or not run). */
export const metricOf = (score: RunScore | undefined, metric: SweepMetric): number | null => {
  const v = metric === "accuracy" ? score?.best?.accuracy : score?.best?.loss;
  return v !== undefined && Number.isFinite(v) ? v : null;
};

/** How the runs of a group (an axis value, a grid point) stand. */
export interface RunCounts {
  planned: number;
  /** Finished runs (a recording with a status row), of which `diverged` ended diverged. */
  finished: number;
  diverged: number;
  /** Recordings without a status row, failed runs (no recording), runs not run yet. */
  unfinished: number;
  failed: number;
  missing: number;
}

/** One axis of a sweep raced: each of its values is a contender over the seeds and every other axis. */
export interface SweepAxisRace {
  axis: string;
  /** The race protocol's scoring (`scoreScoredRace`): contenders named `String(value)`, runs paired by seed and the other axes' values. */
  race: RaceScore;
  /** The axis' values in the sweep file's order, with their run counts. */
  values: { value: string | number | boolean; name: string; counts: RunCounts }[];
  /** Contender names, best first (the tie groups, flattened). */
  order: string[];
}

/** One grid point over its seeds. */
export interface SweepConfigScore {
  point: SweepPoint;
  /** The metric over the seeds that have it: mean, 95 % interval, and the range. */
  metric: Estimate | null;
  min: number;
  max: number;
  counts: RunCounts;
  /** This point against the best point, seed by seed (null for the best point itself). */
  versusBest: PairedComparison | null;
}

/** A sweep, scored. */
export interface SweepScore {
  metric: SweepMetric;
  axes: SweepAxisRace[];
  /** Every grid point, best first by the metric's mean (points without a value last, in the sweep's order). */
  configs: SweepConfigScore[];
  counts: RunCounts;
}

/** Options of {@link scoreSweep}. */
export interface ScoreSweepOptions {
  metric?: SweepMetric;
  /** Confidence level (default 0.95) and the relative margin below which a difference is a tie (default 0.02). */
  level?: number;
  relativeMargin?: number;
}

export function countRuns(runs: readonly SweepReportRun[]): RunCounts {
  const c: RunCounts = { planned: runs.length, finished: 0, diverged: 0, unfinished: 0, failed: 0, missing: 0 };
  for (const r of runs) {
    c[r.state]++;
    if (r.state === "finished" && r.summary?.status === "diverged") c.diverged++;
  }
  return c;
}

const pointKey = (point: SweepPoint, skip?: string) => JSON.stringify(Object.entries(point).filter(([k]) => k !== skip));

/**
 * Scores a sweep the way the race protocol scores a race: per axis, each value is a contender whose runs
 * are every finished run with that value (all seeds, all values of the other axes); two values are
 * compared pair by pair of runs that share the seed and every other axis' value, with 95 % intervals,
 * ties when the pairs do not separate them. Per grid point, the metric over its seeds, its range, and a
 * paired comparison with the best point.
 * @example
 * const scored = scoreSweep(await readSweep("runs"), { metric: "loss" });
 * scored.axes[0].order; // ["elu", "relu"]: best first
 */
export function scoreSweep(sweep: SweepReading, options: ScoreSweepOptions = {}): SweepScore {
  const metric = options.metric ?? "loss";
  const level = options.level ?? 0.95, relativeMargin = options.relativeMargin ?? 0.02;
  const finished = sweep.runs.filter((r) => r.state === "finished" && r.score);
  const name = (v: unknown) => String(v);

  const axes = sweep.axes.map(({ name: axis, values }): SweepAxisRace => {
    const race = scoreScoredRace(finished.map((r) => ({
      contender: name(r.point[axis]), seed: r.seed, score: r.score!, pair: `${pointKey(r.point, axis)}/${r.seed}`,
    })), { metric, level, relativeMargin });
    return {
      axis, race,
      values: values.map((value) => ({ value, name: name(value), counts: countRuns(sweep.runs.filter((r) => name(r.point[axis]) === name(value))) })),
      order: race.tieGroups.flat(),
    };
  });

  // grid points, in the sweep's order
  const byPoint = new Map<string, SweepReportRun[]>();
  for (const r of sweep.runs) {
    const k = pointKey(r.point);
    byPoint.set(k, [...(byPoint.get(k) ?? []), r]);
  }
  const better = (a: number, b: number) => (metric === "accuracy" ? b - a : a - b);
  const configs = [...byPoint.values()].map((runs) => {
    const values = runs.map((r) => (r.state === "finished" ? metricOf(r.score, metric) : null)).filter((v): v is number => v !== null);
    return { point: runs[0]!.point, runs, metric: estimate(values, level), min: Math.min(...values), max: Math.max(...values), counts: countRuns(runs), versusBest: null as PairedComparison | null };
  });
  configs.sort((a, b) => (a.metric && b.metric ? better(a.metric.mean, b.metric.mean) : a.metric ? -1 : b.metric ? 1 : 0));
  const best = configs[0];
  const bySeed = (runs: SweepReportRun[]) => new Map(runs.map((r) => [r.seed, r.state === "finished" ? metricOf(r.score, metric) : null]));
  if (best?.metric) {
    for (const c of configs.slice(1)) {
      if (!c.metric) continue;
      const margin = relativeMargin * Math.abs(best.metric.mean);
      c.versusBest = pairedComparison(label(c.point), bySeed(c.runs), label(best.point), bySeed(best.runs), { level, margin, lowerIsBetter: metric !== "accuracy" });
    }
  }
  return { metric, axes, configs: configs.map(({ runs: _, ...c }) => c), counts: countRuns(sweep.runs) };
}

/** A grid point in words: "activation relu · depth 2". */
export function label(point: SweepPoint): string {
  return Object.entries(point).map(([k, v]) => `${k} ${String(v)}`).join(" · ");
}
