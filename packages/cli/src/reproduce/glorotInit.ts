import { activationNamed, type InitializerName } from "@gradscope/core";
import { reproduction, shouldStop, withinFactor, type Check, type ExperimentContext, type Reproduction } from "./experiment.js";
import { initStats } from "./initStats.js";

/** Options of {@link glorotInit}. */
export interface GlorotInitOptions {
  /** Default ["sigmoid", "tanh", "softsign"]. */
  activations?: string[];
  /** Hidden layers (Glorot & Bengio: 5). Default 5. */
  depth?: number;
  /** Units per layer (theirs: 1000). Default 256. */
  width?: number;
  batch?: number;
  /** Random nets per case, averaged. Default 3. */
  trials?: number;
  seed?: number;
}

/** One (activation, init) case of `reproduce glorot-init`. */
export interface GlorotCase {
  activation: string;
  init: "standard" | "glorot";
  /** n·Var[W]: 1/3 for standard U(±1/√n), 1 for normalised U(±√(6/(n_in+n_out))) with n_in = n_out. */
  nVarW: number;
  /** Per hidden layer (0 = nearest the input), averaged over trials. */
  layers: { layer: number; actVar: number; act2: number; gradVar: number; slope2: number }[];
  /** Geometric means over layer transitions of E[z_{l+1}²]/E[a_l²] and E[(∂L/∂a_l)²]/E[(∂L/∂z_{l+1})²]. */
  forwardFactor: number;
  backwardFactor: number;
  /** E[(∂L/∂z)²] first hidden layer / last hidden layer: measured, and Π_l n·Var[W]·E[f′(z_l)²]. */
  gradientRatio: { measured: number; theory: number };
}

/**
 * Glorot & Bengio (2010) at initialisation. With i.i.d. zero-mean weights, for any activation,
 * E[z_{l+1}²] = n·Var[W]·E[a_l²] (in expectation over W) and, back-propagating,
 * E[(∂L/∂a_l)²] = n·Var[W]·E[(∂L/∂z_{l+1})²] and E[(∂L/∂z_l)²] ≈ E[f′(z_l)²]·E[(∂L/∂a_l)²] – their
 * equations (5)–(6) before the linear-regime step f′ = 1. So with the "standard" init n·Var[W] = 1/3:
 * activations and back-propagated gradients shrink by ≈ 3× per layer, and with the normalised init
 * n·Var[W] = 1 they keep their scale (up to the E[f′²] factors). Checks (per activation and init):
 * the forward and backward per-layer factors against n·Var[W] within 10 % (finite-width scatter of the
 * per-layer ratio is a few % at n = 256, averaged over layers and trials), and the first/last-layer
 * gradient ratio against the product of factors within a factor 1.35 (the chain multiplies L − 1 such
 * estimates and assumes f′(z) independent of ∂L/∂a).
 */
export async function glorotInit(options: GlorotInitOptions, ctx: ExperimentContext): Promise<Reproduction<GlorotCase[]>> {
  const { activations = ["sigmoid", "tanh", "softsign"], depth = 5, width = 256, batch = 128, trials = 3, seed = 1 } = options;
  const cases: GlorotCase[] = [];
  const checks: Check[] = [];
  let interrupted = false;
  const total = activations.length * 2;
  outer: for (const name of activations) {
    const activation = activationNamed(name);
    for (const init of ["standard", "glorot"] as const satisfies readonly InitializerName[]) {
      const nVarW = init === "standard" ? 1 / 3 : 1;
      const runs = Array.from({ length: trials }, (_, t) => initStats({ activation, init, depth, width, batch, seed: seed + 101 * t }));
      const avg = (pick: (s: (typeof runs)[number]) => number[]) => Array.from({ length: depth }, (_, l) => runs.reduce((s, r) => s + pick(r)[l]!, 0) / trials);
      const act2 = avg((r) => r.act2), pre2 = avg((r) => r.pre2), gradZ2 = avg((r) => r.gradZ2), gradA2 = avg((r) => r.gradA2);
      const actVar = avg((r) => r.actVar), slope2 = avg((r) => r.slope2);
      const geo = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
      const forwardFactor = geo(pre2.slice(1).map((p, l) => p / act2[l]!));
      const backwardFactor = geo(gradA2.slice(0, -1).map((g, l) => g / gradZ2[l + 1]!));
      const theoryRatio = slope2.slice(0, -1).reduce((p, s) => p * nVarW * s, 1);
      const c: GlorotCase = {
        activation: name, init, nVarW,
        layers: act2.map((a, l) => ({ layer: l, actVar: actVar[l]!, act2: a, gradVar: gradZ2[l]!, slope2: slope2[l]! })),
        forwardFactor, backwardFactor,
        gradientRatio: { measured: gradZ2[0]! / gradZ2[depth - 1]!, theory: theoryRatio },
      };
      cases.push(c);
      checks.push(
        withinFactor(`${name} ${init}: E[z²] growth per layer`, forwardFactor, nVarW, Math.log(1.1), "ln 1.1"),
        withinFactor(`${name} ${init}: E[(∂L/∂a)²] growth per layer, backwards`, backwardFactor, nVarW, Math.log(1.1), "ln 1.1"),
        withinFactor(`${name} ${init}: ∂L/∂z variance, first/last hidden layer`, c.gradientRatio.measured, theoryRatio, Math.log(1.35), "ln 1.35"),
      );
      ctx.progress(cases.length, total, `${name} ${init}`);
      if (cases.length < total && (await shouldStop(ctx))) {
        interrupted = true;
        break outer;
      }
    }
  }
  return reproduction("glorot-init", `per-layer variance of activations and back-propagated gradients at initialisation, ${depth} layers × ${width}, standard vs normalised init`, checks, cases, interrupted);
}
