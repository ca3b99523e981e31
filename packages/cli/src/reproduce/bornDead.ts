import { createRng } from "@gradscope/core";
import { reproduction, shouldStop, within, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";

/** Options of {@link bornDead}. */
export interface BornDeadOptions {
  /** Hidden-layer widths N. Default [2, 3, 5, 10]. */
  widths?: number[];
  /** Numbers of hidden layers L. Default [10, 50]. */
  depths?: number[];
  /** Random networks per (width, depth). Default 2000. */
  trials?: number;
  /** Input dimension (the fixed input is (1, …, 1)). Default 2. */
  inputs?: number;
  seed?: number;
}

/** One (width, depth) cell: the JSON row of `reproduce born-dead`. */
export interface BornDeadCell {
  width: number;
  depth: number;
  trials: number;
  /** Fraction of the random networks dead at the input. */
  measured: number;
  /** 1 − (1 − 2^−N)^L. */
  theory: number;
}

/**
 * P(a ReLU net of L hidden layers of width N, zero biases, is dead at a fixed input x ≠ 0), where
 * "dead" means some hidden layer outputs all zeros, so the output and every gradient no longer depend on x
 * or on the weights below (Lu et al. 2019, "Dying ReLU and initialization").
 *
 * The closed form. Let a_{l−1} ≠ 0 be layer l−1's output. Unit j of layer l has z_j = w_j·a_{l−1} with
 * w_j its own row of weights: the z_j are independent given a_{l−1}, and each is a continuous law
 * symmetric about 0 (weights symmetric and continuous, a_{l−1} ≠ 0), so P(z_j > 0 | a_{l−1}) = 1/2 exactly,
 * however many units of layer l−1 are on and whatever their values. Hence P(layer l is all off |
 * layers below alive) = 2^−N, independently of the past, and with zero biases an all-off layer stays
 * all-off above. The depth at which the net dies is geometric:
 *   P(dead at x) = 1 − (1 − 2^−N)^L.
 * (The event is per input; "born dead" over a whole input domain, a constant function, is rarer, and
 * Lu et al. bound it rather than give it.)
 * Checks: each cell within 4 binomial standard errors (plus 1/trials for cells near 0 or 1).
 */
export async function bornDead(options: BornDeadOptions, ctx: ExperimentContext): Promise<Reproduction<BornDeadCell[]>> {
  const { widths = [2, 3, 5, 10], depths = [10, 50], trials = 2000, inputs = 2, seed = 1 } = options;
  const rng = createRng(seed);
  const cells: BornDeadCell[] = [];
  let interrupted = false;
  const total = widths.length * depths.length;
  outer: for (const width of widths) {
    for (const depth of depths) {
      let dead = 0;
      let a = new Float64Array(Math.max(width, inputs)), z = new Float64Array(width);
      for (let t = 0; t < trials; t++) {
        let fanIn = inputs;
        a.fill(1, 0, inputs);
        let alive = true;
        for (let l = 0; l < depth && alive; l++) {
          alive = false;
          for (let j = 0; j < width; j++) {
            let s = 0;
            for (let i = 0; i < fanIn; i++) s += rng.normal(0, Math.sqrt(2 / fanIn)) * a[i]!;
            z[j] = s > 0 ? s : 0;
            if (s > 0) alive = true;
          }
          [a, z] = [z, a];
          fanIn = width;
        }
        if (!alive) dead++;
      }
      cells.push({ width, depth, trials, measured: dead / trials, theory: 1 - (1 - 2 ** -width) ** depth });
      ctx.progress(cells.length, total, `N=${width} L=${depth}`);
      if (cells.length < total && (await shouldStop(ctx))) {
        interrupted = true;
        break outer;
      }
    }
  }
  const checks: Check[] = cells.map((c) =>
    within(`P(dead) N=${c.width} L=${c.depth}`, c.measured, c.theory, 4 * Math.sqrt((c.theory * (1 - c.theory)) / c.trials) + 1 / c.trials, "4 binomial SE + 1/trials"));
  return reproduction("born-dead", "Monte Carlo probability that a random ReLU net (zero biases, He-normal weights) is dead at a fixed input, against 1 − (1 − 2^−N)^L", checks, cells, interrupted);
}
