import type { ActivationSummary } from "./aggregate.js";

/** Thresholds behind the flags; every one is in the JSON so a reader can check the verdict. */
export const thresholds = {
  /** First/last hidden-layer ‖∂L/∂z‖ below this: early layers barely learn. */
  vanishingRatio: 1e-3,
  /** Mean dead fraction above this: half the units give no gradient. */
  deadFrac: 0.5,
  /** Held-out minus training loss above this (nats): overfitting. */
  overfitGap: 0.1,
};

/** The verdict of `compare`. */
export interface Recommendation {
  /** Activations by mean held-out loss, best first. */
  ranking: string[];
  /** Problems found per activation: "vanishing", "dead", "overfitting", "failed". */
  flags: Record<string, string[]>;
  /** The activation to use, and why, one reason per line. */
  activation: string | null;
  reasons: string[];
}

/**
 * The usual advice – ReLU first, then Leaky ReLU or ELU, PReLU with lots of data, RReLU when
 * overfitting – made quantitative: rank by held-out loss; drop activations whose gradients vanish,
 * whose units are mostly dead, or that failed; prefer ReLU when it is within the seeds' spread of the
 * best (it is the cheapest); name the overfitting gap and the cost per step.
 */
export function recommend(summaries: ActivationSummary[]): Recommendation {
  const flags: Record<string, string[]> = {};
  for (const s of summaries) {
    const f: string[] = [];
    if (s.log10GradientRatio && s.log10GradientRatio.mean < Math.log10(thresholds.vanishingRatio)) f.push("vanishing");
    if (s.deadFrac && s.deadFrac.mean > thresholds.deadFrac) f.push("dead");
    if (s.testLoss && s.trainLoss && s.testLoss.mean - s.trainLoss.mean > thresholds.overfitGap) f.push("overfitting");
    if (!s.testLoss) f.push("failed");
    flags[s.activation] = f;
  }
  const ranked = summaries.filter((s) => s.testLoss).sort((a, b) => a.testLoss!.mean - b.testLoss!.mean);
  const ranking = ranked.map((s) => s.activation);
  const healthy = ranked.filter((s) => !flags[s.activation]!.some((f) => f === "vanishing" || f === "dead"));
  const reasons: string[] = [];
  const fmt = (v: number) => v.toPrecision(3);
  for (const s of ranked) {
    const f = flags[s.activation]!;
    if (f.includes("vanishing")) reasons.push(`${s.activation}: gradients vanish – first/last hidden-layer ratio 10^${s.log10GradientRatio!.mean.toFixed(1)} < ${thresholds.vanishingRatio}: its early layers barely learn`);
    if (f.includes("dead")) reasons.push(`${s.activation}: ${(100 * s.deadFrac!.mean).toFixed(0)} % of units dead (> ${100 * thresholds.deadFrac} %)`);
  }
  let best = healthy[0] ?? ranked[0];
  if (!best) return { ranking, flags, activation: null, reasons: ["no run finished"] };
  reasons.push(`${best.activation} has the lowest held-out loss${healthy[0] === best ? " among the healthy ones" : ""}: ${fmt(best.testLoss!.mean)} ± ${fmt(best.testLoss!.spread)}`);
  const relu = healthy.find((s) => s.activation === "relu");
  if (relu && relu !== best && flags.relu!.length > 0) {
    reasons.push(`relu is not preferred despite being cheapest: flagged ${flags.relu!.join(", ")}`);
  } else if (relu && relu !== best) {
    const margin = Math.max(best.testLoss!.spread, relu.testLoss!.spread);
    if (relu.testLoss!.mean - best.testLoss!.mean <= margin) {
      reasons.push(`relu is within the seeds' spread of it (${fmt(relu.testLoss!.mean)} vs ${fmt(best.testLoss!.mean)}, spread ${fmt(margin)}) and is the cheapest: use relu first`);
      best = relu;
    } else {
      reasons.push(`relu is worse by more than the seeds' spread (${fmt(relu.testLoss!.mean)} vs ${fmt(best.testLoss!.mean)}, spread ${fmt(margin)})`);
    }
  }
  const reluMs = summaries.find((s) => s.activation === "relu")?.msPerStep?.mean;
  if (reluMs && best.msPerStep && best.activation !== "relu") reasons.push(`cost: ${best.activation} takes ${fmt(best.msPerStep.mean)} ms/step, ×${(best.msPerStep.mean / reluMs).toFixed(2)} relu's`);
  if (flags[best.activation]!.includes("overfitting")) {
    const gap = best.testLoss!.mean - best.trainLoss!.mean;
    const rrelu = summaries.find((s) => s.activation === "rrelu");
    reasons.push(`it overfits: held-out loss exceeds training loss by ${fmt(gap)} (> ${thresholds.overfitGap})` +
      (rrelu?.testLoss ? `; rrelu's gap is ${fmt(rrelu.testLoss.mean - rrelu.trainLoss!.mean)}` : "; try rrelu (a random leak regularises) or more data"));
  }
  if (summaries.some((s) => s.activation === "prelu")) reasons.push("prelu learns its slope: prefer it only with plenty of data, when it beats leakyRelu by more than the spread");
  return { ranking, flags, activation: best.activation, reasons };
}
