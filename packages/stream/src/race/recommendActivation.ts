import { alertThresholds } from "../operators/detectAlerts.js";
import type { KernelCost } from "./kernelCost.js";
import type { ContenderScore, RaceScore } from "./scoreRace.js";

/** Thresholds behind the advice's flags; a report prints them so a reader can check the verdict. */
export const adviceThresholds = {
  /** First ÷ last hidden-layer ‖∂L/∂z‖ below this: early layers barely learn ("vanishing"); detectAlerts' threshold. */
  vanishingRatio: alertThresholds.vanishingRatio,
  /** Mean final dead fraction of hidden units above this: "dead". */
  deadFrac: 0.5,
  /** Held-out minus training loss at the end above this (nats): "overfitting". */
  overfitGap: 0.1,
  /** Held-out loss at the end above its best by this fraction of the best, and by at least `overfitRiseMin` nats: "overfitting" too. */
  overfitRise: 0.1,
  overfitRiseMin: 0.02,
  /** Extra activation-kernel time per step, as a fraction of a measured step, still "acceptable". */
  costBudget: 0.1,
  /** Training examples from which PReLU's learned slope is worth it ("plenty of data"). */
  plentyOfData: 10_000,
};

/** Options of {@link recommendActivation}. */
export interface RecommendOptions {
  /** Kernel cost per activation (see kernelCost); without it, cost is not argued. */
  costs?: readonly KernelCost[];
  /** The contenders' network, to turn ns per element into µs per step. */
  net?: { batchSize: number; width: number; depth: number };
  /** Training examples (PReLU wants plenty). */
  trainSize?: number;
  /** Contender name → activation name, when they differ ("relu, bias −3" → "relu"). Default: the same. */
  activationOf?: Record<string, string>;
  thresholds?: Partial<typeof adviceThresholds>;
}

/** What the advisor recommends, and its evidence. */
export interface ActivationAdvice {
  /** The contender to use (null when no run finished). */
  activation: string | null;
  /** Contenders the evidence could not separate from it (its tie group, itself excluded). */
  tiedWith: string[];
  /** Problems per contender: "vanishing", "dead", "overfitting", "failed". */
  flags: Record<string, string[]>;
  /** Activation kernel µs per training step per contender (null without costs). */
  stepMicros: Record<string, number | null>;
  /** One sentence per step of the procedure, each with its numbers. */
  reasons: string[];
}

/**
 * The tutorial's procedure, driven by a scored race: start with ReLU; if it loses by a margin the seeds
 * support, or its units are mostly dead, name Leaky ReLU or ELU (ELU when its measured extra kernel cost
 * is acceptable); PReLU only with plenty of data; RReLU when the train–held-out gap says overfitting.
 * Contenders the paired comparison cannot separate are a tie, and the cheapest of the tied (by kernel
 * cost) is recommended. Contenders whose gradients vanish or whose units are dead are passed over while
 * a healthy one ties.
 * @example
 * const advice = recommendActivation(scoreRace(runs), { costs: kernelCost(["relu", "elu"]), net });
 * advice.activation; advice.reasons.join("\n");
 */
