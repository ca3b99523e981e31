import { activationNamed } from "@gradscope/core";
import { reproduction, shouldStop, withinFactor, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { initStats, normalInit } from "./initStats.js";

/** Options of {@link heInit}. */
export interface HeInitOptions {
  /** Hidden layers. Default 10. */
  depth?: number;
  /** Units per layer. Default 256. */
  width?: number;
  batch?: number;
  /** Random nets per case, averaged. Default 20. */
  trials?: number;
  seed?: number;
}

/** One (activation, Var[W]) case of `reproduce he-init`. */
export interface HeCase {
  /** "relu" or "prelu" (its initial slope α = 0.25). */
  activation: string;
  /** Var[W] = c / n. */
  c: number;
  /** Negative slope (0 for ReLU). */
  alpha: number;
  /** Per hidden layer l = 1…L: E[a_l²] / E[x²], measured (mean over trials) and c·((1+α²)c/2)^(l−1)·(1+α²)/2. */
  layers: { layer: number; measured: number; theory: number }[];
}

/**
 * He et al. (2015), eq. (10): with zero-mean weights of variance c/n and a symmetric pre-activation,
 * E[z_{l+1}²] = c·E[a_l²] and E[a_l²] = (1+α²)/2·E[z_l²] (ReLU: α = 0, half the mass is zeroed), so
 * each layer multiplies the second moment by c(1+α²)/2: Var[W] = 2/n (He) keeps it for ReLU, 1/n
 * halves it per layer. Gaussian weights make it exact in expectation, and the relative variance of one
 * layer's factor at width n is k/n with k = 6(1+α⁴)/(1+α²)² − 1 (ReLU: 5), so the mean over T nets
 * of E[a_L²] has relative standard error σ = √(((1+k/n)^L − 1)/T). Check: the deepest layer within 4σ
 * (as |ln(ours/theory)|), for ReLU and PReLU, Var[W] = 1/n and 2/n.
 */
export async function heInit(options: HeInitOptions, ctx: ExperimentContext): Promise<Reproduction<HeCase[]>> {
  const { depth = 10, width = 256, batch = 16, trials = 20, seed = 1 } = options;
  const cases: HeCase[] = [];
  const checks: Check[] = [];
  let interrupted = false;
  const specs = [["relu", 1], ["relu", 2], ["prelu", 1], ["prelu", 2]] as const;
  const total = specs.length * trials;
  outer: for (const [name, c] of specs) {
    const activation = activationNamed(name);
    const alpha = name === "prelu" ? (activation.params.alpha as number) : 0;
    const sums = new Float64Array(depth);
    let done = 0;
    for (let t = 0; t < trials; t++) {
      const s = initStats({ activation, init: normalInit(c), depth, width, batch, seed: seed + 31 * t });
      s.act2.forEach((a, l) => (sums[l]! += a / s.input2));
      done++;
      ctx.progress(cases.length * trials + done, total, `${name} Var[W]=${c}/n`);
      if (await shouldStop(ctx)) {
        interrupted = true;
        if (done < 2) break outer;
        break;
      }
    }
    const g = (1 + alpha * alpha) / 2;
    const layers = Array.from(sums, (s, l) => ({ layer: l + 1, measured: s / done, theory: c * (c * g) ** l * g }));
    cases.push({ activation: name, c, alpha, layers });
    const k = (6 * (1 + alpha ** 4)) / (1 + alpha * alpha) ** 2 - 1;
    const sigma = Math.sqrt(((1 + k / width) ** depth - 1) / done);
    const last = layers.at(-1)!;
    checks.push(withinFactor(`${name}, Var[W] = ${c}/n: E[a²]/E[x²] at layer ${depth}`, last.measured, last.theory, 4 * sigma, "4σ"));
    if (interrupted) break;
  }
  return reproduction("he-init", `second moment of activations against depth (${depth} layers × ${width}), Var[W] = 1/n vs 2/n, ReLU and PReLU (α = 0.25)`, checks, cases, interrupted);
}
