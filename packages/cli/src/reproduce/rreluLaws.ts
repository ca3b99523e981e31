import { createRng, jsBackend, rrelu, type ActivationState } from "@gradscope/core";
import { reproduction, shouldStop, within, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { ksStatistic, variance } from "./stats.js";
import { mean } from "@gradscope/stream";

/** Options of {@link rreluLaws}. */
export interface RreluLawsOptions {
  /** Slopes drawn per law. Default 100 000. */
  samples?: number;
  seed?: number;
}

/** One law of `reproduce rrelu-laws`. */
export interface RreluLaw {
  law: "pytorch" | "paper";
  params: { lower: number; upper: number; inverse: number };
  /** Training-mode slopes: mean, variance, min, max – measured and exact. */
  train: { mean: number; variance: number; min: number; max: number; theoryMean: number; theoryVariance: number; ks: number; ksCritical: number };
  /** The eval-mode slope (every element), and the law's fixed value. */
  eval: { slope: number; theory: number };
}

/**
 * RReLU's two slope laws, measured through the backend's own kernels: a forward pass over −1s gives
 * −s per element. PyTorch: s ~ U(1/8, 1/3) in training, mean 11/48 ≈ 0.229, variance (5/24)²/12; eval
 * slope 11/48. The paper (Xu et al. 2015): s = 1/a, a ~ U(3, 8): CDF (8 − 1/s)/5 on [1/8, 1/3],
 * E[s] = ln(8/3)/5 ≈ 0.196, E[s²] = 1/24; eval slope 1/5.5 ≈ 0.182 (not E[s]). Checks: the
 * training law by a KS test at the 1 % level (1.628/√n), mean and variance within 4 standard errors,
 * and the eval slope exactly (to 1e-12).
 */
export async function rreluLaws(options: RreluLawsOptions, ctx: ExperimentContext): Promise<Reproduction<RreluLaw[]>> {
  const { samples = 100_000, seed = 1 } = options;
  const laws = [
    { law: "pytorch" as const, params: { lower: 1 / 8, upper: 1 / 3, inverse: 0 } },
    { law: "paper" as const, params: { lower: 3, upper: 8, inverse: 1 } },
  ];
  const out: RreluLaw[] = [];
  const checks: Check[] = [];
  let interrupted = false;
  for (const { law, params } of laws) {
    const act = rrelu.with(params);
    const { lower: l, upper: u } = params;
    const z = new Float64Array(samples).fill(-1), a = new Float64Array(samples);
    const state: ActivationState = { act, params: { ...act.params }, learned: [], learnedGrad: [], noise: new Float64Array(samples), rng: createRng(seed) };
    jsBackend.activationForward(state, z, a, samples, 1, true);
    const slopes = Array.from(a, (v) => -v);
    jsBackend.activationForward(state, z, a, samples, 1, false);
    const evalSlopes = Array.from(a, (v) => -v);
    const [theoryMean, theory2, cdf] = params.inverse
      ? [Math.log(u / l) / (u - l), 1 / (l * u), (s: number) => Math.min(1, Math.max(0, (u - 1 / s) / (u - l)))]
      : [(l + u) / 2, (l * l + l * u + u * u) / 3, (s: number) => Math.min(1, Math.max(0, (s - l) / (u - l)))];
    const theoryVariance = theory2 - theoryMean ** 2;
    const m = mean(slopes), v = variance(slopes);
    const ks = ksStatistic(slopes, cdf), ksCritical = 1.628 / Math.sqrt(samples);
    const evalTheory = params.inverse ? 2 / (l + u) : (l + u) / 2;
    const evalSlope = evalSlopes[0]!;
    const sameEval = evalSlopes.every((s) => s === evalSlope);
    out.push({
      law, params,
      train: { mean: m, variance: v, min: Math.min(...slopes), max: Math.max(...slopes), theoryMean, theoryVariance, ks, ksCritical },
      eval: { slope: sameEval ? evalSlope : NaN, theory: evalTheory },
    });
    // the fourth central moment of a law on [l', u'] is at most (u' − l')⁴/16, which bounds Var of the sample variance
    const width = params.inverse ? 1 / l - 1 / u : u - l;
    checks.push(
      { quantity: `${law}: KS distance of training slopes to the law`, ours: ks, theory: 0, tolerance: `≤ 1.628/√n = ${ksCritical.toPrecision(3)} (1 % level)`, pass: ks <= ksCritical },
      within(`${law}: mean training slope`, m, theoryMean, 4 * Math.sqrt(theoryVariance / samples), "4 SE"),
      within(`${law}: variance of training slopes`, v, theoryVariance, 4 * Math.sqrt(width ** 4 / 16 / samples), "4 SE (bound)"),
      within(`${law}: eval slope`, evalSlope, evalTheory, 1e-12, "1e-12"),
    );
    ctx.progress(out.length, laws.length, law);
    if (out.length < laws.length && (await shouldStop(ctx))) {
      interrupted = true;
      break;
    }
  }
  return reproduction("rrelu-laws", "RReLU's slope in training (through the backend kernel) and in eval, PyTorch's law and the paper's", checks, out, interrupted);
}