export function recommendActivation(race: RaceScore, options: RecommendOptions = {}): ActivationAdvice {
  const t = { ...adviceThresholds, ...options.thresholds };
  const byName = new Map(race.contenders.map((c) => [c.contender, c]));
  const actOf = (name: string) => options.activationOf?.[name] ?? name;
  const costOf = (name: string) => options.costs?.find((k) => k.activation === actOf(name))?.ns ?? null;
  const micros = (name: string) => {
    const ns = costOf(name);
    return ns !== null && options.net ? (ns * options.net.batchSize * options.net.width * options.net.depth) / 1000 : null;
  };
  const stepMicros = Object.fromEntries(race.contenders.map((c) => [c.contender, micros(c.contender)]));
  const flags = Object.fromEntries(race.contenders.map((c) => [c.contender, flagsOf(c, t)]));
  const healthy = (name: string) => !flags[name]!.some((f) => f === "vanishing" || f === "dead" || f === "failed");
  const f2 = (v: number) => Number(v.toPrecision(2)).toString();
  const f3 = (v: number) => Number(v.toPrecision(3)).toString();
  const loss = (name: string) => {
    const e = byName.get(name)!.bestLoss!;
    return `${f3(e.mean)} ± ${Number.isFinite(e.halfWidth) ? f2(e.halfWidth) : "?"}`;
  };
  const n = Math.max(0, ...race.contenders.map((c) => c.seeds.length));
  const reasons: string[] = [];

  // 1. the first tie group holding a healthy contender is where the answer lies
  const group = race.tieGroups.find((g) => g.some((name) => healthy(name) && byName.get(name)!.bestLoss)) ??
    race.tieGroups.find((g) => byName.get(g[0]!)?.bestLoss);
  if (!group) return { activation: null, tiedWith: [], flags, stepMicros, reasons: ["no run finished"] };
  const first = race.tieGroups[0]!;
  if (group !== first) reasons.push(`${first.join(", ")} ${first.length > 1 ? "lead" : "leads"} on held-out loss but ${first.length > 1 ? "are" : "is"} flagged (${first.map((c) => `${c}: ${flags[c]!.join(", ")}`).join("; ")}): passed over`);
  const pool = group.filter(healthy).length ? group.filter(healthy) : group;
  for (const c of race.contenders) {
    if (flags[c.contender]!.includes("vanishing")) reasons.push(`${c.contender}: gradients vanish – first ÷ last hidden-layer ‖∂L/∂z‖ = 10^${c.log10GradientRatio!.mean.toFixed(1)} < ${t.vanishingRatio}: its early layers barely learn`);
    if (flags[c.contender]!.includes("dead")) reasons.push(`${c.contender}: ${Math.round(100 * c.deadFrac!.mean)} % of hidden units dead at the end (> ${100 * t.deadFrac} %)`);
  }

  // 2. start with ReLU: it stays if it is in the pool (a tie is good enough: it is the cheapest)
  const relu = race.contenders.find((c) => actOf(c.contender) === "relu" && c.contender === "relu") ?? race.contenders.find((c) => actOf(c.contender) === "relu");
  if (relu && !pool.includes(relu.contender) && relu.bestLoss) {
    const leader = group[0]!;
    const cmp = race.comparisons.find((c) => (c.a === relu.contender && c.b === leader) || (c.b === relu.contender && c.a === leader));
    const why = flags[relu.contender]!.includes("dead") ? "most of its units are dead"
      : `it loses on held-out loss at the best step: ${loss(relu.contender)} against ${leader}'s ${loss(leader)}${cmp ? ` (${cmp.because})` : ""}`;
    reasons.push(`start with relu: ${why}`);
  }

  // 3. choose within the pool: cheapest first, PReLU only with plenty of data, RReLU when overfitting
  const overfits = race.contenders.filter((c) => flags[c.contender]!.includes("overfitting"));
  let candidates = [...pool];
  const plenty = (options.trainSize ?? 0) >= t.plentyOfData;
  if (!plenty && candidates.some((c) => actOf(c) !== "prelu")) candidates = candidates.filter((c) => actOf(c) !== "prelu");
  const cheapest = (names: string[]) => [...names].sort((a, b) => (costOf(a) ?? Infinity) - (costOf(b) ?? Infinity) || byName.get(a)!.bestLoss!.mean - byName.get(b)!.bestLoss!.mean)[0]!;
  let pick = cheapest(candidates.filter((c) => byName.get(c)!.bestLoss));
  const rrelu = candidates.find((c) => actOf(c) === "rrelu");
  if (rrelu && flags[pick]!.includes("overfitting") && !flags[rrelu]!.includes("overfitting")) {
    reasons.push(`${pick} overfits and rrelu, which ties with it, does not: rrelu's random leak regularises`);
    pick = rrelu;
  }
  const tiedWith = group.filter((c) => c !== pick);
  const costWords = (name: string) => {
    const ns = costOf(name), us = micros(name);
    return ns === null ? "" : ` (${f2(ns)} ns per element${us !== null ? `, ${f2(us)} µs of activation kernels per step` : ""})`;
  };
  if (tiedWith.length) {
    reasons.push(`${[pick, ...tiedWith].join(", ")} tie on held-out loss at the best step (${n} seed${n === 1 ? "" : "s"}; paired comparison, 95 % interval of the difference contains 0 or the difference is under ${Math.round(100 * race.options.relativeMargin)} %): ` +
      `${options.costs ? `${pick} is the cheapest of them${costWords(pick)}` : `${pick} comes first in the tutorial's order`}`);
  } else {
    reasons.push(`${pick} has the lowest held-out loss at the best step, ${loss(pick)}, and the seeds separate it from every other contender${costWords(pick)}`);
  }
  if (actOf(pick) === "elu" && options.costs) {
    const cheaper = race.contenders.filter((c) => ["relu", "leakyRelu"].includes(actOf(c.contender))).map((c) => c.contender);
    const base = cheaper.length ? cheapest(cheaper) : null;
    const extra = base !== null ? (micros(pick) ?? 0) - (micros(base) ?? 0) : null;
    const step = byName.get(pick)!.msPerStep?.mean;
    if (extra !== null && step) {
      const share = extra / (step * 1000);
      reasons.push(`elu's exponential costs ${f2(extra)} µs per step more than ${base}'s kernels, ${f2(100 * share)} % of a measured ${f2(step)} ms step: ${share <= t.costBudget ? "acceptable" : `more than ${100 * t.costBudget} % – if compute is tight, ${base} is next`}`);
    }
  }
  if (overfits.length) {
    const c = byName.get(pick)!;
    const allOver = overfits.length === race.contenders.length;
    const detail = c.endLoss && c.bestLoss && c.bestStep && c.trainLoss
      ? `: ${pick}'s held-out loss was ${f3(c.bestLoss.mean)} at step ~${Math.round(c.bestStep.mean)}, ${f3(c.endLoss.mean)} at the end, while its training loss fell to ${f2(c.trainLoss.mean)}`
      : "";
    reasons.push(`${allOver ? "every contender overfits" : `${overfits.map((o) => o.contender).join(", ")} overfit${overfits.length === 1 ? "s" : ""}`}${flags[pick]!.includes("overfitting") ? detail : ""}; the race reads held-out numbers at the best step (early stopping, patience ${race.options.patience} evaluations), not after the overfitting` +
      (flags[pick]!.includes("overfitting") && !race.contenders.some((o) => actOf(o.contender) === "rrelu") ? "; rrelu (a random leak regularises) or more data may help" : ""));
  }
  if (race.contenders.some((c) => actOf(c.contender) === "prelu") && actOf(pick) !== "prelu") {
    reasons.push(`prelu learns its slope: worth it with plenty of data (≥ ${t.plentyOfData.toLocaleString("en")} examples; here ${options.trainSize?.toLocaleString("en") ?? "unknown"})${plenty ? "" : ", so it is not preferred"}`);
  }
  return { activation: pick, tiedWith, flags, stepMicros, reasons };
}

function flagsOf(c: ContenderScore, t: typeof adviceThresholds): string[] {
  const f: string[] = [];
  if (!c.bestLoss) return ["failed"];
  if (c.log10GradientRatio && c.log10GradientRatio.mean < Math.log10(t.vanishingRatio)) f.push("vanishing");
  if (c.deadFrac && c.deadFrac.mean > t.deadFrac) f.push("dead");
  const gap = c.endLoss && c.trainLoss ? c.endLoss.mean - c.trainLoss.mean : 0;
  const rise = c.heldOutRise?.mean ?? 0;
  if (gap > t.overfitGap || (rise > t.overfitRiseMin && rise > t.overfitRise * c.bestLoss.mean)) f.push("overfitting");
  return f;
}
