import { finalHiddenLayers, gradientRatio, isRow, type Row } from "@gradscope/stream";
import type { FinishedRun } from "./compareRuns.js";

/** A quantity over seeds: mean and spread (sample standard deviation; 0 with one seed), null when no seed has it. */
export interface Spread {
  mean: number;
  spread: number;
  /** Seeds that had a value. */
  n: number;
}

/** One seed's measurements (the numbers behind a table cell). */
export interface RunMetrics {
  seed: number;
  status: string;
  /** Mean mini-batch loss and accuracy over the last 10 % of steps (at least 1). */
  trainLoss: number;
  trainAccuracy: number;
  /** The last held-out evaluation. */
  testLoss: number;
  testAccuracy: number;
  /** First step at which the 20-step moving average of the mini-batch loss is ≤ the target; null if never. */
  stepsToTarget: number | null;
  /** Mean training ms per step (probes excluded). */
  msPerStep: number;
  /** Mean over hidden layers, at the last probed step. */
  deadFrac: number;
  saturatedFrac: number;
  /** ‖∂L/∂z‖ first hidden layer / last hidden layer at the last probed step. */
  gradientRatio: number | null;
}

/** One activation's row of the table: every metric as mean ± spread over seeds. */
export interface ActivationSummary {
  activation: string;
  seeds: number[];
  trainLoss: Spread | null;
  trainAccuracy: Spread | null;
  testLoss: Spread | null;
  testAccuracy: Spread | null;
  /** Over the seeds that reached the target; `reached` says how many did. */
  stepsToTarget: Spread | null;
  reached: number;
  msPerStep: Spread | null;
  deadFrac: Spread | null;
  saturatedFrac: Spread | null;
  /** Over log10 of the ratio: mean is the geometric mean's log10, spread its standard deviation in decades. */
  log10GradientRatio: Spread | null;
  runs: RunMetrics[];
}

/** Measures one finished run. */
export function runMetrics(rows: Row[], seed: number, targetLoss: number): RunMetrics {
  const steps = rows.filter(isRow("step"));
  const tail = steps.slice(-Math.max(1, Math.ceil(steps.length / 10)));
  const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
  let stepsToTarget: number | null = null;
  let window = 0;
  for (let i = 0; i < steps.length; i++) {
    window += steps[i]!.loss - (i >= 20 ? steps[i - 20]!.loss : 0);
    if (i >= 19 && window / 20 <= targetLoss) {
      stepsToTarget = steps[i]!.step;
      break;
    }
  }
  const hidden = finalHiddenLayers(rows);
  const evalRow = rows.filter(isRow("eval")).at(-1);
  return {
    seed,
    status: rows.filter(isRow("status")).at(-1)?.status ?? "incomplete",
    trainLoss: avg(tail.map((s) => s.loss)),
    trainAccuracy: avg(tail.map((s) => s.accuracy)),
    testLoss: evalRow?.loss ?? NaN,
    testAccuracy: evalRow?.accuracy ?? NaN,
    stepsToTarget,
    msPerStep: avg(steps.map((s) => s.ms)),
    deadFrac: avg(hidden.map((l) => l.deadFrac)),
    saturatedFrac: avg(hidden.map((l) => l.saturatedFrac)),
    gradientRatio: gradientRatio(hidden),
  };
}

/** Mean ± sample standard deviation of the finite values; null when there are none. */
export function spread(values: (number | null)[]): Spread | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, spread: sd, n: xs.length };
}

/** Groups finished runs by activation (in the order given) and summarises each group. */
export function aggregate(runs: FinishedRun[], activations: string[], targetLoss: number): ActivationSummary[] {
  return activations.flatMap((activation) => {
    const mine = runs.filter((r) => r.job.activation === activation && !r.error);
    if (mine.length === 0) return [];
    const ms = mine.map((r) => runMetrics(r.rows, r.job.seed, targetLoss));
    const pick = (f: (m: RunMetrics) => number | null) => spread(ms.map(f));
    return [{
      activation,
      seeds: ms.map((m) => m.seed),
      trainLoss: pick((m) => m.trainLoss),
      trainAccuracy: pick((m) => m.trainAccuracy),
      testLoss: pick((m) => m.testLoss),
      testAccuracy: pick((m) => m.testAccuracy),
      stepsToTarget: pick((m) => m.stepsToTarget),
      reached: ms.filter((m) => m.stepsToTarget !== null).length,
      msPerStep: pick((m) => m.msPerStep),
      deadFrac: pick((m) => m.deadFrac),
      saturatedFrac: pick((m) => m.saturatedFrac),
      log10GradientRatio: pick((m) => (m.gradientRatio !== null && m.gradientRatio > 0 ? Math.log10(m.gradientRatio) : null)),
      runs: ms,
    }];
  });
}
