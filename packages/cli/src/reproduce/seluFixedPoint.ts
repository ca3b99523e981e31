import { activationNamed, selu } from "@gradscope/core";
import { reproduction, shouldStop, within, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { initStats, type LayerStats } from "./initStats.js";
import { gaussianExpectation } from "./stats.js";

/** Options of {@link seluFixedPoint}. */
export interface SeluFixedPointOptions {
  /** Variances of the N(0, v) inputs. Default [0.25, 1, 3]. */
  variances?: number[];
  /** SELU layers. Default 32. */
  depth?: number;
  width?: number;
  batch?: number;
  /** Random nets per starting variance, averaged. Default 4. */
  trials?: number;
  seed?: number;
}

/** One starting variance of `reproduce selu-fixed-point`. */
export interface SeluCase {
  inputVariance: number;
  /** Per layer: mean and variance of the activations over (unit, example), measured and by the mean-field map. */
  layers: { layer: number; mean: number; variance: number; theoryMean: number; theoryVariance: number }[];
}

/**
 * Klambauer et al. (2017): through SELU layers with LeCun-normal weights (Var[W] = 1/n), the mean and
 * variance of activations are pulled to the fixed point (0, 1). Theory: with Gaussian weights, a
 * layer's pre-activations are N(0, q) where q = E[a²] of the layer below, so the mean-field map is
 * q ↦ E[selu(z)²], z ~ N(0, q), mean E[selu(z)], variance E[selu²] − E[selu]² (their map with
 * ω = 0, τ = 1); λ and α are chosen so that q = 1 is its fixed point, with mean 0.
 * Checks at the last layer: mean within 0.05 of the map's and variance within 0.1 (finite width:
 * the per-layer q has relative scatter ≈ √(2/n) ≈ 0.09 at n = 256, which the contracting map keeps
 * from accumulating; averaged over trials and over (unit, example) pairs), and the map's own fixed
 * point is (0, 1) to 1e-3.
 */
export async function seluFixedPoint(options: SeluFixedPointOptions, ctx: ExperimentContext): Promise<Reproduction<SeluCase[]>> {
  const { variances = [0.25, 1, 3], depth = 32, width = 256, batch = 64, trials = 4, seed = 1 } = options;
  const activation = activationNamed("selu");
  const f = (z: number) => selu.f(z, selu.params);
  const cases: SeluCase[] = [];
  const checks: Check[] = [];
  let interrupted = false;
  outer: for (const v of variances) {
    const runs: LayerStats[] = [];
    for (let t = 0; t < trials; t++) {
      runs.push(initStats({ activation, init: "lecun", depth, width, batch, seed: seed + 17 * t, inputStd: Math.sqrt(v) }));
      ctx.progress(cases.length * trials + t + 1, variances.length * trials, `input variance ${v}`);
      if (await shouldStop(ctx)) {
        interrupted = true;
        if (runs.length < 1) break outer;
        break;
      }
    }
    let q = v;
    const layers = Array.from({ length: depth }, (_, l) => {
      const m = gaussianExpectation(f, 0, Math.sqrt(q));
      const q2 = gaussianExpectation((z) => f(z) ** 2, 0, Math.sqrt(q));
      q = q2;
      const avg = (pick: (r: (typeof runs)[number]) => number) => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
      return { layer: l + 1, mean: avg((r) => r.actMean[l]!), variance: avg((r) => r.actVar[l]!), theoryMean: m, theoryVariance: q2 - m * m };
    });
    cases.push({ inputVariance: v, layers });
    const last = layers.at(-1)!;
    checks.push(
      within(`input variance ${v}: mean after ${depth} layers`, last.mean, last.theoryMean, 0.05, "0.05"),
      within(`input variance ${v}: variance after ${depth} layers`, last.variance, last.theoryVariance, 0.1, "0.1"),
    );
    if (interrupted) break;
  }
  const fixed = { m: gaussianExpectation(f, 0, 1), q: gaussianExpectation((z) => f(z) ** 2, 0, 1) };
  checks.push(within("mean-field map at q = 1: mean", fixed.m, 0, 1e-3, "1e-3"), within("mean-field map at q = 1: E[a²]", fixed.q, 1, 1e-3, "1e-3"));
  return reproduction("selu-fixed-point", `mean and variance through ${depth} SELU layers × ${width} (LeCun normal) from input variances ${variances.join(", ")}`, checks, cases, interrupted);
}
